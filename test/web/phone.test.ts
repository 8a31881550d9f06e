// The status page on a 360 px phone, in real Chromium against the daemon and the simulator: the run table's
// "Details" stay on screen, a visitor who follows Home Assistant's link (#signin=<id>) learns what is wrong and
// who can fix it, and a one-time sign-in link opens the remote sign-in, whose dialog fits the screen.
// Screenshots land in web/docs/ with VOICEWIPE_UPDATE_DOCS=1.
import t from 'tap';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { pageBrowser, simAccount, simDaemon, testSimulator } from '../helpers/sim-daemon.ts';
import { seedHistory, simConfig } from '../http/env.ts';

const DOCS = new URL('../../web/docs/', import.meta.url).pathname;
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const sim = await testSimulator(t, 5, [
  simAccount('amazon', 'kitchen', 1, { recordings: 50, spanDays: 30 }),
  simAccount('amazon', 'bedroom', 1, { recordings: 50, spanDays: 30 }),
]);
const dir = t.testdir();
const config = simConfig(sim, dir, {
  accounts: [{ sim: 'kitchen', keep_days: 30 }, { sim: 'bedroom', keep_days: 7 }],
  names: { kitchen: 'Kitchen Echo', bedroom: 'Bedroom Echo Dot' },
  // The household's view: anyone on the LAN sees each account's state and who can fix it (not the history).
  http: 'public_status: true',
});
const daemon = await simDaemon(t, sim, config);
seedHistory(daemon.context, 14);
// The kitchen's last run met a captcha: it needs a person.
daemon.context.db.prepare("UPDATE accounts SET last_status = 'failed', last_error_kind = 'captcha' WHERE id = 'kitchen'").run();

const browser = await pageBrowser(t);
const shots = join(dir, 'screenshots');
mkdirSync(shots, { recursive: true });
function shot(name: string): string {
  return join(shots, name);
}
function publish(name: string): void {
  if (process.env.VOICEWIPE_UPDATE_DOCS) copyFileSync(shot(name), join(DOCS, name));
}

/** Elements under `root` whose box leaves the screen or whose text is cut (wider inside than shown). */
async function cutOff(page: Page, root: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const out: string[] = [];
    for (const node of Array.from(document.querySelectorAll<HTMLElement>(`${selector}, ${selector} *`))) {
      if ((!node.offsetParent && node.tagName !== 'DIALOG') || node.closest('.visually-hidden')) continue; // not shown
      const box = node.getBoundingClientRect();
      if (box.width === 0) continue;
      const name = `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}.${Array.from(node.classList).join('.')} "${(node.textContent ?? '').trim().slice(0, 30)}"`;
      if (box.left < -0.5 || box.right > window.innerWidth + 0.5) out.push(`${name} off screen (${Math.round(box.left)}..${Math.round(box.right)})`);
      const style = getComputedStyle(node);
      if (node.scrollWidth > node.clientWidth + 1 && style.overflowX !== 'auto' && style.overflowX !== 'scroll' && node.tagName !== 'INPUT' && node.clientWidth > 0) {
        out.push(`${name} cut (${node.scrollWidth} > ${node.clientWidth})`);
      }
    }
    return out;
  }, root);
}

t.test('the admin at 360 px: every run\'s Details on screen', async (t) => {
  const context = await browser.newContext({ ...PHONE, extraHTTPHeaders: { authorization: `Bearer ${daemon.context.adminToken}` } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(daemon.url);
  await page.waitForSelector('body[data-ready="yes"]', { timeout: 15_000 });
  await page.waitForSelector('#runs-body tr', { timeout: 10_000 });
  t.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'no sideways scrolling');
  const details = page.locator('#runs-body button', { hasText: 'Details' });
  t.equal(await details.count(), 10);
  for (let i = 0; i < 10; i++) {
    const box = (await details.nth(i).boundingBox())!;
    t.ok(box.x >= 0 && box.x + box.width <= 360, `Details of row ${i + 1} on screen (${Math.round(box.x)}..${Math.round(box.x + box.width)})`);
  }
  t.same(await cutOff(page, '.history'), [], 'nothing in the history cut off');
});

t.test('a visitor at 360 px: the Home Assistant link explains what is wrong and who can fix it', async (t) => {
  const context = await browser.newContext(PHONE);
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(`${daemon.url}/#signin=kitchen`);
  await page.waitForSelector('body[data-ready="yes"]', { timeout: 15_000 });
  t.equal(await page.locator('#runs-body tr').count(), 0, 'no history for visitors');
  const panel = page.locator('#link-panel');
  await panel.waitFor({ state: 'visible', timeout: 5_000 });
  t.match(await panel.textContent(), /Kitchen Echo needs someone to sign in.*one-time sign-in link.*voicewipe invite kitchen/s);
  const card = page.locator('.card[data-account="kitchen"]');
  t.equal(await card.locator('.state-words').textContent(), 'Needs you');
  // The daemon's headline (src/purge/status.ts), as the admin reads it: a visitor has no error kind to guess from.
  t.equal(await card.locator('.help-title').textContent(), 'Captcha to solve');
  t.match(await card.locator('.help').textContent(), /What to do: Amazon wants a person to solve a captcha.*Who can fix it: whoever looks after this voicewipe/s);
  // The daemon's `backticked` command shows as code, not with its backticks.
  t.equal(await card.locator('.help-text code').textContent(), 'voicewipe invite');
  t.notMatch(await card.locator('.help').textContent(), /`/);
  t.same(await cutOff(page, 'main'), [], 'nothing on the page cut off');
  await page.screenshot({ path: shot('phone-needs-you.png'), fullPage: true });
  publish('phone-needs-you.png');
});

t.test('a one-time link opens the account\'s sign-in on a 360 px phone; the dialog fits', async (t) => {
  const made = await fetch(`${daemon.url}/api/invite`, {
    method: 'POST', headers: { authorization: `Bearer ${daemon.context.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ account: 'kitchen' }),
  });
  t.equal(made.status, 201);
  const { url } = await made.json() as { url: string };
  const token = url.split('#invite=')[1];
  const context = await browser.newContext(PHONE);
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(`${daemon.url}/#invite=${token}`);
  const dialog = page.locator('#remote-dialog');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  t.equal(await page.locator('#remote-title').textContent(), 'Sign in: Kitchen Echo');
  t.notMatch(page.url(), /invite=/, 'the token leaves the address bar');
  await page.locator('#remote-screen').waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForFunction(() => ((document.querySelector('#remote-screen') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, undefined, { timeout: 15_000 });
  t.same(await cutOff(page, '#remote-dialog'), [], 'nothing in the sign-in dialog cut off or off screen');
  await page.waitForTimeout(1_500); // a few more pictures, so the screenshot shows the page settled
  await page.screenshot({ path: shot('phone-signin.png') });
  publish('phone-signin.png');
  // The link allows this account's sign-in and nothing else.
  const other = await page.evaluate(async () => (await fetch('/api/signin/bedroom', { method: 'POST' })).status);
  t.equal(other, 401);
  await page.locator('#remote-cancel').click();
});
