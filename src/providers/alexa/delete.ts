// Deleting through the Review Voice History page as a person would, since no public client deletes through a
// JSON API today: pick a date filter, "Delete all recordings for <range>", confirm; and per-item deletes for
// the recordings of the cut-off day itself that are older than the cut-off. Day boundaries are the browser's
// local time (the context runs in the configured time zone), as on the real site.
import type { Locator, Page, Response } from 'playwright-core';
import { PurgeError } from '../../purge/errors.ts';
import { retryAfterMs } from '../document-status.ts';
import { locate, locateNow } from '../locate.ts';
import type { Candidate, Target } from '../locate.ts';
import { planDays } from '../days.ts';
import type { ProviderSession } from '../types.ts';
import { ANY_RECORD, HISTORY, LIST_MESSAGES, PATHS } from './selectors.ts';

/** How long the list may take to show after a filter change. */
const LIST_WAIT_MS = 20_000;
/** Per-item deletes on one day: a bound far above what one person says to Alexa in a day. */
const MAX_PER_ITEM = 2_000;

/** A request the page sent under the privacy API that is not a list or token request: the delete. */
export function isDeleteResponse(response: Response): boolean {
  const request = response.request();
  if (request.method() === 'GET') return false;
  const path = new URL(request.url()).pathname;
  return path.startsWith(PATHS.apiPrefix) && path !== PATHS.list && path !== PATHS.listRah && path !== PATHS.csrf;
}

async function must(s: ProviderSession, scope: Page | Locator, target: Target, what: string, timeoutMs = 5_000): Promise<Locator> {
  const found = await locate(scope, target, timeoutMs, s.observations);
  if (!found) throw new PurgeError('page_changed', `Review Voice History: ${what} is not on the page any more`);
  return found;
}

async function listMessage(s: ProviderSession): Promise<string> {
  const message = await locateNow(s.page, HISTORY.message, s.observations);
  return message ? (await message.innerText()).trim() : '';
}

/** Waits until the list shows records (the bulk link enabled) or says it is empty. Returns false when empty. */
async function waitForList(s: ProviderSession): Promise<boolean> {
  const until = Date.now() + LIST_WAIT_MS;
  while (Date.now() < until) {
    if (await locateNow(s.page, HISTORY.deleteAll, s.observations)) return true;
    const message = await listMessage(s);
    if (LIST_MESSAGES.empty.test(message)) return false;
    if (LIST_MESSAGES.error.test(message)) throw new PurgeError('vendor_error', `Review Voice History says: ${message}`);
    await s.sleep(50);
  }
  throw new PurgeError('timeout', 'the recordings list did not load');
}

/** Scrolls until the list says it has no more (records lazy-load about 10 at a time). */
async function loadWholeList(s: ProviderSession): Promise<void> {
  const until = Date.now() + LIST_WAIT_MS * 3;
  let stalledSince = Date.now();
  let lastCount = -1;
  while (Date.now() < until) {
    const message = await listMessage(s);
    if (LIST_MESSAGES.end.test(message) || LIST_MESSAGES.empty.test(message)) return;
    if (LIST_MESSAGES.error.test(message)) throw new PurgeError('vendor_error', `Review Voice History says: ${message}`);
    const count = await (await records(s)).count();
    if (count !== lastCount) { lastCount = count; stalledSince = Date.now(); }
    if (Date.now() - stalledSince > LIST_WAIT_MS) throw new PurgeError('timeout', 'the recordings list stopped loading (lazy load stalled)');
    await s.page.mouse.wheel(0, 4_000);
    await s.sleep(50);
  }
  throw new PurgeError('timeout', 'the recordings list did not finish loading');
}

async function chooseFilter(s: ProviderSession, range: 'all' | { start: string; end: string }): Promise<boolean> {
  const open = await must(s, s.page, HISTORY.filterOpen, 'the filter button');
  await s.step('open the date filter', () => open.click());
  if (range === 'all') {
    const all = await must(s, s.page, HISTORY.allHistory, 'the "All History" filter');
    await s.step('choose All History', () => all.click());
  } else {
    const custom = await must(s, s.page, HISTORY.customRange, 'the "Custom" date filter');
    await s.step('choose a custom range', () => custom.click());
    const start = await must(s, s.page, HISTORY.dateStart, 'the start date field');
    const end = await must(s, s.page, HISTORY.dateEnd, 'the end date field');
    await s.step('type the date range', async () => { await start.fill(range.start); await end.fill(range.end); });
    const apply = await must(s, s.page, HISTORY.apply, 'the Apply button');
    await s.step('apply the date range', () => apply.click());
  }
  return waitForList(s);
}

/** Waits for the delete request a click makes and records it; a refused delete becomes an error kind. */
async function clickDeleting(s: ProviderSession, what: string, button: Locator, force = false): Promise<void> {
  const response = await s.step(what, async () => {
    const answered = s.page.waitForResponse(isDeleteResponse);
    await button.click({ force });
    return answered;
  });
  const status = response.status();
  if (status === 429) {
    throw new PurgeError('rate_limited', 'Amazon asks us to slow down (429) while deleting', { retryAfterMs: retryAfterMs(response.headers()['retry-after']) });
  }
  if (status === 401) throw new PurgeError('needs_login', 'Amazon signed the session out while deleting');
  if (status >= 400) throw new PurgeError('vendor_error', `Amazon refused the delete request (${status})`);
}

/** "Delete all recordings for <range>" on the current filter, confirmed. */
async function deleteDisplayed(s: ProviderSession): Promise<void> {
  const link = await must(s, s.page, HISTORY.deleteAll, 'the "Delete all recordings" link');
  await s.step('ask to delete all displayed recordings', () => link.click());
  const confirm = await must(s, s.page, HISTORY.confirm, 'the confirm button of the delete dialog');
  await clickDeleting(s, 'confirm deleting the range', confirm);
}

/** The listed records, through whichever record selector matches (the class, else list items by role). */
async function records(s: ProviderSession): Promise<Locator> {
  for (const [i, candidate] of HISTORY.record.candidates.entries()) {
    const found = candidate.find(s.page);
    if (await found.count() > 0) {
      s.observations.locators[HISTORY.record.name] = `${candidate.how}#${i}`;
      return found;
    }
  }
  return HISTORY.record.candidates[0].find(s.page);
}

/** Minutes after local midnight of each listed record, parsed from its time ("3:07 PM"), in page order. */
async function recordMinutes(list: Locator, dayStart: number): Promise<(number | null)[]> {
  return list.evaluateAll((boxes, dayStart) => boxes.map((box) => {
    const m = /(\d{1,2}):(\d{2})\s*([AP])\.?M/i.exec((box as HTMLElement).innerText);
    if (!m) return null;
    const d = new Date(dayStart);
    d.setHours((Number(m[1]) % 12) + (m[3].toUpperCase() === 'P' ? 12 : 0), Number(m[2]), 0, 0);
    return d.getTime();
  }), dayStart);
}

/** How one record's delete button is reached, found on the first record and reused for the rest (each
 *  look-up is a round trip to the browser; a page does not mix layouts within one list). */
interface ItemRoute { expand?: Candidate; more?: Candidate; remove: Candidate }

async function itemRoute(s: ProviderSession, box: Locator): Promise<ItemRoute> {
  const route: Partial<ItemRoute> = {};
  const pick = async (target: Target, timeoutMs: number): Promise<Candidate | undefined> => {
    const found = await locate(box, target, timeoutMs, s.observations);
    if (!found) return undefined;
    return target.candidates[Number(s.observations.locators[target.name].split('#')[1])];
  };
  route.expand = await pick(HISTORY.expand, 0);
  if (route.expand) await s.step('expand a recording', () => route.expand!.find(box).first().click());
  route.remove = await pick(HISTORY.deleteOne, 2_000);
  if (!route.remove) {
    route.more = await pick(HISTORY.moreActions, 0);
    if (route.more) {
      await s.step('open the recording\'s menu', () => route.more!.find(box).first().click());
      route.remove = await pick(HISTORY.deleteOne, 2_000);
    }
  }
  if (!route.remove) throw new PurgeError('page_changed', 'a recording has no delete button we recognise');
  return route as ItemRoute;
}

/** Deletes, one at a time, the listed records of the cut-off day that are older than the cut-off. */
async function deleteOlderOnDay(s: ProviderSession, cutoff: number, dayStart: number, onDeleted: () => void): Promise<void> {
  await loadWholeList(s);
  let route: ItemRoute | undefined;
  let deleted = 0;
  // A few passes at most: normally the first one deletes them all and the second finds none left.
  for (let pass = 0; pass < 3; pass++) {
    const list = await records(s);
    const times = await recordMinutes(list, dayStart);
    if (times.some((t) => t === null)) throw new PurgeError('page_changed', 'a recording on the page shows no time we can read');
    // Whole minutes only: a record of the cut-off minute itself is kept (the cut-off is on a minute boundary).
    const targets = times.flatMap((t, i) => (t !== null && t + 60_000 <= cutoff ? [i] : []));
    if (targets.length === 0) return;
    // From the bottom of the list up: deleting a record never moves the ones above it, so the positions read
    // once stay right, and no re-reading of the page is needed between deletes.
    for (const index of targets.reverse()) {
      if (deleted >= MAX_PER_ITEM) throw new PurgeError('vendor_error', `more than ${MAX_PER_ITEM} recordings on one day`);
      const box = list.nth(index);
      if (!route) {
        route = await itemRoute(s, box);
      } else {
        // The layout is known from the first record: skip Playwright's actionability waits (real mouse events all the same).
        if (route.expand) await s.step('expand a recording', () => route!.expand!.find(box).first().click({ force: true }));
        if (route.more) await s.step('open the recording\'s menu', () => route!.more!.find(box).first().click({ force: true }));
      }
      await clickDeleting(s, 'delete one recording', route.remove.find(box).first(), deleted > 0);
      deleted++;
      onDeleted();
    }
    // The page hides a record once its delete is answered: wait until all of them are gone from the list.
    const expected = times.length - targets.length;
    await s.step('wait for the recordings to go', () => s.page.waitForFunction(({ selector, expected }) => document.querySelectorAll(selector).length <= expected,
      { selector: ANY_RECORD, expected }, { polling: 'raf' }));
  }
  throw new PurgeError('verification_failed', 'recordings of the cut-off day stayed on the page after deleting them');
}

export interface DeletePlan {
  cutoff: number;
  /** Delete everything (keep_days: 0): one "All History" delete. */
  everything: boolean;
  /** Timestamps of the records in scope, to report progress per range. */
  timestamps: number[];
}

export async function deleteThroughPage(s: ProviderSession, plan: DeletePlan, onProgress: (deleted: number) => void): Promise<void> {
  let deleted = 0;
  const timed = async (key: string, work: () => Promise<void>) => {
    const started = performance.now();
    try { await work(); } finally { s.observations.timings[key] = Math.round(performance.now() - started); }
  };
  if (plan.everything) {
    await timed('delete_range', async () => { if (await chooseFilter(s, 'all')) await deleteDisplayed(s); });
    onProgress(plan.timestamps.length);
    return;
  }
  const oldest = Math.min(...plan.timestamps);
  const days = await planDays(s.page, plan.cutoff, oldest);
  const beforeDay = plan.timestamps.filter((t) => t < days.cutoffDayStart).length;
  if (beforeDay > 0) {
    await timed('delete_range', async () => { if (await chooseFilter(s, { start: days.oldestDay, end: days.dayBefore })) await deleteDisplayed(s); });
    deleted += beforeDay;
    onProgress(deleted);
  }
  if (plan.timestamps.some((t) => t >= days.cutoffDayStart)) {
    await timed('delete_items', async () => {
      if (await chooseFilter(s, { start: days.cutoffDay, end: days.cutoffDay })) {
        await deleteOlderOnDay(s, plan.cutoff, days.cutoffDayStart, () => { deleted++; onProgress(deleted); });
      }
    });
  }
}
