// Reads of the run history shared by the CLI, the HTTP API and MQTT. Writes belong to the recorder.
import type { Database } from './open.ts';

export interface RunRow {
  id: number;
  trigger: string;
  status: string;
  dry_run: number;
  started_at: number;
  finished_at: number | null;
  found: number;
  deleted: number;
  remaining: number;
  message: string | null;
}

export interface AccountRow {
  id: string;
  provider: string;
  total_deleted: number;
  last_run_id: number | null;
  last_run_at: number | null;
  last_success_at: number | null;
  last_status: string | null;
  last_error_kind: string | null;
}

/** Newest first; `before` is a run id for paging backwards. */
export function listRuns(db: Database, opts: { limit: number; before?: number }): RunRow[] {
  return db.prepare('SELECT * FROM runs WHERE id < ? ORDER BY id DESC LIMIT ?')
    .all(opts.before ?? Number.MAX_SAFE_INTEGER, opts.limit) as RunRow[];
}

export function listAccountStates(db: Database): AccountRow[] {
  return db.prepare('SELECT * FROM accounts ORDER BY id').all() as AccountRow[];
}

export function getSetting<T>(db: Database, key: string): T | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function setSetting(db: Database, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(key, JSON.stringify(value));
}
