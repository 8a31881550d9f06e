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
/** Records per list request; the page itself asks for about 10, the endpoint allows more. */
const PAGE_SIZE = 200;
/** A bound on paging: 2,500 pages of 200 is half a million recordings. */
const MAX_PAGES = 2_500;

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
  const list = style === 'v2' ? data.customerHistoryRecords : data.alexaHistoryRecords;
  if (!Array.isArray(list)) return { ...answer, shapeError: `no ${style === 'v2' ? 'customerHistoryRecords' : 'alexaHistoryRecords'} array in the list answer` };
  const records: [string, number][] = [];
  for (const r of list as { recordKey?: unknown; timestamp?: unknown }[]) {
    if (typeof r?.recordKey !== 'string' || typeof r.timestamp !== 'number') return { ...answer, shapeError: 'a record without recordKey or timestamp' };
    records.push([r.recordKey, r.timestamp]);
  }
  const next = style === 'v2' ? data.encodedRequestToken : data.paginationToken;
  return { ...answer, records, next: typeof next === 'string' && next ? next : null };
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

/** Every record with start ≤ timestamp ≤ end, as recordKey → timestamp. Throws SignedOut when the session died. */
export async function listRecords(s: ProviderSession, endpoint: ListEndpoint, start: number, end: number): Promise<Map<string, number>> {
  let csrf = await pageCsrf(s.page);
  if (!csrf) throw new PurgeError('page_changed', 'the Review Voice History page has no CSRF token');
  const records = new Map<string, number>();
  let cursor: string | null = null;
  let refreshed = false;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    if (s.signal.aborted) throw new PurgeError('cancelled', 'the run was cancelled');
    const body: string = JSON.stringify(endpoint.style === 'v2' ? { previousRequestToken: cursor } : { paginationToken: cursor });
    const url = `${s.origin}${endpoint.path}?startTime=${start}&endTime=${end}&recordType=VOICE_HISTORY&maxRecordSize=${PAGE_SIZE}`;
    const answer = await s.step('list recordings', () => listOnce(s, url, body, csrf!, endpoint.style));
    if (answer.status === 403 && !refreshed) {
      // Tokens rotate every few hours: fetch a fresh one once, then give up rather than hammer.
      refreshed = true;
      csrf = await freshCsrf(s);
      s.observations.notes.push('CSRF token refreshed after a 403');
      if (!csrf) throw new SignedOut();
      pages--;
      continue;
    }
    if (answer.signedOut) throw new SignedOut();
    if (answer.status === 403) throw new PurgeError('vendor_error', 'Amazon refused the list request (403) even with a fresh CSRF token');
    if (answer.status === 429) throw new PurgeError('rate_limited', 'Amazon asks us to slow down (429)', { retryAfterMs: retryAfterMs(answer.retryAfter) });
    if (answer.status >= 500) throw new PurgeError('vendor_error', `Amazon's list request failed with ${answer.status}`, { retryAfterMs: retryAfterMs(answer.retryAfter) });
    if (answer.status !== 200) throw new PurgeError('page_changed', `Amazon's list request answered ${answer.status}: the endpoint may have moved`);
    if (answer.shapeError) throw new PurgeError('page_changed', `Amazon's list answer changed shape: ${answer.shapeError}`);
    for (const [key, ts] of answer.records!) records.set(key, ts);
    cursor = answer.next ?? null;
    if (!cursor) return records;
    refreshed = false;
  }
  throw new PurgeError('vendor_error', `the list did not end after ${MAX_PAGES} pages`);
}
