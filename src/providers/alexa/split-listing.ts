// Listing time ranges through a cursor-paged, newest-first list call with a few calls in flight: a chain that
// is still long when a caller is free hands the older half of what it has left to a new chain (started with
// its own startTime/endTime, no cursor). At about 10 records per call, one chain at a time makes a first purge of
// 50,000 recordings wait on 5,000 round trips one after another. Bounded in time, calls and concurrency; a
// listing cut short keeps only the newest stretch it covered without a gap, so "incomplete" still means "the
// newest part" (what the survivor check and "at least N" rely on).

/** One answer: the records (key, time) as listed, newest first, and the cursor to the next page (null at the end). */
export interface PageAnswer { records: [string, number][]; next: string | null }
/** Fetches one page of the records with start ≤ time ≤ end; `cursor` null for the first page. Throws to stop. */
export type FetchPage = (start: number, end: number, cursor: string | null) => Promise<PageAnswer>;

export interface RangeListing {
  /** key → time of every record listed in the range (or in its newest stretch without a gap, when cut short). */
  records: Map<string, number>;
  complete: boolean;
  stopped?: string;
}

export interface SplitOptions {
  /** List calls in flight at most. */
  concurrency: number;
  /** Past this, no new call starts: the listing ends incomplete. */
  budgetMs: number;
  /** List calls in all, at most. */
  maxPages: number;
  /** A chain is split only while what it has left spans more than this. */
  minSplitMs: number;
  /** Checked before each call (a cancelled run): throws to stop. */
  check?: () => void;
}

interface Segment {
  group: number;
  /** Records with lo ≤ time ≤ hi belong to this chain; lo rises when the chain hands its older part away. */
  lo: number;
  hi: number;
  /** The startTime the chain's calls carry (its cursor belongs to that query). */
  queryLo: number;
  /** Every record at or above this time has been listed (hi + 1 before the first page). */
  covered: number;
  done: boolean;
  stopped?: string;
}

/** Lists every range (both ends inclusive) with up to `concurrency` calls in flight; one result per range. */
export async function listRanges(fetchPage: FetchPage, ranges: [number, number][], opts: SplitOptions): Promise<{ listings: RangeListing[]; pages: number }> {
  const records = ranges.map(() => new Map<string, number>());
  const segments: Segment[] = ranges.map(([lo, hi], group) => ({ group, lo, hi, queryLo: lo, covered: hi + 1, done: false }));
  const queue = [...segments];
  const until = Date.now() + opts.budgetMs;
  let pages = 0;
  let active = 0;
  let stopAll: string | undefined;
  let failure: { error: unknown } | undefined;

  const chain = async (seg: Segment): Promise<void> => {
    let cursor: string | null = null;
    const cursors = new Set<string>();
    for (;;) {
      if (failure || stopAll) return;
      opts.check?.();
      if (pages > 0 && Date.now() >= until) { stopAll = `stopped after ${Math.round(opts.budgetMs / 1000)} s (${pages} list calls)`; return; }
      if (pages >= opts.maxPages) { stopAll = `stopped after ${pages} list calls`; return; }
      pages++;
      const answer = await fetchPage(seg.queryLo, seg.hi, cursor);
      let oldest = Infinity;
      for (const [key, at] of answer.records) {
        if (at < oldest) oldest = at;
        // Pages overlap (de-duplicated by key); what is below lo belongs to the chain that took the older part.
        if (at >= seg.lo && at <= seg.hi) records[seg.group].set(key, at);
      }
      if (!answer.next || oldest < seg.lo) { seg.done = true; return; }
      // Records at `oldest` may go on on the next page (same time): covered strictly above it.
      if (Number.isFinite(oldest)) seg.covered = Math.min(seg.covered, oldest + 1);
      if (cursors.has(answer.next)) { seg.stopped = `the list repeated a cursor after ${pages} calls`; return; }
      cursors.add(answer.next);
      cursor = answer.next;
      // A caller is free: hand the older half of what is left to a new chain.
      if (queue.length === 0 && active < opts.concurrency && Number.isFinite(oldest) && oldest - seg.lo > opts.minSplitMs) {
        const mid = seg.lo + Math.floor((oldest - seg.lo) / 2);
        const older: Segment = { group: seg.group, lo: seg.lo, hi: mid - 1, queryLo: seg.lo, covered: mid, done: false };
        seg.lo = mid;
        segments.push(older);
        queue.push(older);
        pump();
      }
    }
  };

  let finished: () => void = () => {};
  const all = new Promise<void>((resolve) => { finished = resolve; });
  function pump(): void {
    while (!failure && !stopAll && active < opts.concurrency && queue.length > 0) {
      // The newest waiting range first: a listing cut short then still covers the newest part.
      queue.sort((a, b) => b.hi - a.hi);
      const seg = queue.shift()!;
      active++;
      chain(seg).catch((error) => { failure ??= { error }; }).finally(() => { active--; pump(); });
    }
    if (active === 0) finished();
  }
  pump();
  await all;
  if (failure) throw failure.error;

  const listings = ranges.map((_, group): RangeListing => {
    const mine = segments.filter((s) => s.group === group).sort((a, b) => b.hi - a.hi);
    const gap = mine.find((s) => !s.done);
    if (!gap) return { records: records[group], complete: true };
    // Keep the newest stretch without a gap: everything above the first chain that did not finish.
    const kept = new Map<string, number>();
    for (const [key, at] of records[group]) if (at >= gap.covered) kept.set(key, at);
    return { records: kept, complete: false, stopped: gap.stopped ?? stopAll ?? 'stopped early' };
  });
  return { listings, pages };
}
