// GET /api/status: everything the status page's first screen shows, in one read: the schedule, the running
// run with live counts, each configured account's state and last result, and the last run.
import { signInStatus } from '../../signin/record.ts';
import type { DaemonContext } from '../../context.ts';
import { lastAccountResults, lastFinishedRun, listAccountStates } from '../../db/queries.ts';
import type { AccountResultRow, RunRow } from '../../db/queries.ts';
import type { ErrorKind } from '../../errors.ts';
import { ERROR_HELP } from '../../purge/report.ts';
import { ACCOUNT_STATES, accountStateFor, actionUrl } from '../../purge/status.ts';
import type { ApiDeps } from '../app.ts';
import type { LiveRun, LiveView } from '../../purge/live.ts';
import { publicStatusView } from '../public-view.ts';
import { errorKind, errorResponses, iso, liveRun, nullableInt, nullableIso, nullableString, runSummary, scheduleState } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';


export function scheduleView(context: DaemonContext) {
  const s = context.scheduler.state();
  return { ...s, next_run_at: iso(s.next_run_at) };
}

export function runView(run: RunRow) {
  return {
    ...run,
    dry_run: run.dry_run === 1,
    started_at: iso(run.started_at)!,
    finished_at: iso(run.finished_at),
    duration_ms: run.finished_at === null ? null : run.finished_at - run.started_at,
  };
}

export function helpFor(kind: string | null): string | null {
  return kind && kind in ERROR_HELP ? ERROR_HELP[kind as ErrorKind] : null;
}

function liveView(run: LiveRun | null) {
  return run && { ...run, started_at: iso(run.started_at)! };
}

function lastResultView(r: AccountResultRow | undefined) {
  if (!r) return null;
  let pending: number | null = null;
  try { pending = (JSON.parse(r.details ?? '{}') as { pending?: number }).pending ?? null; } catch { /* old row */ }
  return {
    run_id: r.run_id, status: r.status, found: r.found, deleted: r.deleted, remaining: r.remaining, pending,
    error_kind: r.error_kind, error_message: r.error_message, finished_at: iso(r.finished_at),
  };
}

export function statusView(context: DaemonContext, live: LiveView, admin: boolean, publicStatus: boolean, now = Date.now()) {
  const running = live.current;
  const states = new Map(listAccountStates(context.db).map((a) => [a.id, a]));
  const last = new Map(lastAccountResults(context.db).map((r) => [r.account_id, r]));
  const lastRun = lastFinishedRun(context.db);
  const accounts = context.config.accounts.map((account) => {
    const row = states.get(account.id);
    const inRun = running?.accounts.find((a) => a.account_id === account.id);
    const liveStatus = inRun?.status === 'running' || inRun?.status === 'pending' ? inRun.status : null;
    const view = accountStateFor(account, row, { live: liveStatus, now, expected_since: context.startedAt });
    return {
      id: account.id, name: account.name, provider: account.provider, enabled: account.enabled, keep_days: account.keep_days,
      state: view.state,
      problem: view.problem,
      needs_person: view.needs_person,
      overdue: view.overdue,
      who: view.who,
      action_url: actionUrl(context.publicUrl, account.id, view),
      total_deleted: row?.total_deleted ?? 0,
      last_run_at: iso(row?.last_run_at),
      last_success_at: iso(row?.last_success_at),
      last_status: row?.last_status ?? null,
      last_error_kind: row?.last_error_kind ?? null,
      headline: view.headline,
      help: view.help,
      last_result: lastResultView(last.get(account.id)),
      // How the account signs in (app_device / web / person) and when that was last renewed.
      ...signInStatus(context.config.state_dir, account),
    };
  });
  return {
    version: context.version,
    started_at: iso(context.startedAt)!,
    uptime_seconds: Math.max(0, Math.round((now - context.startedAt) / 1000)),
    now: iso(now)!,
    admin,
    public_status: publicStatus,
    mqtt: context.mqttHealth(),
    schedule: scheduleView(context),
    running: liveView(running),
    last_run: lastRun ? runView(lastRun) : null,
    accounts,
  };
}

const accountSchema = {
  type: 'object',
  required: ['id', 'name', 'provider', 'enabled', 'keep_days', 'state', 'problem', 'needs_person', 'overdue', 'action_url', 'total_deleted', 'last_run_at', 'last_success_at', 'help', 'last_result'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    provider: { type: 'string' },
    enabled: { type: 'boolean' },
    keep_days: { type: 'integer' },
    state: { type: 'string', enum: ACCOUNT_STATES },
    problem: { type: 'boolean' },
    needs_person: { type: 'boolean' },
    overdue: { type: 'boolean' },
    /** Who can fix it, for a visitor who is not the admin. */
    who: nullableString,
    /** The status page at this account: its sign-in when it needs a person (`#signin=<id>`), else its card. */
    action_url: { type: 'string' },
    total_deleted: { type: 'integer' },
    last_run_at: nullableIso,
    last_success_at: nullableIso,
    last_status: nullableString,
    last_error_kind: errorKind,
    /** What is wrong in a few words ("Captcha to solve"), the title of `help`; null when `help` is. */
    headline: nullableString,
    /** What the last error means and what to do, in plain words. */
    help: nullableString,
    signin_method: { type: 'string', enum: ['app_device', 'web', 'person'] },
    signin_renewed_at: nullableIso,
    last_result: {
      type: ['object', 'null'],
      properties: {
        run_id: { type: 'integer' }, status: { type: 'string' }, found: nullableInt, deleted: nullableInt, remaining: nullableInt,
        pending: nullableInt, error_kind: errorKind, error_message: nullableString, finished_at: nullableIso,
      },
    },
  },
} as const;

export const statusSchema = {
  type: 'object',
  required: ['version', 'started_at', 'uptime_seconds', 'now', 'admin', 'public_status', 'mqtt', 'schedule', 'running', 'last_run', 'accounts'],
  properties: {
    version: { type: 'string' },
    started_at: { type: 'string' },
    uptime_seconds: { type: 'integer' },
    now: { type: 'string' },
    admin: { type: 'boolean' },
    public_status: { type: 'boolean' },
    mqtt: { type: 'string', enum: ['disabled', 'connected', 'disconnected'] },
    schedule: scheduleState,
    running: liveRun,
    last_run: { ...runSummary, type: ['object', 'null'] },
    accounts: { type: 'array', items: accountSchema },
  },
} as const;

export async function statusRoutes(app: RouteApp, { context, auth, live }: ApiDeps): Promise<void> {
  app.get('/api/status', {
    config: { access: 'read' },
    schema: { response: { 200: statusSchema, ...errorResponses } },
  }, async (req, reply) => {
    const view = statusView(context, live, req.admin, auth.publicStatus);
    // A visitor (public_status: true) sees states only; its own serializer, as the schema is the admin's view.
    return req.admin ? view : reply.serializer(JSON.stringify).send(publicStatusView(view));
  });
}
