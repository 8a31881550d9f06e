// Remote sign-in from the status page, played by a person in a real browser: the admin opens the page, presses
// "Sign in" on the Google account's card, clicks into the streamed picture and types the credentials; the
// daemon saves the session and purges the account, deleting what is older than keep_days and verifying it.
import t from 'tap';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cutoffFor } from '../../src/purge/cutoff.ts';
import { waitFor } from '../helpers/daemon.ts';
import { pageBrowser, simAccount, simDaemon, testSimulator } from '../helpers/sim-daemon.ts';
import { quietLogger, simConfig } from './env.ts';

const sim = await testSimulator(t, 8, [simAccount('google', 'nest', 'remote', { recordings: 300, spanDays: 60 })]);
const dir = t.testdir();
const config = simConfig(sim, dir, { accounts: [{ sim: 'nest', keep_days: 14 }], names: { nest: 'Living-room Nest' }, http: 'public_status: true' });
const logs: string[] = [];
const daemon = await simDaemon(t, sim, config, quietLogger(logs));
const browser = await pageBrowser(t);

/** Where a field is in the daemon's browser, as a fraction of the picture: what the person's eyes tell them. */
async function fieldAt(selector: string): Promise<{ x: number; y: number }> {
  const page = (daemon.context.signIns as unknown as { sessions: Map<string, { page: Page }> }).sessions.get('nest')!.page;
  await page.locator(selector).waitFor();
  const box = (await page.locator(selector).boundingBox())!;
  return { x: (box.x + box.width / 2) / 1280, y: (box.y + box.height / 2) / 900 };
}

async function clickPicture(page: Page, at: { x: number; y: number }): Promise<void> {
  const box = (await page.locator('#remote-screen').boundingBox())!;
  await page.mouse.click(box.x + at.x * box.width, box.y + at.y * box.height);
}

t.test('the admin signs in to Google through the status page; the purge that follows deletes and verifies', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(daemon.url);
  await page.waitForSelector('body[data-ready="yes"]');
  t.equal(await page.locator('.card[data-account="nest"] .sign-in-one').isVisible(), false, 'no Sign in button for visitors');
  await page.locator('#sign-in-open').click();
  await page.locator('#token').fill(daemon.context.adminToken);
  await page.locator('#sign-in-form button[type=submit]').click();
  await page.locator('.card[data-account="nest"] .sign-in-one').click();
  await page.locator('#remote-screen').waitFor({ state: 'visible', timeout: 20_000 });

  await clickPicture(page, await fieldAt('#identifierId')); // the e-mail is filled in already
  await page.keyboard.press('Enter');
  await clickPicture(page, await fieldAt('#password'));
  await page.waitForTimeout(700); // the picture catches up with the password page
  await page.screenshot({ path: join(dir, 'remote-signin.png') });
  if (process.env.VOICEWIPE_UPDATE_DOCS) copyFileSync(join(dir, 'remote-signin.png'), new URL('../../web/docs/remote-signin.png', import.meta.url).pathname);
  await page.keyboard.type('pw-nest-remote');
  await page.keyboard.press('Enter');
  await page.locator('#remote-status').filter({ hasText: 'Signed in' }).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(dir, 'remote-signin-done.png') });

  const inScope = () => sim.control.remaining('nest', { to: cutoffFor(14, sim.control.now(), 'UTC') - 1 });
  await waitFor('the purge after sign-in', () => {
    const row = daemon.context.db.prepare("SELECT status FROM runs WHERE trigger = 'manual' ORDER BY id DESC LIMIT 1").get() as { status: string } | undefined;
    return row !== undefined && row.status !== 'running';
  }, 60_000);
  const run = daemon.context.db.prepare("SELECT r.status, a.found, a.deleted, a.remaining FROM runs r JOIN account_results a ON a.run_id = r.id WHERE r.trigger = 'manual'").get();
  t.match(run, { status: 'ok', remaining: 0 });
  t.equal(inScope(), 0, 'nothing older than 14 days left at Google');
  await page.locator('#remote-cancel').click();
  await page.waitForFunction(() => document.querySelector('.card[data-account="nest"] .state-words')?.textContent === 'All clear', null, { timeout: 40_000 });
  t.same(problems, [], 'no console errors');
  t.notOk(logs.join('').includes('pw-nest-remote'), 'the password typed is not in the logs');
  t.notOk(readFileSync(join(dir, 'state', 'voicewipe.db')).toString('latin1').includes('pw-nest-remote'), 'nor in the database');
});

t.test('the sign-in API: admin only, bad input named', async (t) => {
  const res = await fetch(`${daemon.url}/api/signin/nest`, { method: 'POST' });
  t.equal(res.status, 401, 'no token: 401');
  const auth = { authorization: `Bearer ${daemon.context.adminToken}`, 'content-type': 'application/json' };
  const missing = await fetch(`${daemon.url}/api/signin/nope`, { method: 'POST', headers: { authorization: auth.authorization } });
  t.equal(missing.status, 404);
  const bad = await fetch(`${daemon.url}/api/signin/nest/input`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'click', x: 2 }) });
  t.equal(bad.status, 400);
  t.match(await bad.json(), { error: /x/ });
  const noY = await fetch(`${daemon.url}/api/signin/nest/input`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'click', x: 0.5 }) });
  t.equal(noY.status, 400);
  t.match(await noY.json(), { error: /body\.y/ });
  const key = await fetch(`${daemon.url}/api/signin/nest/input`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'key', key: 'F12' }) });
  t.equal(key.status, 400);
  const closed = await fetch(`${daemon.url}/api/signin/nest/input`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'key', key: 'Enter' }) });
  t.equal(closed.status, 409, 'no open sign-in: 409');
  const screen = await fetch(`${daemon.url}/api/signin/nest/screen`, { headers: { authorization: auth.authorization } });
  t.equal(screen.status, 204, 'a finished sign-in has no picture any more (the browser is gone)');
  const never = await fetch(`${daemon.url}/api/signin/other/screen`, { headers: { authorization: auth.authorization } });
  t.equal(never.status, 404, 'no sign-in was ever started for that account');
});
