// The Amazon Alexa provider: sign in (saved session first), count through the list call the page itself makes
// (classic or Review Alexa History), delete whole days through the page after reading the range back, and
// observe the delete requests the page sends (their path is not public).
import { PurgeError } from '../../errors.ts';
import type { Inventory, KeptList, Provider, ProviderSession } from '../types.ts';
import { CHECKED_LOCATORS, checkSite, requestsSeen } from './check-site.ts';
import { deleteThroughPage, prepareFilter } from './delete.ts';
import { HISTORY_START, LIST_LIMITS, listRecordRanges, listRecords, pageFetcher } from './history.ts';
import type { ListEndpoint, Listing } from './history.ts';
import type { FetchPage } from './split-listing.ts';
import { ANY_RECORD, PATHS } from './selectors.ts';
import { learnEndpoint, onHistory, stateOf } from './session.ts';
import type { AlexaSession } from './session.ts';
import { onHistoryPage, signIn } from './signin.ts';


/** A count of 0 while the page shows records is a changed page, never "nothing to delete": the call we count
 *  through must list what the page's own call listed. */
async function checkNotBlind(s: ProviderSession, state: AlexaSession): Promise<void> {
  const rows = await s.page.locator(ANY_RECORD).count();
  if (rows === 0) return;
  const call = state.watch.lastFirstCall();
  if (!call || call.start === null || call.end === null) {
    throw new PurgeError('page_changed', `the page shows ${rows} recordings but sent no list call we know: the count would be blind`);
  }
  const look = await listRecords(s, state.endpoint, call.start, call.end, 5_000, true);
  if (look.records.size === 0) {
    throw new PurgeError('page_changed', `the page shows ${rows} recordings but ${state.endpoint.path} lists none for the same range: the count would be blind`);
  }
}

/** What the run keeps: from the cut-off on (nothing can be newer than now; a day's margin for a vendor clock
 *  ahead of ours). */
const keptRange = (s: ProviderSession, cutoff: number): [number, number] => [cutoff, Math.max(cutoff, s.now()) + 86_400_000];

function listKept(s: ProviderSession, from: ListEndpoint | FetchPage, cutoff: number): Promise<Listing> {
  const [start, end] = keptRange(s, cutoff);
  return listRecords(s, from, start, end, LIST_LIMITS.keptMs);
}

export const alexa: Provider & { kept(s: ProviderSession, cutoff: number): Promise<KeptList>; checkSite: typeof checkSite; checkedLocators: string[]; requestsSeen: typeof requestsSeen } = {
  name: 'alexa',
  // Every marketplace is www.amazon.<marketplace> (the config validates the list).
  origin: (account) => `https://www.amazon.${account.marketplace}`,
  personSignInUrl: (_account, origin) => `${origin}${PATHS.rvh}`,
  isSignedIn: onHistoryPage,
  // Amazon hides deleted records at once but its backend may take a while; re-count for up to two minutes.
  settleMs: 120_000,

  async signIn(s) {
    stateOf(s);
    return signIn(s);
  },

  async inventory(s, cutoff): Promise<Inventory> {
    const state = stateOf(s);
    state.kept = undefined;
    state.prepared = undefined;
    const listing = await onHistory(s, async () => {
      await learnEndpoint(s, state);
      if (state.deleted) {
        // Verifying: the range deleted lists nothing (one call); only then is what the run keeps listed again,
        // for the survivor check that follows (a range still settling is re-counted first, kept or not).
        const fetchPage = await pageFetcher(s, state.endpoint);
        const left = await listRecords(s, fetchPage, HISTORY_START, cutoff - 1, LIST_LIMITS.countMs);
        if (left.records.size === 0 && left.complete) state.kept = { cutoff, listing: await listKept(s, fetchPage, cutoff) };
        return left;
      }
      // Counting: the range to delete and what the run keeps, listed at once (the survivor check's first look),
      // from Node, while the page sets the delete's filter (read back only once counted). Whatever happens to
      // the count, the filter is waited for before going on: nothing acts on the page behind the run's back.
      const fetchPage = await pageFetcher(s, state.endpoint);
      const preparing = prepareFilter(s, state.watch, fetchPage, cutoff, s.account.keep_days === 0);
      try {
        const [count, kept] = await listRecordRanges(s, fetchPage, [[HISTORY_START, cutoff - 1], keptRange(s, cutoff)], LIST_LIMITS.countMs);
        state.kept = { cutoff, listing: kept };
        return count;
      } finally {
        state.prepared = await preparing;
      }
    });
    let oldest: number | null = null;
    let newest: number | null = null;
    for (const ts of listing.records.values()) {
      if (oldest === null || ts < oldest) oldest = ts;
      if (newest === null || ts > newest) newest = ts;
    }
    const count = listing.records.size;
    if (!listing.complete) s.observations.notes.push(`counted at least ${count}: ${listing.stopped}; deleting goes ahead`);
    if (count === 0) await checkNotBlind(s, state);
    return { count, exact: listing.complete, oldest_at: oldest, newest_at: newest };
  },

  async kept(s, cutoff) {
    const state = stateOf(s);
    // Listed by the count (before deleting) or by the verification that found the range empty (after): once.
    const listed = state.kept?.cutoff === cutoff ? state.kept.listing : undefined;
    state.kept = undefined;
    const listing = listed ?? await onHistory(s, async () => {
      await learnEndpoint(s, state);
      return listKept(s, state.endpoint, cutoff);
    });
    return { items: listing.records, complete: listing.complete };
  },

  async delete(s, cutoff, found, onProgress) {
    const state = stateOf(s);
    const exact = found.exact;
    if (found.count === 0 && exact) return;
    state.kept = undefined;
    state.deleted = true;
    const prepared = state.prepared;
    state.prepared = undefined;
    return onHistory(s, () => deleteThroughPage(s, state.watch, {
      cutoff, everything: s.account.keep_days === 0, count: found.count, exact, oldest: found.oldest_at, newest: found.newest_at,
    }, onProgress, prepared));
  },

  checkSite,
  checkedLocators: CHECKED_LOCATORS,
  requestsSeen,
};
