// A walk through the simulated Amazon pages in real Chromium: sign-in with a TOTP code, the date filter, lazy
// loading, per-item delete, bulk delete of a custom range, and the redesigned-page fault.
import t from 'tap';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../src/browser/chromium.ts';
import { totpCode } from '../../src/providers/totp.ts';
import { startSimulator } from '../../sim/server.ts';
import type { Simulator } from '../../sim/server.ts';

let sim: Simulator;
let browser: Browser;

t.before(async () => {
  sim = await startSimulator({
    seed: 7,
    accounts: [
      { id: 'walk', vendor: 'amazon', email: 'walk@example.com', password: 'pw-walk', mfa: 'totp', recordings: 400, spanDays: 60 },
      { id: 'uk', vendor: 'amazon', email: 'uk@example.co.uk', password: 'pw-uk', marketplace: 'co.uk', recordings: 120, spanDays: 30, passkeyNudge: true },
    ],
  });
  browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS, headless: true });
});
t.teardown(async () => { await browser?.close(); await sim?.close(); });

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${sim.url}/alexa-privacy/apd/rvh`);
  await page.fill('#ap_email', email);
  await page.click('#continue');
  await page.fill('#ap_password', password);
  await page.check('input[name=rememberMe]');
  await page.click('#signInSubmit');
}

/** Scrolls until the list says it is complete; returns how many records are shown. */
async function loadAll(page: Page, recordSelector = '.apd-content-box', doneText = /End of list|No records found/): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const message = await page.locator('[role=status]').first().textContent();
    if (message && doneText.test(message)) break;
    await page.locator('[role=status]').first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(30);
  }
  return page.locator(recordSelector).count();
}

t.test('sign-in with a TOTP code, lazy loading, filter, per-item and bulk delete', async (t) => {
  const context = await browser.newContext({ timezoneId: 'America/New_York' });
  const page = await context.newPage();
  const acct = sim.accounts.find((a) => a.id === 'walk')!;

  await page.goto(`${sim.url}/alexa-privacy/apd/rvh`);
  t.match(page.url(), /\/ap\/signin\?openid\.return_to=/, 'signed out → sign-in page');
  await page.fill('#ap_email', acct.email);
  await page.click('#continue');
  await page.fill('#ap_password', 'wrong');
  await page.click('#signInSubmit');
  t.match(await page.locator('#auth-error-message-box').textContent(), /Your password is incorrect/, 'error box on a wrong password');
  await page.fill('#ap_password', acct.password);
  await page.check('input[name=rememberMe]');
  await page.click('#signInSubmit');
  await page.waitForSelector('#auth-mfa-otpcode');
  await page.fill('#auth-mfa-otpcode', totpCode(acct.totpSecret!, sim.control.now()));
  await page.check('#auth-mfa-remember-device');
  await page.click('#auth-signin-button');
  await page.waitForSelector('.apd-content-box');
  t.match(page.url(), /\/alexa-privacy\/apd\/rvh$/, 'back on the RVH page');
  const cookies = (await context.cookies()).map((c) => c.name);
  t.ok(cookies.includes('at-main') && cookies.includes('sess-at-main'), 'session cookies named for amazon.com');
  t.ok(await page.locator('meta[name="csrf-token"]').getAttribute('content'), 'CSRF meta tag');

  t.equal(await page.locator('.apd-content-box').count(), 10, 'first page: 10 records');
  t.equal(await page.locator('.full-width-message').textContent(), 'Loading more…');
  await page.locator('.full-width-message').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('.apd-content-box').length > 10);
  t.pass('scrolling loads more');

  // Filter: Yesterday (day boundaries in the browser's time zone), two levels deep (the default variant).
  await page.click('#filters-selected-bar > button');
  await page.click('#filter-menu > div.expanded-filter-menu div.filter-by-date-menu button');
  await page.locator('div.filter-options-list .filter-by-date-option', { hasText: 'Yesterday' }).click();
  const shown = await loadAll(page);
  const [from, to] = await page.evaluate(() => {
    const d = new Date(); d.setHours(0, 0, 0, 0);
    const y = new Date(d); y.setDate(y.getDate() - 1);
    return [y.getTime(), d.getTime() - 1];
  });
  t.equal(shown, sim.control.remaining('walk', { from, to }), 'Yesterday shows exactly yesterday\'s records');
  t.ok(shown > 0, 'yesterday has records');
  t.match(await page.locator('.delete-displayed-recordings-text').textContent(), 'Delete all recordings for Yesterday');

  // Per-item delete: expand, then the delete button in the banner.
  const before = sim.control.remaining('walk');
  await page.locator('.apd-content-box button.apd-expand-toggle-button').first().click();
  t.equal(await page.locator('.apd-content-box .fa-chevron-up').count(), 1, 'chevron flips');
  await page.locator('.record-delete-banner.clickable button.record-delete-button').first().click();
  await page.waitForFunction((n) => document.querySelectorAll('.apd-content-box').length === n, shown - 1);
  t.equal(sim.control.remaining('walk'), before - 1, 'one record deleted on the server');
  const del = sim.control.requests({ account: 'walk', kind: 'amazon.delete' });
  t.equal(del.length, 1);
  t.equal(del[0].path, sim.deletePath, 'delete sent to the configured path');
  t.match(del[0].body, { recordKeys: [/^A\w+#\d+#\w+#\w+$/] }, 'per-item body names the recordKey');

  // Bulk delete of a custom range.
  await page.click('#filters-selected-bar > button');
  await page.click('div.filter-by-date-menu button');
  await page.click('#custom-date-range-filter');
  const [start, end, startMs, endMs] = await page.evaluate(() => {
    const f = (d: Date) => `${String(d.getMonth() + 1).padStart(2, '0')}/${String(d.getDate()).padStart(2, '0')}/${d.getFullYear()}`;
    const s = new Date(); s.setHours(0, 0, 0, 0); s.setDate(s.getDate() - 20);
    const e = new Date(s); e.setDate(e.getDate() + 9);
    const eEnd = new Date(e); eEnd.setDate(eEnd.getDate() + 1);
    return [f(s), f(e), s.getTime(), eEnd.getTime() - 1] as const;
  });
  await page.fill('#date-start', start);
  await page.fill('#date-end', end);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForSelector('.delete-displayed-recordings-text.clickable.enabled');
  const inRange = sim.control.remaining('walk', { from: startMs, to: endMs });
  const outside = sim.control.remaining('walk') - inRange;
  t.ok(inRange > 0, 'range has records');
  t.match(await page.locator('.delete-displayed-recordings-text').textContent(), `Delete all recordings for ${start} – ${end}`);
  await page.click('.delete-displayed-recordings-text.clickable.enabled');
  await page.click('.apd-large-block-button.button-red');
  await page.waitForSelector('.full-width-message:has-text("No records found")');
  t.equal(sim.control.remaining('walk', { from: startMs, to: endMs }), 0, 'range emptied');
  t.equal(sim.control.remaining('walk'), outside, 'nothing outside the range touched');
  t.equal(await page.locator('.delete-displayed-recordings-text.enabled').count(), 0, '.enabled absent on an empty list');

  // "Don't require OTP on this browser": after signing out, this browser goes straight through.
  await page.goto(`${sim.url}/ap/signout`);
  await signIn(page, acct.email, acct.password);
  await page.waitForSelector('.apd-content-box');
  t.equal(sim.control.requests({ account: 'walk', kind: 'amazon.signin.mfa' }).length, 1, 'no second code page on a remembered browser');
  await context.close();
});

t.test('marketplace cookies, passkey nudge, retention page', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'uk@example.co.uk', 'pw-uk');
  await page.waitForURL(/\/webauthn\/nudge/);
  await page.click('#passkey-nudge-skip');
  await page.waitForSelector('.apd-content-box');
  const names = (await context.cookies()).map((c) => c.name);
  t.ok(names.includes('at-acbuk') && names.includes('sess-at-acbuk'), '.co.uk cookies');
  await page.goto(`${sim.url}/alexa-privacy/apd/myad`);
  await page.check('input[value="3m"]');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL(/saved=1/);
  t.equal(sim.control.account('uk').retention, '3m', 'retention saved');
  await context.close();
});

t.test('redesigned page: level 1 keeps roles and texts, level 2 matches nothing', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'uk@example.co.uk', 'pw-uk');
  await page.click('#passkey-nudge-skip');
  await page.waitForSelector('.apd-content-box');

  sim.control.setFaults('uk', { redesign: 1 });
  await page.reload();
  await page.getByRole('listitem').first().waitFor();
  t.equal(await page.locator('.apd-content-box').count(), 0, 'level 1: record class gone');
  t.equal(await page.locator('#filters-selected-bar').count(), 0, 'level 1: filter bar id gone');
  t.equal(await page.locator('.record-delete-button').count(), 0, 'level 1: delete button class gone');
  const before = sim.control.remaining('uk');
  await page.getByRole('button', { name: 'More actions for this recording' }).first().click();
  await page.getByRole('menuitem', { name: 'Delete recording' }).first().click();
  await page.getByRole('alert').filter({ hasText: 'Recording deleted.' }).waitFor();
  t.equal(sim.control.remaining('uk'), before - 1, 'level 1: role/text fallback still deletes');
  t.equal(await page.getByRole('button', { name: /^Delete all recordings for All History$/ }).count(), 1, 'level 1: bulk delete found by role + text');

  sim.control.setFaults('uk', { redesign: 2 });
  await page.reload();
  await page.getByRole('listitem').first().waitFor();
  t.equal(await page.getByText('Delete all recordings for', { exact: false }).count(), 0, 'level 2: no known text');
  t.equal(await page.locator('.apd-content-box, .full-width-message, meta[name="csrf-token"]').count(), 0, 'level 2: no known selector');
  const old = sim.control.requests({ account: 'uk', kind: 'amazon.list_rah' });
  t.ok(old.length > 0, 'level 2 page uses the 2026 list endpoint');
  sim.control.clearFaults('uk');
  await context.close();
});
