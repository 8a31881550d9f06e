// The simulator's own request latency at 50,000 recordings, over loopback HTTP (no browser), so benchmarks of
// providers can tell the simulator is not what they measure. Bounded: a fixed number of requests, < 20 s.
import { startSimulator } from '../sim/server.ts';
import { totpCode } from '../src/providers/totp.ts';

const RECORDINGS = 50_000;

function percentile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] * 1000) / 1000;
}

export async function benchSimulator(): Promise<Record<string, number>> {
  const t0 = performance.now();
  const sim = await startSimulator({ seed: 1, accounts: [{ id: 'bench', email: 'bench@example.com', password: 'pw', mfa: 'totp', recordings: RECORDINGS, spanDays: 700 }] });
  const startupMs = performance.now() - t0;
  try {
    const acct = sim.accounts[0];
    const cookies = new Map<string, string>();
    const send = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
      const res = await fetch(sim.url + path, { redirect: 'manual', ...init, headers });
      for (const c of res.headers.getSetCookie()) { const [p] = c.split(';'); const i = p.indexOf('='); cookies.set(p.slice(0, i), p.slice(i + 1)); }
      return res;
    };
    const page = await (await send('/ap/signin')).text();
    const workflowState = /name="workflowState" value="([^"]+)"/.exec(page)![1];
    await send('/ap/signin', { method: 'POST', body: new URLSearchParams({ workflowState, email: acct.email, password: acct.password }) });
    await send('/ap/mfa', { method: 'POST', body: new URLSearchParams({ workflowState, otpCode: totpCode(acct.totpSecret!, sim.control.now()) }) });
    const rvh = await (await send('/alexa-privacy/apd/rvh')).text();
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(rvh)![1];
    const headers = { 'anti-csrftoken-a2z': csrf, 'content-type': 'application/json' };
    const end = sim.control.now();

    // Walk 500 pages deep (cursor paging, 10 per page), timing each request end to end.
    const list: number[] = [];
    let previous: string | null = null;
    for (let i = 0; i < 500; i++) {
      const s = performance.now();
      const res = await send(`/alexa-privacy/apd/rvh/customer-history-records-v2?startTime=0&endTime=${end}`, { method: 'POST', headers, body: JSON.stringify({ previousRequestToken: previous }) });
      const body = await res.json() as { encodedRequestToken: string | null };
      list.push(performance.now() - s);
      previous = body.encodedRequestToken;
    }
    // Per-item deletes of 200 records, then one range delete of half the account.
    const keys: string[] = [];
    let cursor: string | null = null;
    while (keys.length < 200) {
      const res = await send(`/alexa-privacy/apd/rvh/customer-history-records-v2?startTime=0&endTime=${end}&maxRecordSize=100`, { method: 'POST', headers, body: JSON.stringify({ previousRequestToken: cursor }) });
      const body = await res.json() as { customerHistoryRecords: Array<{ recordKey: string }>; encodedRequestToken: string | null };
      for (const r of body.customerHistoryRecords) if (!keys.includes(r.recordKey)) keys.push(r.recordKey);
      cursor = body.encodedRequestToken;
    }
    const del: number[] = [];
    for (const key of keys.slice(0, 200)) {
      const s = performance.now();
      await (await send(sim.deletePath, { method: 'POST', headers, body: JSON.stringify({ recordKeys: [key] }) })).text();
      del.push(performance.now() - s);
    }
    const cut = (sim.control.account('bench').oldest! + end) / 2;
    const s = performance.now();
    await (await send(sim.deletePath, { method: 'POST', headers, body: JSON.stringify({ startTime: 0, endTime: cut }) })).text();
    const rangeMs = performance.now() - s;
    list.sort((a, b) => a - b);
    del.sort((a, b) => a - b);
    return {
      recordings: RECORDINGS,
      startup_ms: Math.round(startupMs),
      list_page_p50_ms: percentile(list, 0.5),
      list_page_p99_ms: percentile(list, 0.99),
      delete_item_p50_ms: percentile(del, 0.5),
      delete_item_p99_ms: percentile(del, 0.99),
      delete_range_half_ms: Math.round(rangeMs * 1000) / 1000,
      remaining_after: sim.control.remaining('bench'),
    };
  } finally {
    await sim.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchSimulator());
