// Counting recordings through the JSON list request the Review Voice History page itself sends: same endpoint,
// same cookies, the CSRF token from the page's meta tag (refreshed once on a 403), cursor paging, pages
// de-duplicated by recordKey. Much faster and sturdier than scrolling the page, and read-only.
import type { Page } from 'playwright-core';
import { PurgeError } from '../../errors.ts';
import type { ProviderSession } from '../types.ts';
import { retryAfterMs } from '../document-status.ts';
import { CSRF_META, PATHS } from './selectors.ts';

/** Echo launched in November 2014: nothing can be older. */
export const HISTORY_START = Date.UTC(2014, 0, 1);
/** Records asked for per list request. Public clients get about 10 whatever this says, so the bounds below
 *  are on time and pages, never on an assumed page size. */
const PAGE_SIZE = 200;

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

interface ListAnswer {
  status: number;
  signedOut: boolean;
  retryAfter: string | null;
  records?: [string, number][];
  next?: string | null;
  shapeError?: string;
}

/** One list request with the page's cookies, CSRF token, origin and referer, as the page itself sends it.
 *  Issued from Node through the browser context (same cookie jar) rather than from inside the page: half the
 *  cost per page, since the answer does not cross the DevTools protocol twice. */
async function listOnce(s: ProviderSession, url: string, body: string, csrf: string, style: 'v2' | 'rah'): Promise<ListAnswer> {
  const res = await s.page.request.post(url, {
    data: body, maxRedirects: 0, failOnStatusCode: false,
    headers: { 'content-type': 'application/json', accept: 'application/json', 'anti-csrftoken-a2z': csrf, origin: s.origin, referer: `${s.origin}${PATHS.rvh}` },
  });
  const location = res.headers().location ?? '';
  const answer: ListAnswer = { status: res.status(), signedOut: res.status() === 401 || /\/(ap|ax)\//.test(location), retryAfter: res.headers()['retry-after'] ?? null };
  if (res.status() !== 200) { await res.dispose(); return answer; }
  let data: Record<string, unknown>;
  // Playwright keeps every answer's body until it is disposed: 250 pages of a big account add up on a Pi.
  try { data = await res.json(); } catch { return { ...answer, shapeError: 'the list answer is not JSON' }; } finally { await res.dispose(); }
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

async function freshCsrf(s: ProviderSession): Promise<string | null> {
  const token = await s.step('refresh the CSRF token', () => s.page.evaluate(async (path) => {
    const r = await fetch(path, { credentials: 'same-origin' });
    return r.ok ? (await r.text()).trim() : null;
  }, PATHS.csrf));
  return token || null;
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
export async function listRecords(s: ProviderSession, endpoint: ListEndpoint, start: number, end: number,
  budgetMs: number, first = false): Promise<Listing> {
  let csrf = await pageCsrf(s.page);
  if (!csrf) throw new PurgeError('page_changed', 'the Review Voice History page has no CSRF token');
  const records = new Map<string, number>();
  const cursors = new Set<string>();
  const until = Date.now() + budgetMs;
  let cursor: string | null = null;
  let refreshed = false;
  let pages = 0;
  while (pages < LIST_LIMITS.maxPages) {
    if (s.signal.aborted) throw new PurgeError('cancelled', 'the run was cancelled');
    if (pages > 0 && Date.now() >= until) return { records, complete: false, pages, stopped: `stopped after ${Math.round(budgetMs / 1000)} s (${pages} list calls)` };
    // Both calls take the cursor as previousRequestToken (the facts); only the answers name it differently.
    const body: string = JSON.stringify({ previousRequestToken: cursor });
    const url = `${s.origin}${endpoint.path}?startTime=${start}&endTime=${end}${endpoint.style === 'v2' ? '&recordType=VOICE_HISTORY' : ''}&maxRecordSize=${PAGE_SIZE}`;
    const answer = await s.step('list recordings', () => listOnce(s, url, body, csrf!, endpoint.style));
    if (answer.status === 403 && !refreshed) {
      // Tokens rotate every few hours: fetch a fresh one once, then give up rather than hammer.
      refreshed = true;
      csrf = await freshCsrf(s);
      s.observations.notes.push('CSRF token refreshed after a 403');
      if (!csrf) throw new SignedOut();
      continue;
    }
    if (answer.signedOut) throw new SignedOut();
    if (answer.status === 403) throw new PurgeError('vendor_error', 'Amazon refused the list request (403) even with a fresh CSRF token');
    if (answer.status === 429) throw new PurgeError('rate_limited', 'Amazon asks us to slow down (429)', { retryAfterMs: retryAfterMs(answer.retryAfter) });
    if (answer.status >= 500) throw new PurgeError('vendor_error', `Amazon's list request failed with ${answer.status}`, { retryAfterMs: retryAfterMs(answer.retryAfter) });
    if (answer.status !== 200) throw new PurgeError('page_changed', `Amazon's list request answered ${answer.status}: the endpoint may have moved`);
    if (answer.shapeError) throw new PurgeError('page_changed', `Amazon's list answer changed shape: ${answer.shapeError}`);
    pages++;
    // Pages overlap: de-duplicated by key.
    for (const [key, ts] of answer.records!) if (ts >= start && ts <= end) records.set(key, ts);
    cursor = answer.next ?? null;
    if (!cursor) return { records, complete: true, pages };
    if (first) return { records, complete: false, pages, stopped: 'one page only' };
    // A cursor seen before would list the same pages again for ever.
    if (cursors.has(cursor)) return { records, complete: false, pages, stopped: `the list repeated a cursor after ${pages} calls` };
    cursors.add(cursor);
    refreshed = false;
  }
  return { records, complete: false, pages, stopped: `stopped after ${pages} list calls` };
}
