// History retention: runs, their results and their evidence older than history.keep_days go, so the database
// and the SD card stay small after years of nightly runs. Lasting per-account figures (total deleted, last
// success) live in `accounts` and are kept.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './open.ts';

export interface PruneResult { runs: number; vacuumed: boolean }

/** Deletes in batches so a first prune of years of history never blocks the event loop for long. */
export function pruneHistory(db: Database, stateDir: string, keepDays: number, now = Date.now()): PruneResult {
  const before = now - keepDays * 86_400_000;
  const select = db.prepare("SELECT id FROM runs WHERE started_at < ? AND status <> 'running' ORDER BY id LIMIT 500");
  const remove = db.prepare('DELETE FROM runs WHERE id = ?');
  let runs = 0;
  for (;;) {
    const ids = (select.all(before) as { id: number }[]).map((r) => r.id);
    if (ids.length === 0) break;
    db.transaction(() => { for (const id of ids) remove.run(id); })();
    for (const id of ids) rmSync(join(stateDir, 'evidence', String(id)), { recursive: true, force: true });
    runs += ids.length;
  }
  // VACUUM rewrites the file: worth it only when a good part of it is free pages.
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const vacuumed = free > 64 && free > pages / 4;
  if (vacuumed) db.exec('VACUUM');
  return { runs, vacuumed };
}
