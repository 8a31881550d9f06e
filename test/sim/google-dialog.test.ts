// The simulated My Activity delete dialog in real Chromium, variant by variant: no product step (the
// confirmation names the product), the all-products default, the product step with only Assistant or every
// product ticked, date widgets where a typed date in the wrong form does not take (and the calendar does), an
// open-ended range, a range with nothing in it (no Delete button), and the per-item confirmation.
import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../src/browser/launch.ts';
import { startSimulator } from '../../sim/server.ts';
import type { Simulator } from '../../sim/server.ts';

let sim: Simulator;
let browser: Browser;
let page: Page;

t.before(async () => {
  sim = await startSimulator({ seed: 13, accounts: [{ id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-g', recordings: 300, spanDays: 60 }] });
  // voicewipe's ordinary browser identity: the simulator, like Google, refuses a browser that says it is automated.
  const run = await launchBrowser({ headless: true, step_timeout_seconds: 30, run_timeout_minutes: 5 });
  browser = run.browser;
  const context = await run.newContext({ stepTimeoutMs: 30_000 });
  page = await context.newPage();
  await page.goto(`${sim.url}/product/assistant?hl=en`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.locator('#identifierId').fill('g@example.com');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('input[type=password]').fill('pw-g');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForSelector('c-wiz[data-token]');
});
t.teardown(async () => { await browser?.close(); await sim?.close(); });

const dialog = () => page.getByRole('dialog');
/** The dialog's text once a line matching `re` shows (steps draw after the page's own RPC answers). */
async function dialogShows(re: RegExp): Promise<string> {
  let text = '';
  for (const until = Date.now() + 15_000; Date.now() < until; await page.waitForTimeout(100)) {
    text = await dialog().innerText();
    if (re.test(text)) break;
  }
  return text;
}
const others = () => { const a = sim.control.activity('g'); return a.gemini.deleted + a.search.deleted + a.youtube.deleted + a.maps.deleted; };

async function open(faults: Parameters<Simulator['control']['setFaults']>[1] = {}): Promise<void> {
  sim.control.reset('g');
  sim.control.setFaults('g', faults);
  await page.goto(`${sim.url}/product/assistant?hl=en`);
  await page.waitForSelector('c-wiz[data-token]');
  await page.locator('button[aria-label="Delete activity"]').click();
}

t.test('no product step: the confirmation names the product, and only it goes', async (t) => {
  await open();
  await dialog().getByRole('menuitem', { name: 'All time' }).click();
  t.match(await dialogShows(/Products: Assistant\s+Dates: All time/), /Products: Assistant\s+Dates: All time/);
  t.equal(await dialog().getByRole('checkbox').count(), 0, 'no product step');
  await dialog().getByRole('button', { name: 'Delete' }).click();
  await dialog().getByRole('button', { name: 'Got it' }).click();
  t.equal(sim.control.remaining('g'), 0);
  t.equal(others(), 0, 'nothing of another product');
});

t.test('the trap: a dialog that defaults to all products', async (t) => {
  await open({ deleteDialog: 'all-products' });
  await dialog().getByRole('menuitem', { name: 'Last day' }).click();
  t.match(await dialogShows(/Products: All products/), /Products: All products/);
  await dialog().getByRole('button', { name: 'Delete' }).click();
  await dialog().getByRole('button', { name: 'Got it' }).click();
  t.ok(others() > 0, 'a person confirming this loses other products\' activity');
});

t.test('product step: Assistant pre-selected, or everything pre-selected', async (t) => {
  await open({ deleteDialog: 'chooser-assistant' });
  await dialog().getByRole('menuitem', { name: 'All time' }).click();
  const boxes = dialog().getByRole('checkbox');
  t.equal(await boxes.count(), 5);
  t.same(await boxes.evaluateAll((els) => els.filter((e) => (e as HTMLInputElement).checked).map((e) => e.closest('label')!.textContent)), ['Assistant']);
  await dialog().getByRole('button', { name: 'Cancel' }).click();

  await open({ deleteDialog: 'chooser-all' });
  await dialog().getByRole('menuitem', { name: 'All time' }).click();
  t.equal(await dialog().getByRole('checkbox', { checked: true }).count(), 5, 'every product ticked');
  for (const name of ['Gemini Apps', 'Search', 'YouTube', 'Maps']) await dialog().getByRole('checkbox', { name }).click();
  await dialog().getByRole('button', { name: 'Next' }).click();
  t.match(await dialogShows(/Products: Assistant\s+Dates: All time/), /Products: Assistant\s+Dates: All time/);
  await dialog().getByRole('button', { name: 'Delete' }).click();
  await dialog().getByRole('button', { name: 'Got it' }).click();
  t.equal(sim.control.remaining('g'), 0);
  t.equal(others(), 0, 'narrowed: only Assistant went');
});

t.test('date widgets: wrong forms do not take, the calendar does, After alone is open-ended', async (t) => {
  await open();
  await dialog().getByRole('menuitem', { name: 'Custom range' }).click();
  const after = page.locator('#ma-after');
  await after.fill('2026-03-04');
  await after.press('Tab');
  t.equal(await after.inputValue(), '', 'an ISO date does not take');
  await after.fill('03/04/2026');
  await after.press('Tab');
  t.equal(await after.inputValue(), 'Mar 4, 2026', 'MM/DD/YYYY takes, shown with the month\'s name');
  await dialog().getByRole('button', { name: 'Next' }).click();
  t.match(await dialogShows(/Dates: Since Mar 4, 2026/), /Dates: Since Mar 4, 2026/, 'only After: open-ended');
  await dialog().getByRole('button', { name: 'Cancel' }).click();

  await open({ dateTyping: 'ignored' });
  await dialog().getByRole('menuitem', { name: 'Custom range' }).click();
  await page.locator('#ma-before').fill('11/30/2026');
  await page.locator('#ma-before').press('Tab');
  t.equal(await page.locator('#ma-before').inputValue(), '', 'typing ignored');
  await dialog().getByRole('button', { name: 'Choose Before date' }).click();
  const grid = dialog().getByRole('grid');
  const month = await grid.getAttribute('aria-label');
  t.match(month, /^[A-Z][a-z]+ \d{4}$/, 'the calendar names its month');
  await dialog().getByRole('button', { name: 'Previous month' }).click();
  t.not(await grid.getAttribute('aria-label'), month, 'months turn');
  await grid.getByRole('button').nth(9).click();
  t.match(await page.locator('#ma-before').inputValue(), /^[A-Z][a-z]{2} 10, \d{4}$/, 'the picked day shows');
  await dialog().getByRole('button', { name: 'Cancel' }).click();

  await open({ dateTyping: 'dmy' });
  await dialog().getByRole('menuitem', { name: 'Custom range' }).click();
  await page.locator('#ma-after').fill('03/04/2026');
  await page.locator('#ma-after').press('Tab');
  t.equal(await page.locator('#ma-after').inputValue(), 'Apr 3, 2026', 'dmy: the same digits are another day');
  await dialog().getByRole('button', { name: 'Cancel' }).click();
});

t.test('a range with nothing in it offers no Delete button', async (t) => {
  await open();
  await dialog().getByRole('menuitem', { name: 'Custom range' }).click();
  await page.locator('#ma-after').fill('01/01/2001');
  await page.locator('#ma-before').fill('01/31/2001');
  await page.locator('#ma-before').press('Tab');
  await dialog().getByRole('button', { name: 'Next' }).click();
  t.match(await dialogShows(/No activity to delete in this range/), /No activity to delete in this range/);
  t.equal(await dialog().getByRole('button', { name: 'Delete' }).count(), 0);
  await dialog().getByRole('button', { name: 'Cancel' }).click();
});

t.test('per-item trash opens a small confirmation with its own Delete button', async (t) => {
  await open({ itemConfirm: true });
  await dialog().getByRole('button', { name: 'Cancel' }).click();
  const before = sim.control.remaining('g');
  await page.locator('button[aria-label^="Delete activity item"]').first().click();
  t.match(await dialogShows(/Delete activity item\?/), /Delete activity item\?/);
  t.equal(sim.control.remaining('g'), before, 'nothing yet');
  await dialog().getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alert').filter({ hasText: 'Item deleted' }).waitFor();
  t.equal(sim.control.remaining('g'), before - 1);
});
