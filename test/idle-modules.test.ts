// What an idle daemon has loaded (bench/results/idle-memory.md): the code for purges, sign-ins, page checks and
// schema compiling waits for its first use, and Node's fetch client (undici) is never pulled in.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './helpers/cli.ts';
import { freePort } from './helpers/net.ts';

// Loaded into the daemon before its own code: records every module it loads, and Node's internal ones, at exit.
const TRACE = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const urls = [];
registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });
process.on('exit', () => writeFileSync(process.env.VOICEWIPE_TEST_TRACE, JSON.stringify({ urls, internal: process.moduleLoadList })));
`;

t.test('an idle daemon loads no provider, browser, sign-in, schema-compiler or fetch code', async (t) => {
  const dir = t.testdir();
  const port = await freePort();
  const config = join(dir, 'config.yaml');
  const trace = join(dir, 'trace.json');
  writeFileSync(config, `version: 1\nstate_dir: ${join(dir, 'state')}\nhttp: {host: 127.0.0.1, port: ${port}}\naccounts: []\n`);
  const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(TRACE)}`, CLI, 'start', '--config', config], {
    stdio: 'ignore', env: { ...process.env, VOICEWIPE_TEST_TRACE: trace },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.teardown(() => { child.kill('SIGKILL'); });
  const deadline = Date.now() + 60_000;
  let status = 0;
  while (status !== 200 && Date.now() < deadline) {
    status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
    if (status !== 200) await new Promise((r) => setTimeout(r, 50));
  }
  t.equal(status, 200, '/healthz answered');
  child.kill('SIGTERM');
  t.equal(await exited, 0);
  const { urls, internal } = JSON.parse(readFileSync(trace, 'utf8')) as { urls: string[]; internal: string[] };
  t.ok(urls.some((u) => u.endsWith('/src/main.ts')), 'the trace saw the daemon\'s modules');
  for (const unwanted of ['/src/providers/index.ts', '/src/providers/alexa/', '/src/providers/google/', '/src/browser/launch.ts',
    '/src/browser/person.ts', '/src/signin/person-flow.ts', '/src/purge/check-site.ts', '/node_modules/playwright-core/',
    '/node_modules/ajv/', '/node_modules/fast-json-stringify/index.js', '/node_modules/@fastify/ajv-compiler/', '/node_modules/mqtt/']) {
    t.notOk(urls.some((u) => u.includes(unwanted)), `${unwanted} not loaded`);
  }
  t.notOk(internal.some((m) => m.includes('undici')), 'Node\'s fetch client (undici) not loaded');
});
