// Listing through the page's own batchexecute RPC. The request is the page's own start-up list request
// (AF_dataServiceRequests, which carries the product filter), sent again with the next cursor: a hand-made one
// that relies on `source-path` alone may list every product. Every listed item's product is checked. Tokens
// from WIZ_global_data (SNlM0e → at, FdrFJe → f.sid, cfb2h → bl). Read-only.
import { PurgeError } from '../../errors.ts';
import { retryAfterMs } from '../document-status.ts';
import type { ProviderSession } from '../types.ts';
import { PATHS, RPC, STARTUP_REQUESTS } from './selectors.ts';

export interface WizTokens { at: string; fsid: string; bl: string }

/** One listed item: its time (ms) and the product the list names. */
export interface ListedItem { ts: number; product: string }

export interface Listing {
  /** Delete token → item. */
  items: Map<string, ListedItem>;
  /** False when the listing stopped before the list's end (time bound, repeated cursor, page bound). */
  exact: boolean;
  /** Why it stopped early, for the run's notes. */
  cutShort?: string;
}

export interface ListOptions {
  /** The product every item must belong to (its name as the page shows it); undefined: any product. */
  product?: { label: string; name: RegExp };
  /** Stop once items older than this (ms) show up: the list is newest first. */
  stopBefore?: number;
  /** Time bound for the whole listing. */
  budgetMs: number;
  maxPages: number;
}

export async function wizTokens(s: ProviderSession): Promise<WizTokens | undefined> {
  const wiz = await s.page.evaluate(() => (window as unknown as { WIZ_global_data?: Record<string, unknown> }).WIZ_global_data ?? null);
  if (!wiz || typeof wiz.SNlM0e !== 'string' || typeof wiz.FdrFJe !== 'string' || typeof wiz.cfb2h !== 'string') return undefined;
  return { at: wiz.SNlM0e, fsid: wiz.FdrFJe, bl: wiz.cfb2h };
}

/** The page's own start-up `y3VFHd` request arguments, or undefined when the page carries none. */
export async function startupListArgs(s: ProviderSession): Promise<unknown[] | undefined> {
  const found = await s.page.evaluate(({ global, rpc }) => {
    const requests = (window as unknown as Record<string, unknown>)[global];
    if (!requests || typeof requests !== 'object') return null;
    for (const entry of Object.values(requests as Record<string, { id?: unknown; request?: unknown }>)) {
      if (entry && entry.id === rpc && Array.isArray(entry.request)) return JSON.stringify(entry.request);
    }
    return null;
  }, { global: STARTUP_REQUESTS, rpc: RPC.list });
  return found ? JSON.parse(found) as unknown[] : undefined;
}

/** Parses `)]}'` + length-prefixed frames and returns the JSON payload of the `wrb.fr` entry for `rpc`. */
export function rpcPayload(body: string, rpc: string): unknown {
  if (!body.startsWith(")]}'")) return undefined;
  for (const line of body.split('\n')) {
    if (!line.startsWith('[')) continue;
    let frame: unknown;
    try { frame = JSON.parse(line); } catch { continue; }
    if (!Array.isArray(frame)) continue;
    for (const entry of frame) {
      if (Array.isArray(entry) && entry[0] === 'wrb.fr' && entry[1] === rpc && typeof entry[2] === 'string') {
        try { return JSON.parse(entry[2]); } catch { return undefined; }
      }
    }
  }
  return undefined;
}

/** Counts of items per product name, for a message ("Search: 12, YouTube: 3"). */
function tally(names: string[]): string {
  const n = new Map<string, number>();
  for (const name of names) n.set(name, (n.get(name) ?? 0) + 1);
  return [...n].map(([k, v]) => `${k}: ${v}`).join(', ');
}

/**
 * Lists the page's items through its own start-up request, newest first, bounded by time and pages, stopping
 * on a repeated cursor. Undefined when the page has no start-up request or the reply's shape does not check
 * out (the caller reads the page instead). Items of another product end the run (`page_changed`).
 */
export async function listViaRpc(s: ProviderSession, sourcePath: string, o: ListOptions): Promise<Listing | undefined> {
  const tokens = await wizTokens(s);
  const startup = await startupListArgs(s);
  if (!tokens || !startup) return undefined;
  const items = new Map<string, ListedItem>();
  const seen = new Set<string>();
  const until = Date.now() + o.budgetMs;
  let cursor: string | null = null;
  for (let page = 0; page < o.maxPages; page++) {
    if (Date.now() > until) return { items, exact: false, cutShort: `the list took longer than ${Math.round(o.budgetMs / 1000)} s` };
    const args = structuredClone(startup);
    args[1] = cursor;
    const query = new URLSearchParams({ rpcids: RPC.list, 'source-path': sourcePath, 'f.sid': tokens.fsid, bl: tokens.bl, hl: 'en', rt: 'c' });
    const form = new URLSearchParams({ 'f.req': JSON.stringify([[[RPC.list, JSON.stringify(args), null, 'generic']]]), at: tokens.at });
    const res = await s.step('list activity', () => s.page.request.post(`${s.origin}${PATHS.batchexecute}?${query}`, {
      data: form.toString(), failOnStatusCode: false, maxRedirects: 0,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', 'x-same-domain': '1', origin: s.origin, referer: `${s.origin}${sourcePath}` },
    }));
    const status = res.status();
    if (status !== 200) await res.dispose();
    if (status === 401) throw new PurgeError('needs_login', 'Google signed this session out: sign in again from the status page');
    if (status === 429 || status === 403) {
      // Google's answer to too much: back off hard (hours), and tell the person.
      throw new PurgeError('rate_limited', `Google refused the list request (${status})`, { retryAfterMs: retryAfterMs(res.headers()['retry-after']) ?? 6 * 3_600_000 });
    }
    if (status >= 500) throw new PurgeError('vendor_error', `Google's list request failed with ${status}`);
    if (status !== 200) return undefined;
    const body = await res.text();
    await res.dispose(); // Playwright keeps answers' bodies until disposed
    const payload = rpcPayload(body, RPC.list);
    if (!Array.isArray(payload) || !Array.isArray(payload[0])) return undefined;
    const foreign: string[] = [];
    let older = false;
    for (const item of payload[0] as unknown[]) {
      if (!Array.isArray(item) || typeof item[4] !== 'number' || typeof item[5] !== 'string' || typeof item[1] !== 'string') return undefined;
      if (o.product && !o.product.name.test(item[1].trim())) { foreign.push(item[1]); continue; }
      const ts = Math.floor(item[4] / 1000);
      if (o.stopBefore !== undefined && ts < o.stopBefore) { older = true; continue; }
      items.set(item[5], { ts, product: item[1].trim() });
    }
    if (foreign.length) {
      throw new PurgeError('page_changed', `My Activity's ${o.product!.label} list (the page's own request) also lists other products' activity ` +
        `(${tally(foreign)}): nothing was counted or deleted`);
    }
    cursor = typeof payload[1] === 'string' && payload[1] ? payload[1] : null;
    if (!cursor || older) return { items, exact: true };
    if (seen.has(cursor)) return { items, exact: false, cutShort: 'the list repeated a page (same cursor twice)' };
    seen.add(cursor);
  }
  return { items, exact: false, cutShort: `the list did not end within ${o.maxPages} pages` };
}
