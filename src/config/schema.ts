// The shape of config.yaml: which keys each block accepts and which values are allowed.
// Checked by hand in load.ts rather than with Ajv, so that every message can carry a line number, a
// "did you mean" and a fix, and never echo a secret.

export const TOP_KEYS = [
  'version', 'timezone', 'schedule', 'state_dir', 'http', 'mqtt', 'browser', 'history', 'log', 'accounts',
] as const;
export const SCHEDULE_KEYS = ['cron', 'jitter_minutes', 'catch_up', 'enabled'] as const;
export const HTTP_KEYS = ['host', 'port', 'public_status', 'frame_ancestors', 'tls', 'trust_proxy', 'allowed_hosts', 'public_url'] as const;
/** `auto`: HTTPS unless bound to loopback only; `on`: always; `off`: plain HTTP (behind your own TLS proxy). */
export const TLS_MODES = ['auto', 'on', 'off'] as const;
export const MQTT_KEYS = [
  'url', 'username', 'password', 'password_file', 'base_topic', 'discovery_prefix', 'ca_file',
] as const;
export const BROWSER_KEYS = ['executable_path', 'headless', 'step_timeout_seconds', 'run_timeout_minutes'] as const;
export const HISTORY_KEYS = ['keep_days', 'evidence_days'] as const;
export const LOG_KEYS = ['level'] as const;
export const ACCOUNT_KEYS = [
  'id', 'name', 'provider', 'marketplace', 'email', 'password', 'password_file', 'totp_secret',
  'totp_secret_file', 'keep_days', 'base_url', 'enabled', 'include_gemini',
] as const;

export const PROVIDERS = ['alexa', 'google'] as const;
/** Amazon sites that serve Review Voice History under the same paths (vendors/alexa.md): www.amazon.<marketplace>. */
export const AMAZON_MARKETPLACES = [
  'com', 'co.uk', 'de', 'fr', 'it', 'es', 'ca', 'com.au', 'co.jp', 'com.br', 'in',
] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** The one rule for an account id, in the config and in the API: it names files, MQTT topics and URLs. */
export const ACCOUNT_ID_MAX = 64;
export const ACCOUNT_ID = /^[a-z0-9_-]{1,64}$/;
export const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

export const LIMITS = {
  // 0 lets the system pick a free port (tests, demo); the real port is logged.
  port: [0, 65535],
  jitter_minutes: [0, 720],
  step_timeout_seconds: [1, 600],
  run_timeout_minutes: [1, 1440],
  history_keep_days: [1, Infinity],
  evidence_days: [0, 3650],
  account_keep_days: [0, Infinity],
} as const satisfies Record<string, readonly [number, number]>;

/** The closest candidate to a misspelt word, if it is close enough to be what the user meant. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // At most two edits are accepted, so a length further off cannot match: skip the costly table.
    if (Math.abs(candidate.length - lower.length) > 2) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) { best = candidate; bestDistance = distance; }
  }
  // Two edits catch most typos; short words need a closer match or everything "matches".
  const allowed = Math.min(2, Math.floor((best ?? '').length / 3));
  return best !== undefined && bestDistance <= Math.max(1, allowed) ? best : undefined;
}

/** Edit distance where swapping two neighbouring letters counts as one edit (`prot` → `port`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
