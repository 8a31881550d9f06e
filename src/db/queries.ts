// Every SQL statement of voicewipe (migrations aside): the reads shared by the CLI, the HTTP API and MQTT, and the
// writes the recorder, the sessions, the schedule and the pruning make.
import type { Statement } from 'better-sqlite3';
import type { AccountResult, RunStatus, Trigger } from '../purge/events.ts';
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

// Prepared statements, once per connection: the recorder, the sessions and the schedule run the same few all day.
const preparedByDb = new WeakMap<Database, Map<string, Statement>>();

function statement(db: Database, sql: string): Statement {
  let prepared = preparedByDb.get(db);
  if (!prepared) {
    prepared = new Map();
    preparedByDb.set(db, prepared);
  }
  let stmt = prepared.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    prepared.set(sql, stmt);
  }
  return stmt;
}

// Runs and results (recorder)

/** A new run's row, `running`; returns its id. */
export function insertRun(db: Database, trigger: Trigger, dryRun: boolean, startedAt: number): number {
  const { lastInsertRowid } = statement(db, 'INSERT INTO runs (trigger, status, dry_run, started_at) VALUES (?, ?, ?, ?)')
    .run(trigger, 'running', dryRun ? 1 : 0, startedAt);
  return Number(lastInsertRowid);
}

/** The account's result row of a run, `pending` until the run reaches it. */
export function insertPendingResult(db: Database, runId: number, account: { id: string; provider: string }): void {
  statement(db, "INSERT INTO account_results (run_id, account_id, provider, status) VALUES (?, ?, ?, 'pending')")
    .run(runId, account.id, account.provider);
}

export function listRunningRunIds(db: Database): number[] {
  return (statement(db, "SELECT id FROM runs WHERE status = 'running'").all() as { id: number }[]).map((r) => r.id);
}

/** A run left `running` by a process that died: it and its unfinished accounts become `interrupted`, its figures
 *  the sum of the results it recorded. */
export function interruptRun(db: Database, runId: number, at: number): void {
  db.transaction(() => {
    statement(db, "UPDATE account_results SET status = 'interrupted', finished_at = ? WHERE run_id = ? AND status IN ('pending', 'running')")
      .run(at, runId);
    statement(db, `UPDATE runs SET status = 'interrupted', finished_at = ?, message = 'the process stopped during this run',
      found = (SELECT coalesce(sum(found), 0) FROM account_results WHERE run_id = ?),
      deleted = (SELECT coalesce(sum(deleted), 0) FROM account_results WHERE run_id = ?),
      remaining = (SELECT coalesce(sum(remaining), 0) FROM account_results WHERE run_id = ?) WHERE id = ?`).run(at, runId, runId, runId, runId);
  })();
}

export function markResultRunning(db: Database, runId: number, accountId: string, at: number): void {
  statement(db, "UPDATE account_results SET status = 'running', started_at = ? WHERE run_id = ? AND account_id = ?").run(at, runId, accountId);
}

/** The account's finished result, in the row its run made for it. */
export function saveAccountResult(db: Database, runId: number, r: AccountResult): void {
  statement(db, `UPDATE account_results SET status = @status, found = @found, found_exact = @found_exact,
    deleted = @deleted, pending = @pending, remaining = @remaining, oldest_at = @oldest_at, newest_at = @newest_at, error_kind = @error_kind,
    error_message = @error_message, attempts = @attempts, started_at = @started_at, finished_at = @finished_at,
    evidence_dir = @evidence_dir, details = @details WHERE run_id = @run_id AND account_id = @account_id`).run({
    ...r, run_id: runId, details: JSON.stringify(r.details),
    found_exact: r.found_exact === undefined || r.found_exact === null ? null : Number(r.found_exact), pending: r.pending ?? null,
  });
}

/** The account's lasting figures moved on by a real run's result: total deleted, last run, last success. */
export function addAccountOutcome(db: Database, runId: number, r: AccountResult): void {
  statement(db, `INSERT INTO accounts (id, provider, total_deleted, last_run_id, last_run_at,
      last_success_at, last_status, last_error_kind)
    VALUES (@account_id, @provider, @deleted, @run_id, @finished_at, @success_at, @status, @error_kind)
    ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, total_deleted = total_deleted + excluded.total_deleted,
      last_run_id = excluded.last_run_id, last_run_at = excluded.last_run_at,
      last_success_at = coalesce(excluded.last_success_at, last_success_at), last_status = excluded.last_status,
      last_error_kind = excluded.last_error_kind`).run({
    account_id: r.account_id, provider: r.provider, deleted: r.deleted ?? 0, run_id: runId,
    finished_at: r.finished_at, success_at: r.status === 'ok' ? r.finished_at : null, status: r.status, error_kind: r.error_kind,
  });
}

export function finishRun(db: Database, runId: number, run: {
  status: RunStatus; at: number; found: number; deleted: number; remaining: number; message: string | null;
}): void {
  statement(db, `UPDATE runs SET status = @status, finished_at = @at, found = @found, deleted = @deleted,
    remaining = @remaining, message = @message WHERE id = @run_id`).run({ ...run, run_id: runId });
}

export function pauseAccount(db: Database, account: { id: string; provider: string }, reason: string, at: number): void {
  statement(db, `INSERT INTO accounts (id, provider, paused_at, paused_reason) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET paused_at = excluded.paused_at, paused_reason = excluded.paused_reason`).run(account.id, account.provider, at, reason);
}

/** Ends the account's pause; false when it was not paused. */
export function resumeAccount(db: Database, accountId: string): boolean {
  return statement(db, 'UPDATE accounts SET paused_at = NULL, paused_reason = NULL WHERE id = ? AND paused_at IS NOT NULL').run(accountId).changes > 0;
}

/** Keeps the items still listed after deleting them (with the time each was first deleted, never moved on),
 *  forgets the account's other pending items (gone now), and returns the oldest first-deleted time. */
export function keepPendingDeletes(db: Database, accountId: string, items: Map<string, number>, now: number): number | null {
  return db.transaction(() => {
    // The connection's own scratch table of the keys listed now (TEMP: never written to the file).
    statement(db, 'CREATE TEMP TABLE IF NOT EXISTS still_listed (item_key TEXT PRIMARY KEY)').run();
    statement(db, 'DELETE FROM temp.still_listed').run();
    const listed = statement(db, 'INSERT OR IGNORE INTO temp.still_listed (item_key) VALUES (?)');
    const keep = statement(db, `INSERT INTO pending_deletes (account_id, item_key, item_at, first_deleted_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (account_id, item_key) DO NOTHING`);
    for (const [key, at] of items) { listed.run(key); keep.run(accountId, key, at, now); }
    statement(db, 'DELETE FROM pending_deletes WHERE account_id = ? AND item_key NOT IN (SELECT item_key FROM temp.still_listed)').run(accountId);
    const row = statement(db, 'SELECT min(first_deleted_at) AS oldest FROM pending_deletes WHERE account_id = ?').get(accountId) as { oldest: number | null };
    return row.oldest;
  })();
}

export function clearPendingDeletes(db: Database, accountId: string): void {
  statement(db, 'DELETE FROM pending_deletes WHERE account_id = ?').run(accountId);
}

// Sessions (status page sign-ins and one-time links, stored hashed)

export type SessionKind = 'admin' | 'invite' | 'invite_session';

export interface SessionRow {
  kind: SessionKind;
  account_id: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Stores a new session after dropping the expired ones and the oldest of its kind beyond `maxPerKind`. */
export function insertSession(db: Database, idHash: string, kind: SessionKind, accountId: string | null, createdAt: number, expiresAt: number,
  maxPerKind: number): void {
  db.transaction(() => {
    statement(db, 'DELETE FROM sessions WHERE expires_at <= ?').run(createdAt);
    statement(db, `DELETE FROM sessions WHERE kind = ? AND id_hash IN
      (SELECT id_hash FROM sessions WHERE kind = ? ORDER BY created_at DESC LIMIT -1 OFFSET ?)`).run(kind, kind, maxPerKind - 1);
    statement(db, 'INSERT INTO sessions (id_hash, kind, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(idHash, kind, accountId, createdAt, expiresAt);
  })();
}

export function getSession(db: Database, idHash: string): SessionRow | undefined {
  return statement(db, 'SELECT kind, account_id, created_at, expires_at, used_at FROM sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
}

/** Marks a one-time session used; false when it already was (or is not there). */
export function markSessionUsed(db: Database, idHash: string, at: number): boolean {
  return statement(db, 'UPDATE sessions SET used_at = ? WHERE id_hash = ? AND used_at IS NULL').run(at, idHash).changes === 1;
}

export function deleteSession(db: Database, idHash: string): void {
  statement(db, 'DELETE FROM sessions WHERE id_hash = ?').run(idHash);
}

export function deleteAllSessions(db: Database): void {
  statement(db, 'DELETE FROM sessions').run();
}

// Schedule

/** When the newest finished run started (interrupted and running ones aside), and the newest interrupted one. */
export function lastRunStarts(db: Database): { finished: number | null; interrupted: number | null } {
  return statement(db, `SELECT max(CASE WHEN status NOT IN ('running', 'interrupted') THEN started_at END) AS finished,
    max(CASE WHEN status = 'interrupted' THEN started_at END) AS interrupted FROM runs`).get() as { finished: number | null; interrupted: number | null };
}

// Pruning

/** Runs whose over_deleted result paused an account that is still paused: that run and its evidence are what a
 *  person has to look at, so neither is pruned until the pause is acknowledged (the next prune after that takes them). */
const PAUSING_RUN = `SELECT r.run_id FROM account_results r JOIN accounts a ON a.id = r.account_id
  WHERE r.status = 'failed' AND r.error_kind = 'over_deleted' AND a.paused_at IS NOT NULL`;

export function pausingRunIds(db: Database): number[] {
  return (statement(db, PAUSING_RUN).all() as { run_id: number }[]).map((r) => r.run_id);
}

/** Up to `limit` of the oldest finished runs started before `before`, but not a pausing run (PAUSING_RUN). */
export function oldRunIds(db: Database, before: number, limit: number): number[] {
  return (statement(db, `SELECT id FROM runs WHERE started_at < ? AND status <> 'running' AND id NOT IN (${PAUSING_RUN})
      ORDER BY id LIMIT ?`).all(before, limit) as { id: number }[])
    .map((r) => r.id);
}

/** Deletes runs with their results (ON DELETE CASCADE), in one transaction. */
export function deleteRuns(db: Database, ids: number[]): void {
  const remove = statement(db, 'DELETE FROM runs WHERE id = ?');
  db.transaction(() => { for (const id of ids) remove.run(id); })();
}

/** The file's size in pages and how many of them are free (left by deletes until a VACUUM). */
export function pageCounts(db: Database): { pages: number; free: number } {
  return { pages: db.pragma('page_count', { simple: true }) as number, free: db.pragma('freelist_count', { simple: true }) as number };
}

/** Rewrites the file without its free pages. */
export function vacuum(db: Database): void {
  db.exec('VACUUM');
}

// Status page and API (routes)

/** Throws when the database no longer answers (GET /healthz): the file gone, locked or damaged. */
export function pingDatabase(db: Database): void {
  statement(db, 'SELECT 1 AS ok').get();
}
