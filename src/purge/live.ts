// The running run, kept in memory from the run's events: the one projection the status page and Home Assistant
// both read (the database has only the finished accounts' figures; the live counts of the account being purged
// exist only in the events). One per purge runner (src/purge/index.ts), attached before any other listener.
import type { AccountResult, AccountStatus, Phase, PurgeEventMap, PurgeEventName, PurgeEvents, Trigger } from './events.ts';

export interface LiveAccount {
  account_id: string;
  status: AccountStatus;
  phase: Phase | null;
  found: number | null;
  deleted: number | null;
  remaining: number | null;
  error_kind: string | null;
  /** The account stopped on something only a person can clear (sign-in, captcha, code). */
  needs_person: boolean;
}

export interface LiveRun {
  run_id: number;
  trigger: Trigger | string;
  dry_run: boolean;
  started_at: number;
  accounts: LiveAccount[];
}

export class LiveView {
  /** Null between runs, and from a run's end on (before the runner is released). */
  current: LiveRun | null = null;

  attach(events: PurgeEvents): () => void {
    return events.onAny((name, payload) => this.apply(name, payload));
  }

  private account(runId: number, accountId: string): LiveAccount | undefined {
    if (this.current?.run_id !== runId) return undefined;
    return this.current.accounts.find((a) => a.account_id === accountId);
  }

  apply<E extends PurgeEventName>(name: E, payload: PurgeEventMap[E]): void {
    switch (name) {
      case 'run_started': {
        const e = payload as PurgeEventMap['run_started'];
        this.current = {
          run_id: e.run_id, trigger: e.trigger, dry_run: e.dry_run, started_at: e.at,
          accounts: e.accounts.map((id) => ({ account_id: id, status: 'pending', phase: null, found: null, deleted: null, remaining: null, error_kind: null, needs_person: false })),
        };
        break;
      }
      case 'account_started': {
        const e = payload as PurgeEventMap['account_started'];
        const a = this.account(e.run_id, e.account_id);
        if (a) a.status = 'running';
        break;
      }
      case 'account_progress': {
        const e = payload as PurgeEventMap['account_progress'];
        const a = this.account(e.run_id, e.account_id);
        if (!a) break;
        a.status = 'running';
        a.phase = e.phase;
        if (e.found !== undefined) a.found = e.found;
        if (e.deleted !== undefined) a.deleted = e.deleted;
        break;
      }
      case 'needs_login': {
        const e = payload as PurgeEventMap['needs_login'];
        const a = this.account(e.run_id, e.account_id);
        if (a) { a.needs_person = true; a.error_kind = e.error_kind; }
        break;
      }
      case 'account_finished': {
        const e = payload as PurgeEventMap['account_finished'];
        const r: AccountResult = e.result;
        const a = this.account(e.run_id, r.account_id);
        if (!a) break;
        Object.assign(a, { status: r.status, phase: null, found: r.found, deleted: r.deleted, remaining: r.remaining, error_kind: r.error_kind });
        break;
      }
      case 'run_finished': {
        const e = payload as PurgeEventMap['run_finished'];
        if (this.current?.run_id === e.run_id) this.current = null;
        break;
      }
    }
  }
}

/** The account the run is working on right now, if `accountId` is that account. */
export function runningAccount(run: LiveRun | null, accountId: string): LiveAccount | undefined {
  return run?.accounts.find((a) => a.account_id === accountId && a.status === 'running');
}
