// The Amazon page variants of issue 13 in real Chromium, the date filter: two levels (and one level, and options
// already visible), dates typed in the marketplace's order and parsed in it (a wrong order selects other days or
// is refused), calendar and <input type=date>, no Apply button, the radio icon, German labels.
import t from 'tap';
import type { Request } from 'playwright-core';
import type { AmazonVariant } from '../../sim/server.ts';
import { isList, localDay, openDateOptions, range, typeRange, variantBench } from './fixtures/amazon-page.ts';
import type { Id, VariantBench } from './fixtures/amazon-page.ts';

let bench: VariantBench;
t.before(async () => { bench = await variantBench(13); });
t.teardown(() => bench?.close());
const open = (id: Id, variant?: Partial<AmazonVariant>) => bench.open(id, variant);

t.test('two-level filter: options hidden until the date submenu is opened; label and list call carry the range', async (t) => {
  const page = await open('us');
  await page.click('#filters-selected-bar > button');
  t.ok(await page.locator('#filter-menu > div.expanded-filter-menu').isVisible(), 'filter menu open');
  t.notOk(await page.locator('div.filter-options-list .filter-by-date-option').first().isVisible(), 'options hidden at the first level');
  await page.click('div.filter-by-date-menu button');
  t.ok(await page.locator('div.filter-options-list .filter-by-date-option').first().isVisible(), 'options visible at the second level');
  const labels = await page.locator('div.filter-by-date-menu .filter-by-date-option').allInnerTexts();
  t.same(labels.map((l) => l.trim()), ['Today', 'Yesterday', 'Last 7 days', 'All History', 'Custom']);
  const sent = page.waitForRequest(isList);
  await page.locator('.filter-by-date-option', { hasText: 'Last 7 days' }).click();
  const r = range(await sent);
  const today = await page.evaluate(() => { const d = new Date(); d.setHours(0, 0, 0, 0); d.setDate(d.getDate() - 6); return d.getTime(); });
  t.equal(r.start, today, 'startTime: local midnight 6 days ago');
  t.equal(await page.locator('#filters-selected-bar .selected-filter-label').innerText(), 'Last 7 days', 'label shows the applied filter');
  t.notOk(await page.locator('#filter-menu').isVisible(), 'menu closes after a choice');
  await page.click('#filters-selected-bar > button');
  t.notOk(await page.locator('div.filter-options-list .filter-by-date-option').first().isVisible(), 'reopened menu starts folded');
});

t.test('dates in the marketplace order: right order selects the days, wrong order selects others or is refused', async (t) => {
  // .com: month-first.
  let page = await open('us');
  let r = await typeRange(page, '11/05/2026', '11/20/2026');
  t.same(range(r!), { start: (await localDay(page, 2026, 11, 5)).start, end: (await localDay(page, 2026, 11, 20)).end }, '.com: 11/05/2026 is 5 November');
  t.equal(await page.locator('.selected-filter-label').innerText(), '11/05/2026 – 11/20/2026', 'label in MM/DD/YYYY');
  t.equal(await page.locator('.delete-displayed-recordings-text').innerText(), 'Delete all recordings for 11/05/2026 – 11/20/2026');

  // .co.uk: day-first. The same typed text means 11 May.
  page = await open('uk');
  t.equal(await page.locator('#date-start').getAttribute('placeholder'), 'DD/MM/YYYY', 'placeholder says the order');
  r = await typeRange(page, '11/05/2026', '20/11/2026');
  t.same(range(r!), { start: (await localDay(page, 2026, 5, 11)).start, end: (await localDay(page, 2026, 11, 20)).end }, 'co.uk: 11/05/2026 is 11 May (the wrong days for a month-first typist)');
  t.equal(await page.locator('.selected-filter-label').innerText(), '11/05/2026 – 20/11/2026', 'label in DD/MM/YYYY');
  // Impossible in this order: refused, nothing listed, the old range stays.
  r = await typeRange(page, '11/20/2026', '11/30/2026');
  t.equal(r, null, 'no list call for 11/20/2026 on a day-first page');
  t.match(await page.locator('.date-error').innerText(), /valid start and end date/);
  t.equal(await page.locator('.selected-filter-label').innerText(), '11/05/2026 – 20/11/2026', 'label unchanged');
  r = await typeRange(page, '31/02/2026', '01/03/2026');
  t.equal(r, null, '31 February is refused, not rolled over');

  // .in: day-first too.
  page = await open('in');
  r = await typeRange(page, '01/10/2026', '15/10/2026');
  t.same(range(r!), { start: (await localDay(page, 2026, 10, 1)).start, end: (await localDay(page, 2026, 10, 15)).end }, '.in: day-first');

  // .co.jp: year-first.
  page = await open('jp');
  t.equal(await page.locator('#date-start').getAttribute('placeholder'), 'YYYY/MM/DD');
  r = await typeRange(page, '2026/10/01', '2026/10/15');
  t.same(range(r!), { start: (await localDay(page, 2026, 10, 1)).start, end: (await localDay(page, 2026, 10, 15)).end }, '.co.jp: year-first');
  t.equal(await page.locator('.selected-filter-label').innerText(), '2026/10/01 – 2026/10/15');
  t.equal(await typeRange(page, '10/01/2026', '10/15/2026'), null, '.co.jp: month-first text refused');

  // A forced order overrides the marketplace (variant dateOrder).
  page = await open('us', { dateOrder: 'dmy' });
  r = await typeRange(page, '02/11/2026', '03/11/2026');
  t.same(range(r!).start, (await localDay(page, 2026, 11, 2)).start, 'dateOrder dmy on .com');
});

t.test('German page on .de: labels, DD.MM.YYYY, texts of the list', async (t) => {
  const page = await open('de');
  t.equal(await page.locator('h1.page-title').innerText(), 'Sprachverlauf überprüfen');
  t.equal(await page.locator('html').getAttribute('lang'), 'de-de');
  await openDateOptions(page);
  const labels = await page.locator('div.filter-by-date-menu .filter-by-date-option').allInnerTexts();
  t.same(labels.map((l) => l.trim()), ['Heute', 'Gestern', 'Letzte 7 Tage', 'Gesamter Verlauf', 'Benutzerdefiniert']);
  t.match(await page.locator('#filters-selected-bar > button').innerText(), /^Filtern nach: Gesamter Verlauf/);
  t.equal(await page.locator('.delete-displayed-recordings-text').innerText(), 'Alle Aufnahmen für Gesamter Verlauf löschen');
  await page.click('#custom-date-range-filter');
  t.equal(await page.locator('#date-start').getAttribute('placeholder'), 'DD.MM.YYYY');
  await page.fill('#date-start', '30.10.2026');
  await page.fill('#date-end', '05.11.2026');
  const sent = page.waitForRequest(isList);
  await page.getByRole('button', { name: 'Anwenden' }).click();
  t.same(range(await sent), { start: (await localDay(page, 2026, 10, 30)).start, end: (await localDay(page, 2026, 11, 5)).end });
  t.equal(await page.locator('.selected-filter-label').innerText(), '30.10.2026 – 05.11.2026');
  t.equal(await page.locator('.delete-displayed-recordings-text').innerText(), 'Alle Aufnahmen für 30.10.2026 – 05.11.2026 löschen');
  // Slashes are not this page's format.
  t.equal(await typeRange(page, '30/10/2026', '05/11/2026'), null, 'slashes refused on a German page');
  // The list's own texts.
  await openDateOptions(page);
  await page.locator('.filter-by-date-option', { hasText: 'Heute' }).click();
  await page.locator('.full-width-message').filter({ hasText: /Ende der Liste|Keine Einträge gefunden|Weitere werden geladen/ }).waitFor();
  await typeRange(page, '01.01.2020', '02.01.2020');
  await page.locator('.full-width-message', { hasText: 'Keine Einträge gefunden' }).waitFor();
  t.pass('"Keine Einträge gefunden" on an empty range');
  // The confirm dialog.
  await openDateOptions(page);
  await page.locator('.filter-by-date-option', { hasText: 'Gesamter Verlauf' }).click();
  await page.locator('.delete-displayed-recordings-text.enabled').click();
  t.equal(await page.locator('.apd-large-block-button.button-red').innerText(), 'Löschen');
  await page.getByRole('button', { name: 'Abbrechen' }).click();
  t.equal(bench.sim.control.remaining('de'), 400, 'cancelled: nothing deleted');
});

t.test('one level, options already visible, radio icon', async (t) => {
  let page = await open('us', { filterDepth: 1 });
  await page.click('#filters-selected-bar > button');
  t.ok(await page.locator('div.filter-options-list .filter-by-date-option').first().isVisible(), 'depth 1: options right after the filter bar');
  await page.click('div.filter-by-date-menu button');
  t.ok(await page.locator('div.filter-options-list .filter-by-date-option').first().isVisible(), 'depth 1: the date heading does not fold them');

  page = await open('us', { filterDepth: 0 });
  t.ok(await page.locator('div.filter-options-list .filter-by-date-option').first().isVisible(), 'depth 0: options visible without a click');
  const sent = page.waitForRequest(isList);
  await page.locator('.filter-by-date-option', { hasText: 'Yesterday' }).click();
  await sent;
  t.ok(await page.locator('div.filter-options-list .filter-by-date-option').first().isVisible(), 'depth 0: still visible after a choice');
  await page.click('#filters-selected-bar > button');
  t.notOk(await page.locator('div.filter-options-list .filter-by-date-option').first().isVisible(), 'depth 0: the filter bar button collapses them');

  page = await open('us', { radioIcon: true });
  await openDateOptions(page);
  const none = page.waitForRequest(isList, { timeout: 700 }).catch(() => null);
  await page.locator('.filter-by-date-option .a-label', { hasText: 'Yesterday' }).click();
  t.equal(await none, null, 'radio icon variant: the option text does nothing');
  const sent2 = page.waitForRequest(isList);
  await page.locator('.filter-by-date-option', { hasText: 'Yesterday' }).locator('.a-icon-radio').click();
  await sent2;
  t.equal(await page.locator('.selected-filter-label').innerText(), 'Yesterday', 'the icon selects');
  t.equal(await page.getByRole('radio', { name: 'Yesterday', includeHidden: true }).getAttribute('aria-checked'), 'true', 'icon is the radio, named by the label');
});

t.test('date inputs: calendar, calendar only, <input type=date>, no Apply button', async (t) => {
  let page = await open('uk', { dateInput: 'text+calendar' });
  await openDateOptions(page);
  await page.click('#custom-date-range-filter');
  await page.fill('#date-start', '01/11/2026');
  await page.locator('.react-datepicker__current-month', { hasText: 'November 2026' }).waitFor();
  t.pass('calendar follows the typed day');
  await page.click('#date-end');
  t.equal(await page.locator('.react-datepicker__day--today').getAttribute('aria-disabled'), 'false', 'today can be picked');
  t.ok(await page.locator('.react-datepicker__day--today ~ .react-datepicker__day, .react-datepicker__week:last-child .react-datepicker__day').last().getAttribute('aria-disabled') === 'true', 'days after today cannot');
  await page.locator('.react-datepicker__day--today').click();
  const today = await page.evaluate(() => { const d = new Date(); return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`; });
  t.equal(await page.inputValue('#date-end'), today, 'a picked day is written in the page order (DD/MM/YYYY)');

  page = await open('uk', { dateInput: 'calendar' });
  await openDateOptions(page);
  await page.click('#custom-date-range-filter');
  t.equal(await page.locator('#date-start').getAttribute('readonly'), '', 'calendar only: fields are read-only');
  await page.click('#date-start');
  await page.getByRole('button', { name: 'Previous Month' }).click();
  const month = await page.locator('.react-datepicker__current-month').innerText();
  await page.locator('.react-datepicker__day:not(.react-datepicker__day--outside-month)', { hasText: /^2$/ }).first().click();
  t.match(await page.inputValue('#date-start'), /^02\/\d{2}\/\d{4}$/, `picked the 2nd of ${month}`);
  await page.click('#date-end');
  await page.locator('.react-datepicker__day--today').click();
  const sent = page.waitForRequest(isList);
  await page.click('.apd-apply-button');
  // The start field was prefilled with 30 days ago, so its calendar opened on that month; one month back, the 2nd.
  const expected = await page.evaluate(() => {
    const d = new Date(); d.setDate(d.getDate() - 30);
    const end = new Date(); end.setHours(0, 0, 0, 0); end.setDate(end.getDate() + 1);
    return { start: new Date(d.getFullYear(), d.getMonth() - 1, 2).getTime(), end: end.getTime() - 1 };
  });
  t.same(range(await sent), expected, 'range applied from the calendar picks');

  page = await open('us', { dateInput: 'date' });
  await openDateOptions(page);
  await page.click('#custom-date-range-filter');
  t.equal(await page.locator('#date-start').getAttribute('type'), 'date');
  await page.fill('#date-start', '2026-10-01');
  await page.fill('#date-end', '2026-10-31');
  const sent2 = page.waitForRequest(isList);
  await page.click('.apd-apply-button');
  t.same(range(await sent2), { start: (await localDay(page, 2026, 10, 1)).start, end: (await localDay(page, 2026, 10, 31)).end }, 'type=date: YYYY-MM-DD values');
  t.equal(await page.locator('.selected-filter-label').innerText(), '10/01/2026 – 10/31/2026', 'label still in the marketplace format');

  page = await open('uk', { apply: false });
  await openDateOptions(page);
  await page.click('#custom-date-range-filter');
  t.equal(await page.locator('.apd-apply-button').count(), 0, 'no Apply button');
  const requests: Request[] = [];
  page.on('request', (q) => { if (isList(q)) requests.push(q); });
  await page.fill('#date-start', '01/10/2026');
  await page.fill('#date-end', '15/10/2026'); // focusing the end field blurs the start one: the page applies at once
  await page.press('#date-end', 'Enter');
  await page.waitForFunction(() => /15\/10\/2026/.test(document.querySelector('.selected-filter-label')!.textContent!));
  const last = range(requests.at(-1)!);
  t.same(last, { start: (await localDay(page, 2026, 10, 1)).start, end: (await localDay(page, 2026, 10, 15)).end }, 'no Apply: the last list call carries the range');
  t.ok(requests.length >= 2, 'an intermediate range was listed while typing (read the last call, not the first)');
  page.removeAllListeners('request');
});

