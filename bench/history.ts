// The database after a year of nightly runs (what an SD card holds after 365 nights), and after pruning.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/open.ts';
import { pruneHistory } from '../src/db/prune.ts';
import { seedNights } from '../test/helpers/history.ts';

export async function benchHistory(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-bench-history-'));
  try {
    const path = join(dir, 'voicewipe.db');
    const { db } = openDatabase(path);
    seedNights(db, dir, 365);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const kept365 = statSync(path).size;
    const started = performance.now();
    pruneHistory(db, dir, 90);
    const pruneMs = performance.now() - started;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const kept90 = statSync(path).size;
    db.close();
    return {
      db_kb_after_365_nights: Math.round(kept365 / 1024),
      db_kb_after_pruning_to_90_days: Math.round(kept90 / 1024),
      prune_365_to_90_ms: Math.round(pruneMs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
