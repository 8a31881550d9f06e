// Amazon through a registered app device, end to end: a person signs in once in the daemon's browser (the
// Alexa app's OAuth page), voicewipe registers its device and from then on purges with no password on file,
// minting fresh cookies each run. A removed device, a wrong marketplace and a refused registration each end
// clearly, without loops; signing in twice keeps one device on the account.
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
import { DAY_MS } from '../../src/purge/cutoff.ts';
import { registerOverHttp } from '../helpers/app-device.ts';
import { purgeEnv } from '../helpers/purge.ts';
import { simAccount, testSimulator } from '../helpers/sim-daemon.ts';
import type { PurgeEnv } from '../helpers/purge.ts';
import { waitFor } from '../helpers/daemon.ts';

const sim = await testSimulator(t, 41, [
  simAccount('amazon', 'echo', 'device', { mfa: 'totp', recordings: 200, spanDays: 90 }),
  simAccount('amazon', 'uk', 'device', { marketplace: 'co.uk', recordings: 50, spanDays: 60 }),
]);

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

t.test('signed in once as the Alexa app: purges with no password on file, fresh cookies each night', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'echo', keep_days: 30, withoutPassword: true, withoutTotp: true }]);
  const logs: string[] = [];
  const view = await personSignsIn(t, env, 'echo', 'echo', logs);
  t.equal(view.state, 'signed_in', view.message ?? '');
  const record = new SignInRecords(env.vault).load('echo')!;
  t.equal(record.method, 'app_device');
  t.match(record.device, { serial: /^[0-9A-F]{32}$/, refresh_token: /^Atnr\|/ });
  t.match(sim.appDevices.devices('echo'), [{ serial: record.device!.serial, name: "echo's voicewipe", revoked: false }], 'one device named voicewipe');
  const register = sim.control.requests({ kind: 'amazon.register' });
  t.equal(register.length, 1);
  t.equal(register[0].status, 200, 'the code verifier matched the challenge');
  // Secrets stay in the vault: not in logs, not in the vault files in clear.
  t.notOk(logs.join('').includes(record.device!.refresh_token!), 'the refresh token is never logged');
  const dir = join(env.config.state_dir, 'sessions');
  for (const f of readdirSync(dir)) t.notOk(readFileSync(join(dir, f)).includes('Atnr|'), `${f} is encrypted`);

  sim.control.clearRequests();
  const inScope = older('echo', 30);
  const first = await env.run();
  t.equal(first.status, 'ok', JSON.stringify(first.results[0]));
  t.match(first.results[0], { found: inScope, deleted: inScope, remaining: 0, attempts: 1 });
  t.match(first.results[0].details.notes, ['fresh cookies from the app device']);
  t.equal(sim.control.requests({ kind: 'amazon.exchange' }).length, 1, 'one cookie exchange');
  t.equal(sim.control.requests({ pathPrefix: '/ap/signin' }).length, 0, 'no web sign-in at all');
  t.equal(older('echo', 30), 0);

  // Two weeks later the web cookies would be dead; the app device mints new ones.
  sim.control.advanceClock(15 * DAY_MS);
  sim.control.clearRequests();
  const later = await env.run();
  t.equal(later.status, 'ok', JSON.stringify(later.results[0]));
  t.equal(sim.control.requests({ kind: 'amazon.exchange' }).length, 1);
  t.equal(sim.control.requests({ pathPrefix: '/ap/signin' }).length, 0);
  t.ok(new SignInRecords(env.vault).load('echo')!.renewed_at! >= sim.control.now() - 60_000, 'the renewal time is recorded');
});

t.test('signing in again reuses the device: the account keeps one voicewipe device', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'uk', keep_days: 30, withoutPassword: true }]);
  const serial = await registerOverHttp(sim, env.vault, env.config.accounts[0], 'uk');
  t.equal(sim.appDevices.devices('uk').length, 1);
  // Months later a person signs in again in the daemon's browser: the same device is registered again.
  t.equal((await personSignsIn(t, env, 'uk', 'uk')).state, 'signed_in');
  t.equal(sim.control.requests({ kind: 'amazon.register' }).length, 2, 'registered twice');
  t.equal(sim.appDevices.devices('uk').length, 1, 'still one device on the account');
  t.equal(new SignInRecords(env.vault).load('uk')!.device!.serial, serial, 'same serial');
  const run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
});

