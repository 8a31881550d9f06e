// A tool for finding where a purge's time goes (not part of `npm run bench`): `voicewipe purge --json` run N times
// against one simulator account, printing each run's phase timings (count, the filter set meanwhile, the delete,
// the verification). The first run signs in and is not printed; each printed run starts from the same recordings.
//   bash scripts/node.sh bench/purge-phases.ts [recordings=10000] [runs=3] [keep_days=30]
// VOICEWIPE_TYPESCRIPT=1 runs the sources instead of .build/; NODE_OPTIONS=--cpu-prof profiles each run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../src/purge/run.ts';
import { writeSimConfig } from '../sim/config.ts';
import { startSimulator } from '../sim/server.ts';

const root = new URL('..', import.meta.url).pathname;
const [recordings, runs, keepDays] = [Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 3), Number(process.argv[4] ?? 30)];
const dir = mkdtempSync(join(tmpdir(), 'voicewipe-phases-'));
const sim = await startSimulator({ seed: 42, accounts: [{ id: 'bench', vendor: 'amazon', email: 'bench@example.com', password: 'bench-password', mfa: 'totp', recordings, spanDays: 365 }] });
const config = writeSimConfig(sim, { dir, accounts: [{ sim: 'bench', keep_days: keepDays }], logLevel: 'warn' });

function purge(): Promise<RunSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'bin/voicewipe'), ['purge', '--json', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => { try { resolve(JSON.parse(out) as RunSummary); } catch { reject(new Error(`voicewipe purge exited ${code}: ${out.slice(0, 300)}`)); } });
  });
}

try {
  await purge();
  for (let i = 0; i < runs; i++) {
    sim.control.reset('bench');
    const result = (await purge()).results[0];
    const t = result.details.timings as Record<string, number>;
    const provider = (t.count ?? 0) + (t.delete ?? 0) + (t.verify ?? 0);
    process.stdout.write(`${result.status} deleted ${result.deleted}: provider ${provider} ms ${JSON.stringify(t)}\n`);
  }
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
