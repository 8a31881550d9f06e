// Amazon's app-device sign-in when things go wrong: a device removed in the Alexa app, a wrong marketplace, a
// refused registration, and an account never signed in. Each ends clearly, once, without loops.
import t from 'tap';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { createLogger } from '../../src/log.ts';
import { PROVIDERS } from '../../src/providers/index.ts';
import { SignInRecords } from '../../src/signin/record.ts';
import { RemoteSignIns } from '../../src/signin/remote.ts';
import { startSimulator } from '../../sim/server.ts';
import { registerOverHttp } from '../helpers/app-device.ts';
import { purgeEnv } from '../helpers/purge.ts';
import { waitFor } from '../helpers/daemon.ts';

const sim = await startSimulator({
  seed: 43,
  accounts: [{ id: 'uk', vendor: 'amazon', email: 'uk@example.co.uk', password: 'pw-uk-device', mfa: 'none', marketplace: 'co.uk', recordings: 50, spanDays: 60 }],
});
t.teardown(() => sim.close());

t.beforeEach(() => {
  sim.control.reset('uk');
  sim.appDevices.revoke('uk');
  sim.appDevices.failRegister('uk', null);
  sim.control.clearRequests();
});

t.test('the device removed in the Alexa app: needs_login "sign in again", one exchange, no retries', async (t) => {
  const dir = t.testdir();
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true }], {}, dir);
  await registerOverHttp(sim, env.vault, env.config.accounts[0], 'uk');
  const ok = await env.run();
  t.equal(ok.status, 'ok', JSON.stringify(ok.results[0]));
  sim.appDevices.revoke('uk');
  sim.control.clearRequests();
  const needs: string[] = [];
  env.events.on('needs_login', (e) => needs.push(e.message));
  const run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'needs_login', attempts: 1, error_message: /removed in the Alexa app.*sign in again/ });
  t.equal(run.status, 'needs_person');
  t.equal(sim.control.requests({ kind: 'amazon.exchange' }).length, 1, 'the dead token was tried once');
  t.equal(sim.control.requests().length, 1, 'and nothing else was sent');
  t.equal(needs.length, 1);
  const record = new SignInRecords(env.vault).load('uk')!;
  t.notOk(record.device!.refresh_token, 'the dead token is forgotten');
  t.ok(record.device!.serial, 'the serial is kept for the next registration');
  const again = await env.run();
  t.match(again.results[0], { error_kind: 'needs_login', error_message: /never signed in/ });
  t.equal(sim.control.requests({ kind: 'amazon.exchange' }).length, 1, 'the next night does not try the dead token again');

  // With a password on file, the web sign-in takes over and says why.
  const withPassword = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30 }], {}, dir);
  await registerOverHttp(sim, withPassword.vault, withPassword.config.accounts[0], 'uk');
  t.equal(sim.appDevices.devices('uk').length, 1, 'registered again on the same device');
  sim.appDevices.revoke('uk');
  const fallback = await withPassword.run();
  t.equal(fallback.status, 'ok', JSON.stringify(fallback.results[0]));
  t.ok((fallback.results[0].details.notes as string[]).some((n) => /signing in on the web with the password instead/.test(n)));
  t.equal(new SignInRecords(withPassword.vault).load('uk')!.method, 'web');
});

t.test('a wrong marketplace: Amazon refuses the cookies, a clear error, no retries', async (t) => {
  const dir = t.testdir();
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true, marketplace: 'de' }], {}, dir);
  // Registered for the right marketplace; the config then says .de for an account that lives on .co.uk.
  await registerOverHttp(sim, env.vault, { ...env.config.accounts[0], marketplace: 'co.uk' }, 'uk');
  sim.control.clearRequests();
  const run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'bad_credentials', attempts: 1, error_message: /no cookies for amazon\.de.*marketplace/ });
  t.match(sim.control.requests(), [{ kind: 'amazon.exchange.wrong_domain', status: 400 }]);
  t.equal(sim.control.requests().length, 1, 'one request, no retries');
});

t.test('Amazon refuses the registration: the sign-in fails with the reason, nothing half-saved', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true }]);
  sim.appDevices.failRegister('uk', 'Too many devices registered');
  const log = createLogger({ level: 'fatal', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
  const signIns = new RemoteSignIns({ config: env.config, vault: env.vault, log, providers: PROVIDERS, busy: () => false, onSignedIn: () => {}, limits: { checkMs: 200 } });
  t.teardown(() => signIns.closeAll());
  await signIns.start('uk');
  const page = (signIns as unknown as { sessions: Map<string, { page: Page }> }).sessions.get('uk')!.page;
  await page.locator('#ap_email').fill('uk@example.co.uk');
  await page.locator('#continue').click();
  await page.locator('#ap_password').fill('pw-uk-device');
  await page.locator('#signInSubmit').click();
  await waitFor('the sign-in to end', () => signIns.view('uk')?.state !== 'waiting_for_person', 30_000);
  t.match(signIns.view('uk'), { state: 'failed', message: /refused to register voicewipe as a device.*Too many devices registered/ });
  t.notOk(new SignInRecords(env.vault).load('uk')?.device?.refresh_token, 'no token kept');
  t.notOk(env.vault.load('uk').state, 'no session kept');
  t.equal(sim.appDevices.devices('uk').filter((d) => !d.revoked).length, 0, 'no device added to the account');
  t.match(sim.control.requests({ kind: 'amazon.register' }), [{ kind: 'amazon.register.refused', status: 400 }]);
  // The browser goes (and its profile with it) before the test's folder does.
  await signIns.closeAll();
});

t.test('never signed in: needs_login with where to sign in, before any network step', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true }]);
  const run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'needs_login', attempts: 1, error_message: /never signed in.*Sign in.*voicewipe login uk/ });
  t.equal(sim.control.requests().length, 0, 'nothing was sent to Amazon');
  t.same(run.results[0].details.timings, {}, 'no browser was started');
});
