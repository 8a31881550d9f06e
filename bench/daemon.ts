// The idle daemon: time from process start to /healthz answering, and resident memory once settled (what makes
// it up: bench/results/idle-memory.md).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pssMb, rssMb } from '../src/browser/processes.ts';
import { freePort } from '../test/helpers/net.ts';

const root = new URL('..', import.meta.url).pathname;

export async function benchDaemonIdle(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-bench-'));
  const port = await freePort();
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `version: 1\nstate_dir: ${join(dir, 'state')}\nhttp: {host: 127.0.0.1, port: ${port}}\n` +
    'log: {level: warn}\naccounts: []\n');
  const startupMs: number[] = [];
  let rss = 0;
  let pss = 0;
  let tsRss = 0;
  try {
    // Three starts: the first warms the page cache, as on a Pi that has been up for a while.
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const child = spawn(join(root, 'bin/voicewipe'), ['start', '--config', config], { stdio: 'ignore' });
      const deadline = started + 30_000;
      let up = false;
      while (!up && performance.now() < deadline) {
        up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
        if (!up) await new Promise((r) => setTimeout(r, 5));
      }
      if (!up) { child.kill('SIGKILL'); throw new Error('daemon did not answer /healthz within 30 s'); }
      startupMs.push(performance.now() - started);
      if (i === 2) {
        await new Promise((r) => setTimeout(r, 3000)); // settle: lazy allocations, first GC
        rss = rssMb(child.pid!);
        pss = pssMb(child.pid!);
      }
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    // The same daemon from the TypeScript with a cold compile cache (the first start after an upgrade, had there
    // been no .build/): what running the emitted JavaScript saves (bench/results/idle-memory.md).
    const env = { ...process.env, VOICEWIPE_TYPESCRIPT: '1', NODE_COMPILE_CACHE: join(dir, 'cold-cache') };
    const child = spawn(join(root, 'bin/voicewipe'), ['start', '--config', config], { stdio: 'ignore', env });
    const deadline = performance.now() + 30_000;
    let up = false;
    while (!up && performance.now() < deadline) {
      up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 5));
    }
    if (up) {
      await new Promise((r) => setTimeout(r, 3000));
      tsRss = rssMb(child.pid!);
    }
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    if (!up) throw new Error('daemon (TypeScript) did not answer /healthz within 30 s');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    startup_to_healthz_ms: Math.round(Math.min(...startupMs.slice(1))),
    startup_cold_ms: Math.round(startupMs[0]),
    idle_rss_mb: Math.round(rss * 10) / 10,
    idle_pss_mb: Math.round(pss * 10) / 10,
    idle_rss_mb_typescript_cold: Math.round(tsRss * 10) / 10,
  };
}
