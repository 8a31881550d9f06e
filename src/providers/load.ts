// The providers' code (Alexa's and Google's pages, selectors, requests), loaded at its first use: the first purge,
// remote sign-in or page check. An idle daemon never holds it (bench/results/idle-memory.md).
import type { Provider } from './types.ts';

export type Providers = Record<string, Provider>;
/** What a purge runner or the remote sign-in is given: the providers themselves (tests), or how to load them. */
export type ProviderSource = Providers | (() => Promise<Providers>);

let loading: Promise<Providers> | undefined;

/** The providers, imported once; a failed import (a broken install) is retried at the next use. */
export function loadProviders(): Promise<Providers> {
  loading ??= import('./index.ts').then((m) => m.PROVIDERS, (err: unknown) => {
    loading = undefined;
    throw new Error(`voicewipe's provider code could not be loaded (reinstall voicewipe?): ${(err as Error).message.split('\n')[0]}`, { cause: err });
  });
  return loading;
}

/** The provider named by an account's `provider`, or undefined when this version has none by that name. */
export async function providerNamed(source: ProviderSource, name: string): Promise<Provider | undefined> {
  const providers = typeof source === 'function' ? await source() : source;
  return providers[name];
}
