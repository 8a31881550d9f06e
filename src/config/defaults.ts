// Values used when config.yaml leaves a key out. config.example.yaml documents the same numbers.
import type { BrowserConfig, HttpConfig, ScheduleConfig } from './types.ts';

export const DEFAULT_SCHEDULE: ScheduleConfig = { cron: '30 3 * * *', jitter_minutes: 20, catch_up: true, enabled: true };
export const DEFAULT_STATE_DIR = '/var/lib/voicewipe';
export const DEFAULT_HTTP: HttpConfig = {
  host: '0.0.0.0', port: 8733, public_status: false, frame_ancestors: [], tls: 'auto', trust_proxy: false, allowed_hosts: [],
};
export const DEFAULT_MQTT = { base_topic: 'voicewipe', discovery_prefix: 'homeassistant' };
export const DEFAULT_BROWSER: BrowserConfig = { headless: true, step_timeout_seconds: 30, run_timeout_minutes: 60 };
export const DEFAULT_HISTORY_KEEP_DAYS = 90;
/** Evidence holds what the vendor's page showed (encrypted, masked): kept a week, long enough to look at it. */
export const DEFAULT_EVIDENCE_DAYS = 7;
export const DEFAULT_LOG_LEVEL = 'info';
/** Per account: recordings older than this many days are deleted each night (0 = everything). */
export const DEFAULT_ACCOUNT_KEEP_DAYS = 7;
export const DEFAULT_MARKETPLACE = 'com';

/** The machine's own zone (what `timedatectl` set), falling back to UTC when Node cannot tell. */
export function systemTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
