// The Amazon page variants of issue 13 in real Chromium, the list and the new pages: 10 records per list call,
// the Review Alexa History page (sections, ⋮ per-item delete, our guessed range delete, none at all), the deleted
// log, and the newer sign-in field.
import t from 'tap';
import { DEFAULT_VARIANT } from '../../sim/server.ts';
import type { AmazonVariant } from '../../sim/server.ts';
import { ZONES, openDateOptions, variantBench } from './fixtures/amazon-page.ts';
import type { Id, VariantBench } from './fixtures/amazon-page.ts';

let bench: VariantBench;
t.before(async () => { bench = await variantBench(14); });
t.teardown(() => bench?.close());
const open = (id: Id, variant?: Partial<AmazonVariant>) => bench.open(id, variant);

t.test('10 records per list call, pages overlapping, whatever maxRecordSize says', async (t) => {
  bench.sim.control.reset('uk', { recordings: 150 });
  const page = await open('uk');
  bench.sim.control.clearRequests();
  await page.reload();
  await page.locator('.apd-content-box').first().waitFor();
  t.equal(await page.locator('.apd-content-box').count(), 10, 'the first list call brings 10');
  for (let i = 0; i < 200 && !(await page.locator('.full-width-message', { hasText: 'End of list' }).count()); i++) {
    await page.locator('.full-width-message').scrollIntoViewIfNeeded();
    await page.waitForTimeout(20);
  }
  await page.locator('.full-width-message', { hasText: 'End of list' }).waitFor();
  t.equal(await page.locator('.apd-content-box').count(), 150, 'every record shown once (overlaps de-duplicated)');
  const calls = bench.sim.control.requests({ account: 'uk', kind: 'amazon.list' }).length;
  // Each next page repeats the previous page's last record: 9 new records per call after the first.
  t.ok(calls >= 1 + Math.ceil((150 - 10) / 9), `${calls} list calls for 150 records`);
});

t.test('Review Alexa History: sections per day, ⋮ per-item delete, range delete, classic call empty', async (t) => {
  bench.sim.control.reset('in');
  const page = await open('in', { page: 'rah' });
  t.equal(await page.locator('h1.page-title').innerText(), 'Review Alexa History');
  await page.locator('.date-section .utterance-row').first().waitFor();
  const first = await page.locator('.date-section').first().locator('.date-section-header').innerText();
  t.ok(first.length > 0, `a day heading (${first})`);
  t.match(await page.locator('.utterance-row .activity-info').first().innerText(), /^Activity on /);
  t.equal(bench.sim.control.requests({ account: 'in', kind: 'amazon.list_rah' }).length > 0, true, 'the page lists through the rah call');

  // Per-item delete of a record with an activityKey, and of one without.
  const before = bench.sim.control.remaining('in');
  const rows = page.locator('.utterance-row');
  const count = await rows.count();
  await rows.first().getByRole('button', { name: 'More options' }).click();
  await rows.first().getByRole('menuitem', { name: 'Delete activity' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.utterance-row').length === n, count - 1);
  t.equal(bench.sim.control.remaining('in'), before - 1, 'one deleted');
  const noKey = page.locator('.utterance-row', { hasText: /No text stored|not intended/ }).first();
  if (await noKey.count()) {
    await noKey.getByRole('button', { name: 'More options' }).click();
    await noKey.getByRole('menuitem', { name: 'Delete activity' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.utterance-row').length === n, count - 2);
    t.equal(bench.sim.control.remaining('in'), before - 2, 'a record without an activityKey deleted by type + time + device');
    const body = bench.sim.control.requests({ account: 'in', kind: 'amazon.delete_rah' }).at(-1)!.body as { records: unknown[] };
    t.match(body, { records: [{ recordType: /WAKE_WORD_ONLY|UNINTENDED_AUDIO/, timestamp: Number, deviceSerialNumber: String }] });
  }
  t.same(bench.sim.control.deletedLog('in').map((e) => e.via), bench.sim.control.deletedLog('in').map(() => 'item'), 'deleted log: per item');

  // The range delete (our guess): "Delete all activity for <range>" above the list, then a dialog.
  await openDateOptions(page);
  await page.click('#custom-date-range-filter');
  const { start } = await page.evaluate(() => { const d = new Date(); d.setHours(0, 0, 0, 0); d.setDate(d.getDate() - 20); return { start: d.getTime() }; });
  const { end } = await page.evaluate(() => { const d = new Date(); d.setHours(0, 0, 0, 0); d.setDate(d.getDate() - 10); return { end: d.getTime() - 1 }; });
  const fmt = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: ZONES.in, day: '2-digit', month: '2-digit', year: 'numeric' }).format(ms);
  await page.fill('#date-start', fmt(start));
  await page.fill('#date-end', fmt(end));
  await page.click('.apd-apply-button');
  const button = page.locator('button.delete-all-activity-button');
  await t.resolves(page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('button.delete-all-activity-button')!.disabled), 'range delete enabled');
  t.equal(await button.innerText(), `Delete all activity for ${fmt(start)} – ${fmt(end)}`);
  const inRange = bench.sim.control.remaining('in', { from: start, to: end });
  const outside = bench.sim.control.remaining('in') - inRange;
  t.ok(inRange > 0, 'the range has records');
  await button.click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.locator('.full-width-message', { hasText: 'No records found' }).waitFor();
  t.equal(bench.sim.control.remaining('in', { from: start, to: end }), 0, 'range gone');
  t.equal(bench.sim.control.remaining('in'), outside, 'nothing else');
  const ranged = bench.sim.control.deletedLog('in').filter((e) => e.via === 'range');
  t.equal(ranged.length, inRange, 'deleted log lists each record of the range');
  t.ok(ranged.every((e) => e.ts >= start && e.ts <= end), 'deleted log: every timestamp inside the range');

  // No range delete at all: only the ⋮ menus.
  const plain = await open('in', { page: 'rah', rangeDelete: 'none' });
  await plain.locator('.utterance-row').first().waitFor();
  t.equal(await plain.locator('button.delete-all-activity-button').count(), 0, 'rangeDelete none: no range delete control');
  t.equal(await plain.getByRole('button', { name: /delete all/i }).count(), 0);
  t.ok(await plain.locator('.utterance-row .activity-menu-button').count() > 0, 'per-item menus remain');
  bench.sim.control.setVariant('in', DEFAULT_VARIANT);
});

t.test('German Review Alexa History', async (t) => {
  const page = await open('de', { page: 'rah' });
  t.equal(await page.locator('h1.page-title').innerText(), 'Alexa-Verlauf überprüfen');
  await page.locator('.utterance-row').first().waitFor();
  t.match(await page.locator('.activity-info').first().innerText(), /^Aktivität auf /);
  t.match(await page.locator('button.delete-all-activity-button').innerText(), /^Alle Aktivitäten für Gesamter Verlauf löschen$/);
  bench.sim.control.setVariant('de', DEFAULT_VARIANT);
});

t.test('sign-in: "Enter mobile number or email" (#ap_email_login)', async (t) => {
  bench.sim.control.setSignin({ emailField: 'ap_email_login' });
  const context = await bench.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${bench.sim.url}/alexa-privacy/apd/rvh`);
  t.equal(await page.locator('#ap_email').count(), 0, 'no #ap_email');
  await page.getByLabel('Enter mobile number or email').fill('uk@example.com');
  await page.click('#continue');
  await page.fill('#ap_password', 'pw-uk');
  await page.click('#signInSubmit');
  await page.waitForURL(/\/alexa-privacy\/apd\/rvh$/);
  t.pass('signed in through #ap_email_login');
  bench.sim.control.setSignin({ emailField: 'ap_email' });
  await context.close();
});
