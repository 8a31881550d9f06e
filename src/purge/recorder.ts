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

  /** Subscribes to the run's events; returns the unsubscribe function. */
  attach(events: PurgeEvents): () => void {
    const started = this.db.prepare("UPDATE account_results SET status = 'running', started_at = ? WHERE run_id = ? AND account_id = ?");
    const finished = this.db.prepare(`UPDATE account_results SET status = @status, found = @found, deleted = @deleted,
      remaining = @remaining, oldest_at = @oldest_at, newest_at = @newest_at, error_kind = @error_kind,
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
          finished.run({ ...r, run_id: e.run_id, details: JSON.stringify(r.details) });
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
