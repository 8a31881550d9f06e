// What `<base>/state`, `<base>/<account>/state` and the event topics carry: built from the database (the
// truth that survives restarts) with the run in progress (src/purge/live.ts) laid over it. Pure reads, no MQTT here.
import type { AccountConfig } from '../config/types.ts';
import type { Database } from '../db/open.ts';
import { getAccountResult, getAccountState, lastFinishedRun } from '../db/queries.ts';
import { NEEDS_PERSON } from '../errors.ts';
import { ERROR_HELP } from '../purge/report.ts';
import { runningAccount } from '../purge/live.ts';
import type { LiveRun } from '../purge/live.ts';
import { accountStateFor, actionUrl } from '../purge/status.ts';
import type { AccountResult, PurgeEventMap } from '../purge/events.ts';
import type { ScheduleState } from '../schedule/index.ts';
import { signInStatus } from '../signin/record.ts';
import type { AccountEventType } from './discovery.ts';

/** Longest free text in a payload: Home Assistant drops state strings over 255 characters. */
const MESSAGE_MAX = 200;

/** ISO 8601 with an explicit offset (`2026-11-24T03:30:00+00:00`), as Home Assistant's timestamp sensors want. */
export function isoTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  return new Date(ms).toISOString().replace(/(\.\d+)?Z$/, '+00:00');
}

function clip(text: string | null | undefined): string | null {
  if (!text) return null;
  return text.length > MESSAGE_MAX ? `${text.slice(0, MESSAGE_MAX - 1)}…` : text;
}

export function applianceState(db: Database, schedule: ScheduleState, version: string, live: LiveRun | null): Record<string, unknown> {
  const last = lastFinishedRun(db);
  return {
    schedule_enabled: schedule.enabled,
    next_run_at: isoTime(schedule.next_run_at),
    running: live !== null,
    run_id: live?.run_id ?? null,
    run_trigger: live?.trigger ?? null,
    last_run_id: last?.id ?? null,
    last_run_at: isoTime(last ? last.finished_at ?? last.started_at : null),
    last_run_status: last?.status ?? null,
    last_run_dry_run: last ? last.dry_run === 1 : null,
    last_run_deleted: last ? last.deleted : null,
    last_run_remaining: last ? last.remaining : null,
    last_run_message: clip(last?.message),
    version,
  };
}

/** What the state and the events need to know beyond the database: where the page is, the clock. */
export interface StateEnv {
  publicUrl: string;
  /** Since when an account that never succeeded counts towards `overdue` (the daemon's start). */
  startedAt: number;
  now: number;
  /** Where the session vault is: how each account signs in (src/signin/record.ts). */
  stateDir: string;
}

export function accountState(db: Database, account: AccountConfig, run: LiveRun | null, env: StateEnv): Record<string, unknown> {
  const row = getAccountState(db, account.id);
  const last = row?.last_run_id == null ? undefined : getAccountResult(db, row.last_run_id, account.id);
  const live = runningAccount(run, account.id);
  const liveRun = live ? run : null;
  const signIn = signInStatus(env.stateDir, account);
  const view = accountStateFor(account, row, { live: live ? 'running' : null, now: env.now, expected_since: env.startedAt });
  const figures = live
    ? { found: live.found, deleted: live.deleted, remaining: live.found !== null ? live.found - (live.deleted ?? 0) : null }
    : { found: last?.found ?? null, deleted: last?.deleted ?? null, remaining: last?.remaining ?? null };
  return {
    account_id: account.id,
    name: account.name,
    provider: account.provider,
    enabled: account.enabled,
    keep_days: account.keep_days,
    status: view.state,
    // From the last finished run (src/purge/status.ts), so the sensors do not flicker while a new run is going.
    problem: view.problem,
    needs_person: view.needs_person,
    overdue: view.overdue,
    headline: view.headline,
    help: view.help,
    action_url: actionUrl(env.publicUrl, account.id, view),
    phase: live?.phase ?? null,
    run_id: liveRun?.run_id ?? null,
    dry_run: liveRun?.dry_run ?? false,
    last_run_id: row?.last_run_id ?? null,
    last_run_at: isoTime(row?.last_run_at),
    last_run_duration_s: last?.started_at != null && last.finished_at != null ? Math.round((last.finished_at - last.started_at) / 1000) : null,
    last_success_at: isoTime(row?.last_success_at),
    ...figures,
    total_deleted: row?.total_deleted ?? 0,
    error_kind: row?.last_error_kind ?? null,
    error_message: clip(last?.error_message),
    // How the account signs in (app_device / web / person) and when that was last renewed, as the status page shows it.
    signin_method: signIn.signin_method,
    signin_renewed_at: isoTime(signIn.signin_renewed_at === null ? null : Date.parse(signIn.signin_renewed_at)),
  };
}

/** The event entity's type for an account's result; undefined when there is nothing to tell (cancelled). */
export function accountEventType(result: Pick<AccountResult, 'status' | 'error_kind'>, dryRun = false): AccountEventType | undefined {
  // A dry run deletes nothing: it is never told as a purge.
  if (result.status === 'ok') return dryRun ? 'counted' : 'purged';
  if (result.status !== 'failed') return undefined;
  const kind = result.error_kind;
  if (kind && NEEDS_PERSON.has(kind)) return 'needs_login';
  if (kind === 'page_changed' || kind === 'verification_failed') return kind;
  return 'failed';
}

export function accountEvent(e: PurgeEventMap['account_finished'], dryRun: boolean, publicUrl: string): Record<string, unknown> | undefined {
  const eventType = accountEventType(e.result, dryRun);
  if (!eventType) return undefined;
  const r = e.result;
  const needsPerson = r.status === 'failed' && r.error_kind !== null && NEEDS_PERSON.has(r.error_kind);
  return {
    event_type: eventType, run_id: e.run_id, account_id: r.account_id, dry_run: dryRun, found: r.found, deleted: dryRun ? 0 : r.deleted,
    remaining: r.remaining, error_kind: r.error_kind, message: clip(r.error_message),
    help: r.error_kind ? ERROR_HELP[r.error_kind] : null, action_url: actionUrl(publicUrl, r.account_id, { needs_person: needsPerson }),
    at: isoTime(e.at),
  };
}

export function runStartedEvent(e: PurgeEventMap['run_started']): Record<string, unknown> {
  return { event_type: 'run_started', run_id: e.run_id, trigger: e.trigger, dry_run: e.dry_run, accounts: e.accounts, at: isoTime(e.at) };
}

export function runFinishedEvent(e: PurgeEventMap['run_finished']): Record<string, unknown> {
  return {
    event_type: 'run_finished', run_id: e.run_id, status: e.status, dry_run: e.dry_run, found: e.found, deleted: e.deleted,
    remaining: e.remaining, duration_s: Math.round(e.duration_ms / 1000), message: clip(e.message), at: isoTime(e.at),
  };
}

export function busyEvent(runId: number | null, requested: string, at: number): Record<string, unknown> {
  return { event_type: 'busy', run_id: runId, requested, message: 'a purge is already running', at: isoTime(at) };
}
