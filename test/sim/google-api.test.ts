// Google's batchexecute endpoint over loopback HTTP: framing, list paging, tokens, delete, faults.
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import type { Simulator } from '../../sim/server.ts';
import { BATCHEXECUTE_PATH, unframe } from '../../sim/google/batchexecute.ts';
import { Jar, hiddenField, postForm, request } from './fixtures/http.ts';

let sim: Simulator;
let jar: Jar;
let wiz: { SNlM0e: string; FdrFJe: string; cfb2h: string };

t.before(async () => {
  sim = await startSimulator({ seed: 5, accounts: [{ id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-g', recordings: 250, spanDays: 100 }] });
  jar = new Jar();
  const start = await (await request(sim, jar, '/v3/signin/identifier?continue=/product/assistant')).text();
  const TL = hiddenField(start, 'TL');
  await postForm(sim, jar, '/v3/signin/identifier', { TL, continue: '/product/assistant', identifier: 'g@example.com' });
  const done = await postForm(sim, jar, '/v3/signin/challenge/pwd', { TL, continue: '/product/assistant', Passwd: 'pw-g' });
  await request(sim, jar, done.headers.get('location')!); // the OSID hop
  const page = await (await request(sim, jar, '/product/assistant')).text();
  wiz = JSON.parse(/window\.WIZ_global_data=(\{.*?\});/.exec(page)![1]);
});
t.teardown(() => sim?.close());

function rpc(id: string, args: unknown, o: { at?: string; fsid?: string; sourcePath?: string } = {}) {
  const q = new URLSearchParams({ rpcids: id, 'source-path': o.sourcePath ?? '/product/assistant', 'f.sid': o.fsid ?? wiz.FdrFJe, bl: wiz.cfb2h, hl: 'en', rt: 'c' });
  const body = new URLSearchParams({ 'f.req': JSON.stringify([[[id, JSON.stringify(args), null, 'generic']]]), at: o.at ?? wiz.SNlM0e });
  return request(sim, jar, `${BATCHEXECUTE_PATH}?${q}`, { method: 'POST', body });
}

async function payload(res: Response, id: string): Promise<unknown[]> {
  const text = await res.text();
  t.ok(text.startsWith(")]}'\n"), 'starts with )]}\'');
  for (const frame of unframe(text)) for (const entry of frame as unknown[][]) if (entry[0] === 'wrb.fr' && entry[1] === id) return JSON.parse(entry[2] as string);
  throw new Error(`no ${id} frame`);
}

t.test('list: framing, page size 100, cursor at [1], item fields', async (t) => {
  const tokens = new Set<string>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await rpc('y3VFHd', [null, cursor]);
    t.equal(res.status, 200);
    const [items, next] = await payload(res, 'y3VFHd') as [unknown[][], string | null];
    if (pages === 0) {
      t.equal(items.length, 100, 'page size 100');
      t.type(items[0][4], 'number', '[4] timestamp in µs');
      t.ok((items[0][4] as number) > 1e15, 'µs, not ms');
      t.type(items[0][5], 'string', '[5] delete token');
      t.type(items[0][19], 'string', '[19] device');
    }
    for (const i of items) tokens.add(i[5] as string);
    cursor = next;
    pages++;
  } while (cursor && pages < 10);
  t.equal(tokens.size, 250, 'every item once');
  t.equal(pages, 3);
  const gemini = await payload(await rpc('y3VFHd', [null, null], { sourcePath: '/product/gemini' }), 'y3VFHd') as [unknown[][]];
  t.equal(gemini[0].length, sim.control.remaining('g', { product: 'gemini' }), 'Gemini lists its own items');
});

t.test('tokens: bad at → 403, bad f.sid → 400, signed out → 401', async (t) => {
  t.equal((await rpc('y3VFHd', [null, null], { at: 'nope' })).status, 403);
  t.equal((await rpc('y3VFHd', [null, null], { fsid: '123' })).status, 400);
  const res = await fetch(`${sim.url}${BATCHEXECUTE_PATH}?rpcids=y3VFHd`, { method: 'POST', body: 'f.req=[]' });
  t.equal(res.status, 401);
  const out = await (await fetch(`${sim.url}/product/assistant`)).text();
  t.match(out, 'FootprintsMyactivitySignedoutUi');
  t.notMatch(out, 'SNlM0e');
});

t.test('TmdDAd deletes by token; faults', async (t) => {
  const [items] = await payload(await rpc('y3VFHd', [null, null]), 'y3VFHd') as [unknown[][]];
  const doomed = items.slice(0, 3).map((i) => i[5] as string);
  t.equal((await rpc('TmdDAd', [doomed])).status, 200);
  t.equal(sim.control.remaining('g'), 247, 'three deleted');

  sim.control.setFaults('g', { silentDelete: true });
  await rpc('TmdDAd', [[items[5][5]]]);
  t.equal(sim.control.remaining('g'), 247, 'silent delete does nothing');
  sim.control.setFaults('g', { silentDelete: false, eventualConsistencyMs: 30_000 });
  await rpc('TmdDAd', [[items[5][5]]]);
  t.equal(sim.control.remaining('g'), 247, 'still there');
  sim.control.advanceClock(31_000);
  t.equal(sim.control.remaining('g'), 246, 'gone later');
  sim.control.advanceClock(-31_000);

  sim.control.setFaults('g', { eventualConsistencyMs: null, csrfRotation: true } as never);
  t.equal((await rpc('y3VFHd', [null, null])).status, 200);
  t.equal((await rpc('y3VFHd', [null, null])).status, 403, 'at rotated: the page must be reloaded');

  sim.control.setFaults('g', { rateLimit: { count: 1, retryAfterSeconds: 3600 } });
  const limited = await request(sim, jar, '/product/assistant');
  t.equal(limited.status, 429);
  t.equal(limited.headers.get('retry-after'), '3600');

  const fresh = await (await request(sim, jar, '/product/assistant')).text();
  wiz = JSON.parse(/window\.WIZ_global_data=(\{.*?\});/.exec(fresh)![1]);
  const [, cursor] = await payload(await rpc('y3VFHd', [null, null]), 'y3VFHd') as [unknown, string];
  sim.control.setFaults('g', { lazyLoadStall: true });
  const q = new URLSearchParams({ rpcids: 'y3VFHd', 'source-path': '/product/assistant', 'f.sid': wiz.FdrFJe, rt: 'c' });
  const body = new URLSearchParams({ 'f.req': JSON.stringify([[['y3VFHd', JSON.stringify([null, cursor]), null, 'generic']]]), at: wiz.SNlM0e });
  const stalled = await request(sim, jar, `${BATCHEXECUTE_PATH}?${q}`, { method: 'POST', body, signal: AbortSignal.timeout(300) }).then(() => false, () => true);
  t.ok(stalled, 'next page stalls');
  sim.control.clearFaults('g');
  const log = sim.control.requests({ account: 'g', kind: 'google.rpc.TmdDAd' });
  t.equal(log.length, 3, 'the log shows every delete RPC');
});
