// The recorder: writes runs and per-account results to SQLite from the run's events. Each event is one short
// transaction, so a power cut leaves the database consistent and at most one account's figures unrecorded.
import type { Database } from '../db/open.ts';
import {
  addAccountOutcome, clearPendingDeletes, finishRun, getAccountState, getRun, insertPendingResult, insertRun, interruptRun,
  keepPendingDeletes, listRunningRunIds, markResultRunning, pauseAccount, resumeAccount, saveAccountResult,
} from '../db/queries.ts';
import type { AccountResult, PurgeEvents, RunStatus, Trigger } from './events.ts';

export class Recorder {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Makes the run's row and a pending result per account; returns the run id. */
  createRun(trigger: Trigger, dryRun: boolean, accounts: { id: string; provider: string }[], startedAt: number): number {
    return this.db.transaction(() => {
      const runId = insertRun(this.db, trigger, dryRun, startedAt);
      for (const account of accounts) insertPendingResult(this.db, runId, account);
      return runId;
    })();
  }

  /** Runs left `running` by a process that died (power cut, SIGKILL) become `interrupted`, with the accounts
   *  they had not finished. Returns their ids. */
  markInterrupted(at: number): number[] {
    return this.db.transaction(() => {
      const ids = listRunningRunIds(this.db);
      for (const id of ids) interruptRun(this.db, id, at);
      return ids;
    })();
  }

  /** The account's pause (over_deleted), when a person has not acknowledged it yet. */
  pausedAccount(accountId: string): { paused_at: number; paused_reason: string } | undefined {
    const row = getAccountState(this.db, accountId);
    return row?.paused_at == null ? undefined : { paused_at: row.paused_at, paused_reason: row.paused_reason ?? 'no reason recorded' };
  }

  pause(account: { id: string; provider: string }, reason: string, at: number): void {
    pauseAccount(this.db, account, reason, at);
  }

  /** A person has looked at the evidence: purges of the account resume. Returns false when it was not paused. */
  acknowledge(accountId: string): boolean {
    return resumeAccount(this.db, accountId);
  }

  /** Records the items still listed after deleting them (keeping when each was first deleted), forgets the
   *  account's other pending items (gone now), and returns the oldest first-deleted time. */
  notePending(accountId: string, items: Map<string, number>, now: number): number | null {
    return keepPendingDeletes(this.db, accountId, items, now);
  }

  /** Nothing is pending any more for the account. */
  clearPending(accountId: string): void {
    clearPendingDeletes(this.db, accountId);
  }

  /** Subscribes to the run's events; returns the unsubscribe function. */
  attach(events: PurgeEvents): () => void {
    const offs = [
      events.on('account_started', (e) => { markResultRunning(this.db, e.run_id, e.account_id, e.at); }),
      events.on('account_finished', (e) => {
        const r: AccountResult = e.result;
        this.db.transaction(() => {
          saveAccountResult(this.db, e.run_id, r);
          // A dry run changes nothing at the vendor, so it does not move the account's lasting figures.
          const dryRun = getRun(this.db, e.run_id)!.dry_run === 1;
          if (!dryRun && r.status !== 'skipped') addAccountOutcome(this.db, e.run_id, r);
        })();
      }),
      events.on('run_finished', (e) => {
        finishRun(this.db, e.run_id, { status: e.status satisfies RunStatus, at: e.at, found: e.found, deleted: e.deleted, remaining: e.remaining, message: e.message });
      }),
    ];
    return () => offs.forEach((off) => off());
  }
}
