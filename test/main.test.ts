import t from 'tap';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './helpers/cli.ts';
import { freePort } from './helpers/net.ts';

async function waitForHealth(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try { return await fetch(url); } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

t.test('the daemon serves /healthz and stops cleanly on SIGTERM', async (t) => {
  const dir = t.testdir();
  const port = await freePort();
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `version: 1\nstate_dir: ${join(dir, 'state')}\nhttp: {host: 127.0.0.1, port: ${port}}\naccounts: []\n`);
  const child = spawn(process.execPath, [CLI, 'start', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => { child.kill('SIGKILL'); });
  const res = await waitForHealth(`http://127.0.0.1:${port}/healthz`, 60_000);
  t.equal(res.status, 200);
  t.match(await res.json(), { status: 'ok', db: 'ok', mqtt: 'disabled', version: /^\d+\.\d+\.\d+/ });
  const stopAsked = Date.now();
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'exit code 0');
  t.ok(Date.now() - stopAsked < 10_000, 'stopped within 10 s');
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
  t.ok(lines.some((l) => l.msg.startsWith('voicewipe is running: status page http')), 'JSON log lines on stdout, naming the status page');
  t.ok(lines.some((l) => l.msg === 'voicewipe stopped'));
});

t.test('a port already in use: a clear failure, exit 1', async (t) => {
  const dir = t.testdir();
  const port = await freePort();
  const { createServer } = await import('node:net');
  const blocker = createServer().listen(port, '127.0.0.1');
  t.teardown(() => { blocker.close(); });
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `version: 1\nstate_dir: ${join(dir, 'state')}\nhttp: {host: 127.0.0.1, port: ${port}}\naccounts: []\n`);
  const child = spawn(process.execPath, [CLI, 'start', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.equal(code, 1);
  t.match(out, /could not start/);
  t.match(out, /EADDRINUSE/);
});
