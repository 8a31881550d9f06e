// The purge of Alexa accounts end to end: real Chromium, the simulator, the real SQLite recorder.
import t from 'tap';
import { existsSync, readdirSync, } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../sim/server.ts';
import { readEvidence } from '../../src/browser/evidence.ts';
import { DAY_MS, cutoffFor } from '../../src/purge/cutoff.ts';
import { purgeEnv } from '../helpers/purge.ts';

// Six real purges in Chromium: generous for a loaded machine.
t.setTimeout(400_000);

const sim = await startSimulator({
  seed: 11,
  accounts: [
    { id: 'totp', vendor: 'amazon', email: 'totp@example.com', password: 'pw-totp-1', mfa: 'totp', recordings: 600, spanDays: 120 },
    { id: 'plain', vendor: 'amazon', email: 'plain@example.com', password: 'pw-plain-1', mfa: 'none', marketplace: 'co.uk', recordings: 300, spanDays: 90, passkeyNudge: true },
    { id: 'sms', vendor: 'amazon', email: 'sms@example.com', password: 'pw-sms-1', mfa: 'sms', recordings: 50, spanDays: 60 },
    // The late-2026 verification page: /ap/cvf with a code sent by e-mail.
    { id: 'mail', vendor: 'amazon', email: 'mail@example.com', password: 'pw-mail-1', mfa: 'email', recordings: 50, spanDays: 60 },
  ],
});
t.teardown(() => sim.close());

const older = (id: string, days: number) => sim.control.remaining(id, { to: cutoffFor(days, sim.control.now(), 'UTC') - 1 });
const signIns = (id: string) => sim.control.requests({ account: id, kind: 'amazon.signin.done' }).length;

t.beforeEach(() => {
  for (const id of ['totp', 'plain', 'sms', 'mail']) sim.control.reset(id);
  sim.control.clearRequests();
});

t.test('keep_days 30 leaves exactly the last 30 days; the next night reuses the session', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'totp', keep_days: 30 }]);
  const total = sim.control.remaining('totp');
  const inScope = sim.control.remaining('totp', { to: cutoffFor(30, sim.control.now(), 'UTC') - 1 });
  t.ok(inScope > 100, `${inScope} recordings older than 30 days seeded`);
  const first = await env.run();
  t.equal(first.status, 'ok', JSON.stringify(first.results[0]));
  const r = first.results[0];
  t.equal(r.found, inScope);
  t.equal(r.deleted, inScope);
  t.equal(r.remaining, 0);
  t.equal(older('totp', 30), 0, 'nothing older than 30 days left at the vendor');
  t.equal(sim.control.remaining('totp'), total - inScope, 'the last 30 days are all still there');
  t.equal(signIns('totp'), 1, 'signed in once (password + TOTP code)');
  t.ok(r.details.delete_requests && (r.details.delete_requests as unknown[]).length > 0, 'the delete request the page sent is recorded');
  t.match((r.details.delete_requests as { path: string }[])[0], { method: 'POST', path: sim.deletePath, status: 200 });

  const row = env.db.prepare('SELECT * FROM account_results WHERE run_id = ?').get(first.run_id) as Record<string, unknown>;
  t.match(row, { status: 'ok', found: inScope, deleted: inScope, remaining: 0, error_kind: null });
  t.match(env.db.prepare('SELECT * FROM accounts WHERE id = ?').get('totp'), { total_deleted: inScope, last_status: 'ok' });

  sim.control.advanceClock(DAY_MS);
  const second = await env.run();
  t.equal(second.status, 'ok');
  t.equal(signIns('totp'), 1, 'the second night reuses the saved session: no new sign-in');
  t.match(second.results[0].details.notes, ['signed in with the saved session']);
  t.equal(older('totp', 30), 0);
});

t.test('keep_days 0 deletes everything; a dry run deletes nothing and counts', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'plain', keep_days: 0 }]);
  const total = sim.control.remaining('plain');
  const dry = await env.run({ dryRun: true });
  t.equal(dry.status, 'ok');
  t.match(dry.results[0], { found: total, deleted: 0, remaining: total });
  t.equal(sim.control.remaining('plain'), total, 'a dry run deleted nothing');
  t.equal(sim.control.requests({ account: 'plain', kind: 'amazon.delete' }).length, 0, 'no delete request sent');
  t.match(env.db.prepare('SELECT total_deleted FROM accounts WHERE id = ?').get('plain') ?? { total_deleted: 0 }, { total_deleted: 0 });

  const real = await env.run();
  t.equal(real.status, 'ok', JSON.stringify(real.results[0]));
  t.match(real.results[0], { found: total, deleted: total, remaining: 0 });
  t.equal(sim.control.remaining('plain'), 0, 'keep_days 0 leaves nothing');
  t.ok(real.results[0].details.notes, 'passkey nudge handled');
});

t.test('a person is needed: captcha, SMS code, e-mailed code, wrong password', async (t) => {
  sim.control.setFaults('totp', { captchaNextSignIn: true });
  const env = purgeEnv(t, sim, [{ sim: 'totp', keep_days: 30 }, { sim: 'sms', keep_days: 30 }, { sim: 'mail', keep_days: 30 }, { sim: 'plain', keep_days: 30, password: 'wrong-password' }]);
  const needs: string[] = [];
  env.events.on('needs_login', (e) => needs.push(`${e.account_id}:${e.error_kind}`));
  const remaining = () => ({ totp: sim.control.remaining('totp'), sms: sim.control.remaining('sms'), mail: sim.control.remaining('mail'), plain: sim.control.remaining('plain') });
  const total = remaining();
  const run = await env.run();
  const by = Object.fromEntries(run.results.map((r) => [r.account_id, r]));
  t.match(by.totp, { status: 'failed', error_kind: 'captcha', attempts: 1 });
  t.match(by.sms, { status: 'failed', error_kind: 'mfa_required', attempts: 1 });
  t.match(by.mail, { status: 'failed', error_kind: 'mfa_required', attempts: 1 });
  t.match(by.mail.error_message, /verification code by e-mail/);
  t.equal(sim.control.requests({ account: 'mail' }).filter((r) => r.path.startsWith('/ap/cvf/verify')).length, 0, 'no code was guessed on /ap/cvf');
  t.match(by.plain, { status: 'failed', error_kind: 'bad_credentials', attempts: 1 });
  t.equal(run.status, 'needs_person');
  t.same(needs.sort(), ['mail:mfa_required', 'plain:bad_credentials', 'sms:mfa_required', 'totp:captcha']);
  t.same(remaining(), total, 'nothing deleted');
  t.equal(sim.control.requests({ account: 'plain', kind: 'amazon.signin.bad_password' }).length, 1, 'the wrong password was tried once, not in a loop');
  for (const r of run.results) {
    t.ok(r.evidence_dir, `${r.account_id}: evidence kept`);
    const dir = join(env.config.state_dir, r.evidence_dir!);
    t.ok(existsSync(join(dir, 'screenshot.png')), `${r.account_id}: screenshot`);
    t.ok(existsSync(join(dir, 'page.html')), `${r.account_id}: page html`);
  }
  t.notOk(existsSync(join(env.config.state_dir, 'sessions', 'plain.session')), 'no session kept for bad credentials');
});

t.test('vendor faults: 503 then recovery, 429 with Retry-After, expired session mid-run', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'totp', keep_days: 30 }]);
  // 503 on the first two requests: the first attempt fails, a retry recovers.
  sim.control.setFaults('totp', { unavailable: { count: 2 } });
  let run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.ok(run.results[0].attempts >= 2, `recovered after ${run.results[0].attempts} attempts`);
  t.equal(older('totp', 30), 0);

  // 429 with a short Retry-After: honoured, then the purge goes on.
  sim.control.reset('totp');
  sim.control.setFaults('totp', { rateLimit: { count: 1, retryAfterSeconds: 1 } });
  const started = Date.now();
  run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.ok(Date.now() - started >= 1000, 'waited for Retry-After');
  t.equal(older('totp', 30), 0);

  // 429 asking for an hour: give up until the next run, with the right kind.
  sim.control.reset('totp');
  sim.control.setFaults('totp', { rateLimit: { retryAfterSeconds: 3600 } });
  run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'rate_limited', attempts: 1 });
  sim.control.clearFaults('totp');

  // The session dies in the middle of the listing: sign in again once and finish.
  sim.control.reset('totp');
  sim.control.setFaults('totp', { expireSessionAfter: 3 });
  run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.ok((run.results[0].details.notes as string[]).some((n) => /expired during the run/.test(n)), 'noted the re-sign-in');
  t.equal(older('totp', 30), 0);
});

t.test('deletes that do not stick: silent no-op fails verification, eventual consistency succeeds', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'plain', keep_days: 30 }]);
  const inScope = older('plain', 30);
  sim.control.setFaults('plain', { silentDelete: true });
  let run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'verification_failed', found: inScope, remaining: inScope, deleted: 0 });
  t.ok(run.results[0].evidence_dir, 'evidence for a verification failure');

  sim.control.reset('plain');
  sim.control.setFaults('plain', { eventualConsistencyMs: 1_500 });
  run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.match(run.results[0], { found: inScope, deleted: inScope, remaining: 0 });
});

t.test('a redesigned page: renamed classes still work through fallbacks; a new page is page_changed', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'plain', keep_days: 30 }]);
  sim.control.setFaults('plain', { redesign: 1 });
  let run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.equal(older('plain', 30), 0);
  t.match((run.results[0].details.locators as Record<string, string>)['rvh.filter_open'], /^role/, 'the fallback that matched is recorded');

  sim.control.reset('plain');
  sim.control.setFaults('plain', { redesign: 2 });
  const before = sim.control.remaining('plain');
  run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'page_changed' });
  t.equal(sim.control.remaining('plain'), before, 'nothing deleted on a page we do not know');
  const dir = join(env.config.state_dir, run.results[0].evidence_dir!);
  t.same(readdirSync(dir).sort(), ['page.html', 'screenshot.png']);
  const html = readEvidence(env.config.state_dir, run.run_id, run.results[0].account_id, 'page.html').toString('utf8');
  t.match(html, /Review Voice History|<body/, 'the page, decrypted');
  t.notMatch(html, /anti-csrftoken-a2z/, 'CSRF token stripped (no meta kept)');
});
