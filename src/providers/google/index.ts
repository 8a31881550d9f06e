// The Google Assistant (and Gemini) provider. Google blocks automated sign-in, so this provider never touches a
// sign-in form: it reuses the browser state a person left behind when signing in once from the status page,
// and reports `needs_login` when that state no longer works. Counting goes through the page's own start-up list
// request (with its product filter; every item's product is checked), else through the page; deleting goes
// through the page's dialog, read back before the final click (dialog.ts). Only Assistant's activity (and
// Gemini's with include_gemini) is ever deleted: each from its own page, each proved.
import type { Inventory, Provider, ProviderSession } from '../types.ts';
import { deleteThroughPage } from './activity.ts';
import { keptItems } from './kept.ts';
import { itemKey, listProduct, openPage, productsOf } from './pages.ts';
import { MARKERS, PATHS } from './selectors.ts';
import type { GoogleProduct } from './selectors.ts';

/** Bounds on one counting pass: past them the count is "at least N" (exact: false). */
const COUNT_BUDGET_MS = 120_000;
const COUNT_MAX_PAGES = 5_000;

/** What inventory counted, per product: token → time (ms) of the items older than the cut-off. */
interface GoogleSession { inScope: Map<GoogleProduct['code'], Map<string, number>> }
const sessions = new WeakMap<ProviderSession, GoogleSession>();
function stateOf(s: ProviderSession): GoogleSession {
  let state = sessions.get(s);
  if (!state) { state = { inScope: new Map() }; sessions.set(s, state); }
  return state;
}

export const google: Provider = {
  name: 'google',
  origin: () => 'https://myactivity.google.com',
  // Straight to the sign-in page, which comes back to My Activity (minting its OSID cookie on the way).
  personSignInUrl: (account, origin) => {
    const activity = `${origin}${PATHS.assistant}?hl=en`;
    const accounts = account.base_url ? origin : 'https://accounts.google.com';
    return `${accounts}/ServiceLogin?continue=${encodeURIComponent(account.base_url ? `${PATHS.assistant}?hl=en` : activity)}&hl=en`;
  },
  async isSignedIn(page) {
    const path = new URL(page.url()).pathname;
    if (path !== PATHS.assistant && path !== PATHS.gemini) return false;
    return (await page.content()).includes(MARKERS.app);
  },
  // Google says a deletion "can take up to a day" to show everywhere: items still listed after a short wait
  // are reported as pending and re-checked by the next run, not failed.
  settleMs: 15_000,
  eventual: true,

  async signIn(s) {
    for (const product of productsOf(s)) await openPage(s, product.path);
    return 'session_reused';
  },

  async inventory(s, cutoff): Promise<Inventory> {
    const state = stateOf(s);
    let oldest: number | null = null;
    let newest: number | null = null;
    let count = 0;
    let exact = true;
    const items = new Map<string, number>();
    for (const product of productsOf(s)) {
      const listing = await listProduct(s, product, { budgetMs: COUNT_BUDGET_MS, maxPages: COUNT_MAX_PAGES });
      exact &&= listing.exact;
      const older = new Map<string, number>();
      for (const [token, { ts }] of listing.items) {
        if (ts >= cutoff) continue;
        older.set(token, ts);
        items.set(itemKey(product.code, token), ts);
        if (oldest === null || ts < oldest) oldest = ts;
        if (newest === null || ts > newest) newest = ts;
      }
      state.inScope.set(product.code, older);
      count += older.size;
    }
    // exact: the runner's "at least N"; items: the runner ages pending items by key.
    return { count, exact, oldest_at: oldest, newest_at: newest, items };
  },

  // The survivor check's list: this account's products at or after the cut-off, and other products' activity.
  kept: keptItems,

  async delete(s, cutoff, _found, onProgress) {
    const state = stateOf(s);
    let before = 0;
    for (const product of productsOf(s)) {
      const timestamps = [...(state.inScope.get(product.code) ?? new Map<string, number>()).values()];
      if (timestamps.length === 0) continue;
      await openPage(s, product.path);
      const done = before;
      await deleteThroughPage(s, product, { cutoff, everything: s.account.keep_days === 0, timestamps }, (n) => onProgress(done + n));
      before += timestamps.length;
    }
  },
};
