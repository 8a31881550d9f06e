// Counting recordings through the JSON list request the Review Voice History page itself sends: same endpoint,
// same cookies, the CSRF token from the page's meta tag (refreshed once on a 403), cursor paging, pages
// de-duplicated by recordKey. Much faster and sturdier than scrolling the page, and read-only.
import type { Page } from 'playwright-core';
import { PurgeError } from '../../purge/errors.ts';
import type { ProviderSession } from '../types.ts';
import { retryAfterMs } from '../document-status.ts';
import { CSRF_META, PATHS } from './selectors.ts';

/** Echo launched in November 2014: nothing can be older. */
export const HISTORY_START = Date.UTC(2014, 0, 1);
/** Records asked for per list request. Public clients get about 10 whatever this says, so the bounds below
 *  are on time and pages, never on an assumed page size. */
const PAGE_SIZE = 200;
/** What one list call is assumed to return when estimating ("10 per page", vendors/alexa.md). */
export const ASSUMED_PAGE = 10;

/** Bounds on listing. Counting must never stand in the way of deleting (a range delete needs no per-record
 *  list): past `countMs` the count stops and says "at least N". Tests shorten them. */
export const LIST_LIMITS = { countMs: 60_000, keptMs: 30_000, maxPages: 20_000 };

export class SignedOut extends Error {
  constructor() { super('Amazon signed this session out'); this.name = 'SignedOut'; }
}

export interface ListEndpoint { path: string; style: 'v2' | 'rah' }

export function endpointFromUrl(url: string): ListEndpoint | undefined {
  const path = new URL(url).pathname;
  if (path === PATHS.list) return { path, style: 'v2' };
  if (path === PATHS.listRah) return { path, style: 'rah' };
  return undefined;
}

/** The records array of a list answer, by the endpoint's style. */
export function recordsOf(data: Record<string, unknown>, style: ListEndpoint['style']): unknown {
  return style === 'v2' ? data.customerHistoryRecords : data.alexaHistoryRecords;
}

/** A record's key and time: `recordKey` on the classic call; on the Review Alexa History call `activityKey`,
 *  else type + timestamp + device (not every record type has an activityKey). Undefined when it has no time. */
export function recordIdentity(r: unknown, style: ListEndpoint['style']): [string, number] | undefined {
  if (!r || typeof r !== 'object') return undefined;
  const o = r as Record<string, unknown>;
  const ts = typeof o.timestamp === 'number' ? o.timestamp : typeof o.creationTimestamp === 'number' ? o.creationTimestamp : undefined;
  if (ts === undefined || !Number.isFinite(ts)) return undefined;
  if (style === 'v2') return typeof o.recordKey === 'string' && o.recordKey ? [o.recordKey, ts] : undefined;
  if (typeof o.activityKey === 'string' && o.activityKey) return [o.activityKey, ts];
  const device = (o.device && typeof o.device === 'object' ? o.device : {}) as Record<string, unknown>;
  const type = o.recordType ?? o.activityType ?? o.type ?? o.utteranceType ?? 'record';
  const dev = device.serialNumber ?? device.deviceSerialNumber ?? device.deviceName ?? o.deviceSerialNumber ?? o.deviceName ?? '';
  return [`${String(type)}#${ts}#${String(dev)}`, ts];
}

/** The cursor of a list answer (null at the end). */
export function cursorOf(data: Record<string, unknown>, style: ListEndpoint['style']): string | null {
  const next = style === 'v2' ? data.encodedRequestToken : data.paginationToken;
  return typeof next === 'string' && next ? next : null;
}

async function pageCsrf(page: Page): Promise<string | null> {
  return page.locator(CSRF_META.join(', ')).first().getAttribute('content').catch(() => null);
}

export interface Listing {
  /** key → timestamp of every record listed. */
  records: Map<string, number>;
  /** False when the listing stopped early (time bound, page bound, a cursor seen twice). */
  complete: boolean;
  /** Why it stopped early, for the run's notes. */
  stopped?: string;
  pages: number;
}

/** Pages whose list calls are ours (counting) right now: the watch on the page's own calls ignores them. */
export const listingNow = new WeakSet<Page>();

/** How long one in-page stretch of listing may run before it reports back (well under any step timeout). */
const CHUNK_MS = 4_000;

interface Chunk {
  keys: string[];
  times: number[];
  pages: number;
  cursor: string | null;
  csrf: string | null;
  done: boolean;
  refreshed?: boolean;
  repeated?: boolean;
  status?: number;
  retryAfter?: string | null;
  signedOut?: boolean;
  shapeError?: string;
  network?: string;
}

interface ChunkArgs { url: string; style: ListEndpoint['style']; start: number; end: number; cursor: string | null; csrf: string; csrfPath: string; budgetMs: number; first: boolean }

/** Runs in the page: list calls one after another, as the page itself sends them (its cookies, origin, the
 *  CSRF header), until the list ends or the budget is spent. Only keys and times cross back to Node, once per
 *  stretch: a list call costs what the vendor's answer costs, not a browser round trip. Keys as recordIdentity. */
async function listStretch(a: ChunkArgs): Promise<Chunk> {
  const until = Date.now() + a.budgetMs;
  const out: Chunk = { keys: [], times: [], pages: 0, cursor: a.cursor, csrf: a.csrf, done: false };
  const cursors = new Set<string>();
  let retried = false;
  for (;;) {
    if (out.pages > 0 && Date.now() >= until) return out;
    let res: Response;
    try {
      res = await fetch(a.url, { method: 'POST', credentials: 'same-origin', redirect: 'manual',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'anti-csrftoken-a2z': out.csrf ?? '' },
        body: JSON.stringify({ previousRequestToken: out.cursor }) });
    } catch (err) { return { ...out, network: String((err as Error).message ?? err) }; }
    if (res.type === 'opaqueredirect' || res.status === 401) return { ...out, signedOut: true };
    if (res.status === 403 && !retried) {
      // Tokens rotate every few hours: fetch a fresh one once, then give up rather than hammer.
      retried = true;
      out.refreshed = true;
      const t = await fetch(a.csrfPath, { credentials: 'same-origin', redirect: 'manual' }).catch(() => null);
      out.csrf = t && t.ok ? (await t.text()).trim() || null : null;
      if (!out.csrf) return { ...out, signedOut: true };
      continue;
    }
    if (res.status !== 200) return { ...out, status: res.status, retryAfter: res.headers.get('retry-after') };
    let data: Record<string, unknown>;
    try { data = await res.json() as Record<string, unknown>; } catch { return { ...out, shapeError: 'the list answer is not JSON' }; }
    const list = a.style === 'v2' ? data.customerHistoryRecords : data.alexaHistoryRecords;
    if (!Array.isArray(list)) return { ...out, shapeError: `no ${a.style === 'v2' ? 'customerHistoryRecords' : 'alexaHistoryRecords'} array in the list answer` };
    for (const r of list as Record<string, unknown>[]) {
      const ts = typeof r?.timestamp === 'number' ? r.timestamp : typeof r?.creationTimestamp === 'number' ? r.creationTimestamp : undefined;
      let key: string | undefined;
      if (a.style === 'v2') key = typeof r?.recordKey === 'string' && r.recordKey ? r.recordKey : undefined;
      else if (typeof r?.activityKey === 'string' && r.activityKey) key = r.activityKey;
      else if (ts !== undefined) {
        const d = (r.device && typeof r.device === 'object' ? r.device : {}) as Record<string, unknown>;
        key = `${String(r.recordType ?? r.activityType ?? r.type ?? r.utteranceType ?? 'record')}#${ts}#${String(d.serialNumber ?? d.deviceSerialNumber ?? d.deviceName ?? r.deviceSerialNumber ?? r.deviceName ?? '')}`;
      }
      if (ts === undefined || !Number.isFinite(ts) || key === undefined) return { ...out, shapeError: `a record without ${a.style === 'v2' ? 'recordKey' : 'a key'} or timestamp` };
      if (ts >= a.start && ts <= a.end) { out.keys.push(key); out.times.push(ts); }
    }
    out.pages++;
    retried = false;
    const next = a.style === 'v2' ? data.encodedRequestToken : data.paginationToken;
    out.cursor = typeof next === 'string' && next ? next : null;
    if (!out.cursor) return { ...out, done: true };
    if (a.first) return out;
    if (cursors.has(out.cursor)) return { ...out, repeated: true };
    cursors.add(out.cursor);
  }
}

/** The records with start ≤ timestamp ≤ end, newest first, until the end of the list or `budgetMs` (then
 *  `complete: false`). Throws SignedOut when the session died. `first` stops after one page (a quick look). */
export async function listRecords(s: ProviderSession, endpoint: ListEndpoint, start: number, end: number,
  budgetMs: number, first = false): Promise<Listing> {
  let csrf = await pageCsrf(s.page);
  if (!csrf) throw new PurgeError('page_changed', 'the Review Voice History page has no CSRF token');
  const records = new Map<string, number>();
  const ends = new Set<string>();
  const until = Date.now() + budgetMs;
  const url = `${endpoint.path}?startTime=${start}&endTime=${end}${endpoint.style === 'v2' ? '&recordType=VOICE_HISTORY' : ''}&maxRecordSize=${PAGE_SIZE}`;
  let cursor: string | null = null;
  let pages = 0;
  listingNow.add(s.page);
  try {
    for (;;) {
      if (s.signal.aborted) throw new PurgeError('cancelled', 'the run was cancelled');
      const budget = Math.max(0, Math.min(CHUNK_MS, until - Date.now()));
      const chunk: Chunk = await s.step('list recordings', () => s.page.evaluate(listStretch,
        { url, style: endpoint.style, start, end, cursor, csrf: csrf!, csrfPath: PATHS.csrf, budgetMs: budget, first }));
      pages += chunk.pages;
      // Pages overlap: de-duplicated by key.
      for (let i = 0; i < chunk.keys.length; i++) records.set(chunk.keys[i], chunk.times[i]);
      if (chunk.refreshed) s.observations.notes.push('CSRF token refreshed after a 403');
      if (chunk.signedOut) throw new SignedOut();
      if (chunk.network) throw new PurgeError('network', `Amazon's list request failed: ${chunk.network}`);
      const status = chunk.status;
      if (status === 403) throw new PurgeError('vendor_error', 'Amazon refused the list request (403) even with a fresh CSRF token');
      if (status === 429) throw new PurgeError('rate_limited', 'Amazon asks us to slow down (429)', { retryAfterMs: retryAfterMs(chunk.retryAfter) });
      if (status !== undefined && status >= 500) throw new PurgeError('vendor_error', `Amazon's list request failed with ${status}`, { retryAfterMs: retryAfterMs(chunk.retryAfter) });
      if (status !== undefined) throw new PurgeError('page_changed', `Amazon's list request answered ${status}: the endpoint may have moved`);
      if (chunk.shapeError) throw new PurgeError('page_changed', `Amazon's list answer changed shape: ${chunk.shapeError}`);
      csrf = chunk.csrf;
      cursor = chunk.cursor;
      if (chunk.done) return { records, complete: true, pages };
      if (first) return { records, complete: false, pages, stopped: 'one page only' };
      if (chunk.repeated || (cursor && ends.has(cursor))) return { records, complete: false, pages, stopped: `the list repeated a cursor after ${pages} calls` };
      if (cursor) ends.add(cursor);
      if (Date.now() >= until) return { records, complete: false, pages, stopped: `stopped after ${Math.round(budgetMs / 1000)} s (${pages} list calls)` };
      if (pages >= LIST_LIMITS.maxPages) return { records, complete: false, pages, stopped: `stopped after ${pages} list calls` };
    }
  } finally {
    listingNow.delete(s.page);
  }
}
