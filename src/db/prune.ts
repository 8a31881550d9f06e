// History retention: runs, their results and their evidence older than history.keep_days go, so the database
// and the SD card stay small after years of nightly runs; but not the run whose over_deleted paused an account
// that is still paused (a person has yet to look at that evidence). Lasting per-account figures (total deleted, last
// success) live in `accounts` and are kept.
import { deleteRunEvidence } from '../browser/evidence.ts';
import type { Database } from './open.ts';
import { deleteRuns, oldRunIds, pageCounts, vacuum } from './queries.ts';

export interface PruneResult { runs: number; vacuumed: boolean }

/** Runs deleted per transaction. */
const BATCH = 500;

/** Deletes in batches so a first prune of years of history never blocks the event loop for long. */
export function pruneHistory(db: Database, stateDir: string, keepDays: number, now = Date.now()): PruneResult {
  const before = now - keepDays * 86_400_000;
  let runs = 0;
  for (;;) {
    const ids = oldRunIds(db, before, BATCH);
    if (ids.length === 0) break;
    deleteRuns(db, ids);
    for (const id of ids) deleteRunEvidence(stateDir, id);
    runs += ids.length;
  }
  // VACUUM rewrites the file: worth it only when a good part of it is free pages.
  const { pages, free } = pageCounts(db);
  const vacuumed = free > 64 && free > pages / 4;
  if (vacuumed) vacuum(db);
  return { runs, vacuumed };
}
