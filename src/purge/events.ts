// The run's typed events: the one stream the recorder (SQLite), the MQTT publisher and the status page's live
// view all consume. Nothing else talks across modules.
import { EventEmitter } from 'node:events';
import type { ErrorKind } from '../errors.ts';

export type Trigger = 'schedule' | 'catch_up' | 'manual' | 'api' | 'mqtt' | 'cli' | 'demo';
export type RunStatus = 'running' | 'ok' | 'failed' | 'needs_person' | 'cancelled' | 'interrupted';
export type AccountStatus = 'pending' | 'running' | 'ok' | 'failed' | 'skipped' | 'cancelled' | 'interrupted';
export type Phase = 'starting_browser' | 'signing_in' | 'counting' | 'deleting' | 'verifying';

export interface AccountResult {
  account_id: string;
  provider: string;
  status: AccountStatus;
  found: number | null;
  /** False when counting stopped early: `found` is then "at least". Null when nothing was counted. */
  found_exact?: boolean | null;
  /** Verified gone: no longer listed after the settle time. */
  deleted: number | null;
  remaining: number | null;
  /** Items deleted but still listed after the settle time (Google's "up to a day"); re-checked next run. */
  pending?: number;
  /** When voicewipe first deleted the oldest of the pending items (ms). */
  pending_oldest_at?: number | null;
  oldest_at: number | null;
  newest_at: number | null;
  error_kind: ErrorKind | null;
  error_message: string | null;
  attempts: number;
  started_at: number;
  finished_at: number;
  evidence_dir: string | null;
  /** Diagnostics: locators that matched, the delete request the page sent (method, path, status), … */
  details: Record<string, unknown>;
}

export interface PurgeEventMap {
  run_started: { run_id: number; trigger: Trigger; dry_run: boolean; accounts: string[]; at: number };
  account_started: { run_id: number; account_id: string; at: number };
  account_progress: { run_id: number; account_id: string; phase: Phase; found?: number; deleted?: number; at: number };
  /** A person must act (sign in, solve a captcha, enter a code) before this account can be purged again. */
  needs_login: { run_id: number; account_id: string; error_kind: ErrorKind; message: string; at: number };
  account_finished: { run_id: number; result: AccountResult; at: number };
  /** Recordings the run meant to keep are gone: the account's purges stop until a person acknowledges. */
  account_paused: { run_id: number; account_id: string; message: string; at: number };
  /** A person acknowledged the pause (status page, Home Assistant, CLI): purges resume. */
  account_resumed: { account_id: string; at: number };
  run_finished: {
    run_id: number; status: RunStatus; dry_run: boolean; found: number; deleted: number; remaining: number;
    duration_ms: number; at: number; message: string | null;
  };
}
export type PurgeEventName = keyof PurgeEventMap;

/** A typed wrapper over EventEmitter; a listener that throws is logged by the emitter's owner, not fatal. */
export class PurgeEvents {
  private readonly emitter = new EventEmitter();
  private readonly onListenerError: (err: unknown, event: PurgeEventName) => void;

  constructor(onListenerError: (err: unknown, event: PurgeEventName) => void = () => {}) {
    this.emitter.setMaxListeners(50);
    this.onListenerError = onListenerError;
  }

  on<E extends PurgeEventName>(event: E, listener: (payload: PurgeEventMap[E]) => void): () => void {
    const safe = (payload: PurgeEventMap[E]) => {
      try { listener(payload); } catch (err) { this.onListenerError(err, event); }
    };
    this.emitter.on(event, safe);
    return () => this.emitter.off(event, safe);
  }

  /** Every event, in order, with its name: for streams that forward all of them (SSE, MQTT events). */
  onAny(listener: <E extends PurgeEventName>(event: E, payload: PurgeEventMap[E]) => void): () => void {
    const names: PurgeEventName[] = ['run_started', 'account_started', 'account_progress', 'needs_login', 'account_paused', 'account_finished',
      'account_resumed', 'run_finished'];
    const offs = names.map((name) => this.on(name, (payload) => listener(name, payload)));
    return () => offs.forEach((off) => off());
  }

  emit<E extends PurgeEventName>(event: E, payload: PurgeEventMap[E]): void {
    this.emitter.emit(event, payload);
  }
}
