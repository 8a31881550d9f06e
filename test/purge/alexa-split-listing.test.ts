// Listing with several calls in flight (src/providers/alexa/split-listing.ts) against a fake list call that pages
// like Amazon's (10 per call, newest first, each page starting with the previous page's last record): the same
// records as one call after another, never more calls in flight than allowed, and a listing cut short keeps only
// the newest stretch without a gap.
import t from 'tap';
import { listRanges } from '../../src/providers/alexa/split-listing.ts';
import type { FetchPage } from '../../src/providers/alexa/split-listing.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

/** Records at pseudo-random times over `days` days (a few share a millisecond), sorted newest first. */
function records(n: number, days: number, seed = 7): [string, number][] {
  let x = seed;
  const rand = () => { x = (x * 1_103_515_245 + 12_345) % 2 ** 31; return x / 2 ** 31; };
  const out: [string, number][] = [];
  for (let i = 0; i < n; i++) out.push([`k${i}`, i % 50 === 0 && i > 0 ? out[i - 1][1] : T0 + Math.floor(rand() * days * DAY)]);
  return out.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

interface Fake { fetch: FetchPage; calls: number; maxInFlight: number }
function fake(all: [string, number][], opts: { size?: number; delayMs?: number; failAt?: number; repeatCursor?: boolean } = {}): Fake {
  const size = opts.size ?? 10;
  const f: Fake = { calls: 0, maxInFlight: 0, fetch: async () => ({ records: [], next: null }) };
  let inFlight = 0;
  f.fetch = async (start, end, cursor) => {
    f.calls++;
    inFlight++;
    f.maxInFlight = Math.max(f.maxInFlight, inFlight);
    try {
      await new Promise((r) => setTimeout(r, opts.delayMs ?? 1));
      if (opts.failAt !== undefined && f.calls >= opts.failAt) throw new Error('vendor said no');
      const inRange = all.filter(([, at]) => at >= start && at <= end);
      const from = cursor === null ? 0 : Number(cursor);
      const page = inRange.slice(from, from + size);
      // The next page starts with this page's last record (pages overlap).
      const next = from + size < inRange.length ? String(opts.repeatCursor ? 9 : from + size - 1) : null;
      return { records: page, next };
    } finally {
      inFlight--;
    }
  };
  return f;
}

const limits = { concurrency: 4, budgetMs: 60_000, maxPages: 100_000, minSplitMs: 6 * HOUR };

t.test('the same records as one call after another, with at most `concurrency` calls in flight', async (t) => {
  const all = records(3_000, 365);
  const lo = T0 - 400 * DAY;
  const cut = T0 + 300 * DAY;
  const one = fake(all);
  const [seq] = (await listRanges(one.fetch, [[lo, cut - 1]], { ...limits, concurrency: 1 })).listings;
  const many = fake(all);
  const { listings: [count, kept] } = await listRanges(many.fetch, [[lo, cut - 1], [cut, T0 + 400 * DAY]], limits);
  const expected = all.filter(([, at]) => at < cut);
  t.equal(seq.records.size, expected.length, 'one at a time lists every record once');
  t.ok(seq.complete);
  t.same([...count.records].sort(), [...seq.records].sort(), 'split among calls: the same records');
  t.ok(count.complete);
  t.equal(kept.records.size, all.length - expected.length, 'the second range listed too');
  t.ok(kept.complete);
  t.ok(many.maxInFlight <= 4, `at most 4 in flight (${many.maxInFlight})`);
  t.ok(many.maxInFlight > 1, 'more than one in flight');
  t.ok(many.calls < one.calls * 1.4 + 40, `not many more calls (${many.calls} against ${one.calls} for the first range)`);
});

t.test('a listing cut short keeps the newest stretch without a gap', async (t) => {
  const all = records(2_000, 200, 11);
  const f = fake(all, { delayMs: 5 });
  const { listings: [l] } = await listRanges(f.fetch, [[T0, T0 + 300 * DAY]], { ...limits, budgetMs: 150 });
  t.notOk(l.complete, 'cut short');
  t.match(l.stopped, /stopped after/);
  t.ok(l.records.size > 0, `${l.records.size} listed`);
  const oldest = Math.min(...l.records.values());
  const newerThanOldest = all.filter(([, at]) => at > oldest);
  for (const [key] of newerThanOldest) if (!l.records.has(key)) t.fail(`${key} is newer than the oldest kept and missing: a gap`);
  t.pass('no gap above the oldest record kept');
});

t.test('a repeated cursor ends the listing incomplete; an error stops it and is thrown', async (t) => {
  const all = records(500, 30, 3);
  const { listings: [l] } = await listRanges(fake(all, { repeatCursor: true }).fetch, [[T0, T0 + 40 * DAY]], limits);
  t.notOk(l.complete);
  t.match(l.stopped, /repeated a cursor/);
  await t.rejects(listRanges(fake(all, { failAt: 5 }).fetch, [[T0, T0 + 40 * DAY]], limits), /vendor said no/);
});

t.test('an empty range is one call, complete', async (t) => {
  const f = fake([]);
  const { listings: [l], pages } = await listRanges(f.fetch, [[T0, T0 + DAY]], limits);
  t.ok(l.complete);
  t.equal(l.records.size, 0);
  t.equal(pages, 1);
});
