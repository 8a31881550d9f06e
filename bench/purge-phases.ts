// A tool for finding where a purge's time goes (not part of `npm run bench`): `voicewipe purge --json` run N times
// against one simulator account (as the benchmark runs it, bench/purge.ts purgeProcess), printing each run's phase
// timings (count, the filter set meanwhile, the delete, the verification) and peak memory. The first run signs in
// and is not printed; each printed run starts from the same recordings.
//   bash scripts/node.sh bench/purge-phases.ts [recordings=10000] [runs=3] [keep_days=30]
// VOICEWIPE_TYPESCRIPT=1 runs the sources instead of .build/; NODE_OPTIONS=--cpu-prof profiles each run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSimConfig } from '../sim/config.ts';
import { startSimulator } from '../sim/server.ts';
import { purgeProcess } from './purge.ts';

const [recordings, runs, keepDays] = [Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 3), Number(process.argv[4] ?? 30)];
const dir = mkdtempSync(join(tmpdir(), 'voicewipe-phases-'));
const sim = await startSimulator({ seed: 42, accounts: [{ id: 'bench', vendor: 'amazon', email: 'bench@example.com', password: 'bench-password', mfa: 'totp', recordings, spanDays: 365 }] });
const config = writeSimConfig(sim, { dir, accounts: [{ sim: 'bench', keep_days: keepDays }], logLevel: 'warn' });

try {
  await purgeProcess(config);
  for (let i = 0; i < runs; i++) {
    sim.control.reset('bench');
    const measured = await purgeProcess(config);
    const result = measured.summary.results[0];
    const t = result.details.timings as Record<string, number>;
    const provider = (t.count ?? 0) + (t.delete ?? 0) + (t.verify ?? 0);
    process.stdout.write(`${result.status} deleted ${result.deleted}: provider ${provider} ms, peak ${measured.peakPssMb} MB ${JSON.stringify(t)}\n`);
  }
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
