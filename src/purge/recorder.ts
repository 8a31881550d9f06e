// The recorder: writes runs and per-account results to SQLite from the run's events. Each event is one short
// transaction, so a power cut leaves the database consistent and at most one account's figures unrecorded.
import type { Database } from '../db/open.ts';
import type { AccountResult, PurgeEvents, RunStatus, Trigger } from './events.ts';

export class Recorder {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Makes the run's row and a pending result per account; returns the run id. */
  createRun(trigger: Trigger, dryRun: boolean, accounts: { id: string; provider: string }[], startedAt: number): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db.prepare('INSERT INTO runs (trigger, status, dry_run, started_at) VALUES (?, ?, ?, ?)')
        .run(trigger, 'running', dryRun ? 1 : 0, startedAt);
      const runId = Number(lastInsertRowid);
      const pending = this.db.prepare("INSERT INTO account_results (run_id, account_id, provider, status) VALUES (?, ?, ?, 'pending')");
      for (const account of accounts) pending.run(runId, account.id, account.provider);
      return runId;
    })();
  }

  /** Runs left `running` by a process that died (power cut, SIGKILL) become `interrupted`, with the accounts
   *  they had not finished. Returns their ids. */
  markInterrupted(at: number): number[] {
    return this.db.transaction(() => {
      const ids = (this.db.prepare("SELECT id FROM runs WHERE status = 'running'").all() as { id: number }[]).map((r) => r.id);
      for (const id of ids) {
        this.db.prepare("UPDATE account_results SET status = 'interrupted', finished_at = ? WHERE run_id = ? AND status IN ('pending', 'running')").run(at, id);
        this.db.prepare(`UPDATE runs SET status = 'interrupted', finished_at = ?, message = 'the process stopped during this run',
          found = (SELECT coalesce(sum(found), 0) FROM account_results WHERE run_id = ?),
          deleted = (SELECT coalesce(sum(deleted), 0) FROM account_results WHERE run_id = ?),
          remaining = (SELECT coalesce(sum(remaining), 0) FROM account_results WHERE run_id = ?) WHERE id = ?`).run(at, id, id, id, id);
      }
      return ids;
    })();
  }

  /** The account's pause (over_deleted), when a person has not acknowledged it yet. */
  pausedAccount(accountId: string): { paused_at: number; paused_reason: string } | undefined {
    const row = this.db.prepare('SELECT paused_at, paused_reason FROM accounts WHERE id = ? AND paused_at IS NOT NULL').get(accountId) as
      { paused_at: number; paused_reason: string | null } | undefined;
    return row ? { paused_at: row.paused_at, paused_reason: row.paused_reason ?? 'no reason recorded' } : undefined;
  }

  pause(account: { id: string; provider: string }, reason: string, at: number): void {
    this.db.prepare(`INSERT INTO accounts (id, provider, paused_at, paused_reason) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET paused_at = excluded.paused_at, paused_reason = excluded.paused_reason`).run(account.id, account.provider, at, reason);
  }

  /** A person has looked at the evidence: purges of the account resume. Returns false when it was not paused. */
  acknowledge(accountId: string): boolean {
    return this.db.prepare('UPDATE accounts SET paused_at = NULL, paused_reason = NULL WHERE id = ? AND paused_at IS NOT NULL').run(accountId).changes > 0;
  }

  /** Records the items still listed after deleting them (keeping when each was first deleted), forgets the
   *  account's other pending items (gone now), and returns the oldest first-deleted time. */
  notePending(accountId: string, items: Map<string, number>, now: number): number | null {
    return this.db.transaction(() => {
      this.db.prepare('CREATE TEMP TABLE IF NOT EXISTS still_listed (item_key TEXT PRIMARY KEY)').run();
      this.db.prepare('DELETE FROM temp.still_listed').run();
      const listed = this.db.prepare('INSERT OR IGNORE INTO temp.still_listed (item_key) VALUES (?)');
      const keep = this.db.prepare(`INSERT INTO pending_deletes (account_id, item_key, item_at, first_deleted_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (account_id, item_key) DO NOTHING`);
      for (const [key, at] of items) { listed.run(key); keep.run(accountId, key, at, now); }
      this.db.prepare('DELETE FROM pending_deletes WHERE account_id = ? AND item_key NOT IN (SELECT item_key FROM temp.still_listed)').run(accountId);
      const row = this.db.prepare('SELECT min(first_deleted_at) AS oldest FROM pending_deletes WHERE account_id = ?').get(accountId) as { oldest: number | null };
      return row.oldest;
    })();
  }

  /** Nothing is pending any more for the account. */
  clearPending(accountId: string): void {
    this.db.prepare('DELETE FROM pending_deletes WHERE account_id = ?').run(accountId);
  }

  /** Subscribes to the run's events; returns the unsubscribe function. */
  attach(events: PurgeEvents): () => void {
    const started = this.db.prepare("UPDATE account_results SET status = 'running', started_at = ? WHERE run_id = ? AND account_id = ?");
    const finished = this.db.prepare(`UPDATE account_results SET status = @status, found = @found, found_exact = @found_exact,
      deleted = @deleted, pending = @pending, remaining = @remaining, oldest_at = @oldest_at, newest_at = @newest_at, error_kind = @error_kind,
      error_message = @error_message, attempts = @attempts, started_at = @started_at, finished_at = @finished_at,
      evidence_dir = @evidence_dir, details = @details WHERE run_id = @run_id AND account_id = @account_id`);
    const account = this.db.prepare(`INSERT INTO accounts (id, provider, total_deleted, last_run_id, last_run_at,
        last_success_at, last_status, last_error_kind)
      VALUES (@account_id, @provider, @deleted, @run_id, @finished_at, @success_at, @status, @error_kind)
      ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, total_deleted = total_deleted + excluded.total_deleted,
        last_run_id = excluded.last_run_id, last_run_at = excluded.last_run_at,
        last_success_at = coalesce(excluded.last_success_at, last_success_at), last_status = excluded.last_status,
        last_error_kind = excluded.last_error_kind`);
    const runDone = this.db.prepare(`UPDATE runs SET status = @status, finished_at = @at, found = @found, deleted = @deleted,
      remaining = @remaining, message = @message WHERE id = @run_id`);
    const offs = [
      events.on('account_started', (e) => { started.run(e.at, e.run_id, e.account_id); }),
      events.on('account_finished', (e) => {
        const r: AccountResult = e.result;
        this.db.transaction(() => {
          finished.run({
            ...r, run_id: e.run_id, details: JSON.stringify(r.details),
            found_exact: r.found_exact === undefined || r.found_exact === null ? null : Number(r.found_exact), pending: r.pending ?? null,
          });
          // A dry run changes nothing at the vendor, so it does not move the account's lasting figures.
          const dryRun = (this.db.prepare('SELECT dry_run FROM runs WHERE id = ?').get(e.run_id) as { dry_run: number }).dry_run === 1;
          if (!dryRun && r.status !== 'skipped') {
            account.run({
              account_id: r.account_id, provider: r.provider, deleted: r.deleted ?? 0, run_id: e.run_id,
              finished_at: r.finished_at, success_at: r.status === 'ok' ? r.finished_at : null, status: r.status, error_kind: r.error_kind,
            });
          }
        })();
      }),
      events.on('run_finished', (e) => {
        runDone.run({ run_id: e.run_id, status: e.status satisfies RunStatus, at: e.at, found: e.found, deleted: e.deleted, remaining: e.remaining, message: e.message });
      }),
    ];
    return () => offs.forEach((off) => off());
  }
}
