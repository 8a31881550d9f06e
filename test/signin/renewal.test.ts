// Sessions kept fresh: an Amazon web session is renewed with the password shortly before its ~14 days are up,
// and how each account signs in, and when it was last renewed, is recorded for the status API.
import t from 'tap';
import { DAY_MS } from '../../src/purge/cutoff.ts';
import { signInStatus } from '../../src/signin/record.ts';
import { purgeEnv } from '../helpers/purge.ts';
import { simAccount, testSimulator } from '../helpers/sim-daemon.ts';

const sim = await testSimulator(t, 53, [
  simAccount('amazon', 'web', 'renew', { recordings: 40, spanDays: 60 }),
  simAccount('google', 'g', 'renew', { recordings: 10, spanDays: 30 }),
]);
const webSignIns = () => sim.control.requests({ account: 'web', kind: 'amazon.signin.done' }).length;

t.test('an Amazon web session is renewed with the password before it expires', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'web', keep_days: 30 }]);
  const account = env.config.accounts[0];
  t.same(signInStatus(env.config.state_dir, account), { signin_method: 'web', signin_renewed_at: null }, 'before the first run');
  t.equal((await env.run()).status, 'ok');
  t.equal(webSignIns(), 1);
  const first = signInStatus(env.config.state_dir, account);
  t.equal(first.signin_method, 'web');
  t.ok(Math.abs(Date.parse(first.signin_renewed_at!) - sim.control.now()) < 120_000, 'renewed now');

  sim.control.advanceClock(5 * DAY_MS);
  const reused = await env.run();
  t.equal(reused.status, 'ok');
  t.equal(webSignIns(), 1, 'five days on, the saved session is reused');
  t.equal(signInStatus(env.config.state_dir, account).signin_renewed_at, first.signin_renewed_at, 'not renewed');

  // Day 13: the session still works at Amazon, but not for long: sign in afresh while the password can.
  sim.control.advanceClock(8 * DAY_MS);
  const renewed = await env.run();
  t.equal(renewed.status, 'ok', JSON.stringify(renewed.results[0]));
  t.equal(webSignIns(), 2, 'signed in afresh');
  t.ok((renewed.results[0].details.notes as string[]).some((n) => /near its expiry/.test(n)));
  const later = signInStatus(env.config.state_dir, account);
  t.ok(Date.parse(later.signin_renewed_at!) > Date.parse(first.signin_renewed_at!), 'the renewal time moved on');
  t.notOk(JSON.stringify(later).includes('pw-web-renew'));
});

t.test('Google never signed in: needs_login at once; its method is person-only', async (t) => {
  sim.control.clearRequests();
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 30 }]);
  const run = await env.run();
  t.match(run.results[0], { error_kind: 'needs_login', attempts: 1, error_message: /never signed in to Google.*Sign in/ });
  t.equal(sim.control.requests().length, 0, 'no request to Google');
  t.same(signInStatus(env.config.state_dir, env.config.accounts[0]), { signin_method: 'person', signin_renewed_at: null });
});
