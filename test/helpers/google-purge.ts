// What the Google purge tests share: a simulator with a small multi-product Google account, a person's saved
// sign-in, and the proof of scope read from the simulator's control API (never from the run's own report).
import type { Test } from 'tap';
import { startSimulator } from '../../sim/server.ts';
import type { Simulator, SimFaults } from '../../sim/server.ts';
import { cutoffFor } from '../../src/purge/cutoff.ts';
import type { RunnerOptions } from '../../src/purge/run.ts';
import { personSignsInToGoogle } from './google-signin.ts';
import { purgeEnv } from './purge.ts';
import type { PurgeEnv } from './purge.ts';

export const OTHER_PRODUCTS = ['search', 'youtube', 'maps'] as const;

export async function googleSim(t: Test, seed: number, recordings = 160, spanDays = 40): Promise<Simulator> {
  const sim = await startSimulator({ seed, accounts: [{ id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-g', mfa: 'none', recordings, spanDays }] });
  t.teardown(() => sim.close());
  return sim;
}

/** A runner for account `g` with a person's saved Google sign-in; the account reset and given `faults`. */
export async function signedInEnv(t: Test, sim: Simulator,
  o: { keep_days: number; include_gemini?: boolean; faults?: SimFaults; options?: RunnerOptions; dir?: string }): Promise<PurgeEnv> {
  sim.control.reset('g');
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: o.keep_days, include_gemini: o.include_gemini }], o.options, o.dir);
  await personSignsInToGoogle(sim, env.config.state_dir, 'g');
  sim.control.setFaults('g', o.faults ?? {});
  sim.control.clearRequests();
  return env;
}

/** The run's cut-off as the runner computes it (UTC config, whole days). */
export function cutoffOf(sim: Simulator, keepDays: number): number {
  return cutoffFor(keepDays, sim.control.now(), 'UTC');
}

/** What the simulator says was deleted: per product, and Assistant's split at the cut-off. */
export function deletions(sim: Simulator, cutoff: number): { others: number; gemini: number; assistantKept: number; assistantOld: number; assistantOldLeft: number } {
  const a = sim.control.activity('g');
  return {
    others: OTHER_PRODUCTS.reduce((n, p) => n + a[p].deleted, 0),
    gemini: a.gemini.deleted,
    assistantKept: sim.control.deleted('g', { from: cutoff }),
    assistantOld: sim.control.deleted('g', { to: cutoff - 1 }),
    assistantOldLeft: sim.control.remaining('g', { to: cutoff - 1 }),
  };
}

/** Nothing of any product deleted: the check after every refusal. */
export function nothingDeleted(t: Test, sim: Simulator, what: string): void {
  const a = sim.control.activity('g');
  t.same(Object.fromEntries(Object.entries(a).map(([p, x]) => [p, x.deleted])), { assistant: 0, gemini: 0, search: 0, youtube: 0, maps: 0 }, `${what}: nothing of any product deleted`);
}

/** The run's notes include one matching `re`. */
export function hasNote(t: Test, result: { details: Record<string, unknown> }, re: RegExp): void {
  const notes = (result.details.notes ?? []) as string[];
  t.ok(notes.some((n) => re.test(n)), `a note matches ${re}`, { notes });
}
