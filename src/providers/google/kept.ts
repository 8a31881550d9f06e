// The Google records a purge must NOT delete, listed cheaply so the runner can prove none went (its survivor
// check, `over_deleted`): this account's Assistant (and Gemini) items at or after the cut-off, from each
// product's own page, and the other products' items (Search, YouTube, Maps, …) that the all-activity page
// lists, newest first and bounded. Keys are product-prefixed, so two products' tokens cannot collide.
import { PurgeError } from '../../errors.ts';
import type { ProviderSession } from '../types.ts';
import { itemKey, listProduct, openPage, productsOf } from './pages.ts';
import { listViaRpc } from './rpc.ts';
import { PATHS, productKey } from './selectors.ts';

/** Bounds on the kept list: the newest part is what a wrong delete takes first. */
const KEPT_BUDGET_MS = 30_000;
const KEPT_MAX_PAGES = 20;

export interface KeptItems { items: Map<string, number>; complete: boolean }

export async function keptItems(s: ProviderSession, cutoff: number): Promise<KeptItems> {
  const items = new Map<string, number>();
  let complete = true;
  const mine = productsOf(s);
  for (const product of mine) {
    const listing = await listProduct(s, product, { stopBefore: cutoff, budgetMs: KEPT_BUDGET_MS, maxPages: KEPT_MAX_PAGES * 10 });
    complete &&= listing.exact;
    for (const [token, { ts }] of listing.items) items.set(itemKey(product.code, token), ts);
  }
  // Other products: the all-activity page's own start-up request lists every product.
  try {
    await openPage(s, PATHS.all);
  } catch (err) {
    if (!(err instanceof PurgeError) || err.kind !== 'page_changed') throw err;
    s.observations.notes.push('the all-activity page is not one voicewipe knows: other products\' activity is not in the survivor check');
    return { items, complete };
  }
  const all = await listViaRpc(s, PATHS.all, { budgetMs: KEPT_BUDGET_MS, maxPages: KEPT_MAX_PAGES });
  if (!all) {
    s.observations.notes.push('the all-activity page has no list request voicewipe can read: other products\' activity is not in the survivor check');
    return { items, complete };
  }
  let others = 0;
  for (const [token, { ts, product }] of all.items) {
    const key = productKey(product);
    if (mine.some((p) => p.code === key)) continue;
    items.set(itemKey(key, token), ts);
    others++;
  }
  s.observations.notes.push(`survivor check: ${items.size - others} ${mine.map((p) => p.label).join('/')} item(s) at or after the cut-off, ${others} of other products`);
  return { items, complete: complete && all.exact };
}
