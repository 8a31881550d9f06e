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
  /** Purging stopped until a person acknowledges (columns added by a later migration; absent before). */
  paused_at?: number | null;
  paused_reason?: string | null;
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

export interface AccountResultRow {
  run_id: number;
  account_id: string;
  provider: string;
  status: string;
  found: number | null;
  deleted: number | null;
  remaining: number | null;
  oldest_at: number | null;
  newest_at: number | null;
  error_kind: string | null;
  error_message: string | null;
  attempts: number;
  started_at: number | null;
  finished_at: number | null;
  evidence_dir: string | null;
  /** JSON text. */
  details: string | null;
}

export function getRun(db: Database, id: number): RunRow | undefined {
  return db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
}

/** One run's per-account results, in the order the run took them. */
export function listAccountResults(db: Database, runId: number): AccountResultRow[] {
  return db.prepare('SELECT * FROM account_results WHERE run_id = ? ORDER BY coalesce(started_at, 9e15), account_id')
    .all(runId) as AccountResultRow[];
}

/** Per-account results of several runs at once (a page of history): status and figures, no details. */
export function listAccountResultsOfRuns(db: Database, runIds: number[]): Omit<AccountResultRow, 'details' | 'error_message'>[] {
  if (runIds.length === 0) return [];
  return db.prepare(`SELECT run_id, account_id, provider, status, found, deleted, remaining, oldest_at, newest_at, error_kind,
      attempts, started_at, finished_at, evidence_dir FROM account_results
    WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id DESC, coalesce(started_at, 9e15), account_id`)
    .all(JSON.stringify(runIds)) as Omit<AccountResultRow, 'details' | 'error_message'>[];
}

/** Each account's result in the run recorded as its last (real, not dry) run, when that run is still kept. */
export function lastAccountResults(db: Database): AccountResultRow[] {
  return db.prepare(`SELECT ar.* FROM accounts a JOIN account_results ar ON ar.run_id = a.last_run_id AND ar.account_id = a.id`)
    .all() as AccountResultRow[];
}

/** Runs kept in the history, by status. */
export function countRunsByStatus(db: Database): { status: string; count: number }[] {
  return db.prepare('SELECT status, count(*) AS count FROM runs GROUP BY status ORDER BY status').all() as { status: string; count: number }[];
}

/** The newest run that has finished (any status but running). */
export function lastFinishedRun(db: Database): RunRow | undefined {
  return db.prepare("SELECT * FROM runs WHERE status <> 'running' ORDER BY id DESC LIMIT 1").get() as RunRow | undefined;
}

// Home Assistant state (mqtt)

/** One account's recorded state (src/purge/status.ts decides what it means); undefined before its first run. */
export function getAccountState(db: Database, accountId: string): AccountRow | undefined {
  return db.prepare('SELECT * FROM accounts WHERE id = ?').get(accountId) as AccountRow | undefined;
}

/** One account's result in one run: its figures and times, without the evidence details. */
export function getAccountResult(db: Database, runId: number, accountId: string): Omit<AccountResultRow, 'details'> | undefined {
  return db.prepare(`SELECT run_id, account_id, provider, status, found, deleted, remaining, oldest_at, newest_at, error_kind, error_message,
      attempts, started_at, finished_at, evidence_dir FROM account_results WHERE run_id = ? AND account_id = ?`)
    .get(runId, accountId) as Omit<AccountResultRow, 'details'> | undefined;
}
