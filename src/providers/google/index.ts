// The Google Assistant (and Gemini) provider. Google blocks automated sign-in, so this provider never touches a
// sign-in form: it reuses the browser state a person left behind when signing in once from the status page,
// and reports `needs_login` when that state no longer works. Counting goes through the page's own start-up list
// request (with its product filter; every item's product is checked), else through the page; deleting goes
// through the page's dialog, read back before the final click (dialog.ts). Only Assistant's activity (and
// Gemini's with include_gemini) is ever deleted: each from its own page, each proved.
import { PurgeError } from '../../purge/errors.ts';
import { documentProblem, watchDocuments } from '../document-status.ts';
import type { Inventory, Provider, ProviderSession } from '../types.ts';
import { deleteThroughPage, listViaPage } from './activity.ts';
import { listViaRpc } from './rpc.ts';
import type { Listing, ListOptions } from './rpc.ts';
import { MARKERS, PATHS, PRODUCTS } from './selectors.ts';
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

/** The products this account deletes from: Assistant, and Gemini with include_gemini. */
export function productsOf(s: ProviderSession): GoogleProduct[] {
  return s.account.include_gemini ? [PRODUCTS.assistant, PRODUCTS.gemini] : [PRODUCTS.assistant];
}

/** The key of an item in Inventory.items and the kept list: product-prefixed, so products cannot collide. */
export const itemKey = (product: string, token: string) => `${product}:${token}`;

/** Opens a My Activity page and checks it is the signed-in app; anything else needs a person or is unknown. */
export async function openPage(s: ProviderSession, path: string): Promise<void> {
  watchDocuments(s.page);
  await s.step(`open My Activity ${path}`, () => s.page.goto(`${s.origin}${path}?hl=en`, { waitUntil: 'domcontentloaded' }));
  const problem = documentProblem(s.page, 'Google');
  if (problem) throw problem;
  const html = await s.page.content();
  if (html.includes(MARKERS.signedOut) || /\/(v3\/)?signin\/|ServiceLogin/.test(new URL(s.page.url()).pathname)) {
    throw new PurgeError('needs_login', 'Google is signed out: a person must sign in once from the status page (Google blocks automated sign-in)');
  }
  if (html.includes(MARKERS.identityCheck)) {
    throw new PurgeError('needs_login', 'Google wants a person to confirm it is them ("Verify it\'s you"): sign in from the status page');
  }
  if (!html.includes(MARKERS.app)) throw new PurgeError('page_changed', `My Activity at ${path} is not the page voicewipe knows`);
}

/** Lists a product's page: its own start-up list request, else the page itself; foreign items end the run. */
export async function listProduct(s: ProviderSession, product: GoogleProduct, o: Omit<ListOptions, 'product'>): Promise<Listing> {
  if (new URL(s.page.url()).pathname !== product.path) await openPage(s, product.path);
  const viaRpc = await listViaRpc(s, product.path, { ...o, product });
  if (viaRpc) {
    if (viaRpc.cutShort) s.observations.notes.push(`${product.label}: counting stopped early (${viaRpc.cutShort}): the count is "at least"`);
    // The page shows records but its list call returns none: the call is not what the page uses any more.
    if (viaRpc.items.size === 0 && o.stopBefore === undefined && await s.page.locator('[role=listitem]').count() > 0) {
      throw new PurgeError('page_changed', `My Activity's ${product.label} page shows activity, but its list request returns none`);
    }
    return viaRpc;
  }
  s.observations.notes.push(`the page's own list request did not check out on ${product.path}; read the page instead`);
  const listing = await listViaPage(s, product);
  if (o.stopBefore !== undefined) for (const [token, item] of listing.items) if (item.ts < o.stopBefore) listing.items.delete(token);
  return listing;
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
    // exact and items: the runner's "at least N" and the ages of pending items (src/providers/types.ts).
    const inventory = { count, oldest_at: oldest, newest_at: newest, exact, items };
    return inventory;
  },

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
