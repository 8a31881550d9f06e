// Amazon's app-device sign-in when things go wrong: a device removed in the Alexa app, a wrong marketplace, a
// refused registration, and an account never signed in. Each ends clearly, once, without loops.
import t from 'tap';
import type { Test } from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { createLogger } from '../../src/log.ts';
import { PROVIDERS } from '../../src/providers/index.ts';
import { SignInRecords } from '../../src/signin/record.ts';
import { RemoteSignIns } from '../../src/signin/remote.ts';
import { DAY_MS } from '../../src/purge/run.ts';
import { startSimulator } from '../../sim/server.ts';
import { purgeEnv } from '../helpers/purge.ts';
import type { PurgeEnv } from '../helpers/purge.ts';
import { waitFor } from '../helpers/daemon.ts';

const sim = await startSimulator({
  seed: 41,
  accounts: [
    { id: 'echo', vendor: 'amazon', email: 'echo@example.com', password: 'pw-echo-device', mfa: 'totp', recordings: 200, spanDays: 90 },
    { id: 'uk', vendor: 'amazon', email: 'uk@example.co.uk', password: 'pw-uk-device', mfa: 'none', marketplace: 'co.uk', recordings: 50, spanDays: 60 },
  ],
});
t.teardown(() => sim.close());

const older = (id: string, days: number) => sim.control.remaining(id, { to: sim.control.now() - days * DAY_MS - 60_000 });

/** The person signs in on Amazon's page in the daemon's browser; resolves with the sign-in's last state. */
async function personSignsIn(t: Test, env: PurgeEnv, accountId: string, simId: string, logs: string[] = []) {
  const log = createLogger({ level: 'debug', destination: new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } }) });
  const signIns = new RemoteSignIns({ config: env.config, vault: env.vault, log, providers: PROVIDERS, busy: () => false, onSignedIn: () => {}, limits: { checkMs: 200 } });
  t.teardown(() => signIns.closeAll());
  const view = await signIns.start(accountId);
  t.equal(view.state, 'waiting_for_person', view.message ?? '');
  const page = (signIns as unknown as { sessions: Map<string, { page: Page }> }).sessions.get(accountId)!.page;
  const acct = sim.accounts.find((a) => a.id === simId)!;
  t.match(page.url(), /\/ap\/signin\?.*openid\.oa2\.code_challenge_method=S256/, 'the Alexa app\'s OAuth page, with a PKCE challenge');
  await page.locator('#ap_email').fill(acct.email);
  await page.locator('#continue').click();
  await page.locator('#ap_password').fill(acct.password);
  await page.locator('#signInSubmit').click();
  if (acct.mfa === 'totp') {
    await page.locator('#auth-mfa-otpcode').fill(sim.control.codes(simId).totp!);
    await page.locator('#auth-signin-button').click();
  }
  await waitFor('the sign-in to end', () => signIns.view(accountId)?.state !== 'waiting_for_person', 30_000);
  return signIns.view(accountId)!;
}

t.beforeEach(() => {
  for (const id of ['echo', 'uk']) { sim.control.reset(id); sim.appDevices.revoke(id); sim.appDevices.failRegister(id, null); }
  sim.control.clearRequests();
});

t.test('the device removed in the Alexa app: needs_login "sign in again", one exchange, no retries', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true }]);
  t.equal((await personSignsIn(t, env, 'uk', 'uk')).state, 'signed_in');
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
  t.notOk(new SignInRecords(env.vault).load('uk')!.device!.refresh_token, 'the dead token is forgotten; the serial is kept');
  const again = await env.run();
  t.match(again.results[0], { error_kind: 'needs_login', error_message: /never signed in/ });
  t.equal(sim.control.requests({ kind: 'amazon.exchange' }).length, 1, 'the next night does not try the dead token again');

  // With a password on file, the web sign-in takes over and says why.
  const withPassword = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30 }]);
  t.equal((await personSignsIn(t, withPassword, 'uk', 'uk')).state, 'signed_in');
  sim.appDevices.revoke('uk');
  const fallback = await withPassword.run();
  t.equal(fallback.status, 'ok', JSON.stringify(fallback.results[0]));
  t.ok((fallback.results[0].details.notes as string[]).some((n) => /signing in on the web with the password instead/.test(n)));
  t.equal(new SignInRecords(withPassword.vault).load('uk')!.method, 'web');
});

t.test('a wrong marketplace: Amazon refuses the cookies, a clear error, no retries', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true }]);
  t.equal((await personSignsIn(t, env, 'uk', 'uk')).state, 'signed_in');
  // The config now says .de for an account that lives on .co.uk.
  const wrong = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true, marketplace: 'de' }], {}, env.config.state_dir.replace(/\/state$/, ''));
  sim.control.clearRequests();
  const run = await wrong.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'bad_credentials', attempts: 1, error_message: /no cookies for amazon\.de.*marketplace/ });
  t.match(sim.control.requests({ kind: 'amazon.exchange' }), [{ kind: 'amazon.exchange.wrong_domain', status: 400 }]);
  t.equal(sim.control.requests().length, 1);
});

t.test('Amazon refuses the registration: the sign-in fails with the reason, nothing half-saved', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true }]);
  sim.appDevices.failRegister('uk', 'Too many devices registered');
  const view = await personSignsIn(t, env, 'uk', 'uk');
  t.match(view, { state: 'failed', message: /refused to register voicewipe as a device.*Too many devices registered/ });
  t.notOk(new SignInRecords(env.vault).load('uk')?.device?.refresh_token, 'no token kept');
  t.notOk(env.vault.load('uk').state, 'no session kept');
  t.equal(sim.appDevices.devices('uk').length, 0);
});

t.test('never signed in: needs_login with where to sign in, before any network step', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true }]);
  const run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'needs_login', attempts: 1, error_message: /never signed in.*Sign in.*voicewipe login uk/ });
  t.equal(sim.control.requests().length, 0, 'nothing was sent to Amazon');
  t.notOk(run.results[0].details.timings && (run.results[0].details.timings as Record<string, number>).browser, 'no browser was started');
});
