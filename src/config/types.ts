// The validated configuration as the rest of the daemon sees it: defaults filled in, secrets resolved.
// Keys mirror config.example.yaml (snake_case, the external contract); see shared/DESIGN.md.

export type ProviderName = 'alexa' | 'google';

export interface ScheduleConfig {
  /** node-cron expression (5 or 6 fields), evaluated in `timezone`. */
  cron: string;
  /** Random delay per night, so appliances do not all hit a vendor at the same second. */
  jitter_minutes: number;
  /** Run once shortly after start when a scheduled run was missed (the Pi was off). */
  catch_up: boolean;
  /** Default for the run-time switch (the switch itself is persisted in the database). */
  enabled: boolean;
}

export interface HttpConfig {
  host: string;
  port: number;
  /** Read-only status open to the LAN without the admin token. */
  public_status: boolean;
  /** Origins allowed to frame the status page (a Home Assistant iframe card); empty = no framing. */
  frame_ancestors: string[];
  /** HTTPS with a self-signed certificate made at first start: `auto` (unless bound to loopback only), `on`, `off`. */
  tls: 'auto' | 'on' | 'off';
  /** Behind the user's own reverse proxy: believe its X-Forwarded-For/-Proto (and mark cookies Secure over https). */
  trust_proxy: boolean;
  /** Host names (besides the machine's own names and addresses) the page may be reached by; others get 421. */
  allowed_hosts: string[];
  /** How people reach the status page (links in Home Assistant, the log, sign-in links); default derived. */
  public_url?: string;
}

export interface MqttConfig {
  url: string;
  username?: string;
  /** Resolved from password_file or ${ENV}; never logged. */
  password?: string;
  base_topic: string;
  discovery_prefix: string;
  ca_file?: string;
}

export interface BrowserConfig {
  executable_path?: string;
  headless: boolean;
  step_timeout_seconds: number;
  run_timeout_minutes: number;
}

export interface AccountConfig {
  id: string;
  name: string;
  provider: ProviderName;
  marketplace: string;
  email?: string;
  /** Resolved secret values (from *_file or ${ENV}); never logged, never stored in clear. */
  password?: string;
  totp_secret?: string;
  keep_days: number;
  base_url?: string;
  enabled: boolean;
  /** Google: purge Gemini Apps activity too, not only Assistant. */
  include_gemini: boolean;
}

export interface Config {
  version: 1;
  /** Path of the file this came from (for messages). */
  file: string;
  /** IANA zone name; defaults to the system's. */
  timezone: string;
  schedule: ScheduleConfig;
  state_dir: string;
  http: HttpConfig;
  mqtt?: MqttConfig;
  browser: BrowserConfig;
  /** evidence_days: how long a failed run's screenshot and HTML are kept (0 = not kept at all). */
  history: { keep_days: number; evidence_days: number };
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' };
  accounts: AccountConfig[];
}

/** One problem found in a config file: printed as `file:line key: message`. */
export interface ConfigProblem {
  file: string;
  line?: number;
  /** Dotted path of the offending key, e.g. `accounts[1].keep_days`. */
  key: string;
  message: string;
}
