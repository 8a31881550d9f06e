// `POST /_/FootprintsMyactivityUi/data/batchexecute`: the My Activity page's own RPC endpoint.
// Request: query `rpcids`, `source-path`, `f.sid`, `bl`, `hl`, `rt=c`; form body `f.req=[[["<id>","<json args>",null,"generic"]]]`
// and `at=<SNlM0e>`. Reply: `)]}'`, a blank line, then frames, each a length line and a JSON line.
// RPCs: `y3VFHd` list (args[1] = cursor, args[2] = product filter such as `["assistant"]`; reply payload
// `[items, cursor]`; item [1] = product name, [4] = µs, [5] = token, [19] = device), `TmdDAd` delete by tokens
// (args[0] = tokens), and `Y6Lp2d` delete by time range (args = [startUs, endUs, products, preview?]; with
// preview it only counts). The filter's place and the range RPC are the simulator's guesses (sim/README.md).
import { form, raw, stall, text } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import type { Recording } from '../data.ts';
import { token } from '../state.ts';
import type { AccountState } from '../state.ts';
import { PRODUCTS, PRODUCT_NAMES, isProduct, productOf, storeOf, titleOf } from './products.ts';
import type { Product } from './products.ts';

export const BATCHEXECUTE_PATH = '/_/FootprintsMyactivityUi/data/batchexecute';
export const LIST_RPC = 'y3VFHd';
export const DELETE_RPC = 'TmdDAd';
export const RANGE_DELETE_RPC = 'Y6Lp2d';
export const GOOGLE_PAGE_SIZE = 100;

/** One activity item as the list RPC returns it (a sparse positional array, as protobuf-JSON is). */
export function itemJson(r: Recording, product: Product): unknown[] {
  const item: unknown[] = new Array(20).fill(null);
  item[0] = titleOf(r, product);
  item[1] = PRODUCT_NAMES[product];
  item[2] = r.transcript || null;
  item[3] = r.response || null;
  item[4] = r.ts * 1000;
  item[5] = r.key;
  item[7] = r.utteranceType;
  item[19] = r.deviceName.replace('Echo Show', 'Nest Hub').replace(/Echo( Dot| Pop)?/, 'speaker').replace("Bob's Alexa App", "Bob's Pixel 9");
  return item;
}

// The cursor: the time of the last item given and how many items of exactly that time were given (products'
// items can share a millisecond; ties are ordered by product, then token).
interface Cursor { b: number; k: number }
function encodeCursor(c: Cursor): string { return Buffer.from(JSON.stringify(c)).toString('base64url'); }
function decodeCursor(s: unknown): Cursor | undefined {
  if (typeof s !== 'string' || !s) return undefined;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return typeof c.b === 'number' ? { b: c.b, k: typeof c.k === 'number' ? c.k : 0 } : undefined;
  } catch { return undefined; }
}

/** The start-up list request a page makes (and publishes in AF_dataServiceRequests): its product filter. */
export function startupArgs(product: Product | null): unknown[] {
  return [null, null, product ? [product] : null];
}

/** Which products a list request lists: its filter, else the page's product (source-path), unless the
 *  `mixedList` trap makes an unfiltered (or any) request list every product. */
export function listedProducts(acct: AccountState, args: unknown[], sourcePath: string | null): Product[] {
  const filter = Array.isArray(args[2]) ? args[2].filter(isProduct) : [];
  const mixed = acct.faults.mixedList;
  if (mixed === 'always') return [...PRODUCTS];
  if (filter.length) return filter;
  const page = productOf(sourcePath);
  return page === null || mixed === 'unfiltered' ? [...PRODUCTS] : [page];
}

/** Items newest first below the cursor, and the next cursor, across the given products' activity. */
export function listPayload(acct: AccountState, products: Product[], now: number, cursor?: string | null): [unknown[], string | null] {
  const c = decodeCursor(cursor);
  const merged: [Recording, Product][] = [];
  for (const p of products) {
    const store = storeOf(acct, p);
    store.settle(now);
    for (const r of store.page(-Infinity, Infinity, GOOGLE_PAGE_SIZE + 1 + (c?.k ?? 0), c ? c.b + 1 : undefined)) merged.push([r, p]);
  }
  merged.sort((a, b) => b[0].ts - a[0].ts || PRODUCTS.indexOf(a[1]) - PRODUCTS.indexOf(b[1]) || (a[0].key < b[0].key ? -1 : 1));
  const rest = c ? merged.slice(c.k) : merged;
  const page = rest.slice(0, GOOGLE_PAGE_SIZE);
  if (rest.length <= GOOGLE_PAGE_SIZE) return [page.map(([r, p]) => itemJson(r, p)), null];
  const last = page[page.length - 1][0].ts;
  // Items at the last item's time given so far, this page and (when the cursor was at the same time) before.
  const k = page.filter(([r]) => r.ts === last).length + (c && c.b === last ? c.k : 0);
  return [page.map(([r, p]) => itemJson(r, p)), encodeCursor({ b: last, k })];
}

/** `)]}'` framing: each frame (an array of entries such as `["wrb.fr", id, json, …]`) is one JSON line,
 *  preceded by its length in UTF-16 code units (the JSON line plus its newline). */
export function frame(frames: unknown[][]): string {
  let out = ")]}'\n\n";
  for (const c of frames) {
    const line = JSON.stringify(c) + '\n';
    out += `${line.length}\n${line}`;
  }
  return out;
}

/** Parses a framed reply back into its frames (for tests and clients). */
export function unframe(body: string): unknown[][] {
  if (!body.startsWith(")]}'")) throw new Error('not a batchexecute reply');
  const out: unknown[][] = [];
  let i = body.indexOf('\n\n') + 2;
  while (i < body.length) {
    const nl = body.indexOf('\n', i);
    if (nl < 0) break;
    const len = Number(body.slice(i, nl));
    if (!Number.isFinite(len) || len <= 0) break;
    out.push(JSON.parse(body.slice(nl + 1, nl + 1 + len)));
    i = nl + 1 + len;
  }
  return out;
}


/** Deletes keys of one product's activity, honouring the traps: silent deletes, deletes that show up only
 *  later (eventual), and the n oldest Assistant items that never go away. */
function deleteItems(ctx: Ctx, product: Product, keys: string[]): void {
  const acct = ctx.account!;
  if (acct.faults.silentDelete || keys.length === 0) return;
  const store = storeOf(acct, product);
  store.settle(ctx.state.now());
  const stuck = product === 'assistant' && acct.faults.stuckItems ? new Set(store.keysInRange(-Infinity, Infinity).slice(0, acct.faults.stuckItems)) : undefined;
  const doomed = stuck ? keys.filter((k) => !stuck.has(k)) : keys;
  const later = acct.faults.eventualConsistencyMs;
  if (later) store.deleteLater(doomed, ctx.state.now() + later);
  else store.deleteKeys(doomed);
}

/** The products a range delete names (args[2]); the simulator refuses a range delete that names none. */
function rangeProducts(a: unknown[]): Product[] | undefined {
  const list = Array.isArray(a[2]) ? a[2] : [];
  return list.length && list.every(isProduct) ? list as Product[] : undefined;
}

async function batchexecute(ctx: Ctx): Promise<void> {
  const acct = ctx.account!;
  const q = ctx.url.searchParams;
  const body = form(ctx);
  const rpcids = q.get('rpcids') ?? '';
  ctx.kind = `google.rpc.${rpcids}`;
  const fail = (status: number, why: string) => { ctx.kind += `.${why}`; text(ctx, `Error ${status} (${why})`, status); };
  if (q.get('f.sid') !== acct.fsid) return fail(400, 'bad_fsid');
  const at = body.get('at');
  if (!at || at !== acct.at) return fail(403, 'bad_at');
  let calls: unknown;
  try { calls = JSON.parse(body.get('f.req') ?? ''); } catch { return fail(400, 'bad_freq'); }
  if (!Array.isArray(calls) || !Array.isArray(calls[0])) return fail(400, 'bad_freq');
  const sourcePath = q.get('source-path');
  const now = ctx.state.now();
  const chunks: unknown[] = [];
  ctx.logBody = calls[0];
  for (const call of calls[0] as unknown[]) {
    if (!Array.isArray(call) || typeof call[0] !== 'string' || typeof call[1] !== 'string') return fail(400, 'bad_freq');
    const [rpc, argText] = call as [string, string];
    let args: unknown;
    try { args = JSON.parse(argText); } catch { return fail(400, 'bad_args'); }
    const a = Array.isArray(args) ? args : [];
    let payload: unknown;
    if (rpc === LIST_RPC) {
      const cursor = typeof a[1] === 'string' ? a[1] : null;
      const stallFault = acct.faults.lazyLoadStall;
      if (cursor && stallFault) {
        ctx.kind += '.stalled';
        await stall(ctx, typeof stallFault === 'number' ? stallFault : 2 ** 31 - 1);
        if (ctx.res.destroyed) return;
      }
      const listed = listPayload(acct, listedProducts(acct, a, sourcePath), ctx.state.now(), cursor);
      // The listLoop trap: a page that points back at itself.
      if (acct.faults.listLoop && cursor) listed[1] = cursor;
      payload = listed;
    } else if (rpc === DELETE_RPC) {
      // A token is one item of whichever product holds it: per-item deletes are not filtered by the page.
      const tokens = (Array.isArray(a[0]) ? a[0] : []).flat().filter((t): t is string => typeof t === 'string');
      for (const p of PRODUCTS) deleteItems(ctx, p, tokens.filter((t) => storeOf(acct, p).get(t)));
      payload = [];
    } else if (rpc === RANGE_DELETE_RPC) {
      const [startUs, endUs, , preview] = a;
      const products = rangeProducts(a);
      if (typeof startUs !== 'number' || typeof endUs !== 'number' || !products) return fail(400, 'bad_args');
      const from = Math.ceil(startUs / 1000);
      const to = Math.floor(endUs / 1000);
      if (preview === true) {
        ctx.kind += '.preview';
        payload = [products.reduce((n, p) => { storeOf(acct, p).settle(now); return n + storeOf(acct, p).count(from, to); }, 0)];
      } else {
        for (const p of products) deleteItems(ctx, p, storeOf(acct, p).keysInRange(from, to));
        payload = [];
      }
    } else {
      return fail(400, 'unknown_rpc');
    }
    chunks.push(['wrb.fr', rpc, JSON.stringify(payload), null, null, null, 'generic']);
  }
  if (acct.faults.csrfRotation) { delete acct.faults.csrfRotation; acct.at = `AOeR${token(24)}:${now}`; }
  chunks.push(['di', 40 + Math.floor(Math.random() * 40)], ['af.httprm', 39, String(-Math.floor(Math.random() * 1e18)), 12]);
  // Two frames, as Google sends them: the results, then the end marker.
  raw(ctx, 200, 'application/json; charset=utf-8', frame([chunks, [['e', 4, null, null, 0]]]), { 'x-content-type-options': 'nosniff' });
}

export function batchexecuteRoutes(): Route[] {
  return [{
    method: 'POST', path: BATCHEXECUTE_PATH, vendor: 'google', signedIn: true,
    signedOut: (ctx) => { ctx.kind = 'google.rpc.signed_out'; text(ctx, 'Error 401 (Unauthorized)', 401); },
    handle: batchexecute,
  }];
}
