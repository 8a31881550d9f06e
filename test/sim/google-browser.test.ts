// The simulated Google My Activity in real Chromium: a person-style sign-in (OSID hop), the item markup,
// per-item delete, delete by range (Delete → Last day → Next → Delete → Got it), untrusted clicks ignored,
// the identity-check interstitial and the redesign fault.
import t from 'tap';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../src/browser/chromium.ts';
import { IDENTITY_ARGS, IGNORED_DEFAULT_ARGS, carryIdentity, identityFor } from '../../src/browser/identity.ts';
import { startSimulator } from '../../sim/server.ts';
import type { Simulator } from '../../sim/server.ts';

let sim: Simulator;
let browser: Browser;
let context: BrowserContext;
let page: Page;

t.before(async () => {
  sim = await startSimulator({
    seed: 11,
    accounts: [{ id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-g', recordings: 600, spanDays: 90 }],
  });
  // An ordinary browser identity: Google (and the simulator) refuse a sign-in from one that gives itself away.
  browser = await chromium.launch({ executablePath: findChromium().path, args: [...CHROMIUM_ARGS, ...IDENTITY_ARGS], ignoreDefaultArgs: IGNORED_DEFAULT_ARGS, headless: true });
  const identity = identityFor(browser.version(), 'en-US');
  context = await browser.newContext({ userAgent: identity.userAgent });
  carryIdentity(context, identity);
  page = await context.newPage();
});
t.teardown(async () => { await browser?.close(); await sim?.close(); });

t.test('signed out, then a sign-in a person can complete', async (t) => {
  const res = await page.goto(`${sim.url}/product/assistant?hl=en`);
  t.match(await res!.text(), 'FootprintsMyactivitySignedoutUi', 'signed-out marker');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.locator('#identifierId').pressSequentially('g@example.com');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('input[type=password]').pressSequentially('pw-g');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForSelector('c-wiz[data-token][data-date]');
  t.match(page.url(), /\/product\/assistant\?hl=en$/, 'back where we started');
  const names = (await context.cookies()).map((c) => c.name);
  t.ok(names.includes('SID') && names.includes('OSID'), 'SID and the My Activity OSID cookie');
  const html = await page.content();
  t.match(html, 'boq_footprintsmyactivityuiserver');
  t.match(html, '"SNlM0e"');
});

t.test('items, per-item delete, untrusted clicks ignored', async (t) => {
  const first = page.locator('c-wiz[data-token][data-date]').first();
  t.match(await first.getAttribute('data-date'), /^\d{8}$/, 'data-date is YYYYMMDD');
  t.equal(await page.locator('c-wiz div[role="listitem"]').count(), 100, 'first page of 100');
  const before = sim.control.remaining('g');
  const button = first.locator('button[aria-label^="Delete activity item"]');
  t.match(await button.getAttribute('aria-label'), /^Delete activity item (Said “|Assistant was activated|Unknown voice command)/);
  await button.evaluate((b) => (b as HTMLButtonElement).click());
  await page.waitForTimeout(200);
  t.equal(sim.control.remaining('g'), before, 'a script click does nothing (Google ignores untrusted clicks)');
  const token = await first.getAttribute('data-token');
  await button.click();
  await page.getByRole('alert').filter({ hasText: 'Item deleted' }).waitFor();
  t.equal(sim.control.remaining('g'), before - 1, 'a real click deletes');
  t.equal(await page.locator(`c-wiz[data-token="${token}"]`).count(), 0, 'item gone from the page');
  const rpc = sim.control.requests({ account: 'g', kind: 'google.rpc.TmdDAd' });
  t.equal(rpc.length, 1, 'one TmdDAd call');

  await page.locator('[role=status]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('c-wiz[data-token]').length > 150);
  t.pass('scrolling loads the next 100 through batchexecute');
});

t.test('delete by range: Last day', async (t) => {
  const now = sim.control.now();
  const lastDay = sim.control.remaining('g', { from: now - 86_400_000, to: now });
  const older = sim.control.remaining('g', { to: now - 86_400_000 - 5_000 });
  t.ok(lastDay > 0, 'there is activity in the last day');
  await page.locator('button[aria-label="Delete activity"]').click();
  await page.getByRole('menuitem', { name: 'Last day' }).click();
  // A product's own page has no product step: the confirmation names the product.
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).waitFor(); // drawn once the page has counted the range
  await t.resolveMatch(page.getByRole('dialog').innerText(), /Products: Assistant\s+Dates: Last day/);
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Got it' }).click();
  const after = sim.control.now();
  t.equal(sim.control.remaining('g', { from: now - 86_400_000 + 5_000, to: after }), 0, 'last day emptied');
  t.equal(sim.control.remaining('g', { to: now - 86_400_000 - 5_000 }), older, 'older activity kept');
  await page.waitForSelector('c-wiz[data-token]');
  t.ok(await page.locator('c-wiz[data-token]').count() > 0, 'list reloads with the older items');
});

t.test('delete by custom range', async (t) => {
  const [after, before, from, to] = await page.evaluate(() => {
    const f = (d: Date) => `${String(d.getMonth() + 1).padStart(2, '0')}/${String(d.getDate()).padStart(2, '0')}/${d.getFullYear()}`;
    const s = new Date(); s.setHours(0, 0, 0, 0); s.setDate(s.getDate() - 40);
    const e = new Date(s); e.setDate(e.getDate() + 5);
    const end = new Date(e); end.setDate(end.getDate() + 1);
    return [f(s), f(e), s.getTime(), end.getTime() - 1] as const;
  });
  const total = sim.control.remaining('g');
  const inRange = sim.control.remaining('g', { from, to });
  t.ok(inRange > 0);
  await page.locator('button[aria-label="Delete activity"]').click();
  await page.getByRole('menuitem', { name: 'Custom range' }).click();
  await page.fill('#ma-after', after);
  await page.fill('#ma-before', before);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Got it' }).click();
  t.equal(sim.control.remaining('g', { from, to }), 0);
  t.equal(sim.control.remaining('g'), total - inRange);
});

t.test('identity check interstitial, Gemini page, redesign', async (t) => {
  sim.control.setFaults('g', { identityCheck: true });
  const res = await page.goto(`${sim.url}/product/assistant`);
  t.match(await res!.text(), 'boq_identityfrontendauthuiserver', 'interstitial marker');
  await page.locator('input[type=password]').fill('pw-g');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForSelector('c-wiz[data-token]');
  t.notOk(sim.control.faults('g').identityCheck, 'passed');

  await page.goto(`${sim.url}/product/gemini`);
  await page.waitForSelector('c-wiz[data-token]');
  t.match(await page.locator('.ma-product').first().textContent(), 'Gemini Apps', 'Gemini page lists its own items');

  sim.control.setFaults('g', { redesign: 1 });
  await page.goto(`${sim.url}/product/assistant`);
  await page.waitForSelector('c-wiz[data-token]');
  t.equal(await page.locator('button[aria-label="Delete activity"]').count(), 0, 'level 1: top Delete moved');
  await page.getByRole('button', { name: 'More' }).click();
  t.equal(await page.getByRole('menuitem', { name: 'Delete activity by' }).count(), 1, 'level 1: More → Delete activity by');
  sim.control.setFaults('g', { redesign: 2 });
  await page.goto(`${sim.url}/product/assistant`);
  await page.getByRole('listitem').first().waitFor();
  t.equal(await page.locator('c-wiz[data-token], button[aria-label^="Delete activity item"], button[aria-label="Delete activity"]').count(), 0, 'level 2: nothing matches');
  sim.control.clearFaults('g');
});
