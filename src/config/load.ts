// config.yaml → Config: parse (with line numbers), check every key, fill defaults, resolve secrets.
// Every problem is collected, so `voicewipe check-config` can list them all at once.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { validateDetailed } from 'node-cron';
import { isScalar, LineCounter, parseDocument } from 'yaml';
import { decodeBase32 } from '../providers/totp.ts';
import {
  DEFAULT_ACCOUNT_KEEP_DAYS, DEFAULT_BROWSER, DEFAULT_EVIDENCE_DAYS, DEFAULT_HISTORY_KEEP_DAYS, DEFAULT_HTTP, DEFAULT_LOG_LEVEL,
  DEFAULT_MARKETPLACE, DEFAULT_MQTT, DEFAULT_SCHEDULE, DEFAULT_STATE_DIR, systemTimezone,
} from './defaults.ts';
import { Reader } from './reader.ts';
import type { Entry } from './reader.ts';
import {
  ACCOUNT_ID, ACCOUNT_ID_MAX, ACCOUNT_KEYS, AMAZON_MARKETPLACES, BROWSER_KEYS, didYouMean, HISTORY_KEYS, HTTP_KEYS, LIMITS,
  LOG_KEYS, LOG_LEVELS, MQTT_KEYS, MQTT_PROTOCOLS, PROVIDERS, SCHEDULE_KEYS, TLS_MODES, TOP_KEYS,
} from './schema.ts';
import { describeFsError, envReference, readSecretFile } from './secrets.ts';
import { MAX_FILE_BYTES, MAX_READ_BYTES, fileTooBig, oversizedValues } from './size.ts';
import type {
  AccountConfig, BrowserConfig, Config, ConfigProblem, HttpConfig, MqttConfig, ScheduleConfig,
} from './types.ts';

export interface LoadResult {
  /** Present only when there are no problems. */
  config?: Config;
  problems: ConfigProblem[];
}

/** Reads and checks a config file. Never throws for bad input: a missing file is a problem like any other. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  let source: string;
  try {
    // Size first: a huge file (or a device, a pipe) given as the config must not be read, let alone parsed.
    const stat = statSync(path);
    if (!stat.isFile()) {
      const what = stat.isDirectory() ? 'is a directory' : 'is not a regular file (a device or a pipe)';
      return { problems: [{ file: path, key: '', message: `${what}; pass the path of config.yaml` }] };
    }
    if (stat.size > MAX_FILE_BYTES) return { problems: [fileTooBig(path, stat.size, stat.size <= MAX_READ_BYTES ? readFileSync(path) : undefined)] };
    source = readFileSync(path, 'utf8');
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'config file not found; copy config.example.yaml there and edit it, or pass --config PATH'
      : describeFsError(path, error);
    return { problems: [{ file: path, key: '', message }] };
  }

  const oversized = oversizedValues(path, source, new LineCounter());
  if (oversized.length > 0) return { problems: oversized };
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The tree is unreliable after a syntax error: report only those.
    return {
      problems: doc.errors.map((error) => ({
        file: path, line: lines.linePos(error.pos[0]).line, key: '', message: `YAML syntax: ${error.code === 'MULTIPLE_DOCS'
          ? 'a second document starts here (`---`); the config is one document' : firstLine(error.message)}`,
      })),
    };
  }

  const reader = new Reader(path, doc, lines, env);
  const config = readConfig(reader, path, dirname(resolve(path)));
  const problems = reader.problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.order - b.order)
    .map(({ problem }) => problem);
  return problems.length > 0 || !config ? { problems } : { config, problems: [] };
}

/** `file:line key: message`, the way compilers print, so editors can jump to it. */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return problem.key ? `${where} ${problem.key}: ${problem.message}` : `${where}: ${problem.message}`;
}

/**
 * Which config file to use: `--config PATH`, else `$VOICEWIPE_CONFIG`, else `./config.yaml` when it exists,
 * else `/etc/voicewipe/config.yaml`. The first two are returned as given.
 */
export function resolveConfigPath(cliPath?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (cliPath) return cliPath;
  if (env.VOICEWIPE_CONFIG) return env.VOICEWIPE_CONFIG;
  const local = resolve(cwd, 'config.yaml');
  if (existsSync(local)) return local;
  return '/etc/voicewipe/config.yaml';
}

function readConfig(reader: Reader, file: string, dir: string): Config | undefined {
  const root = reader.root();
  if (root.node === null) {
    reader.problem(root, 'the file is empty; start from config.example.yaml (its first line is `version: 1`)');
    return undefined;
  }
  const top = reader.mapping(root, TOP_KEYS);
  if (!top) return undefined;

  const version = top.get('version');
  if (!version || version.node === null) {
    reader.problem({ path: 'version', line: 1 }, 'missing; add `version: 1` at the top of the file');
  } else if (!isScalar(version.node) || version.node.value !== 1) {
    reader.problem(version, 'must be 1, the only config version this voicewipe knows');
  }

  const timezone = readTimezone(reader, top.get('timezone'));
  const schedule = readSchedule(reader, top.get('schedule'));
  const stateDir = reader.text(top.get('state_dir'));
  if (stateDir === '') reader.problem(top.get('state_dir')!, 'must not be empty');
  const http = readHttp(reader, top.get('http'));
  const mqttEntry = top.get('mqtt');
  const mqtt = mqttEntry ? readMqtt(reader, mqttEntry, dir) : undefined;
  const browser = readBrowser(reader, top.get('browser'), dir);
  const history = reader.mapping(top.get('history') ?? empty('history'), HISTORY_KEYS);
  const historyKeepDays = history && reader.integer(history.get('keep_days'), LIMITS.history_keep_days);
  const evidenceDays = history && reader.integer(history.get('evidence_days'), LIMITS.evidence_days);
  const log = reader.mapping(top.get('log') ?? empty('log'), LOG_KEYS);
  const level = log && reader.choice(log.get('level'), LOG_LEVELS, 'log level');
  const accounts = readAccounts(reader, top.get('accounts'), dir);

  if (reader.problems.length > 0 || !schedule || !http || !browser || !accounts || (mqttEntry && !mqtt)) return undefined;
  return {
    version: 1,
    file,
    timezone: timezone ?? systemTimezone(),
    schedule,
    state_dir: resolve(dir, stateDir ?? DEFAULT_STATE_DIR),
    http,
    ...(mqtt ? { mqtt } : {}),
    browser,
    history: { keep_days: historyKeepDays ?? DEFAULT_HISTORY_KEEP_DAYS, evidence_days: evidenceDays ?? DEFAULT_EVIDENCE_DAYS },
    log: { level: level ?? DEFAULT_LOG_LEVEL },
    accounts,
  };
}

function empty(path: string): Entry {
  return { path, node: null };
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

function readTimezone(reader: Reader, entry: Entry | undefined): string | undefined {
  const zone = reader.text(entry);
  if (!entry || zone === undefined) return undefined;
  if (isTimezone(zone)) return zone;
  const suggestion = didYouMean(zone, [...Intl.supportedValuesOf('timeZone'), 'UTC']);
  reader.problem(entry, `unknown time zone \`${zone}\`; ${suggestion ? `did you mean \`${suggestion}\`?` : 'use an IANA name such as Europe/Berlin, America/New_York or UTC'}`);
  return undefined;
}

function isTimezone(zone: string): boolean {
  // Intl also takes fixed offsets such as "+01:00", which have no daylight saving: not what a user means.
  if (/^[+-]\d/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function readSchedule(reader: Reader, entry: Entry | undefined): ScheduleConfig | undefined {
  const keys = reader.mapping(entry ?? empty('schedule'), SCHEDULE_KEYS);
  if (!keys) return undefined;
  const cronEntry = keys.get('cron');
  const cron = reader.text(cronEntry);
  if (cronEntry && cron !== undefined) {
    const result = validateDetailed(cron);
    if (!result.valid) {
      const detail = result.errors.map((e) => (e.field === 'expression' ? e.message : `${fieldName(e.field)} \`${e.value}\``)).join(', ');
      reader.problem(cronEntry, `\`${cron}\` is not a valid cron expression (${detail}); the fields are minute hour day-of-month month day-of-week, e.g. \`30 3 * * *\` for 03:30 every night`);
    }
  }
  return {
    cron: cron ?? DEFAULT_SCHEDULE.cron,
    jitter_minutes: reader.integer(keys.get('jitter_minutes'), LIMITS.jitter_minutes) ?? DEFAULT_SCHEDULE.jitter_minutes,
    catch_up: reader.boolean(keys.get('catch_up')) ?? DEFAULT_SCHEDULE.catch_up,
    enabled: reader.boolean(keys.get('enabled')) ?? DEFAULT_SCHEDULE.enabled,
  };
}

function fieldName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace('week-day', 'day-of-week');
}

function readHttp(reader: Reader, entry: Entry | undefined): HttpConfig | undefined {
  const keys = reader.mapping(entry ?? empty('http'), HTTP_KEYS);
  if (!keys) return undefined;
  const host = reader.text(keys.get('host'));
  if (host === '') reader.problem(keys.get('host')!, 'must not be empty; 0.0.0.0 listens on every interface');
  // These go into a Content-Security-Policy header: only plain origins, nothing that could end the directive.
  const ancestors = reader.textList(keys.get('frame_ancestors'), 'origins', (origin) =>
    (origin === "'self'" || /^https?:\/\/[^\s;,'"/]+$/.test(origin)
      ? undefined : `\`${origin}\` is not an origin; write scheme and host only, e.g. http://homeassistant.local:8123`));
  const publicUrl = reader.text(keys.get('public_url'));
  if (publicUrl && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl)) {
    reader.problem(keys.get('public_url')!, `\`${publicUrl}\` is not a web address; write e.g. http://voicewipe.local:8733/`);
  }
  return {
    host: host || DEFAULT_HTTP.host,
    port: reader.integer(keys.get('port'), LIMITS.port) ?? DEFAULT_HTTP.port,
    public_status: reader.boolean(keys.get('public_status')) ?? DEFAULT_HTTP.public_status,
    frame_ancestors: ancestors ?? [...DEFAULT_HTTP.frame_ancestors],
    ...(publicUrl ? { public_url: publicUrl } : {}),
    ...readHttpSecurity(reader, keys),
  };
}

/** The keys of issue 17 (safe on a shared network): TLS, a proxy in front, the names the page is reached by. */
function readHttpSecurity(reader: Reader, keys: Map<string, Entry>): Pick<HttpConfig, 'tls' | 'trust_proxy' | 'allowed_hosts'> {
  const hosts = reader.textList(keys.get('allowed_hosts'), 'host names', (name) =>
    (/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)$/i.test(name) ? undefined
      : `\`${name}\` is not a host name; write the name only (no scheme, port or path), e.g. voicewipe.home.arpa`));
  return {
    tls: reader.choice(keys.get('tls'), TLS_MODES, 'TLS mode') ?? DEFAULT_HTTP.tls,
    trust_proxy: reader.boolean(keys.get('trust_proxy')) ?? DEFAULT_HTTP.trust_proxy,
    allowed_hosts: hosts?.map((h) => h.toLowerCase()) ?? [...DEFAULT_HTTP.allowed_hosts],
  };
}

function readMqtt(reader: Reader, entry: Entry, dir: string): MqttConfig | undefined {
  const keys = reader.mapping(entry, MQTT_KEYS);
  if (!keys) return undefined;
  const urlEntry = keys.get('url');
  const url = reader.text(urlEntry);
  if (!urlEntry || urlEntry.node === null) {
    reader.problem({ path: 'mqtt.url', line: entry.line }, 'missing; e.g. `url: mqtt://homeassistant.local:1883` (or remove the whole mqtt block to run without MQTT)');
  } else if (url !== undefined) {
    checkMqttUrl(reader, urlEntry, url);
  }
  const username = reader.text(keys.get('username'));
  const password = readSecret(reader, keys, dir, 'password', 'MQTT password', true);
  const baseTopic = readTopic(reader, keys.get('base_topic'));
  const discoveryPrefix = readTopic(reader, keys.get('discovery_prefix'));
  const caFile = readExistingFile(reader, keys.get('ca_file'), dir);
  return {
    url: url ?? '',
    ...(username ? { username } : {}),
    ...(password.value !== undefined ? { password: password.value } : {}),
    base_topic: baseTopic ?? DEFAULT_MQTT.base_topic,
    discovery_prefix: discoveryPrefix ?? DEFAULT_MQTT.discovery_prefix,
    ...(caFile ? { ca_file: caFile } : {}),
  };
}

function checkMqttUrl(reader: Reader, entry: Entry, url: string): void {
  // A URL with credentials in it must not be echoed back.
  const shown = url.includes('@') ? 'the URL' : `\`${url}\``;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    reader.problem(entry, `${shown} is not a URL; e.g. mqtt://homeassistant.local:1883`);
    return;
  }
  if (parsed.password) {
    reader.problem(entry, 'do not put the password in the URL: use `password_file: FILE` (chmod 600) or `password: ${ENV_NAME}`');
  } else if (!MQTT_PROTOCOLS.includes(parsed.protocol)) {
    reader.problem(entry, `${shown} must start with mqtt://, mqtts://, ws:// or wss://`);
  }
}

function readTopic(reader: Reader, entry: Entry | undefined): string | undefined {
  const topic = reader.text(entry);
  if (!entry || topic === undefined) return undefined;
  if (topic === '' || /[+#\s]/.test(topic) || topic.startsWith('/') || topic.endsWith('/')) {
    reader.problem(entry, `\`${topic}\` is not a usable topic prefix: no spaces, + or #, and no / at either end`);
    return undefined;
  }
  return topic;
}

/** A path to a file that must exist (not a secret: its mode does not matter), resolved against the config's folder. */
function readExistingFile(reader: Reader, entry: Entry | undefined, dir: string): string | undefined {
  const path = reader.text(entry);
  if (!entry || path === undefined) return undefined;
  const absolute = resolve(dir, path);
  try {
    if (!statSync(absolute).isFile()) reader.problem(entry, `${absolute} is not a regular file`);
  } catch (error) {
    reader.problem(entry, describeFsError(absolute, error));
  }
  return absolute;
}

function readBrowser(reader: Reader, entry: Entry | undefined, dir: string): BrowserConfig | undefined {
  const keys = reader.mapping(entry ?? empty('browser'), BROWSER_KEYS);
  if (!keys) return undefined;
  const executable = readExistingFile(reader, keys.get('executable_path'), dir);
  return {
    ...(executable ? { executable_path: executable } : {}),
    headless: reader.boolean(keys.get('headless')) ?? DEFAULT_BROWSER.headless,
    step_timeout_seconds: reader.integer(keys.get('step_timeout_seconds'), LIMITS.step_timeout_seconds) ?? DEFAULT_BROWSER.step_timeout_seconds,
    run_timeout_minutes: reader.integer(keys.get('run_timeout_minutes'), LIMITS.run_timeout_minutes) ?? DEFAULT_BROWSER.run_timeout_minutes,
  };
}

function readAccounts(reader: Reader, entry: Entry | undefined, dir: string): AccountConfig[] | undefined {
  if (!entry) return [];
  const items = reader.list(entry, 'accounts');
  if (!items) return undefined;
  const firstLineOfId = new Map<string, number | undefined>();
  const accounts: AccountConfig[] = [];
  for (const item of items) {
    const account = readAccount(reader, item, dir, firstLineOfId);
    if (account) accounts.push(account);
  }
  return accounts;
}

function readAccount(reader: Reader, entry: Entry, dir: string, firstLineOfId: Map<string, number | undefined>): AccountConfig | undefined {
  if (entry.node === null) {
    reader.problem(entry, 'empty account; an account needs at least `id` and `provider`');
    return undefined;
  }
  const keys = reader.mapping(entry, ACCOUNT_KEYS);
  if (!keys) return undefined;
  const at = (key: string) => ({ path: `${entry.path}.${key}`, line: entry.line });

  const idEntry = keys.get('id');
  const id = reader.text(idEntry);
  if (!idEntry || idEntry.node === null) {
    reader.problem(at('id'), 'missing; every account needs a stable `id` (a-z, 0-9, _ and -), e.g. `id: kitchen`');
  } else if (id !== undefined) {
    if (!ACCOUNT_ID.test(id)) {
      const slug = id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, ACCOUNT_ID_MAX);
      reader.problem(idEntry, `\`${id.slice(0, 80)}${id.length > 80 ? '…' : ''}\` may only use a-z, 0-9, _ and -, at most ${ACCOUNT_ID_MAX} characters ` +
        `(it names files and MQTT topics)${slug ? `; e.g. \`${slug}\`` : ''}`);
    } else if (firstLineOfId.has(id)) {
      const first = firstLineOfId.get(id);
      reader.problem(idEntry, `duplicate id \`${id}\`${first === undefined ? '' : `, already used on line ${first}`}; every account needs its own id`);
    } else {
      firstLineOfId.set(id, idEntry.line);
    }
  }

  const providerEntry = keys.get('provider');
  const provider = reader.choice(providerEntry, PROVIDERS, 'provider');
  if (!providerEntry || providerEntry.node === null) reader.problem(at('provider'), `missing; add \`provider: ${PROVIDERS.join('` or `provider: ')}\``);

  const enabled = reader.boolean(keys.get('enabled')) ?? true;
  // A disabled account's secrets are not read, so an account can be parked (or the example used) without them.
  const read = enabled && provider !== 'google';
  const password = readSecret(reader, keys, dir, 'password', 'password', read);
  const totp = readSecret(reader, keys, dir, 'totp_secret', 'TOTP secret', read);
  if (totp.value !== undefined) {
    try {
      decodeBase32(totp.value);
    } catch {
      reader.problem(totp.entry!, 'the TOTP secret is not base32 (letters A-Z and digits 2-7, as Amazon shows it when you add an authenticator app)');
    }
  }

  const emailEntry = keys.get('email');
  const email = reader.text(emailEntry);
  if (email === '') reader.problem(emailEntry!, 'must not be empty');
  const marketplaceEntry = keys.get('marketplace');
  let marketplace: string | undefined;
  if (provider === 'alexa') {
    if (!emailEntry || emailEntry.node === null) reader.problem(at('email'), 'missing; alexa accounts need the `email` (or phone number) used to sign in to Amazon');
    // No password is fine: the account then signs in through the Alexa-app device a person registers once.
    marketplace = readMarketplace(reader, marketplaceEntry);
  } else if (provider === 'google') {
    if (marketplaceEntry) reader.problem(marketplaceEntry, 'only alexa accounts have a marketplace; remove it');
    for (const secret of [password, totp]) {
      if (secret.present) reader.problem(secret.entry!, 'google accounts do not use a password or TOTP secret: Google blocks automated sign-in, so a person signs in once from the status page; remove it');
    }
  }

  const keepDays = reader.integer(keys.get('keep_days'), LIMITS.account_keep_days);
  const baseUrlEntry = keys.get('base_url');
  const baseUrl = reader.text(baseUrlEntry);
  if (baseUrlEntry && baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    reader.problem(baseUrlEntry, `\`${baseUrl}\` is not an http:// or https:// URL`);
  }
  const name = reader.text(keys.get('name'));
  const geminiEntry = keys.get('include_gemini');
  const includeGemini = reader.boolean(geminiEntry);
  if (geminiEntry && provider === 'alexa') reader.problem(geminiEntry, 'only google accounts have Gemini activity; remove it');

  if (id === undefined || provider === undefined) return undefined;
  return {
    id,
    name: name || id,
    provider,
    marketplace: marketplace ?? DEFAULT_MARKETPLACE,
    ...(email ? { email } : {}),
    ...(password.value !== undefined ? { password: password.value } : {}),
    ...(totp.value !== undefined ? { totp_secret: totp.value } : {}),
    keep_days: keepDays ?? DEFAULT_ACCOUNT_KEEP_DAYS,
    ...(baseUrl ? { base_url: baseUrl.replace(/\/+$/, '') } : {}),
    enabled,
    include_gemini: includeGemini ?? false,
  };
}

function readMarketplace(reader: Reader, entry: Entry | undefined): string | undefined {
  const value = reader.text(entry);
  if (!entry || value === undefined) return undefined;
  if ((AMAZON_MARKETPLACES as readonly string[]).includes(value)) return value;
  // People write the site they know: "amazon.de", "www.amazon.co.uk", ".de".
  const stripped = value.toLowerCase().replace(/^(https?:\/\/)?(www\.)?(amazon)?\.?/, '').replace(/\/.*$/, '');
  const suggestion = (AMAZON_MARKETPLACES as readonly string[]).includes(stripped) ? stripped : didYouMean(value, AMAZON_MARKETPLACES);
  reader.problem(entry, `unknown Amazon marketplace \`${value}\`; ${suggestion ? `did you mean \`${suggestion}\`? ` : ''}use the part after amazon.: ${AMAZON_MARKETPLACES.join(', ')}`);
  return undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

interface Secret {
  /** Whether the file configures this secret at all (`*_file` or `${ENV}`). */
  present: boolean;
  value?: string;
  /** The key it came from, for later problems (bad base32, not wanted here). */
  entry?: Entry;
}

/**
 * A secret from `<key>_file: FILE` or `<key>: ${ENV_NAME}`. Anything else under `<key>` is a clear-text secret
 * in the YAML, which is refused without repeating it. With `read` false only the form is checked.
 */
function readSecret(reader: Reader, keys: Map<string, Entry>, dir: string, key: string, label: string, read: boolean): Secret {
  const inline = keys.get(key);
  const file = keys.get(`${key}_file`);
  const given = (entry: Entry | undefined): entry is Entry => entry !== undefined && entry.node !== null;
  if (given(inline) && given(file)) {
    reader.problem(inline, `set either ${key} or ${key}_file, not both`);
    return { present: true, entry: inline };
  }
  if (given(inline)) {
    const raw = isScalar(inline.node) && typeof inline.node.value === 'string' ? inline.node.value : undefined;
    const name = raw === undefined ? undefined : envReference(raw);
    if (name === undefined) {
      reader.problem(inline, `do not write the ${label} into the config file: put it in a file (chmod 600) and set \`${key}_file: FILE\`, or set \`${key}: \${ENV_NAME}\` and export ENV_NAME`);
      return { present: true, entry: inline };
    }
    if (!read) return { present: true, entry: inline };
    const value = reader.env[name];
    if (value === undefined || value === '') {
      reader.problem(inline, `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}`);
      return { present: true, entry: inline };
    }
    return { present: true, value, entry: inline };
  }
  if (given(file)) {
    const path = reader.text(file);
    if (path === undefined || !read) return { present: true, entry: file };
    if (path === '') {
      reader.problem(file, 'must not be empty');
      return { present: true, entry: file };
    }
    const result = readSecretFile(resolve(dir, path));
    if (result.error !== undefined) reader.problem(file, result.error);
    return { present: true, value: result.value, entry: file };
  }
  return { present: false };
}
