// `voicewipe check-site` for Alexa: the whole purge flow up to, not including, the final delete. Counts a little,
// sets the date filter the run would set and reads it back, finds "Delete all recordings for …", opens the
// confirm dialog and cancels it. Which fallback matched each locator is in the observations.
import { PurgeError } from '../../errors.ts';
import type { ProviderSession } from '../types.ts';
import { intendedFor, itemRoute, openConfirm } from './delete.ts';
import { locate } from '../locate.ts';
import { applyFilter, lastWord, must } from './filter.ts';
import { HISTORY_START, listRecords } from './history.ts';
import { ANY_RECORD, HISTORY } from './selectors.ts';
import { learnEndpoint, onHistory, stateOf } from './session.ts';

/** The locators the walk needs, in the order it meets them (the table's rows). */
export const CHECKED_LOCATORS = [HISTORY.filterOpen, HISTORY.dateMenu, HISTORY.dateOptions, HISTORY.allHistory, HISTORY.customRange,
  HISTORY.optionRadio, HISTORY.dateStart, HISTORY.dateEnd, HISTORY.calendar, HISTORY.apply, HISTORY.filterLabel, HISTORY.deleteAll,
  HISTORY.confirm, HISTORY.cancel, HISTORY.expand, HISTORY.moreActions, HISTORY.deleteOne].map((t) => t.name);

/** Walks the flow; throws PurgeError where it stops. Never clicks the final delete. */
export async function checkSite(s: ProviderSession, cutoff: number): Promise<void> {
  const state = stateOf(s);
  await onHistory(s, async () => {
    await learnEndpoint(s, state);
    // A short look only: the walk needs the oldest day when it can get it, not an exact count.
    const listing = await listRecords(s, state.endpoint, HISTORY_START, cutoff - 1, 10_000);
    let oldest: number | null = null;
    let newest: number | null = null;
    for (const ts of listing.records.values()) {
      if (oldest === null || ts < oldest) oldest = ts;
      if (newest === null || ts > newest) newest = ts;
    }
    const plan = { cutoff, everything: s.account.keep_days === 0, count: listing.records.size, exact: listing.complete, oldest, newest };
    s.observations.notes.push(`in scope: ${listing.complete ? '' : 'at least '}${plan.count}`);
    let want = await intendedFor(s, plan);
    let applied = await lastWord(s, state.watch, want, await applyFilter(s, state.watch, want));
    if (applied.rows === 0 && !plan.everything) {
      // Nothing to delete in the range: the delete control only shows over records, so look at All History
      // for it (the dialog is cancelled all the same).
      s.observations.notes.push('nothing in the range: checking the delete control on All History');
      want = { all: true, count: 0, exact: false, oldest: null, newest: null, cutoff: Number.MAX_SAFE_INTEGER };
      applied = await lastWord(s, state.watch, want, await applyFilter(s, state.watch, want));
    }
    if (applied.rows === 0) {
      s.observations.notes.push('the account has no recordings: the delete control cannot be shown');
      throw new PurgeError('page_changed', 'no recordings on the page, so the delete control and its dialog could not be checked');
    }
    const deletesBefore = s.observations.delete_requests.length;
    const link = await locate(s.page, HISTORY.deleteAll, 2_000, s.observations);
    if (!link) {
      // A page without a range delete: the run falls back to per-item deletes, so check the first row's control.
      s.observations.locators[HISTORY.deleteAll.name] = 'not on this page';
      s.observations.notes.push('no range delete on this page: the run deletes one by one (bounded); checked the first row\'s control');
      const route = await itemRoute(s, s.page.locator(ANY_RECORD).first());
      if (route.more) await s.page.keyboard.press('Escape');
      if (s.observations.delete_requests.length > deletesBefore) throw new PurgeError('page_changed', 'finding a row\'s delete control sent a delete request');
      return;
    }
    await openConfirm(s, link);
    const cancel = await must(s, s.page, HISTORY.cancel, 'the cancel button of the delete dialog');
    await s.step('cancel the delete dialog', () => cancel.click());
    await s.sleep(500);
    if (s.observations.delete_requests.length > deletesBefore) {
      throw new PurgeError('page_changed', 'cancelling the delete dialog sent a delete request');
    }
    if (await HISTORY.confirm.candidates[0].find(s.page).isVisible().catch(() => false)) {
      throw new PurgeError('page_changed', 'the delete dialog stayed open after cancel');
    }
  });
}

/** Requests the page sent under the privacy API (method and path only), for the check's report. */
export function requestsSeen(s: ProviderSession): string[] {
  return [...stateOf(s).watch.paths];
}
