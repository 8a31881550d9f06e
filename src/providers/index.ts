// The vendors voicewipe knows, by the `provider` name used in the config.
import { alexa } from './alexa/index.ts';
import { google } from './google/index.ts';
import type { Provider } from './types.ts';

export const PROVIDERS: Record<string, Provider> = { alexa, google };
