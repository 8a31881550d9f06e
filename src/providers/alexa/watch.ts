// What the history page itself asks Amazon: every list call it sends (path, startTime/endTime, first page or
// not) and what came back (how many records, their times), and the delete requests. This is the read-back:
// the range the page will delete is the range it lists, whatever the date fields seemed to say.
import type { Page, Request, Response } from 'playwright-core';
import type { Observations } from '../types.ts';
import { cursorOf, endpointFromUrl, recordIdentity, recordsOf } from './history.ts';
import type { ListEndpoint } from './history.ts';
import { PATHS } from './selectors.ts';

export interface ListCall {
  seq: number;
  endpoint: ListEndpoint;
  start: number | null;
  end: number | null;
  /** The first page of a listing (no cursor in the body): what the page sends after a filter change. */
  first: boolean;
  /** When the request was seen (Date.now()). */
  at: number;
  /** Filled when the answer arrives. */
  answer?: { status: number; keys: string[]; times: number[]; next: boolean };
}

/** A request the page sent under the privacy API that is not a list or token request: the delete. */
export function isDeleteRequest(request: Request): boolean {
  if (request.method() === 'GET') return false;
  const path = new URL(request.url()).pathname;
  return path.startsWith(PATHS.apiPrefix) && path !== PATHS.list && path !== PATHS.listRah && path !== PATHS.csrf;
}

export const isDeleteResponse = (response: Response) => isDeleteRequest(response.request());

/** Keeps the last list calls of one page (bounded) and records delete requests into the observations. */
export class PageWatch {
  readonly calls: ListCall[] = [];
  /** Paths of every request under the privacy API (no query, no body), for the check-site bundle. */
  readonly paths = new Set<string>();
  private seq = 0;

  constructor(page: Page, observations: () => Observations) {
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith(PATHS.apiPrefix) && request.method() !== 'GET' && this.paths.size < 100) this.paths.add(`${request.method()} ${url.pathname}`);
      const endpoint = endpointFromUrl(request.url());
      if (!endpoint || request.method() !== 'POST') return;
      const num = (k: string) => { const v = url.searchParams.get(k); return v !== null && Number.isFinite(Number(v)) ? Number(v) : null; };
      let cursor: unknown = null;
      try { const body = JSON.parse(request.postData() ?? '{}') as Record<string, unknown>; cursor = body.previousRequestToken ?? body.paginationToken ?? null; } catch { /* not JSON */ }
      const call: ListCall = { seq: ++this.seq, endpoint, start: num('startTime'), end: num('endTime'), first: !cursor, at: Date.now() };
      this.calls.push(call);
      if (this.calls.length > 200) this.calls.splice(0, this.calls.length - 100);
      void request.response().then(async (response) => {
        if (!response) return;
        const answer = { status: response.status(), keys: [] as string[], times: [] as number[], next: false };
        if (response.status() === 200) {
          try {
            const data = await response.json() as Record<string, unknown>;
            const list = recordsOf(data, endpoint.style);
            for (const r of Array.isArray(list) ? list : []) {
              const id = recordIdentity(r, endpoint.style);
              if (id) { answer.keys.push(id[0]); answer.times.push(id[1]); }
            }
            answer.next = cursorOf(data, endpoint.style) !== null;
          } catch { /* page gone, or not JSON: left without records */ }
        }
        call.answer = answer;
      }).catch(() => {});
    });
    page.on('response', (response) => {
      if (!isDeleteResponse(response)) return;
      const request = response.request();
      observations().delete_requests.push({ method: request.method(), path: new URL(request.url()).pathname, status: response.status() });
    });
  }

  get lastSeq(): number { return this.seq; }

  /** The newest first-page list call sent after `afterSeq`. */
  firstCallAfter(afterSeq: number): ListCall | undefined {
    for (let i = this.calls.length - 1; i >= 0; i--) {
      const c = this.calls[i];
      if (c.seq <= afterSeq) break;
      if (c.first) return c;
    }
    return undefined;
  }

  /** The newest first-page list call the page sent, if any. */
  lastFirstCall(): ListCall | undefined { return this.firstCallAfter(0); }

  /** Every call of the listing that `first` opened (its first page and the pages loaded after it). */
  listingOf(first: ListCall): ListCall[] {
    const out: ListCall[] = [];
    for (const c of this.calls) {
      if (c.seq < first.seq) continue;
      if (c.seq > first.seq && c.first) break;
      out.push(c);
    }
    return out;
  }

  /** A first-page call newer than `call`, if one comes within `quietMs` of `call` being sent, with its answer
   *  (bounded by `timeoutMs`); undefined when the page stayed quiet, i.e. `call` is its last word. */
  async newerFirstCall(call: ListCall, quietMs: number, timeoutMs: number, sleep: (ms: number) => Promise<void>): Promise<ListCall | undefined> {
    for (;;) {
      const newer = this.firstCallAfter(call.seq);
      if (newer) return this.waitFirstCall(call.seq, timeoutMs, true, sleep);
      const left = call.at + quietMs - Date.now();
      if (left <= 0) return undefined;
      await sleep(Math.min(left, 20));
    }
  }

  /** Waits (polling, bounded) for a first-page call after `afterSeq`, and for its answer when `answered`. */
  async waitFirstCall(afterSeq: number, timeoutMs: number, answered: boolean, sleep: (ms: number) => Promise<void>): Promise<ListCall | undefined> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const call = this.firstCallAfter(afterSeq);
      if (call && (!answered || call.answer)) return call;
      if (Date.now() >= until) return call;
      // Checks only what the page's events recorded (no browser round trip): a short poll costs nothing.
      await sleep(20);
    }
  }
}
