import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Test } from 'tap';
import { formatProblem, loadConfig, resolveConfigPath } from '../../src/config/load.ts';
import { systemTimezone } from '../../src/config/defaults.ts';
import type { ConfigProblem } from '../../src/config/types.ts';

const EXAMPLE = fileURLToPath(new URL('../../config.example.yaml', import.meta.url));
const TOTP = 'JBSWY3DPEHPK3PXP';
type Tap = Test;

const roots = new WeakMap<Tap, { dir: string; count: number }>();

/** A fresh, empty folder under the test's own t.testdir() (which a test may call only once). */
function folder(t: Tap): string {
  let root = roots.get(t);
  if (!root) { root = { dir: t.testdir({}), count: 0 }; roots.set(t, root); }
  const dir = join(root.dir, String(++root.count));
  mkdirSync(dir);
  return dir;
}

/** Writes `config.yaml` (and any secret files, mode 0600 unless given) into a fresh folder. */
function setup(t: Tap, yaml: string, files: Record<string, string | [string, number]> = {}): string {
  const dir = folder(t);
  for (const [name, spec] of Object.entries(files)) {
    const [content, mode] = typeof spec === 'string' ? [spec, 0o600] : spec;
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    chmodSync(path, mode);
  }
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** `line key` of every problem, for exact comparisons. */
function where(problems: ConfigProblem[]): string[] {
  return problems.map((p) => `${p.line ?? '-'} ${p.key}`);
}

function find(t: Tap, problems: ConfigProblem[], key: string): ConfigProblem {
  const found = problems.find((p) => p.key === key);
  t.ok(found, `a problem for ${key}`);
  return found ?? { file: '', key, message: '' };
}

t.test('the example config loads with no problems and no environment', (t) => {
  const result = loadConfig(EXAMPLE, {});
  t.same(result.problems.map(formatProblem), []);
  t.ok(result.config);
  t.equal(result.config?.version, 1);
  t.same(result.config?.accounts.map((a) => [a.id, a.provider, a.enabled]), [['alexa-home', 'alexa', false], ['google-home', 'google', false]]);
  t.equal(result.config?.state_dir, join(EXAMPLE, '..', 'state'));
  t.equal(result.config?.mqtt, undefined, 'MQTT is off until its block is uncommented (a first start is healthy)');
  t.end();
});

t.test('the example\'s mqtt block, uncommented as its comment says, is a valid block', (t) => {
  const yaml = readFileSync(EXAMPLE, 'utf8').replace(/^# mqtt:$/m, 'mqtt:').replace(/^#( {2}\S.*)$/gm, '$1');
  const file = setup(t, yaml, {});
  const result = loadConfig(file, {});
  t.same(result.problems.map(formatProblem), []);
  t.match(result.config?.mqtt, { url: 'mqtt://homeassistant.local:1883', base_topic: 'voicewipe', discovery_prefix: 'homeassistant' });
  t.end();
});

t.test('the example becomes a working config once its secret files exist', (t) => {
  const yaml = readFileSync(EXAMPLE, 'utf8').replace(/\n\s*enabled: false\n/g, '\n');
  const file = setup(t, yaml, { 'secrets/amazon-password': 'pw\n', 'secrets/amazon-totp': `${TOTP}\n` });
  const result = loadConfig(file, {});
  t.same(result.problems.map(formatProblem), []);
  t.equal(result.config?.accounts[0].password, 'pw');
  t.equal(result.config?.accounts[0].totp_secret, TOTP);
  t.equal(result.config?.accounts[0].enabled, true);
  t.end();
});

t.test('YAML syntax errors are reported with their line, and nothing else', (t) => {
  const file = setup(t, 'version: 1\nhttp:\n  port: 8733\n  host: [0.0.0.0\nlog:\n  level: info\nbogus: 1\n');
  const result = loadConfig(file, {});
  t.equal(result.config, undefined);
  t.ok(result.problems.length >= 1);
  for (const p of result.problems) {
    t.match(p.message, /^YAML syntax: /);
    t.type(p.line, 'number');
    t.equal(p.key, '');
  }
  t.ok(result.problems.every((p) => !p.message.includes('bogus')), 'no key checks on a broken tree');

  const duplicate = setup(t, 'version: 1\nlog:\n  level: info\nlog:\n  level: debug\n');
  t.same(loadConfig(duplicate, {}).problems.map((p) => [p.line, p.message]), [[4, 'YAML syntax: Map keys must be unique']]);
  const twoDocuments = setup(t, 'version: 1\n---\nversion: 1\n');
  t.same(loadConfig(twoDocuments, {}).problems.map((p) => [p.line, p.message]), [[2, 'YAML syntax: a second document starts here (`---`); the config is one document']]);
  t.end();
});

t.test('a broken config lists every problem with its line', (t) => {
  const yaml = [
    /*  1 */ 'version: 1',
    /*  2 */ 'timezone: Europe/Berln',
    /*  3 */ 'colour: blue',
    /*  4 */ 'schedule:',
    /*  5 */ '  cron: "30 25 * * *"',
    /*  6 */ '  jiter_minutes: 5',
    /*  7 */ '  catch_up: yes',
    /*  8 */ 'http:',
    /*  9 */ '  port: 70000',
    /* 10 */ '  public_status: "true"',
    /* 11 */ 'history:',
    /* 12 */ '  keep_days: 1.5',
    /* 13 */ 'log:',
    /* 14 */ '  level: verbose',
    /* 15 */ 'accounts:',
    /* 16 */ '  - id: kitchen',
    /* 17 */ '    provider: alexa',
    /* 18 */ '    email: a@example.com',
    /* 19 */ '    password_file: secrets/missing',
    /* 20 */ '    keep_days: -1',
    /* 21 */ '  - id: kitchen',
    /* 22 */ '    provider: alexa',
    /* 23 */ '    email: b@example.com',
    /* 24 */ '    password_file: secrets/open',
    /* 25 */ '    marketplace: amazon.de',
    /* 26 */ '  - id: Living Room',
    /* 27 */ '    provider: gogle',
    /* 28 */ '  - id: office',
    /* 29 */ '    provider: siri',
    /* 30 */ '    enabled: 1',
    /* 31 */ '    name: [a, b]',
    /* 32 */ '  - id: car',
    /* 33 */ '    provider: alexa',
    /* 34 */ '    base_url: ftp://example.com',
    /* 35 */ '',
  ].join('\n');
  const file = setup(t, yaml, { 'secrets/open': ['open-secret\n', 0o644] });
  const { config, problems } = loadConfig(file, {});
  t.equal(config, undefined);
  t.same(where(problems), [
    '2 timezone',
    '3 colour',
    '5 schedule.cron',
    '6 schedule.jiter_minutes',
    '7 schedule.catch_up',
    '9 http.port',
    '10 http.public_status',
    '12 history.keep_days',
    '14 log.level',
    '19 accounts[0].password_file',
    '20 accounts[0].keep_days',
    '21 accounts[1].id',
    '24 accounts[1].password_file',
    '25 accounts[1].marketplace',
    '26 accounts[2].id',
    '27 accounts[2].provider',
    '29 accounts[3].provider',
    '30 accounts[3].enabled',
    '31 accounts[3].name',
    '32 accounts[4].email',
    '34 accounts[4].base_url',
  ]);
  const message = (key: string) => find(t, problems, key).message;
  t.match(message('timezone'), 'did you mean `Europe/Berlin`?');
  t.match(message('colour'), 'unknown key; allowed here: version, timezone');
  t.match(message('schedule.jiter_minutes'), 'unknown key; did you mean `jitter_minutes`?');
  t.match(message('schedule.cron'), /`30 25 \* \* \*` is not a valid cron expression \(hour `25`\)/);
  t.match(message('schedule.catch_up'), 'expected true or false, got the text "yes"');
  t.match(message('http.port'), 'must be from 0 to 65535, got 70000');
  t.match(message('http.public_status'), 'expected true or false, got the text "true"');
  t.match(message('history.keep_days'), 'expected a whole number 1 or more, got the number 1.5');
  t.match(message('log.level'), 'unknown log level `verbose`; use one of: fatal, error');
  t.match(message('accounts[0].password_file'), /secrets\/missing does not exist/);
  t.match(message('accounts[0].keep_days'), 'must be 0 or more, got -1');
  t.match(message('accounts[1].id'), 'duplicate id `kitchen`, already used on line 16');
  t.match(message('accounts[1].password_file'), /secrets\/open is readable by other users \(mode 0644\); chmod 600 .*secrets\/open$/);
  t.match(message('accounts[1].marketplace'), 'did you mean `de`?');
  t.match(message('accounts[2].id'), 'may only use a-z, 0-9, _ and -');
  t.match(message('accounts[2].id'), 'e.g. `living-room`');
  t.match(message('accounts[2].provider'), 'unknown provider `gogle`; did you mean `google`?');
  t.match(message('accounts[3].provider'), 'unknown provider `siri`; use one of: alexa, google');
  t.match(message('accounts[3].enabled'), 'expected true or false, got the number 1');
  t.match(message('accounts[3].name'), 'expected text, got a list');
  t.match(message('accounts[4].email'), 'missing; alexa accounts need the `email`');
  t.notOk(problems.some((p) => p.key === 'accounts[4].password_file'), 'no password is allowed: the app-device sign-in needs none');
  t.match(message('accounts[4].base_url'), '`ftp://example.com` is not an http:// or https:// URL');
  t.ok(problems.every((p) => p.file === file));
  t.end();
});

t.test('version, mqtt and the remaining checks', (t) => {
  const file = setup(t, [
    'timezone: "+01:00"',
    'state_dir: ""',
    'http:',
    '  frame_ancestors: ["http://ha.local:8123", "\'self\'", "x; script-src *"]',
    'mqtt:',
    '  url: http://broker',
    '  base_topic: "home/#"',
    '  ca_file: nope.pem',
    'browser:',
    '  executable_path: /nonexistent/chromium',
    '  step_timeout_seconds: 0',
    'accounts:',
    '  - provider: alexa',
    '    email: x@example.com',
    '    password_file: pw',
    '    totp_secret_file: totp',
    '  -',
    '',
  ].join('\n'), { pw: 'pw', totp: 'not base32!\n' });
  const { problems } = loadConfig(file, {});
  t.same(where(problems), [
    '1 version',
    '1 timezone',
    '2 state_dir',
    '4 http.frame_ancestors[2]',
    '6 mqtt.url',
    '7 mqtt.base_topic',
    '8 mqtt.ca_file',
    '10 browser.executable_path',
    '11 browser.step_timeout_seconds',
    '13 accounts[0].id',
    '16 accounts[0].totp_secret_file',
    '17 accounts[1]',
  ]);
  t.match(find(t, problems, 'version').message, 'missing; add `version: 1`');
  t.match(find(t, problems, 'mqtt.url').message, 'must start with mqtt://, mqtts://, ws:// or wss://');
  t.match(find(t, problems, 'accounts[0].totp_secret_file').message, 'not base32');

  const noUrl = setup(t, 'version: 1\nmqtt:\n  username: me\n');
  t.same(loadConfig(noUrl, {}).problems.map(formatProblem), [`${noUrl}:2 mqtt.url: missing; e.g. \`url: mqtt://homeassistant.local:1883\` (or remove the whole mqtt block to run without MQTT)`]);

  const wrongVersion = setup(t, 'version: "1"\n');
  t.same(where(loadConfig(wrongVersion, {}).problems), ['1 version']);

  const notAMap = setup(t, '- version: 1\n');
  t.same(where(loadConfig(notAMap, {}).problems), ['1 ']);

  const empty = setup(t, '# nothing here\n');
  t.match(loadConfig(empty, {}).problems[0].message, 'the file is empty');
  t.end();
});

t.test('secrets: files, ${ENV}, never in clear, never printed', (t) => {
  const secrets = ['hunter1-totp', 'hunter2-env', 'hunter2-clear', 'hunter2-url', 'hunter2-open', 'hunter2-mqtt-clear'];
  const file = setup(t, [
    'version: 1',
    'mqtt:',
    '  url: mqtts://voicewipe:hunter2-url@broker:8883',
    '  password: hunter2-mqtt-clear',
    'accounts:',
    '  - id: a',
    '    provider: alexa',
    '    email: a@example.com',
    '    password: hunter2-clear',
    '  - id: b',
    '    provider: alexa',
    '    email: b@example.com',
    '    password: ${B_PASSWORD}',
    '    password_file: open',
    '  - id: c',
    '    provider: alexa',
    '    email: c@example.com',
    '    password: "${UNSET_PASSWORD}"',
    '    totp_secret: ${C_TOTP}',
    '  - id: d',
    '    provider: alexa',
    '    email: d@example.com',
    '    password_file: open',
    '  - id: e',
    '    provider: alexa',
    '    email: e@example.com',
    '    password: 12345',
    '',
  ].join('\n'), { open: ['hunter2-open\n', 0o640] });
  const env = { B_PASSWORD: 'hunter2-env', C_TOTP: 'hunter1-totp' };
  const { problems } = loadConfig(file, env);
  t.same(where(problems), [
    '3 mqtt.url',
    '4 mqtt.password',
    '9 accounts[0].password',
    '13 accounts[1].password',
    '18 accounts[2].password',
    '19 accounts[2].totp_secret',
    '23 accounts[3].password_file',
    '27 accounts[4].password',
  ]);
  t.match(find(t, problems, 'mqtt.url').message, 'do not put the password in the URL');
  t.match(find(t, problems, 'accounts[0].password').message, 'do not write the password into the config file');
  t.match(find(t, problems, 'accounts[1].password').message, 'set either password or password_file, not both');
  t.match(find(t, problems, 'accounts[2].password').message, 'environment variable UNSET_PASSWORD is not set');
  t.match(find(t, problems, 'accounts[2].totp_secret').message, 'not base32');
  t.match(find(t, problems, 'accounts[3].password_file').message, 'readable by other users (mode 0640)');
  const text = problems.map(formatProblem).join('\n');
  for (const secret of [...secrets, '12345']) t.notMatch(text, secret, `${secret} is not printed`);

  // A syntax error in a line holding a secret does not print it either.
  const broken = setup(t, 'version: 1\naccounts:\n  - id: a\n    password: "hunter2-broken\n');
  t.notMatch(loadConfig(broken, {}).problems.map(formatProblem).join('\n'), 'hunter2');
  t.end();
});

t.test('secret files: trimmed, relative to the config file, 0600 accepted; disabled accounts are not read', (t) => {
  const file = setup(t, [
    'version: 1',
    'mqtt:',
    '  url: mqtt://broker',
    '  username: voicewipe',
    '  password_file: secrets/mqtt',
    'accounts:',
    '  - id: kitchen',
    '    provider: alexa',
    '    email: a@example.com',
    '    password_file: secrets/amazon',
    '    totp_secret_file: secrets/totp',
    '  - id: parked',
    '    provider: alexa',
    '    email: b@example.com',
    '    password_file: secrets/does-not-exist',
    '    enabled: false',
    '  - id: parked-env',
    '    provider: alexa',
    '    email: c@example.com',
    '    password: ${NOT_SET}',
    '    enabled: false',
    '',
  ].join('\n'), {
    'secrets/mqtt': 'mqtt pass\r\n',
    'secrets/amazon': ' spaces kept \n\n',
    'secrets/totp': `${TOTP.toLowerCase()}\n`,
  });
  const previous = process.cwd();
  process.chdir(folder(t));
  t.teardown(() => process.chdir(previous));
  const { config, problems } = loadConfig(file, {});
  t.same(problems, []);
  t.equal(config?.mqtt?.password, 'mqtt pass');
  t.equal(config?.mqtt?.username, 'voicewipe');
  t.equal(config?.accounts[0].password, ' spaces kept ');
  t.equal(config?.accounts[0].totp_secret, TOTP.toLowerCase());
  t.equal(config?.accounts[1].password, undefined);
  t.equal(config?.accounts[1].enabled, false);
  t.equal(config?.accounts[2].password, undefined);

  const emptySecret = setup(t, 'version: 1\nmqtt:\n  url: mqtt://b\n  password_file: s\n', { s: '\n' });
  t.match(loadConfig(emptySecret, {}).problems[0].message, /s is empty$/);
  t.end();
});

t.test('${ENV} substitution in any text value', (t) => {
  const file = setup(t, [
    'version: 1',
    'timezone: ${TZ_NAME}',
    'state_dir: ${STATE}/voicewipe',
    'http:',
    '  port: ${PORT}',
    '  public_status: ${PUBLIC}',
    'mqtt:',
    '  url: mqtt://${MQTT_HOST}:1883',
    '  password: ${MQTT_PASSWORD}',
    '  base_topic: literal-$${NOT_A_VAR}',
    'accounts:',
    '  - id: a',
    '    provider: alexa',
    '    email: ${EMAIL}',
    '    password: ${AMAZON_PASSWORD}',
    '    totp_secret: ${AMAZON_TOTP}',
    '    base_url: http://127.0.0.1:${SIM_PORT}/',
    '',
  ].join('\n'));
  const env = {
    TZ_NAME: 'Europe/Berlin', STATE: '/srv', PORT: '9000', PUBLIC: 'false', MQTT_HOST: 'broker.lan', MQTT_PASSWORD: 'm',
    EMAIL: 'me@example.com', AMAZON_PASSWORD: 'p', AMAZON_TOTP: TOTP, SIM_PORT: '8734',
  };
  const { config, problems } = loadConfig(file, env);
  t.same(problems, []);
  t.equal(config?.timezone, 'Europe/Berlin');
  t.equal(config?.state_dir, '/srv/voicewipe');
  t.equal(config?.http.port, 9000);
  t.equal(config?.http.public_status, false);
  t.equal(config?.mqtt?.url, 'mqtt://broker.lan:1883');
  t.equal(config?.mqtt?.password, 'm');
  t.equal(config?.mqtt?.base_topic, 'literal-${NOT_A_VAR}');
  t.same(config?.accounts[0], {
    id: 'a', name: 'a', provider: 'alexa', marketplace: 'com', email: 'me@example.com', password: 'p',
    totp_secret: TOTP, keep_days: 7, base_url: 'http://127.0.0.1:8734', enabled: true, include_gemini: false,
  });

  const missing = loadConfig(file, { ...env, EMAIL: undefined, PORT: 'ninety' });
  t.same(missing.problems.map((p) => [p.line, p.key, p.message]), [
    [5, 'http.port', 'expected a whole number from 0 to 65535, got `${PORT}`, which is not one'],
    [14, 'accounts[0].email', 'environment variable EMAIL is not set'],
  ]);
  const invalid = setup(t, 'version: 1\nstate_dir: ${not valid}\n');
  t.match(loadConfig(invalid, {}).problems[0].message, '`${not valid}` is not an environment reference');
  t.end();
});

t.test('defaults fill every key that is left out', (t) => {
  const file = setup(t, 'version: 1\naccounts:\n  - id: kitchen\n    provider: google\n');
  const { config, problems } = loadConfig(file, {});
  t.same(problems, []);
  t.same(config, {
    version: 1,
    file,
    timezone: systemTimezone(),
    schedule: { cron: '30 3 * * *', jitter_minutes: 20, catch_up: true, enabled: true },
    state_dir: '/var/lib/voicewipe',
    http: { host: '0.0.0.0', port: 8733, public_status: false, frame_ancestors: [], tls: 'auto', trust_proxy: false, allowed_hosts: [] },
    browser: { headless: true, step_timeout_seconds: 30, run_timeout_minutes: 60 },
    history: { keep_days: 90, evidence_days: 7 },
    log: { level: 'info' },
    accounts: [{ id: 'kitchen', name: 'kitchen', provider: 'google', marketplace: 'com', keep_days: 7, enabled: true, include_gemini: false }],
  });
  t.equal('mqtt' in (config ?? {}), false, 'no mqtt block, no MQTT');

  const mqtt = setup(t, 'version: 1\nstate_dir: data\nhttp:\nmqtt:\n  url: mqtt://b\naccounts:\n');
  const loaded = loadConfig(mqtt, {}).config;
  t.same(loaded?.mqtt, { url: 'mqtt://b', base_topic: 'voicewipe', discovery_prefix: 'homeassistant' });
  t.equal(loaded?.state_dir, join(mqtt, '..', 'data'), 'relative state_dir is relative to the config file');
  t.same(loaded?.http, { host: '0.0.0.0', port: 8733, public_status: false, frame_ancestors: [], tls: 'auto', trust_proxy: false, allowed_hosts: [] });
  t.same(loaded?.accounts, []);
  t.end();
});

t.test('a missing or unreadable file is a problem, not an exception', (t) => {
  const dir = folder(t);
  const missing = join(dir, 'nope.yaml');
  t.same(loadConfig(missing, {}).problems, [{ file: missing, key: '', message: 'config file not found; copy config.example.yaml there and edit it, or pass --config PATH' }]);
  t.match(loadConfig(dir, {}).problems[0].message, 'is a directory');
  t.end();
});

t.test('formatProblem', (t) => {
  t.equal(formatProblem({ file: 'c.yaml', line: 3, key: 'http.port', message: 'bad' }), 'c.yaml:3 http.port: bad');
  t.equal(formatProblem({ file: 'c.yaml', key: 'http.port', message: 'bad' }), 'c.yaml http.port: bad');
  t.equal(formatProblem({ file: 'c.yaml', line: 2, key: '', message: 'YAML syntax: x' }), 'c.yaml:2: YAML syntax: x');
  t.end();
});

t.test('resolveConfigPath: --config, then $VOICEWIPE_CONFIG, then ./config.yaml, then /etc', (t) => {
  const withLocal = folder(t);
  writeFileSync(join(withLocal, 'config.yaml'), 'version: 1\n');
  const withoutLocal = folder(t);
  const env = { VOICEWIPE_CONFIG: '/from/env.yaml' };
  t.equal(resolveConfigPath('my.yaml', env, withLocal), 'my.yaml');
  t.equal(resolveConfigPath(undefined, env, withLocal), '/from/env.yaml');
  t.equal(resolveConfigPath(undefined, { VOICEWIPE_CONFIG: '' }, withLocal), join(withLocal, 'config.yaml'));
  t.equal(resolveConfigPath(undefined, {}, withLocal), join(withLocal, 'config.yaml'));
  t.equal(resolveConfigPath(undefined, {}, withoutLocal), '/etc/voicewipe/config.yaml');
  t.equal(resolveConfigPath('', {}, withoutLocal), '/etc/voicewipe/config.yaml');
  t.end();
});

t.test('YAML anchors and aliases are followed', (t) => {
  const file = setup(t, [
    'version: 1',
    'accounts:',
    '  - id: a',
    '    provider: google',
    '    keep_days: &days 3',
    '  - id: b',
    '    provider: google',
    '    keep_days: *days',
    '    enabled: &off maybe',
    '',
  ].join('\n'));
  const { problems } = loadConfig(file, {});
  t.same(where(problems), ['9 accounts[1].enabled']);
  const fixed = setup(t, 'version: 1\naccounts:\n  - id: a\n    provider: google\n    keep_days: &days 3\n  - id: b\n    provider: google\n    keep_days: *days\n');
  t.same(loadConfig(fixed, {}).config?.accounts.map((a) => a.keep_days), [3, 3]);
  t.end();
});

t.test('one account-id rule for the config and the API: at most 64 characters', async (t) => {
  const { accountId } = await import('../../src/http/schemas.ts');
  const { Ajv } = await import('ajv');
  const valid = new Ajv().compile(accountId);
  const longest = 'a'.repeat(64);
  const tooLong = 'a'.repeat(65);
  const yaml = (id: string) => `version: 1\ntimezone: UTC\naccounts:\n  - {id: ${id}, provider: google}\n`;
  t.ok(loadConfig(setup(t, yaml(longest))).config, '64 characters load');
  t.ok(valid(longest), '… and can be named in the API');
  const { config, problems } = loadConfig(setup(t, yaml(tooLong)));
  t.notOk(config, '65 characters do not load');
  t.match(problems.map(formatProblem).join('\n'), /accounts\[0\]\.id: .* at most 64 characters/);
  t.notOk(valid(tooLong), '… nor pass the API');
});
