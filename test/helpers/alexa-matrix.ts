// The Alexa purge against the simulator's page variants (sim/amazon/variants.ts): one account per case, each
// run through the real PurgeRunner with its own config (the case's time zone), all in one shared Chromium, and
// checked through the simulator's control API, never through the product's own report.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { SessionVault } from '../../src/browser/vault.ts';
import { openDatabase } from '../../src/db/open.ts';
import { createLogger } from '../../src/log.ts';
import { PROVIDERS } from '../../src/providers/index.ts';
import type { AccountResult } from '../../src/purge/events.ts';
import { checkSites, formatSiteChecks } from '../../src/purge/check-site.ts';
import type { SiteCheck } from '../../src/purge/check-site.ts';
import type { RunnerOptions } from '../../src/purge/run.ts';
import { DEFAULT_VARIANT } from '../../sim/server.ts';
import type { SimFaults, Simulator, VariantCase } from '../../sim/server.ts';
import { resolveVariant } from '../../sim/amazon/variants.ts';
import type { SimAccountOptions } from '../../sim/state.ts';
import { TEST_RUNNER, loadSimConfig, testPurge } from './purge.ts';
import { sharedBrowser } from './shared-browser.ts';

// One Chromium for every case of a test file (kept here for the files that import it from this helper).
export { sharedBrowser } from './shared-browser.ts';

/** The main suite's sample (sampledVariants): the fewest cases that still show every value of every dimension
 *  (the sampler covers each value first, then pairs of values; the pairs are the reliability suite's). */
export const MATRIX_SAMPLE = 10;

/** The sample in two halves, one per test file, so the two run side by side (tap runs three files at a time, package.json). */
export function firstHalf<T>(cases: T[]): T[] { return cases.slice(0, Math.ceil(cases.length / 2)); }
export function secondHalf<T>(cases: T[]): T[] { return cases.slice(Math.ceil(cases.length / 2)); }

/** A case on the default page form in London, for tests of one behaviour rather than of the page's forms. */
export function londonCase(name: string, variant: VariantCase['variant'] = {}, marketplace = 'com'): VariantCase {
  return { name, marketplace, timeZone: 'Europe/London', variant, signin: { style: 'email-first', emailField: 'ap_email' } };
}

/** Faults given to an account during its run: `MatrixEnv.run` resets the account (its faults too) first, so a test
 *  arms them here and they are set at the account's first request, or at the first one `when` accepts. Give
 *  `onRequest` to startSimulator, then `attach` the simulator. */
export class FaultArming {
  private sim: Simulator | undefined;
  private armed: { account: string; faults: SimFaults; when?: (line: string) => boolean } | undefined;

  attach(sim: Simulator): void { this.sim = sim; }
  arm(account: string, faults: SimFaults, when?: (line: string) => boolean): void { this.armed = { account, faults, when }; }
  /** Armed and not yet set. */
  get pending(): boolean { return this.armed !== undefined; }

  readonly onRequest = (line: string): void => {
    const a = this.armed;
    if (!a || !this.sim || !line.includes(`[${a.account}]`) || (a.when && !a.when(line))) return;
    this.sim.control.setFaults(a.account, a.faults);
    this.armed = undefined;
  };
}

/** What a case shows, one `dimension=value` each: the page's form, where and when, the sign-in form. */
export function valuesOf(c: VariantCase): string[] {
  const v = { ...DEFAULT_VARIANT, ...c.variant };
  return [
    ...Object.entries(v).filter(([k]) => k !== 'dateOrder' && k !== 'language').map(([k, x]) => `${k}=${x}`),
    `dateOrder=${resolveVariant(v, c.marketplace).dateOrder}`, `marketplace=${c.marketplace}`, `timeZone=${c.timeZone}`,
    `signin.style=${c.signin.style}`, `signin.emailField=${c.signin.emailField}`,
  ];
}

/** The start of the local day `keepDays` before the day of `now` in `timeZone` (keep_days 0: `now` itself),
 *  computed here with Intl, independently of the product. */
export function expectedCutoff(keepDays: number, now: number, timeZone: string): number {
  if (keepDays === 0) return now;
  const parts = (t: number) => Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(t).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
  const today = parts(now);
  const wanted = Date.UTC(today.year, today.month - 1, today.day - keepDays);
  // The instant whose local wall time is 00:00 of that date: correct by the zone's offset, twice for DST days.
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const p = parts(guess);
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wanted - wall;
  }
  return guess;
}

export interface CaseOutcome {
  result: AccountResult;
  cutoff: number;
  /** Seeded before the run: in scope (before the cut-off) and kept (at or after it). */
  before: { inScope: number; kept: number };
  after: { inScope: number; kept: number };
  /** Recordings at or after the cut-off that a delete request removed (the simulator's own log). */
  deletedKept: number;
  /** `check-site` run on the account just before the purge, and what the simulator saw deleted by it. */
  check?: SiteCheck;
  deletedByCheck?: number;
}

export interface MatrixEnv {
  /** Adds the simulator account of a case (idempotent), resets its recordings, runs one purge, reports. */
  run(c: VariantCase, opts: { id: string; keepDays: number; recordings?: number; spanDays?: number; dryRun?: boolean; checkSite?: boolean }): Promise<CaseOutcome>;
}

export function matrixEnv(t: Test, sim: Simulator, options: RunnerOptions = {}): MatrixEnv {
  const launch = sharedBrowser(t);
  const base = t.testdir();
  const added = new Set<string>();
  let n = 0;
  return {
    async run(c, opts) {
      const account: SimAccountOptions = {
        id: opts.id, vendor: 'amazon', email: `${opts.id}@example.com`, password: `pw-${opts.id}`, mfa: n % 2 === 0 ? 'totp' : 'none',
        marketplace: c.marketplace, recordings: opts.recordings ?? 40, spanDays: opts.spanDays ?? 20, variant: c.variant,
      };
      if (!added.has(opts.id)) { sim.control.addAccount(account); added.add(opts.id); }
      sim.control.reset(opts.id, { recordings: account.recordings, spanDays: account.spanDays });
      sim.control.setVariant(opts.id, c.variant);
      sim.control.setSignin(c.signin);
      n++;
      const dir = join(base, `${opts.id}-${n}`);
      const { config } = loadSimConfig(sim, { dir, accounts: [{ sim: opts.id, keep_days: opts.keepDays }], timezone: c.timeZone, stepTimeoutSeconds: 15, logLevel: 'warn' });
      const log = createLogger({ level: 'warn', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
      const { db } = openDatabase(join(config.state_dir, 'voicewipe.db'));
      try {
        const { runner } = testPurge(config, db, log, { ...TEST_RUNNER, ...options }, () => sim.control.now(), launch);
        let check: SiteCheck | undefined;
        let deletedByCheck: number | undefined;
        if (opts.checkSite) {
          // The walk signs in and saves the session; the purge after it reuses that session.
          [check] = await checkSites({ config, log, vault: new SessionVault(config.state_dir), providers: PROVIDERS, launch }, config.accounts[0].id);
          deletedByCheck = sim.control.deletedLog(opts.id).length;
        }
        const startedAt = sim.control.now();
        let cutoff = expectedCutoff(opts.keepDays, startedAt, c.timeZone);
        const count = (from: number, to: number) => sim.control.remaining(opts.id, { from, to });
        const before = { inScope: count(-Infinity, cutoff - 1), kept: count(cutoff, Infinity) };
        const summary = await runner.start({ trigger: 'cli', dryRun: opts.dryRun }).done;
        const result = summary.results[0];
        // keep_days 0: the cut-off is the run's own start, a moment after ours.
        const ran = new Date(String(result.details.cutoff)).getTime();
        if (opts.keepDays === 0 && ran >= startedAt && ran <= sim.control.now()) cutoff = ran;
        return {
          result, cutoff, before,
          after: { inScope: count(-Infinity, cutoff - 1), kept: count(cutoff, Infinity) },
          deletedKept: sim.control.deletedLog(opts.id, { from: cutoff }).length,
          check, deletedByCheck,
        };
      } finally {
        db.close();
      }
    },
  };
}

/** The case's keep_days: 7, 0, 3, 10 in turn, except that a page whose dates are not plain text fields (a
 *  calendar, `<input type=date>`) always gets a range to set: keep_days 0 (All History) would set no date there. */
export function keepDaysFor(c: VariantCase, i: number): number {
  const days = [7, 0, 3, 10][i % 4];
  const dateInput = c.variant.dateInput ?? DEFAULT_VARIANT.dateInput;
  return days === 0 && dateInput !== 'text' ? 5 : days;
}

/** One case: the purge must succeed, count what the simulator holds before the cut-off, leave nothing there and
 *  delete nothing at or after it. */
export async function checkCase(t: Test, env: MatrixEnv, c: VariantCase, i: number, keepDays = keepDaysFor(c, i)): Promise<void> {
  // Per-item deletes (a page without a range delete) are slow by nature: fewer recordings there.
  const perItem = c.variant.rangeDelete === 'none';
  const out = await env.run(c, { id: `m${i}`, keepDays, recordings: perItem ? 20 : 40, spanDays: 20, checkSite: true });
  const r = out.result;
  const check = out.check!;
  t.ok(check.ok, `${c.name}: check-site finds every locator: ${check.error_kind ?? ''} ${check.message ?? ''}\n${formatSiteChecks([check])}`);
  t.notOk(check.locators.some((l) => l.matched === 'none'), `${c.name}: check-site: no locator missing`);
  t.ok(check.locators.some((l) => /^rvh\.(confirm|delete_one)$/.test(l.name) && /^(class|role|text)#/.test(l.matched)), `${c.name}: check-site reached the delete control`);
  t.same(check.delete_requests, [], `${c.name}: check-site sent no delete request`);
  t.equal(out.deletedByCheck, 0, `${c.name}: check-site deleted nothing (the simulator's log)`);
  t.equal(r.status, 'ok', `${c.name} keep_days ${keepDays}: ${r.error_kind ?? ''} ${r.error_message ?? ''} ${JSON.stringify(r.details.notes ?? [])} ${JSON.stringify(r.details.timings ?? {})}`);
  t.ok(out.before.inScope > 0, `${c.name}: ${out.before.inScope} recordings before the cut-off seeded`);
  // The count, through whichever list call the page makes (classic: recordKey; Review Alexa History: activityKey,
  // else type + time + device), is what the simulator holds: every record once, none missed.
  t.equal(r.found, out.before.inScope, `${c.name}: counted every recording before the cut-off`);
  t.equal(r.found_exact, true, `${c.name}: an exact count`);
  t.equal(out.after.inScope, 0, `${c.name}: nothing before the cut-off left`);
  t.equal(out.deletedKept, 0, `${c.name}: no recording at or after the cut-off was deleted`);
  t.equal(out.after.kept, out.before.kept, `${c.name}: all ${out.before.kept} recordings at or after the cut-off kept`);
  t.equal(new Date(String(r.details.cutoff)).getTime(), out.cutoff, `${c.name}: the run's cut-off is the start of the local day (or the run)`);
}

