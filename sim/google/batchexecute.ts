// `POST /_/FootprintsMyactivityUi/data/batchexecute`: the My Activity page's own RPC endpoint.
// Request: query `rpcids`, `source-path`, `f.sid`, `bl`, `hl`, `rt=c`; form body `f.req=[[["<id>","<json args>",null,"generic"]]]`
// and `at=<SNlM0e>`. Reply: `)]}'`, a blank line, then frames, each a length line and a JSON line.
// RPCs: `y3VFHd` list (args[1] = cursor; reply payload `[items, cursor]`; item [4] = µs, [5] = token, [19] = device),
// `TmdDAd` delete by tokens (args[0] = tokens), and `Y6Lp2d` delete by time range (args = [startUs, endUs];
// the real range RPC is unknown: this id is the simulator's choice).
import { form, raw, stall, text } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import type { Recording, RecordStore } from '../data.ts';
import { token } from '../state.ts';
import type { AccountState } from '../state.ts';

export const BATCHEXECUTE_PATH = '/_/FootprintsMyactivityUi/data/batchexecute';
export const LIST_RPC = 'y3VFHd';
export const DELETE_RPC = 'TmdDAd';
export const RANGE_DELETE_RPC = 'Y6Lp2d';
export const GOOGLE_PAGE_SIZE = 100;

export type Product = 'assistant' | 'gemini';

export function productOf(path: string | null): Product {
  return path && path.includes('gemini') ? 'gemini' : 'assistant';
}

export function storeOf(acct: AccountState, product: Product): RecordStore {
  return product === 'gemini' ? acct.gemini : acct.store;
}

function title(r: Recording): string {
  if (r.utteranceType === 'WAKE_WORD_ONLY') return 'Assistant was activated';
  if (r.utteranceType === 'FALSE_WAKE_WORD') return 'Unknown voice command';
  return `Said “${r.transcript}”`;
}

/** One activity item as the list RPC returns it (a sparse positional array, as protobuf-JSON is). */
export function itemJson(r: Recording, product: Product): unknown[] {
  const item: unknown[] = new Array(20).fill(null);
  item[0] = title(r);
  item[1] = product === 'gemini' ? 'Gemini Apps' : 'Assistant';
  item[2] = r.transcript || null;
  item[3] = r.response || null;
  item[4] = r.ts * 1000;
  item[5] = r.key;
  item[7] = r.utteranceType;
  item[19] = r.deviceName.replace('Echo Show', 'Nest Hub').replace(/Echo( Dot| Pop)?/, 'speaker').replace("Bob's Alexa App", "Bob's Pixel 9");
  return item;
}

interface Cursor { b: number }
function encodeCursor(b: number): string { return Buffer.from(JSON.stringify({ b })).toString('base64url'); }
function decodeCursor(s: unknown): Cursor | undefined {
  if (typeof s !== 'string' || !s) return undefined;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return typeof c.b === 'number' ? c : undefined;
  } catch { return undefined; }
}

/** Items newest first below the cursor, and the next cursor. Used by the RPC and the page's bootstrap data. */
export function listPayload(acct: AccountState, product: Product, now: number, cursor?: string | null): [unknown[], string | null] {
  const store = storeOf(acct, product);
  store.settle(now);
  const c = decodeCursor(cursor);
  const page = store.page(-Infinity, Infinity, GOOGLE_PAGE_SIZE, c?.b);
  const last = page[page.length - 1];
  const next = page.length === GOOGLE_PAGE_SIZE && store.page(-Infinity, Infinity, 1, last.ts).length ? encodeCursor(last.ts) : null;
  return [page.map((r) => itemJson(r, product)), next];
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


function deleteTokens(ctx: Ctx, store: RecordStore, tokens: string[]): void {
  const acct = ctx.account!;
  if (acct.faults.silentDelete) return;
  const later = acct.faults.eventualConsistencyMs;
  if (later) store.deleteLater(tokens, ctx.state.now() + later);
  else store.deleteKeys(tokens);
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
  const product = productOf(q.get('source-path'));
  const store = storeOf(acct, product);
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
      payload = listPayload(acct, product, ctx.state.now(), cursor);
    } else if (rpc === DELETE_RPC) {
      const tokens = (Array.isArray(a[0]) ? a[0] : []).flat().filter((t): t is string => typeof t === 'string');
      store.settle(now);
      deleteTokens(ctx, store, tokens);
      payload = [];
    } else if (rpc === RANGE_DELETE_RPC) {
      const [startUs, endUs] = a;
      if (typeof startUs !== 'number' || typeof endUs !== 'number') return fail(400, 'bad_args');
      store.settle(now);
      deleteTokens(ctx, store, store.keysInRange(Math.ceil(startUs / 1000), Math.floor(endUs / 1000)));
      payload = [];
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
