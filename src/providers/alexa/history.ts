// Counting recordings through the JSON list request the Review Voice History page itself sends: same endpoint,
// same cookies, the CSRF token from the page's meta tag (refreshed once on a 403), cursor paging, pages
// de-duplicated by recordKey, a few calls in flight. Much faster and sturdier than scrolling the page, and read-only.
import type { Page } from 'playwright-core';
import { PurgeError } from '../../errors.ts';
import type { ProviderSession } from '../types.ts';
import { retryAfterMs } from '../document-status.ts';
import { PageRequests } from './requests.ts';
import { CSRF_META, PATHS } from './selectors.ts';
import { listRanges } from './split-listing.ts';
import type { FetchPage } from './split-listing.ts';

/** Echo launched in November 2014: nothing can be older. */
export const HISTORY_START = Date.UTC(2014, 0, 1);
/** Records asked for per list request. Public clients get about 10 whatever this says, so the bounds below
 *  are on time and pages, never on an assumed page size. */
const PAGE_SIZE = 200;

/** Bounds on listing. Counting must never stand in the way of deleting (a range delete needs no per-record
 *  list): past `countMs` the count stops and says "at least N". Tests shorten them. At most `concurrency` list
 *  calls in flight; a range is split only while what is left spans more than `minSplitMs` (split-listing.ts). */
export const LIST_LIMITS = { countMs: 60_000, keptMs: 30_000, maxPages: 20_000, concurrency: 4, minSplitMs: 6 * 3_600_000 };

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

interface ListAnswer {
  status: number;
  signedOut: boolean;
  retryAfter: string | null;
  records?: [string, number][];
  next?: string | null;
  shapeError?: string;
}

/** One list request as the page itself sends it (its cookies, CSRF header, identity, origin and referer). */
async function listOnce(requests: PageRequests, path: string, body: string, csrf: string, style: 'v2' | 'rah'): Promise<ListAnswer> {
  const res = await requests.send('POST', path, { body, csrf });
  const answer: ListAnswer = { status: res.status, signedOut: res.status === 401 || /\/(ap|ax)\//.test(res.location), retryAfter: res.retryAfter };
  if (res.status !== 200) return answer;
  let data: Record<string, unknown>;
  try { data = JSON.parse(res.text) as Record<string, unknown>; } catch { return { ...answer, shapeError: 'the list answer is not JSON' }; }
  const list = recordsOf(data, style);
  if (!Array.isArray(list)) return { ...answer, shapeError: `no ${style === 'v2' ? 'customerHistoryRecords' : 'alexaHistoryRecords'} array in the list answer` };
  const records: [string, number][] = [];
  for (const r of list) {
    const id = recordIdentity(r, style);
    if (!id) return { ...answer, shapeError: `a record without ${style === 'v2' ? 'recordKey' : 'a key'} or timestamp` };
    records.push(id);
  }
  return { ...answer, records, next: cursorOf(data, style) };
}

async function pageCsrf(page: Page): Promise<string | null> {
  return page.locator(CSRF_META.join(', ')).first().getAttribute('content').catch(() => null);
}

const requestsOf = new WeakMap<ProviderSession, PageRequests>();
/** The session's request sender (one per session: it keeps the cookie header between listings). */
export function pageRequests(s: ProviderSession): PageRequests {
  let r = requestsOf.get(s);
  if (!r) { r = new PageRequests(s); requestsOf.set(s, r); }
  return r;
}

/** The CSRF token all list calls of a listing share; refreshed once (by whichever call meets the 403 first). */
class Csrf {
  token: string;
  private refreshing: Promise<string | null> | undefined;
  constructor(token: string) { this.token = token; }
  async refresh(s: ProviderSession, requests: PageRequests, stale: string): Promise<string | null> {
    if (this.token !== stale) return this.token;
    this.refreshing ??= s.step('refresh the CSRF token', () => requests.send('GET', PATHS.csrf)).then((r) => {
      s.observations.notes.push('CSRF token refreshed after a 403');
      const fresh = r.status === 200 ? r.text.trim() : '';
      if (fresh) this.token = fresh;
      return fresh || null;
    }).finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }
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

/** The records with start ≤ timestamp ≤ end, newest first, until the end of the list or `budgetMs` (then
 *  `complete: false`). Throws SignedOut when the session died. `first` stops after one page (a quick look). */
export async function listRecords(s: ProviderSession, from: ListEndpoint | FetchPage, start: number, end: number,
  budgetMs: number, first = false): Promise<Listing> {
  return (await listRecordRanges(s, from, [[start, end]], budgetMs, first))[0];
}

/** Several ranges at once (the count and what the run keeps), each split among up to `LIST_LIMITS.concurrency`
 *  calls in flight (split-listing.ts); one listing per range. Through the endpoint, or a fetcher the caller
 *  shares between listings (pageFetcher: one CSRF token and cookie read for all). */
export async function listRecordRanges(s: ProviderSession, from: ListEndpoint | FetchPage, ranges: [number, number][],
  budgetMs: number, first = false): Promise<Listing[]> {
  const fetchPage = typeof from === 'function' ? from : await pageFetcher(s, from);
  if (first) {
    const [start, end] = ranges[0];
    const page = await fetchPage(start, end, null);
    const records = new Map(page.records.filter(([, ts]) => ts >= start && ts <= end));
    return [{ records, complete: !page.next, pages: 1, ...(page.next ? { stopped: 'one page only' } : {}) }];
  }
  const { listings, pages } = await listRanges(fetchPage, ranges, {
    concurrency: LIST_LIMITS.concurrency, budgetMs, maxPages: LIST_LIMITS.maxPages, minSplitMs: LIST_LIMITS.minSplitMs,
    check: () => { if (s.signal.aborted) throw new PurgeError('cancelled', 'the run was cancelled'); },
  });
  return listings.map((l) => ({ ...l, pages }));
}

/** Bisection steps to find the oldest recording: 2014 → today in hours is under 2^17. */
const OLDEST_STEPS = 24;
/** The oldest recording is needed to the day (the filter's first day): found to within an hour is enough. */
const OLDEST_WITHIN_MS = 3_600_000;

/** The oldest recording between start and end, found by halving the range (lists are newest first): a list
 *  call that holds its whole range (no cursor) gives it exactly; when more than a page's worth share its last
 *  hour, a time less than an hour before it (nothing in the range is older), which serves a filter of whole days
 *  as well. Undefined when there is none or it was not found within the steps. */
export async function oldestIn(s: ProviderSession, fetchPage: FetchPage, start: number, end: number): Promise<number | undefined> {
  const look = (a: number, b: number) => fetchPage(a, b, null);
  // Always true: the oldest recording of [start, end] lies in [lo, hi].
  let [lo, hi] = [start, end];
  let page = await look(lo, hi);
  for (let step = 0; step < OLDEST_STEPS && !s.signal.aborted; step++) {
    const inRange = page.records.filter(([, ts]) => ts >= lo && ts <= hi);
    if (inRange.length === 0) return undefined;
    if (!page.next) return Math.min(...inRange.map(([, ts]) => ts));
    if (hi - lo < OLDEST_WITHIN_MS) return lo;
    const mid = Math.floor((lo + hi) / 2);
    const older = await look(lo, mid);
    if (older.records.some(([, ts]) => ts >= lo && ts <= mid)) { hi = mid; page = older; } else { lo = mid + 1; page = await look(lo, hi); }
  }
  return undefined;
}

/** One list call at a time, as the page makes it, through Node with the context's cookies (requests.ts). Reads
 *  the page's CSRF token and the context's cookies once: made again after a sign-in. */
export async function pageFetcher(s: ProviderSession, endpoint: ListEndpoint): Promise<FetchPage> {
  const token = await pageCsrf(s.page);
  if (!token) throw new PurgeError('page_changed', 'the Review Voice History page has no CSRF token');
  const csrf = new Csrf(token);
  const requests = pageRequests(s);
  requests.forgetCookies();
  const fetchPage: FetchPage = async (start, end, cursor) => {
    // Both calls take the cursor as previousRequestToken (the facts); only the answers name it differently.
    const body = JSON.stringify({ previousRequestToken: cursor });
    const path = `${endpoint.path}?startTime=${start}&endTime=${end}${endpoint.style === 'v2' ? '&recordType=VOICE_HISTORY' : ''}&maxRecordSize=${PAGE_SIZE}`;
    let used = csrf.token;
    let answer = await s.step('list recordings', () => listOnce(requests, path, body, used, endpoint.style));
    if (answer.status === 403) {
      // Tokens rotate every few hours: fetch a fresh one once, then give up rather than hammer.
      const fresh = await csrf.refresh(s, requests, used);
      if (!fresh) throw new SignedOut();
      used = fresh;
      answer = await s.step('list recordings', () => listOnce(requests, path, body, used, endpoint.style));
    }
    if (answer.signedOut) throw new SignedOut();
    if (answer.status === 403) throw new PurgeError('vendor_error', 'Amazon refused the list request (403) even with a fresh CSRF token');
    if (answer.status === 429) throw new PurgeError('rate_limited', 'Amazon asks us to slow down (429)', { retryAfterMs: retryAfterMs(answer.retryAfter) });
    if (answer.status >= 500) throw new PurgeError('vendor_error', `Amazon's list request failed with ${answer.status}`, { retryAfterMs: retryAfterMs(answer.retryAfter) });
    if (answer.status !== 200) throw new PurgeError('page_changed', `Amazon's list request answered ${answer.status}: the endpoint may have moved`);
    if (answer.shapeError) throw new PurgeError('page_changed', `Amazon's list answer changed shape: ${answer.shapeError}`);
    return { records: answer.records!, next: answer.next ?? null };
  };
  return fetchPage;
}
