// Every simulator fault, one table: the run's result kind is the one a person should see, the run never
// throws (no crash), failures keep their evidence, and an ok run really left nothing older than the cut-off.
import t from 'tap';
import type { Test } from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../sim/server.ts';
import type { SimFaults } from '../../sim/server.ts';
import type { ErrorKind } from '../../src/errors.ts';
import type { RunnerOptions } from '../../src/purge/run.ts';
import { cutoffFor } from '../../src/purge/cutoff.ts';
import { personSignsInToGoogle } from '../helpers/google-signin.ts';
import { purgeEnv } from '../helpers/purge.ts';
import { Figures, FULL } from '../helpers/reliability.ts';
import type { PurgeEnv } from '../helpers/purge.ts';
import type { RunSummary } from '../../src/purge/run.ts';

const figures = new Figures();
figures.announce(t, 'simulator faults');

// Each row has its own simulated account, so the rows run side by side (most of their time is waiting).
const AMAZON = (id: string) => ({ id, vendor: 'amazon' as const, email: `${id}@example.com`, password: `pw-${id}-31`, mfa: 'totp' as const, recordings: 500, spanDays: 120 });
const sim = await startSimulator({ seed: 31, accounts: [] });
t.teardown(() => sim.close());
const CONCURRENCY = 3;
/** Once: each call of t.testdir() starts the directory afresh. */
const ROOT = t.testdir();

interface Row {
  fault: string;
  vendor: 'amazon' | 'google';
  faults?: SimFaults;
  password?: string;
  /** null: the account ends ok. */
  expect: ErrorKind | null;
  options?: RunnerOptions;
  /** Extra checks on the account's result. */
  check?: (t: Test, result: Record<string, unknown>) => void;
}

// Lazy-load stall: the list requests after the first page never answer. Every list request is a bounded step
// (browser.step_timeout_seconds, 10 s here), so the attempt ends `timeout`; timeout is retryable, and each
// retry stalls the same way, so the account ends `timeout` after maxAttempts (bounded, not hung). A stall
// shorter than the step timeout is only slow: ok. The quick suite allows one attempt to save 20 s.
const ROWS: Row[] = [
  { fault: 'latency (150 ms on every request)', vendor: 'amazon', faults: { latencyMs: 150 }, expect: null },
  { fault: 'captcha at the next sign-in', vendor: 'amazon', faults: { captchaNextSignIn: true }, expect: 'captcha' },
  { fault: 'wrong password', vendor: 'amazon', password: 'not-the-password', expect: 'bad_credentials' },
  {
    fault: 'session expires mid-run', vendor: 'amazon', faults: { expireSessionAfter: 3 }, expect: null,
    check: (t, r) => t.ok(((r.details as { notes: string[] }).notes).some((n) => /expired during the run/.test(n)), 'signed in again'),
  },
  { fault: '429 with a long Retry-After', vendor: 'amazon', faults: { rateLimit: { retryAfterSeconds: 3600 } }, expect: 'rate_limited' },
  { fault: '503 once', vendor: 'amazon', faults: { unavailable: { count: 1 } }, expect: null },
  { fault: 'redesign 1 (classes renamed)', vendor: 'amazon', faults: { redesign: 1 }, expect: null },
  { fault: 'redesign 2 (nothing matches)', vendor: 'amazon', faults: { redesign: 2 }, expect: 'page_changed' },
  { fault: 'silent delete', vendor: 'amazon', faults: { silentDelete: true }, expect: 'verification_failed' },
  { fault: 'eventual consistency within the settle time', vendor: 'amazon', faults: { eventualConsistencyMs: 1_500 }, expect: null },
  { fault: 'lazy-load stall (forever)', vendor: 'amazon', faults: { lazyLoadStall: true }, expect: 'timeout', options: FULL ? {} : { maxAttempts: 1 } },
  { fault: 'lazy-load stall (1.5 s per page)', vendor: 'amazon', faults: { lazyLoadStall: 1_500 }, expect: null },
  { fault: 'CSRF token rotation', vendor: 'amazon', faults: { csrfRotation: true }, expect: null },
  { fault: 'Google identity check', vendor: 'google', faults: { identityCheck: true }, expect: 'needs_login' },
];

const olderThan = (id: string, days: number) => sim.control.remaining(id, { to: cutoffFor(days, sim.control.now(), 'UTC') - 1 });

interface Outcome { env: PurgeEnv; account: string; before: number; summary?: RunSummary; error?: unknown; ms: number }

/** One row: its own account (300+ recordings older than 30 days, so a list needs more than one page), fault set, one run. */
async function runRow(row: Row, i: number): Promise<Outcome> {
  const account = `row${i}`;
  if (row.vendor === 'amazon') sim.control.addAccount(AMAZON(account));
  else sim.control.addAccount({ id: account, vendor: 'google', email: `${account}@example.com`, password: `pw-${account}`, mfa: 'none', recordings: 200, spanDays: 90 });
  const env = purgeEnv(t, sim, [{ sim: account, keep_days: 30, ...(row.password ? { password: row.password } : {}) }], row.options, join(ROOT, account));
  if (row.vendor === 'google') await personSignsInToGoogle(sim, env.config.state_dir, account);
  const before = sim.control.remaining(account);
  if (row.faults) sim.control.setFaults(account, row.faults);
  figures.faults_injected++;
  const started = Date.now();
  try {
    return { env, account, before, summary: await env.run(), ms: Date.now() - started };
  } catch (error) {
    return { env, account, before, error, ms: Date.now() - started };
  }
}

const outcomes: Outcome[] = new Array(ROWS.length);
let nextRow = 0;
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (nextRow < ROWS.length) {
    const i = nextRow++;
    outcomes[i] = await runRow(ROWS[i], i);
  }
}));

for (const [i, row] of ROWS.entries()) {
  await t.test(`${row.fault} → ${row.expect ?? 'ok'}`, async (t) => {
    const { env, account, before, summary, error, ms } = outcomes[i];
    t.comment(`run took ${ms} ms`);
    if (!summary) {
      figures.crashes++;
      t.fail(`the run threw instead of recording a result: ${(error as Error).stack}`);
      return;
    }
    const r = summary.results[0];
    const shown = JSON.stringify({ status: r.status, error_kind: r.error_kind, error_message: r.error_message, attempts: r.attempts });
    t.equal(r.error_kind, row.expect, `error kind (${shown})`);
    t.equal(r.status, row.expect ? 'failed' : 'ok', 'status');
    const saved = env.db.prepare('SELECT status, error_kind FROM account_results WHERE run_id = ?').get(summary.run_id);
    t.same(saved, { status: r.status, error_kind: r.error_kind }, 'the result is recorded as returned');
    if (row.expect) {
      t.ok(r.evidence_dir, 'evidence kept for the failure');
      if (r.evidence_dir) {
        const dir = join(env.config.state_dir, r.evidence_dir);
        t.ok(existsSync(join(dir, 'screenshot.png')), 'screenshot');
        t.ok(existsSync(join(dir, 'page.html')), 'page HTML');
      }
      if (row.expect !== 'verification_failed') t.equal(sim.control.remaining(account), before, 'nothing deleted');
    } else {
      t.equal(olderThan(account, 30), 0, 'nothing older than the cut-off left at the vendor');
      t.equal(r.remaining, 0, 'the result says nothing remains');
    }
    row.check?.(t, r as unknown as Record<string, unknown>);
    if (r.error_kind === row.expect) figures.survived++;
  });
}

await t.test('figures', async (t) => {
  t.equal(figures.crashes, 0, 'no run crashed');
  t.equal(figures.survived, ROWS.length, 'every fault ended as expected');
});
figures.report(t);
