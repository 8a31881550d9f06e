// The status page in real Chromium against the daemon (startDaemon) and the simulator: it loads with no console
// errors, shows the seeded history, follows a real purge live, and the admin signs in and presses "Purge now".
// Saves desktop and phone screenshots (and, with VOICEWIPE_UPDATE_DOCS=1, copies them to web/docs/ for the README).
import t from 'tap';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { Test } from 'tap';
import { pageBrowser, simAccount, simDaemon, testSimulator } from '../helpers/sim-daemon.ts';
import { seedHistory, simConfig } from './env.ts';

const DOCS = new URL('../../web/docs/', import.meta.url).pathname;

const sim = await testSimulator(t, 3, [
  simAccount('amazon', 'kitchen', 1, { mfa: 'totp', recordings: 400, spanDays: 120 }),
  simAccount('amazon', 'bedroom', 1, { marketplace: 'co.uk', recordings: 200, spanDays: 60 }),
  simAccount('google', 'nest', 1, { recordings: 100, spanDays: 60 }),
]);

const dir = t.testdir();
const config = simConfig(sim, dir, {
  accounts: [{ sim: 'kitchen', keep_days: 30 }, { sim: 'bedroom', keep_days: 7 }, { sim: 'nest', keep_days: 14, enabled: false }],
  names: { kitchen: 'Kitchen Echo', bedroom: 'Bedroom Echo Dot (UK)', nest: 'Living-room Nest' },
  // A visitor sees states only (public_status: true); the default (false) shows only the sign-in form.
  http: 'public_status: true',
});
const daemon = await simDaemon(t, sim, config);
seedHistory(daemon.context, 24);

const browser = await pageBrowser(t);
const shots = join(dir, 'screenshots');
mkdirSync(shots, { recursive: true });

/** Console errors, page errors and failed requests: a clean page has none. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => { if (!r.url().endsWith('/api/events')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`); });
  return problems;
}

/** The status page in a new browser context, loaded, with its problems watched (closed when `t` ends). */
async function openStatusPage(t: Test, options: BrowserContextOptions): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext(options);
  t.teardown(() => context.close());
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(daemon.url);
  await page.waitForSelector('body[data-ready="yes"]', { timeout: 10_000 });
  return { page, problems };
}

t.test('a visitor on a phone (public_status: true): each account\'s state, no counts or history, readable', async (t) => {
  const { page, problems } = await openStatusPage(t, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await page.waitForSelector('.card[data-account="kitchen"] .state-words', { timeout: 10_000 });
  t.equal(await page.locator('.card').count(), 3);
  t.equal(await page.locator('.card[data-account="kitchen"] .state-words').textContent(), 'All clear');
  t.equal(await page.locator('.card[data-account="nest"] .state-words').textContent(), 'Switched off in the config');
  // Whole days (README): what each account keeps, a visitor too.
  t.equal(await page.locator('.card[data-account="kitchen"] .provider').textContent(), 'Amazon Alexa · keeps at least 30 days');
  t.equal(await page.locator('.card[data-account="bedroom"] .provider').textContent(), 'Amazon Alexa · keeps at least 7 days');
  const total = (daemon.context.db.prepare("SELECT total_deleted FROM accounts WHERE id = 'kitchen'").get() as { total_deleted: number }).total_deleted;
  t.notMatch(await page.locator('body').innerText(), new RegExp(`\\b${total.toLocaleString('en-US')}\\b`), 'no lifetime total for a visitor');
  t.equal(await page.locator('#runs-body tr').count(), 0, 'no run history for a visitor');
  t.equal(await page.locator('.admin-only:visible').count(), 0, 'no admin buttons for a visitor');
  t.equal(await page.locator('a[href="/metrics"]:visible').count(), 0, 'no metrics link for a visitor (the admin\'s only)');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  t.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px)`);
  await page.screenshot({ path: join(shots, 'status-phone.png'), fullPage: true });
  if (process.env.VOICEWIPE_UPDATE_DOCS) copyFileSync(join(shots, 'status-phone.png'), join(DOCS, 'status-phone.png'));
  t.comment(`console: ${JSON.stringify(problems)}`);
  t.same(problems.filter((p) => !/status of 401/.test(p)), [], 'nothing but the history\'s 401s');
});

t.test('the admin signs in, reads a failed run, presses "Purge all now" and watches it live', async (t) => {
  const { page, problems } = await openStatusPage(t, { viewport: { width: 1280, height: 900 } });

  // Sign-in with the keyboard: the button and the field are found by their accessible names.
  await page.getByRole('button', { name: 'Admin sign-in' }).focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('Admin token').fill('not the token');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'not the admin token' }).waitFor({ timeout: 5_000 });
  // Chromium logs every 4xx answer to fetch() on the console: that 401 was the point of the step.
  t.match(problems.splice(0), [/status of 401/]);
  await page.getByLabel('Admin token').fill(daemon.context.adminToken);
  await page.keyboard.press('Enter');
  await page.waitForSelector('body.is-admin', { timeout: 5_000 });
  t.ok(await page.getByRole('button', { name: 'Purge all now' }).isVisible());
  t.ok(await page.getByRole('link', { name: 'Prometheus metrics' }).isVisible(), 'the metrics link is the admin\'s');
  t.ok(await page.getByRole('button', { name: 'Purge Kitchen Echo now' }).isVisible(), 'a purge button per account');
  t.ok(await page.getByRole('button', { name: 'Check the page of Kitchen Echo' }).isVisible(), 'a page check per account');
  t.notOk(await page.locator('.card[data-account="nest"] .purge-one').isVisible(), 'none for an account switched off in the config');
  const cookies = await page.context().cookies();
  t.match(cookies, [{ name: 'voicewipe_session', httpOnly: true, sameSite: 'Strict' }]);

  // The captcha night: what happened, what to do, and the screenshot.
  await page.locator('#runs-body tr').nth(1).getByRole('button').click();
  const dialog = page.locator('#run-dialog');
  await dialog.locator('.run-account[data-account="kitchen"] .help').waitFor({ timeout: 5_000 });
  t.match(await dialog.locator('.run-account[data-account="kitchen"] .help').textContent(), /Captcha to solve.*What to do: Amazon wants a person to solve a captcha: sign in once from the status page/);
  const img = dialog.locator('.run-account[data-account="kitchen"] .evidence img');
  await img.waitFor({ timeout: 5_000 });
  await page.waitForFunction(() => ((document.querySelector("#run-dialog .evidence img") as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, undefined, { timeout: 5_000 });
  await page.screenshot({ path: join(shots, 'status-run-detail.png') });
  await page.keyboard.press('Escape');
  t.notOk(await dialog.isVisible(), 'Escape closes the detail');

  // A visitor watches the same run (states only: no run number, counts or times in its events).
  const { page: visitor, problems: visitorProblems } = await openStatusPage(t, { viewport: { width: 390, height: 844 } });
  // Every state the visitor's kitchen card shows, however briefly (a run can pass faster than a look).
  await visitor.evaluate(() => {
    const card = document.querySelector<HTMLElement>('.card[data-account="kitchen"]')!;
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => { if (seen.at(-1) !== card.dataset.state) seen.push(card.dataset.state ?? ''); })
      .observe(card, { attributes: true, attributeFilter: ['data-state'] });
  });

  // Purge now: the page follows the run through the event stream.
  const before = await page.locator('#runs-body tr').count();
  await page.getByRole('button', { name: 'Purge all now' }).click();
  await page.waitForSelector('#live:not([hidden])', { timeout: 10_000 });
  const runId = Number(await page.locator('#live').getAttribute('data-run-id'));
  t.ok(runId > 0, `run ${runId} shown live`);
  await page.waitForSelector('.card[data-account="kitchen"][data-state="running"]', { timeout: 10_000 });
  await page.waitForFunction(() => /Deleting: [1-9][\d,]* of|Checking they are gone/.test(document.querySelector('#live')?.textContent ?? ''), undefined, { timeout: 30_000 });
  t.pass('live counts while deleting');
  await page.screenshot({ path: join(shots, 'status-desktop.png'), fullPage: true });
  if (process.env.VOICEWIPE_UPDATE_DOCS) copyFileSync(join(shots, 'status-desktop.png'), join(DOCS, 'status-desktop.png'));
  await page.waitForSelector('#live[hidden]', { state: 'attached', timeout: 60_000 });
  // The visitor's cards follow the run from the states its events make it read again; no live counts.
  await visitor.waitForSelector('.card[data-account="kitchen"][data-state="ok"]', { timeout: 10_000 });
  const seen = await visitor.evaluate(() => (window as unknown as { seen: string[] }).seen);
  t.ok(seen.includes('running'), `the visitor saw the kitchen purging (${seen.join(' → ')})`);
  t.ok(await visitor.locator('#live').isHidden(), 'no live panel for a visitor (it shows counts)');
  t.equal(await visitor.locator('.card[data-account="kitchen"] .state-words').textContent(), 'All clear');
  t.same(visitorProblems, [], 'the visitor\'s page followed the run without an error');
  await page.waitForFunction((id) => document.querySelector('#runs-body tr')?.getAttribute('data-run') === String(id), runId, { timeout: 10_000 });
  t.match(await page.locator('#notice').textContent(), new RegExp(`Run #${runId} finished: OK`));
  t.match(await page.locator('#runs-body tr').first().textContent(), /today.*OK.*Status page \/ API/);
  t.equal(await page.locator('#runs-body tr').count(), before, 'still ten rows, the new one first');
  const run = (await (await fetch(`${daemon.url}/api/runs/${runId}`, { headers: { authorization: `Bearer ${daemon.context.adminToken}` } })).json()) as { status: string; deleted: number };
  t.equal(run.status, 'ok');
  t.ok(run.deleted > 0);
  t.equal(await page.locator('.card[data-account="kitchen"] .state-words').textContent(), 'All clear');
  t.match(await page.locator('.card[data-account="kitchen"] .f-success').textContent(), /^today .*\((just now|\d+ min ago)\)$/);
  t.equal(await page.locator('.card[data-account="kitchen"] .f-remaining').textContent(), '0');

  // The schedule switch.
  await page.getByRole('switch', { name: /Nightly purge/ }).click();
  await page.waitForSelector('#schedule-switch[aria-checked="false"]', { timeout: 5_000 });
  t.equal(daemon.context.scheduler.enabled, false);
  t.match(await page.locator('#schedule-line').textContent(), /switched off/);
  await page.getByRole('switch', { name: /Nightly purge/ }).click();
  await page.waitForSelector('#schedule-switch[aria-checked="true"]', { timeout: 5_000 });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForSelector('body:not(.is-admin) #sign-in-open:visible', { timeout: 5_000 });
  t.same(problems, []);
});

t.test('the admin checks a page (nothing deleted), downloads the bundle, and resumes a paused account', async (t) => {
  const { page, problems } = await openStatusPage(t, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await page.getByRole('button', { name: 'Admin sign-in' }).click();
  await page.getByLabel('Admin token').fill(daemon.context.adminToken);
  await page.keyboard.press('Enter');
  await page.waitForSelector('body.is-admin', { timeout: 5_000 });

  const deletesBefore = sim.control.deletedLog('kitchen').length;
  await page.getByRole('button', { name: 'Check the page of Kitchen Echo' }).click();
  await page.locator('#notice').filter({ hasText: 'the page check found every control' }).waitFor({ timeout: 60_000 });
  t.equal(sim.control.deletedLog('kitchen').length, deletesBefore, 'the check deleted nothing');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the evidence bundle' }).click()]);
  const saved = join(shots, 'bundle');
  await download.saveAs(saved);
  t.ok(statSync(saved).size > 1_000, `a bundle of ${statSync(saved).size} bytes`);

  // The bedroom deleted recordings it meant to keep (over_deleted): paused until the admin resumes it.
  daemon.context.db.prepare("UPDATE accounts SET paused_at = ?, paused_reason = 'over_deleted' WHERE id = 'bedroom'").run(Date.now());
  await page.reload();
  await page.waitForSelector('.card[data-account="bedroom"][data-state="paused"]', { timeout: 10_000 });
  await page.getByRole('button', { name: 'Resume purges of Bedroom Echo Dot (UK)' }).click();
  await page.locator('#notice').filter({ hasText: 'purges resume with the next run' }).waitFor({ timeout: 5_000 });
  t.equal((daemon.context.db.prepare("SELECT paused_at FROM accounts WHERE id = 'bedroom'").get() as { paused_at: number | null }).paused_at, null, 'no longer paused');
  await page.waitForSelector('.card[data-account="bedroom"]:not([data-state="paused"])', { timeout: 10_000 });
  t.same(problems, []);
});

t.test('a visitor of a private page (the default): the sign-in only, and a footer with nothing dangling', async (t) => {
  const closed = await simDaemon(t, sim, simConfig(sim, join(dir, 'private'), { accounts: [{ sim: 'kitchen', keep_days: 30 }] }));
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  t.teardown(() => page.close());
  await page.goto(closed.url);
  await page.waitForSelector('body[data-ready="private"]', { timeout: 10_000 });
  t.ok(await page.locator('#private').isVisible(), 'the private notice');
  t.notOk(await page.locator('#dashboard').isVisible(), 'no dashboard');
  // No version or uptime for a visitor: the footer is the API link alone, not "· API".
  t.equal((await page.locator('footer.foot').innerText()).trim(), 'API');
  await page.screenshot({ path: join(shots, 'private-phone.png') });
});
