// Google's simulated account holds several products' activity: the list filter (the page's start-up request)
// and the mixed-list trap, range deletes that name their products (and a count-only preview), stuck items, and
// the control API's per-product report, over loopback HTTP.
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import type { Simulator } from '../../sim/server.ts';
import { BATCHEXECUTE_PATH, unframe } from '../../sim/google/batchexecute.ts';
import { Jar, hiddenField, postForm, request } from './fixtures/http.ts';

let sim: Simulator;
let jar: Jar;
let wiz: { SNlM0e: string; FdrFJe: string; cfb2h: string };

async function page(path: string): Promise<{ html: string; startup: unknown[] }> {
  const html = await (await request(sim, jar, path)).text();
  wiz = JSON.parse(/window\.WIZ_global_data=(\{.*?\});/.exec(html)![1]);
  const startup = JSON.parse(/'ds:1' : \{id:'y3VFHd',request:(.*?)\}\};/.exec(html)![1]) as unknown[];
  return { html, startup };
}

t.before(async () => {
  sim = await startSimulator({ seed: 9, accounts: [{ id: 'g', vendor: 'google', email: 'g@example.com', password: 'pw-g', recordings: 240, spanDays: 60 }] });
  jar = new Jar();
  const start = await (await request(sim, jar, '/v3/signin/identifier?continue=/product/assistant')).text();
  const TL = hiddenField(start, 'TL');
  await postForm(sim, jar, '/v3/signin/identifier', { TL, continue: '/product/assistant', identifier: 'g@example.com' });
  const done = await postForm(sim, jar, '/v3/signin/challenge/pwd', { TL, continue: '/product/assistant', Passwd: 'pw-g' });
  await request(sim, jar, done.headers.get('location')!);
});
t.teardown(() => sim?.close());
t.beforeEach(() => sim.control.reset('g'));

function rpc(id: string, args: unknown, sourcePath = '/product/assistant') {
  const q = new URLSearchParams({ rpcids: id, 'source-path': sourcePath, 'f.sid': wiz.FdrFJe, bl: wiz.cfb2h, hl: 'en', rt: 'c' });
  const body = new URLSearchParams({ 'f.req': JSON.stringify([[[id, JSON.stringify(args), null, 'generic']]]), at: wiz.SNlM0e });
  return request(sim, jar, `${BATCHEXECUTE_PATH}?${q}`, { method: 'POST', body });
}

async function payload(res: Response, id: string): Promise<unknown[]> {
  for (const frame of unframe(await res.text())) for (const entry of frame as unknown[][]) if (entry[0] === 'wrb.fr' && entry[1] === id) return JSON.parse(entry[2] as string);
  throw new Error(`no ${id} frame (HTTP ${res.status})`);
}

/** Every item a list request gives, paging with the same arguments and the next cursor. */
async function listAll(args: unknown[], sourcePath = '/product/assistant'): Promise<unknown[][]> {
  const out: unknown[][] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 50; n++) {
    const a = structuredClone(args);
    a[1] = cursor;
    const [items, next] = await payload(await rpc('y3VFHd', a, sourcePath), 'y3VFHd') as [unknown[][], string | null];
    out.push(...items);
    cursor = next;
    if (!cursor) return out;
  }
  throw new Error('the list did not end');
}

const productsOf = (items: unknown[][]) => [...new Set(items.map((i) => i[1] as string))].sort();

t.test('the account holds five products; the page carries its start-up list request with the product filter', async (t) => {
  const a = sim.control.activity('g');
  t.same(Object.keys(a).sort(), ['assistant', 'gemini', 'maps', 'search', 'youtube']);
  for (const p of Object.values(a)) t.ok(p.remaining > 0 && p.deleted === 0 && p.pending === 0);
  const { startup } = await page('/product/assistant');
  t.same(startup, [null, null, ['assistant']], 'the filter is in the start-up request');
  const items = await listAll(startup);
  t.same(productsOf(items), ['Assistant']);
  t.equal(items.length, a.assistant.remaining, 'every Assistant item, once');
  const all = await page('/myactivity');
  t.same(all.startup, [null, null, null], 'the all-activity page asks for every product');
  const everything = await listAll(all.startup, '/myactivity');
  t.same(productsOf(everything), ['Assistant', 'Gemini Apps', 'Maps', 'Search', 'YouTube']);
  t.equal(everything.length, Object.values(a).reduce((n, p) => n + p.remaining, 0));
  const stamps = everything.map((i) => i[4] as number);
  t.ok(stamps.every((s, i) => i === 0 || s <= stamps[i - 1]), "newest first across products");
  t.equal(new Set(everything.map((i) => i[5])).size, everything.length, "no item twice");
});

t.test('mixedList: a hand-made request without the filter lists everything; "always" mixes even the page\'s own', async (t) => {
  const { startup } = await page('/product/assistant');
  t.same(productsOf(await listAll([null, null])), ['Assistant'], 'by default source-path alone still filters');
  sim.control.setFaults('g', { mixedList: 'unfiltered' });
  t.same(productsOf(await listAll([null, null])), ['Assistant', 'Gemini Apps', 'Maps', 'Search', 'YouTube'], 'hand-made: every product');
  t.same(productsOf(await listAll(startup)), ['Assistant'], 'the page\'s own request: Assistant only');
  sim.control.setFaults('g', { mixedList: 'always' });
  t.same(productsOf(await listAll(startup)).length, 5, 'always: mixed even with the filter');
  t.match(await (await request(sim, jar, '/product/assistant')).text(), /"Search"/, 'the page shows other products too');
});

t.test('range delete names its products; preview only counts; control reports per product', async (t) => {
  await page('/product/assistant');
  const now = sim.control.now();
  const range = [(now - 30 * 86_400_000) * 1000, now * 1000];
  t.equal((await rpc('Y6Lp2d', range)).status, 400, 'a range delete that names no product is refused');
  const inRange = sim.control.remaining('g', { from: now - 30 * 86_400_000, to: now });
  const [count] = await payload(await rpc('Y6Lp2d', [...range, ['assistant'], true]), 'Y6Lp2d') as [number];
  t.equal(count, inRange, 'preview counts');
  t.equal(sim.control.deleted('g'), 0, 'preview deletes nothing');
  await rpc('Y6Lp2d', [...range, ['assistant']]);
  t.equal(sim.control.deleted('g', { from: now - 30 * 86_400_000, to: now }), inRange, 'Assistant range gone');
  t.equal(sim.control.deleted('g', { to: now - 30 * 86_400_000 - 1 }), 0, 'older kept');
  const a = sim.control.activity('g');
  t.same([a.gemini.deleted, a.search.deleted, a.youtube.deleted, a.maps.deleted], [0, 0, 0, 0], 'no other product touched');
  await rpc('Y6Lp2d', [...range, ['assistant', 'search', 'youtube', 'maps', 'gemini']]);
  const b = sim.control.activity('g');
  t.ok(b.search.deleted > 0 && b.youtube.deleted > 0 && b.maps.deleted > 0, 'a delete that names every product takes every product');
  const http = await (await fetch(`${sim.url}/__sim/accounts/g/deleted?product=search`)).json() as { deleted: number };
  t.equal(http.deleted, b.search.deleted, 'over HTTP too');
  t.equal((await fetch(`${sim.url}/__sim/accounts/g/remaining?product=bogus`)).status, 400, 'unknown product: a clear error');
});

t.test('per-item deletes reach whichever product holds the token; stuck items never go', async (t) => {
  const all = await page('/myactivity');
  const items = await listAll(all.startup, '/myactivity');
  const search = items.find((i) => i[1] === 'Search')!;
  await rpc('TmdDAd', [[search[5]]], '/myactivity');
  t.equal(sim.control.activity('g').search.deleted, 1);
  sim.control.setFaults('g', { stuckItems: 3 });
  await page('/product/assistant');
  const now = sim.control.now();
  await rpc('Y6Lp2d', [0, now * 1000, ['assistant']]);
  t.equal(sim.control.remaining('g'), 3, 'the three oldest stay');
  sim.control.advanceClock(48 * 3_600_000);
  t.equal(sim.control.remaining('g'), 3, 'and stay two days later');
  sim.control.advanceClock(-48 * 3_600_000);
});

t.test('faults with a word are checked', async (t) => {
  t.throws(() => sim.control.setFaults('g', { deleteDialog: 'everything' as never }), /deleteDialog must be one of product, all-products/);
  const res = await fetch(`${sim.url}/__sim/accounts/g/faults`, { method: 'PUT', body: JSON.stringify({ mixedList: 'sometimes' }) });
  t.equal(res.status, 400);
  t.same(sim.control.setFaults('g', { deleteDialog: 'chooser-all', dateTyping: 'ignored' }), { deleteDialog: 'chooser-all', dateTyping: 'ignored' });
});
