// The floor of the purge benchmark, in its own process (as the provider's client is: the simulator's process
// serves, it does not also do the client's work): what a careful purge's requests cost with no browser at all.
// The in-scope records listed (about 10 per call, as the simulator answers), one range delete of the whole days,
// one verification listing. `sequential`: one call after another (the aim's floor); `concurrent`: the same
// ranges split among the provider's calls in flight (src/providers/alexa/split-listing.ts), for comparison.
// Its requests go out through node:http, the cheapest HTTP client Node has and the one the provider now uses
// (src/providers/alexa/requests.ts): with fetch (about twice the cost a call) the floor was slower than the product.
// `fetch: true` sends them through fetch instead, as this floor did until December 2026: kept for comparing with
// the figures measured then (bench/results/purge.md), not the aim's floor.
//   node bench/floor.ts '{"url":…,"cookie":…,"deletePath":…,"cutoff":…,"mode":"sequential"}'  → {"ms":…}
import { request } from 'node:http';
import { listRanges } from '../src/providers/alexa/split-listing.ts';
import type { FetchPage } from '../src/providers/alexa/split-listing.ts';
import { LIST_LIMITS } from '../src/providers/alexa/history.ts';

export interface FloorArgs { url: string; cookie: string; deletePath: string; cutoff: number; mode: 'sequential' | 'concurrent'; fetch?: boolean }

const LIST_PATH = '/alexa-privacy/apd/rvh/customer-history-records-v2';
const HISTORY_START = Date.UTC(2014, 0, 1);

/** One request over Node's keep-alive agent (the simulator speaks plain HTTP on loopback): status and body. */
function sendHttp(url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The same exchange through fetch (undici). */
async function sendFetch(url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: body === undefined ? 'GET' : 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

async function floor(a: FloorArgs): Promise<number> {
  const send = a.fetch ? sendFetch : sendHttp;
  const started = performance.now();
  const csrf = (await send(`${a.url}/alexa-privacy/apd/csrf-token`, { cookie: a.cookie })).text.trim();
  const headers = { cookie: a.cookie, 'content-type': 'application/json', 'anti-csrftoken-a2z': csrf };
  const fetchPage: FetchPage = async (start, end, cursor) => {
    const res = await send(`${a.url}${LIST_PATH}?startTime=${start}&endTime=${end}&recordType=VOICE_HISTORY&maxRecordSize=200`,
      headers, JSON.stringify({ previousRequestToken: cursor }));
    if (res.status !== 200) throw new Error(`floor: list answered ${res.status}`);
    const page = JSON.parse(res.text) as { customerHistoryRecords: { recordKey: string; timestamp: number }[]; encodedRequestToken: string | null };
    return { records: page.customerHistoryRecords.map((r) => [r.recordKey, r.timestamp]), next: page.encodedRequestToken };
  };
  const list = async (): Promise<Map<string, number>> => {
    if (a.mode === 'concurrent') {
      const { listings } = await listRanges(fetchPage, [[HISTORY_START, a.cutoff - 1]], { ...LIST_LIMITS, budgetMs: 600_000 });
      return listings[0].records;
    }
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    do {
      const page = await fetchPage(HISTORY_START, a.cutoff - 1, cursor);
      for (const [key, at] of page.records) seen.set(key, at);
      cursor = page.next;
    } while (cursor);
    return seen;
  };
  const records = await list();
  let oldest = Infinity;
  for (const at of records.values()) if (at < oldest) oldest = at;
  // Whole days: the cut-off is a local midnight, so one range delete is the whole job.
  await send(`${a.url}${a.deletePath}`, headers, JSON.stringify({ startTime: oldest, endTime: a.cutoff - 1 }));
  const left = await list();
  if (left.size !== 0) throw new Error(`floor left ${left.size} records`);
  return performance.now() - started;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const ms = await floor(JSON.parse(process.argv[2]) as FloorArgs);
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
}
