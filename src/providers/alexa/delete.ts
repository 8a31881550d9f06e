// Deleting through the history page as a person would, since no public client deletes through a JSON API today:
// whole days only, the page's own granularity. keep_days 0: "All History"; keep_days N: a custom range from the
// oldest day to the day before the cut-off day. One range delete, read back first (filter.ts). Per-item deletes
// remain only as a bounded fallback for a page that offers no range delete, and then only for rows the page's
// own list data says are before the cut-off (key and timestamp from the list answer, never the card's text).
import type { Locator } from 'playwright-core';
import { PurgeError } from '../../errors.ts';
import { retryAfterMs } from '../document-status.ts';
import { locate } from '../locate.ts';
import type { Candidate, Target } from '../locate.ts';
import type { DeleteOutcome, ProviderSession } from '../types.ts';
import { planRange } from './dates.ts';
import { applyFilter, fillRange, lastWord, must, openCustomRange, readBackSet, setFilter } from './filter.ts';
import type { Applied, FilterSet, FilterTarget, Intended, RangeFields } from './filter.ts';
import { HISTORY_START, oldestIn } from './history.ts';
import type { FetchPage } from './split-listing.ts';
import { ANY_RECORD, HISTORY } from './selectors.ts';
import { isDeleteResponse } from './watch.ts';
import type { PageWatch } from './watch.ts';

/** Per-item deletes in one run, at most: a fallback, not a way to empty a big account (an object so a test can
 *  lower it). */
export const PER_ITEM = { max: 300 };
/** How long the fallback may scroll to load the rows it deletes. */
const LOAD_ROWS_MS = 30_000;
/** How long the page may take to take the deleted rows away. */
const ROWS_GO_MS = 15_000;

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

export interface DeletePlan {
  cutoff: number;
  /** Delete everything up to the run (keep_days: 0): one "All History" delete. */
  everything: boolean;
  count: number;
  exact: boolean;
  oldest: number | null;
  newest: number | null;
}

/** The intended filter for a plan, with its whole days computed in the page's time zone. */
export async function intendedFor(s: ProviderSession, plan: DeletePlan): Promise<Intended> {
  const base = { count: plan.count, exact: plan.exact, oldest: plan.oldest, newest: plan.newest, cutoff: plan.cutoff };
  if (plan.everything) return { ...base, all: true };
  // The oldest day counted; when the count was cut short the oldest is unknown (lists are newest first), so
  // the range starts at the first day anything could have been recorded.
  const oldest = plan.exact && plan.oldest !== null ? plan.oldest : HISTORY_START;
  return { ...base, range: await planRange(s.page, plan.cutoff, oldest) };
}

/** The filter set while the count ran, or why it could not be set; or only the custom range's fields opened,
 *  when the oldest day was not found. */
export interface Prepared { target: FilterTarget; set?: FilterSet; opened?: RangeFields; error?: unknown }

/** Sets the delete's filter while the count runs: All History, or the oldest recording's day (found in a few
 *  list calls, while the date menus are opened) to the day before the cut-off's day. Proves nothing and deletes
 *  nothing: the read-back waits for the count. Never throws: a filter the page would not take is kept for the
 *  delete to report; an oldest day not found leaves the range's days to the delete. */
export async function prepareFilter(s: ProviderSession, watch: PageWatch, fetchPage: FetchPage, cutoff: number,
  everything: boolean): Promise<Prepared> {
  const started = performance.now();
  let target: FilterTarget = { all: true };
  let finding: Promise<number | undefined> | undefined;
  try {
    if (everything) return { target, set: await setFilter(s, watch, target) };
    finding = oldestIn(s, fetchPage, HISTORY_START, cutoff - 1).catch(() => undefined).finally(() => {
      s.observations.timings.filter_oldest = Math.round(performance.now() - started);
    });
    const opened = await openCustomRange(s, watch);
    const oldest = await finding;
    if (oldest === undefined) {
      s.observations.notes.push('the oldest day was not found while counting: the range is typed once counted');
      return { target, opened };
    }
    target = { range: await planRange(s.page, cutoff, oldest) };
    return { target, set: await fillRange(s, watch, opened, target.range!) };
  } catch (err) {
    return { target, error: err };
  } finally {
    // Nothing goes on behind the run's back: the oldest day's list calls end before this does.
    await finding;
    s.observations.timings.filter_during_count = Math.round(performance.now() - started);
  }
}

/** The prepared filter serves the intended one when it deletes the same days: All History for All History, or a
 *  range ending on the same day that starts no later (no recording is older than the oldest counted). */
function serves(prepared: FilterTarget, want: Intended): boolean {
  if (want.all || prepared.all) return Boolean(want.all && prepared.all);
  const [p, w] = [prepared.range!, want.range!];
  return p.cutoffDayStart === w.cutoffDayStart && p.lastDayStart === w.lastDayStart && p.firstDayStart <= w.firstDayStart;
}

export async function deleteThroughPage(s: ProviderSession, watch: PageWatch, plan: DeletePlan, onProgress: (deleted: number) => void,
  prepared?: Prepared): Promise<DeleteOutcome | undefined> {
  const started = performance.now();
  try {
    let want = await intendedFor(s, plan);
    // A filter that could not be set while counting is the page's answer: it is not tried a second time.
    if (prepared?.error) throw prepared.error;
    let applied: Applied;
    if (prepared?.set && serves(prepared.target, want)) {
      want = { ...want, ...prepared.target };
      applied = await readBackSet(s, watch, want, prepared.set);
    } else if (prepared?.opened && want.range) {
      applied = await readBackSet(s, watch, want, await fillRange(s, watch, prepared.opened, want.range));
    } else {
      applied = await applyFilter(s, watch, want);
    }
    if (applied.rows === 0) {
      applied = await lastWord(s, watch, want, applied);
      if (applied.rows === 0) return;
    }
    const link = await locate(s.page, HISTORY.deleteAll, 2_000, s.observations);
    if (link) {
      // The page's last word is checked with the dialog open, right before the click: the steps in between
      // usually outlast the quiet time, so this rarely waits.
      await deleteDisplayed(s, link, () => lastWord(s, watch, want, applied));
      onProgress(plan.count);
      return;
    }
    s.observations.locators[HISTORY.deleteAll.name] = 'none';
    s.observations.notes.push('no "Delete all recordings" on the page: deleting one by one (bounded fallback)');
    applied = await lastWord(s, watch, want, applied);
    return await deleteRowByRow(s, watch, applied, plan.cutoff, onProgress);
  } finally {
    s.observations.timings.delete_range = Math.round(performance.now() - started);
  }
}

/** Opens the confirm dialog of "Delete all recordings for <range>"; returns its confirm button. */
export async function openConfirm(s: ProviderSession, link: Locator): Promise<Locator> {
  await s.step('ask to delete all displayed recordings', () => link.click());
  return must(s, s.page, HISTORY.confirm, 'the confirm button of the delete dialog');
}

async function deleteDisplayed(s: ProviderSession, link: Locator, readBackLast: () => Promise<unknown>): Promise<void> {
  const confirm = await openConfirm(s, link);
  await readBackLast();
  await clickDeleting(s, 'confirm deleting the range', confirm);
}

/** How one record's delete button is reached, found on the first record and reused for the rest (each
 *  look-up is a round trip to the browser; a page does not mix layouts within one list). */
export interface ItemRoute { expand?: Candidate; more?: Candidate; remove: Candidate }

/** Finds (opening the row's details or ⋮ menu as needed, never clicking delete) how a row is deleted. */
export async function itemRoute(s: ProviderSession, box: Locator): Promise<ItemRoute> {
  const route: Partial<ItemRoute> = {};
  const pickOne = async (target: Target, timeoutMs: number): Promise<Candidate | undefined> => {
    const found = await locate(box, target, timeoutMs, s.observations);
    if (!found) return undefined;
    return target.candidates[Number(s.observations.locators[target.name].split('#')[1])];
  };
  route.expand = await pickOne(HISTORY.expand, 0);
  if (route.expand) await s.step('expand a recording', () => route.expand!.find(box).first().click());
  route.remove = await pickOne(HISTORY.deleteOne, 2_000);
  if (!route.remove) {
    route.more = await pickOne(HISTORY.moreActions, 0);
    if (route.more) {
      await s.step('open the recording\'s menu', () => route.more!.find(box).first().click());
      route.remove = await pickOne(HISTORY.deleteOne, 2_000);
    }
  }
  if (!route.remove) {
    s.observations.locators[HISTORY.deleteOne.name] = 'none';
    throw new PurgeError('page_changed', 'the page offers no range delete, and a recording has no delete control we recognise');
  }
  return route as ItemRoute;
}

/** The fallback: rows of the filtered list, matched to the page's own list answers in order (the page renders
 *  them in that order, de-duplicated), deleted from the bottom up when their record is before the cut-off. */
async function deleteRowByRow(s: ProviderSession, watch: PageWatch, applied: Applied, cutoff: number, onProgress: (deleted: number) => void): Promise<DeleteOutcome | undefined> {
  const rows = s.page.locator(ANY_RECORD);
  const order: [string, number][] = [];
  const seen = new Set<string>();
  const collect = () => {
    for (const call of watch.listingOf(applied.call)) {
      for (const [i, key] of (call.answer?.keys ?? []).entries()) {
        if (seen.has(key)) continue;
        seen.add(key);
        order.push([key, call.answer!.times[i]]);
      }
    }
  };
  // The list loads about 10 at a time as it scrolls: scroll until it ends or holds enough rows (bounded).
  const until = Date.now() + LOAD_ROWS_MS;
  let ended = false;
  for (;;) {
    collect();
    const last = watch.listingOf(applied.call).at(-1);
    ended = Boolean(last?.answer && !last.answer.next);
    if (((ended || order.length >= PER_ITEM.max) && await rows.count() === order.length) || Date.now() >= until) break;
    await s.page.mouse.wheel(0, 4_000);
    await s.sleep(100);
  }
  const shown = await rows.count();
  if (shown !== order.length) {
    throw new PurgeError('page_changed', `the page shows ${shown} rows but its list answers hold ${order.length} records: rows cannot be matched to records`);
  }
  const targets = order.flatMap(([, ts], i) => (ts < cutoff ? [i] : []));
  // Bounded on purpose (at most PER_ITEM.max a run, rows loaded for at most LOAD_ROWS_MS): the rest is the next run's.
  const capped = !ended || targets.length > PER_ITEM.max;
  if (capped) s.observations.notes.push(`one by one: ${Math.min(targets.length, PER_ITEM.max)} this run (at most ${PER_ITEM.max} a run); the next run goes on`);
  let route: ItemRoute | undefined;
  let deleted = 0;
  // From the bottom up: deleting a row never moves the ones above it, so the positions read once stay right.
  for (const index of targets.reverse().slice(0, PER_ITEM.max)) {
    const box = rows.nth(index);
    if (!route) {
      route = await itemRoute(s, box);
    } else {
      if (route.expand) await s.step('expand a recording', () => route!.expand!.find(box).first().click({ force: true }));
      if (route.more) await s.step('open the recording\'s menu', () => route!.more!.find(box).first().click({ force: true }));
    }
    await clickDeleting(s, 'delete one recording', route.remove.find(box).first(), deleted > 0);
    deleted++;
    onProgress(deleted);
  }
  // The deleted rows go from the page. A shorter list may load more as it scrolls: those rows count too.
  const gone = Date.now() + ROWS_GO_MS;
  for (;;) {
    collect();
    const shownNow = await rows.count();
    if (shownNow <= order.length - deleted) break;
    if (Date.now() >= gone) throw new PurgeError('timeout', `the page still shows ${shownNow} rows ${ROWS_GO_MS / 1000} s after ${deleted} were deleted (expected at most ${order.length - deleted})`);
    await s.sleep(100);
  }
  return capped ? { capped: PER_ITEM.max } : undefined;
}
