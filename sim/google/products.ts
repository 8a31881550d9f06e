// The products whose activity one simulated Google account holds (Assistant, Gemini, Search, YouTube, Maps), so
// that a delete of the wrong product is visible through the control API, and what each product's items say.
import { RecordStore, generateRecordings } from '../data.ts';
import type { Recording } from '../data.ts';
import type { AccountState, SimAccount } from '../state.ts';

export const PRODUCTS = ['assistant', 'gemini', 'search', 'youtube', 'maps'] as const;
export type Product = typeof PRODUCTS[number];
export type OtherProduct = Exclude<Product, 'assistant' | 'gemini'>;

/** The product's name as the page shows it (item [1] of the list RPC, the dialog's check boxes). */
export const PRODUCT_NAMES: Record<Product, string> = {
  assistant: 'Assistant', gemini: 'Gemini Apps', search: 'Search', youtube: 'YouTube', maps: 'Maps',
};

export function isProduct(v: unknown): v is Product {
  return typeof v === 'string' && (PRODUCTS as readonly string[]).includes(v);
}

/** The product a page path belongs to; null for the all-activity page (`/myactivity`). */
export function productOf(path: string | null): Product | null {
  const m = /^\/product\/(\w+)/.exec(path ?? '');
  return m && isProduct(m[1]) ? m[1] : path?.startsWith('/myactivity') ? null : 'assistant';
}

export function storeOf(acct: AccountState, product: Product): RecordStore {
  if (product === 'assistant') return acct.store;
  if (product === 'gemini') return acct.gemini;
  return acct.others[product];
}

/** The timestamps each store held when it was seeded (ascending): the control API's "deleted" is seeded −
 *  remaining, over any time span (stores never gain items). */
const seeded = new WeakMap<RecordStore, number[]>();
export function seededCount(store: RecordStore, from = -Infinity, to = Infinity): number {
  const ts = seeded.get(store);
  if (!ts) return store.count(from, to);
  const below = (t: number) => { let lo = 0; let hi = ts.length; while (lo < hi) { const mid = (lo + hi) >>> 1; if (ts[mid] < t) lo = mid + 1; else hi = mid; } return lo; };
  return Math.max(0, (to === Infinity ? ts.length : below(to + 1)) - below(from));
}

/** Search, YouTube and Maps activity for a Google account (none for Amazon): fewer items, same seed rules. */
export function otherActivity(a: SimAccount, seed: number, nowMs: number): Record<OtherProduct, RecordStore> {
  const share: Record<OtherProduct, number> = { search: 3, youtube: 4, maps: 6 };
  const out = {} as Record<OtherProduct, RecordStore>;
  let salt = 0x2545f491;
  for (const p of Object.keys(share) as OtherProduct[]) {
    salt = Math.imul(salt, 0x9e3779b1) >>> 0;
    const list = a.vendor === 'google'
      ? generateRecordings({ seed: (seed ^ salt) >>> 0, count: Math.ceil(a.recordings / share[p]), spanDays: a.spanDays, nowMs, customerId: a.customerId, keyStyle: 'google' })
      : [];
    out[p] = new RecordStore(list);
  }
  return out;
}

/** Remembers the seeded sizes of an account's stores (called after every reseed). */
export function markSeeded(acct: AccountState): void {
  for (const p of PRODUCTS) { const s = storeOf(acct, p); seeded.set(s, s.page(-Infinity, Infinity, Infinity).map((r) => r.ts).reverse()); }
}

/** The item's title as My Activity words it for each product. */
export function titleOf(r: Recording, product: Product): string {
  const said = r.transcript || 'something';
  switch (product) {
    case 'search': return `Searched for ${said}`;
    case 'youtube': return `Watched “${said}” on YouTube`;
    case 'maps': return `Searched for ${said} in Maps`;
    case 'gemini': return `Prompted “${said}”`;
    default:
      if (r.utteranceType === 'WAKE_WORD_ONLY') return 'Assistant was activated';
      if (r.utteranceType === 'FALSE_WAKE_WORD') return 'Unknown voice command';
      return `Said “${r.transcript}”`;
  }
}
