// A person signs in through the daemon's browser: the screencast shows the page, clicks and typing go through,
// and the signed-in state lands in the vault. The person here is the test: it reads the picture's layout (the
// field's box), clicks there, types, and reads the captcha the way a person would (from the simulator).
import t from 'tap';
import type { Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { createLogger } from '../../src/log.ts';
import { PROVIDERS } from '../../src/providers/index.ts';
import { RemoteSignIns } from '../../src/signin/remote.ts';
import { startSimulator } from '../../sim/server.ts';
import { purgeEnv } from '../helpers/purge.ts';
import { waitFor } from '../helpers/daemon.ts';
import { cutoffFor } from '../../src/purge/cutoff.ts';

const sim = await startSimulator({
  seed: 31,
  accounts: [
    { id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-google-remote', mfa: 'none', recordings: 200, spanDays: 60 },
    { id: 'a', vendor: 'amazon', email: 'a@example.com', password: 'pw-amazon-remote', mfa: 'none', recordings: 100, spanDays: 60, faults: { captchaNextSignIn: true } },
  ],
});
t.teardown(() => sim.close());
// Each sign-in starts a full Chromium process and a purge follows: more than the default two minutes on a busy machine.
t.setTimeout(300_000);

function manager(t: Test, env: ReturnType<typeof purgeEnv>, logs: string[], signedIn: string[]) {
  const log = createLogger({ level: 'debug', destination: new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } }) });
  const signIns = new RemoteSignIns({
    config: env.config, vault: env.vault, log, providers: PROVIDERS, busy: () => false,
    onSignedIn: (id) => signedIn.push(id), limits: { checkMs: 200 },
  });
  t.teardown(() => signIns.closeAll());
  return signIns;
}

/** What the person sees is the picture; where a field is on it is what their eyes tell them. */
function pageOf(signIns: RemoteSignIns, id: string): Page {
  return (signIns as unknown as { sessions: Map<string, { page: Page }> }).sessions.get(id)!.page;
}
async function clickOn(signIns: RemoteSignIns, id: string, selector: string): Promise<void> {
  const box = (await pageOf(signIns, id).locator(selector).boundingBox())!;
  await signIns.input(id, { type: 'click', x: (box.x + box.width / 2) / 1280, y: (box.y + box.height / 2) / 900 });
}

t.test('Google: the person types the credentials into the streamed view; the next purge uses the session', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 30 }]);
  const logs: string[] = [];
  const signedIn: string[] = [];
  const signIns = manager(t, env, logs, signedIn);
  const view = await signIns.start('g');
  t.equal(view.state, 'waiting_for_person');
  await waitFor('a first frame', () => (signIns.frame('g')?.length ?? 0) > 1000);
  t.equal(signIns.frame('g')!.subarray(0, 2).toString('hex'), 'ffd8', 'frames are JPEG pictures');
  await waitFor('the identifier field', async () => (await pageOf(signIns, 'g').locator('#identifierId').count()) > 0);
  t.equal(await pageOf(signIns, 'g').locator('#identifierId').inputValue(), 'g@example.com', 'the e-mail is filled in already');
  await clickOn(signIns, 'g', '#identifierId');
  await signIns.input('g', { type: 'key', key: 'Enter' });
  await waitFor('the password field', async () => (await pageOf(signIns, 'g').locator('#password').count()) > 0);
  await clickOn(signIns, 'g', '#password');
  await signIns.input('g', { type: 'type', text: 'pw-google-remote' });
  await signIns.input('g', { type: 'key', key: 'Enter' });
  await waitFor('the sign-in to be recognised', () => signIns.view('g')?.state === 'signed_in', 20_000);
  t.same(signedIn, ['g'], 'the daemon is told (it purges the account next)');
  t.ok(env.vault.load('g').state, 'the session is in the vault');
  t.equal(signIns.frame('g'), undefined, 'the browser is closed, no picture kept');
  t.notOk(logs.join('').includes('pw-google-remote'), 'nothing typed is logged');
  await t.rejects(signIns.input('g', { type: 'key', key: 'Enter' }), /no sign-in is open/);

  const inScope = sim.control.remaining('g', { to: cutoffFor(30, sim.control.now(), 'UTC') - 1 });
  const run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.match(run.results[0], { found: inScope, deleted: inScope, remaining: 0 });
});

t.test('Amazon stuck on a captcha: the person solves it, the account becomes healthy', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'a', keep_days: 30 }]);
  const first = await env.run();
  t.match(first.results[0], { error_kind: 'captcha' }, 'automation stops at the captcha');
  const logs: string[] = [];
  const signedIn: string[] = [];
  const signIns = manager(t, env, logs, signedIn);
  await signIns.start('a');
  const page = () => pageOf(signIns, 'a');
  await waitFor('the e-mail field', async () => (await page().locator('#ap_email').count()) > 0);
  t.equal(await page().locator('#ap_email').inputValue(), 'a@example.com', 'the e-mail is filled in already');
  await clickOn(signIns, 'a', '#ap_email');
  await signIns.input('a', { type: 'key', key: 'Enter' });
  await waitFor('the password field', async () => (await page().locator('#ap_password').count()) > 0);
  await clickOn(signIns, 'a', '#ap_password');
  await signIns.input('a', { type: 'type', text: 'pw-amazon-remote' });
  await signIns.input('a', { type: 'key', key: 'Enter' });
  await waitFor('the captcha', async () => (await page().locator('#captchacharacters').count()) > 0);
  const { captcha } = sim.control.codes('a');
  t.ok(captcha, 'the person reads the characters in the picture');
  await clickOn(signIns, 'a', '#captchacharacters');
  await signIns.input('a', { type: 'type', text: captcha! });
  await signIns.input('a', { type: 'key', key: 'Enter' });
  await waitFor('the sign-in to be recognised', () => signIns.view('a')?.state === 'signed_in', 20_000);
  t.notOk(logs.join('').includes('pw-amazon-remote'), 'nothing typed is logged');
  const run = await env.run();
  t.equal(run.status, 'ok', JSON.stringify(run.results[0]));
  t.same((run.results[0].details.notes as string[]).slice(0, 2), ['fresh cookies from the app device', 'signed in with the saved session'],
    'the sign-in registered the app device');
});

t.test('one sign-in at a time, keys limited, cancel closes the browser, idle sign-ins time out', async (t) => {
  // Its own folder, removed with retries: a timed-out browser's last helper can still be writing into its
  // profile for a moment after the test ends (tap's own folder removal gave up with ENOTEMPTY in CI).
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-remote-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true, maxRetries: 50, retryDelay: 100 }));
  const env = purgeEnv(t, sim, [{ sim: 'g', keep_days: 30 }, { sim: 'a', keep_days: 30 }], {}, dir);
  const signIns = manager(t, env, [], []);
  await signIns.start('g');
  t.equal((await signIns.start('g')).state, 'waiting_for_person', 'starting again returns the open one');
  await t.rejects(signIns.start('a'), /a sign-in for "g" is open/);
  await t.rejects(signIns.start('nope'), /no account "nope"/);
  await t.rejects(signIns.input('g', { type: 'key', key: 'F12' }), /not one a sign-in needs/);
  await signIns.cancel('g');
  t.equal(signIns.view('g')!.state, 'cancelled');
  const idle = new RemoteSignIns({
    config: env.config, vault: env.vault, log: createLogger({ level: 'fatal', destination: new Writable({ write(_c, _e, cb) { cb(); } }) }),
    providers: PROVIDERS, busy: () => false, onSignedIn: () => {}, limits: { checkMs: 100, idleMs: 500 },
  });
  // The timed-out browser may still be closing when the test ends: its profile goes only once it is gone.
  t.teardown(() => idle.closeAll());
  await idle.start('a');
  await waitFor('the idle timeout', () => idle.view('a')?.state === 'timed_out', 10_000);
  t.match(idle.view('a'), { state: 'timed_out', message: /nobody typed/ });
  const busy = new RemoteSignIns({ ...{ config: env.config, vault: env.vault, log: createLogger({ level: 'fatal', destination: new Writable({ write(_c, _e, cb) { cb(); } }) }), providers: PROVIDERS, onSignedIn: () => {} }, busy: () => true });
  await t.rejects(busy.start('a'), /a purge is running/);
});
