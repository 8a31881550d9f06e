// The Google Assistant/Gemini purge end to end: real Chromium against the simulated My Activity.
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import { cutoffFor } from '../../src/purge/cutoff.ts';
import { personSignsInToGoogle } from '../helpers/google-signin.ts';
import { purgeEnv } from '../helpers/purge.ts';

const sim = await startSimulator({
  seed: 21,
  accounts: [{ id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-google-1', mfa: 'none', recordings: 400, spanDays: 90 }],
});
t.teardown(() => sim.close());
t.setTimeout(600_000); // several real Chromium runs; slower under load
const older = (days: number, product: 'assistant' | 'gemini' = 'assistant') => sim.control.remaining('g', { to: cutoffFor(days, sim.control.now(), 'UTC') - 1, product });

t.beforeEach(() => { sim.control.reset('g'); sim.control.clearRequests(); });

t.test('without a saved session: needs_login, and the sign-in form is never touched by automation', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 30 }]);
  const needs: string[] = [];
  env.events.on('needs_login', (e) => needs.push(e.error_kind));
  const before = sim.control.remaining('g');
  const run = await env.run();
  t.equal(run.status, 'needs_person');
  t.match(run.results[0], { status: 'failed', error_kind: 'needs_login', attempts: 1 });
  t.same(needs, ['needs_login'], 'needs_login event sent');
  t.equal(sim.control.requests({ account: 'g', kind: 'google.signin.page' }).length + sim.control.requests({ kind: 'google.signin.page' }).length, 0, 'no sign-in page was even opened');
  t.equal(sim.control.requests({ pathPrefix: '/v3/signin' }).length, 0, 'no request to the sign-in pages');
  t.equal(sim.control.remaining('g'), before, 'nothing deleted');
});

t.test('after a person signed in: keeps exactly the last 30 days, then a dry run finds nothing', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 30 }]);
  await personSignsInToGoogle(sim, env.config.state_dir, 'g');
  sim.control.clearRequests();
  const assistant = older(30);
  const totalAssistant = sim.control.remaining('g', { product: 'assistant' });
  const gemini = sim.control.remaining('g', { product: 'gemini' });
  t.ok(assistant > 50, `${assistant} Assistant items older than 30 days`);
  const run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.match(run.results[0], { found: assistant, deleted: assistant, remaining: 0 });
  t.equal(older(30), 0, 'nothing older than 30 days left');
  t.equal(sim.control.remaining('g', { product: 'assistant' }), totalAssistant - assistant, 'the last 30 days are all still there');
  t.equal(sim.control.remaining('g', { product: 'gemini' }), gemini, 'Gemini untouched unless asked for');
  t.ok(sim.control.requests({ account: 'g', kind: 'google.rpc.y3VFHd' }).length > 0, 'counted through the page\'s list RPC');
  t.equal(sim.control.requests({ pathPrefix: '/v3/signin' }).length, 0, 'the saved session was enough: no sign-in page');
  const dry = await env.run({ dryRun: true });
  t.match(dry.results[0], { status: 'ok', found: 0 });
});

t.test('include_gemini: Gemini Apps activity is purged too', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 7, include_gemini: true }]);
  await personSignsInToGoogle(sim, env.config.state_dir, 'g');
  const inScope = older(7) + older(7, 'gemini');
  t.ok(older(7, 'gemini') > 0, 'Gemini items in scope');
  const run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.match(run.results[0], { found: inScope, deleted: inScope, remaining: 0 });
  t.equal(older(7) + older(7, 'gemini'), 0);
});

t.test('items still listed after deleting (Google\'s "up to a day") are pending, not failed', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 0 }], { settleMs: 1_000 });
  await personSignsInToGoogle(sim, env.config.state_dir, 'g');
  sim.control.setFaults('g', { eventualConsistencyMs: 60 * 60_000 });
  const total = sim.control.remaining('g');
  const run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  // Deleted means gone: items still listed are pending, not deleted.
  t.match(run.results[0], { status: 'ok', found: total, deleted: 0, remaining: 0, pending: total });
  t.ok((run.results[0].details.notes as string[]).some((n) => /still listed/.test(n)), 'says why');
});

t.test('an identity check or a signed-out session ends needs_login with evidence', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 30 }]);
  await personSignsInToGoogle(sim, env.config.state_dir, 'g');
  sim.control.setFaults('g', { identityCheck: true });
  let run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'needs_login', error_message: /Verify it's you/ });
  t.ok(run.results[0].evidence_dir, 'evidence kept');
  sim.control.clearFaults('g');
  sim.control.expireSessions('g');
  run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'needs_login' });
});
