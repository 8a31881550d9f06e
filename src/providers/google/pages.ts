// Opening and listing My Activity pages for the Google provider: which products an account deletes from, the
// signed-in check of a page, and one product's listing (its own start-up request, else the page itself).
import { PurgeError } from '../../errors.ts';
import { documentProblem, watchDocuments } from '../document-status.ts';
import type { ProviderSession } from '../types.ts';
import { listViaPage } from './activity.ts';
import { listViaRpc } from './rpc.ts';
import type { Listing, ListOptions } from './rpc.ts';
import { MARKERS, PRODUCTS } from './selectors.ts';
import type { GoogleProduct } from './selectors.ts';

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

