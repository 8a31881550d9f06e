// The purge through the Alexa provider (real Chromium, `voicewipe purge` as its own process) next to the floor:
// the same simulator's list and delete requests issued directly over HTTP from another process, no browser, in
// the same run (bench/floor.ts). The provider's time is its count, delete and verification phases (the survivor
// check's listings included); the browser's start and the sign-in are apart.
// Also the peak memory (PSS summed over the process tree, so shared pages count once) of that process plus
// its Chromium while it purges.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionVault } from '../src/browser/vault.ts';
import { Worker } from 'node:worker_threads';
import { cutoffFor } from '../src/purge/cutoff.ts';
import type { RunSummary } from '../src/purge/run.ts';
import { writeSimConfig } from '../sim/config.ts';
import { startSimulator } from '../sim/server.ts';
import type { Simulator } from '../sim/server.ts';
import type { FloorArgs } from './floor.ts';
import type { Sampled } from './sampler.ts';

const root = new URL('..', import.meta.url).pathname;
const KEEP_DAYS = 30;

interface Measured { summary: RunSummary; peakPssMb: number; wallMs: number; writtenKb: number; writers: string }

/** `voicewipe purge --json` in its own process: its tree's PSS and bytes written sampled every 100 ms in a worker
 *  thread (each process's last reading is kept, so a renderer that exits still counts). */
export async function purgeProcess(config: string): Promise<Measured> {
  const started = performance.now();
  // Through bin/voicewipe, as systemd and Docker start it (same Node flags).
  const child = spawn(join(root, 'bin/voicewipe'), ['purge', '--json', '--config', config], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const sampler = new Worker(new URL('./sampler.ts', import.meta.url), { workerData: { pid: child.pid } });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const sampled = await new Promise<Sampled>((resolve) => { sampler.once('message', resolve); sampler.postMessage('stop'); });
  await sampler.terminate();
  const written = new Map(sampled.written);
  const names = new Map(sampled.names);
  const peak = sampled.peakPssMb;
  if (code !== 0) throw new Error(`voicewipe purge exited ${code}: ${out.slice(0, 500)}`);
  const writtenKb = Math.round([...written.values()].reduce((a, b) => a + b, 0) / 1024);
  // Who wrote what (the process's name and Chromium's --type), for finding where the bytes come from.
  const writers = [...written].filter(([, b]) => b > 0).map(([pid, b]) => `${names.get(pid)}: ${Math.round(b / 1024)} kB`).join(', ');
  // Where the peak is (the CLI's Node, Chromium's browser, renderer, GPU…), for finding what to cut.
  const by = new Map<string, number>();
  for (const [p, mb] of sampled.peakBy) by.set(names.get(p) ?? String(p), (by.get(names.get(p) ?? String(p)) ?? 0) + mb);
  process.stderr.write(`bench: peak PSS ${Math.round(peak)} MB = ${[...by].map(([n, mb]) => `${n} ${Math.round(mb)}`).join(', ')}\n`);
  return { summary: JSON.parse(out) as RunSummary, peakPssMb: Math.round(peak), wallMs: Math.round(performance.now() - started), writtenKb, writers };
}

/** The floor (bench/floor.ts) in its own Node process, as the provider's client is: the simulator's process only
 *  serves. The session's cookies are the ones the provider saved. */
async function floor(sim: Simulator, stateDir: string, accountId: string, cutoff: number, mode: FloorArgs['mode'], viaFetch = false): Promise<number> {
  const state = new SessionVault(stateDir).load(accountId).state as { cookies: { name: string; value: string }[] };
  const args: FloorArgs = { url: sim.url, cookie: state.cookies.map((c) => `${c.name}=${c.value}`).join('; '), deletePath: sim.deletePath, cutoff, mode, fetch: viaFetch };
  const child = spawn(process.execPath, [join(root, 'bench/floor.ts'), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the floor exited ${code}`);
  return (JSON.parse(out) as { ms: number }).ms;
}

export async function benchPurge(recordings = 10_000, nightly = true): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-bench-purge-'));
  const sim = await startSimulator({ seed: 42, accounts: [{ id: 'bench', vendor: 'amazon', email: 'bench@example.com', password: 'bench-password', mfa: 'totp', recordings, spanDays: 365 }] });
  try {
    const configFor = (keepDays: number) => writeSimConfig(sim, { dir, accounts: [{ sim: 'bench', keep_days: keepDays }], logLevel: 'warn' });
    const config = configFor(KEEP_DAYS);
    await purgeProcess(config); // signs in once; the measured run reuses the session, as every night does
    sim.control.reset('bench');
    const inScope = sim.control.remaining('bench', { to: cutoffFor(KEEP_DAYS, Date.now(), 'UTC') - 1 });
    const measured = await purgeProcess(config);
    const result = measured.summary.results[0];
    if (result.status !== 'ok' || result.deleted !== inScope) throw new Error(`provider purge: ${result.status} ${result.error_kind ?? ''}, deleted ${result.deleted} of ${inScope}`);
    const t = result.details.timings as Record<string, number>;
    const providerMs = (t.count ?? 0) + (t.delete ?? 0) + (t.verify ?? 0);
    const figures: Record<string, number> = {
      recordings_in_scope: inScope,
      provider_purge_ms: Math.round(providerMs),
      provider_count_ms: t.count ?? 0,
      provider_delete_range_ms: t.delete_range ?? 0,
      provider_verify_ms: t.verify ?? 0,
      browser_start_ms: t.browser ?? 0,
      sign_in_with_saved_session_ms: t.sign_in ?? 0,
      whole_cli_purge_ms: measured.wallMs,
      peak_pss_cli_plus_chromium_mb: measured.peakPssMb,
    };
    if (nightly) {
      // The next night: one more day falls out of the window (keep_days one less has the same effect).
      const next = await purgeProcess(configFor(KEEP_DAYS - 1));
      figures.nightly_run_deleted = next.summary.results[0].deleted ?? 0;
      figures.nightly_run_ms = next.wallMs;
      figures.nightly_run_written_kb = next.writtenKb;
      process.stderr.write(`bench: the nightly run wrote ${next.writtenKb} kB (${next.writers || 'nothing'})\n`);
      figures.nightly_run_peak_pss_mb = next.peakPssMb;
    }
    sim.control.reset('bench');
    const floorMs = await floor(sim, join(dir, 'state'), 'bench', cutoffFor(KEEP_DAYS, Date.now(), 'UTC'), 'sequential');
    sim.control.reset('bench');
    figures.floor_http_concurrent_ms = Math.round(await floor(sim, join(dir, 'state'), 'bench', cutoffFor(KEEP_DAYS, Date.now(), 'UTC'), 'concurrent'));
    figures.floor_http_ms = Math.round(floorMs);
    figures.ratio_provider_to_floor = Math.round((providerMs / floorMs) * 100) / 100;
    // The floor as it was measured until December 2026 (through fetch), for comparing with those figures.
    sim.control.reset('bench');
    const fetchFloorMs = await floor(sim, join(dir, 'state'), 'bench', cutoffFor(KEEP_DAYS, Date.now(), 'UTC'), 'sequential', true);
    figures.floor_fetch_ms = Math.round(fetchFloorMs);
    figures.ratio_provider_to_fetch_floor = Math.round((providerMs / fetchFloorMs) * 100) / 100;
    return figures;
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
