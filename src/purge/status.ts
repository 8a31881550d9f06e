// The one place that decides an account's state (ok, needs a person, failed, …), whether that is a problem,
// whether it is overdue, its headline, what to do about it and where to do it. The status API, MQTT and the CLI call this and
// only render what it says: the same account reads the same everywhere.
import type { AccountRow } from '../db/queries.ts';
import { NEEDS_PERSON } from '../errors.ts';
import type { ErrorKind } from '../errors.ts';
import { ERROR_HELP, ERROR_TITLES } from './report.ts';

/** Every state an account can be in, in the words the API, MQTT (`status`), the page and the CLI share. */
export const ACCOUNT_STATES = ['ok', 'needs_person', 'failed', 'stopped', 'paused', 'never_run', 'disabled', 'running', 'waiting'] as const;
export type AccountState = typeof ACCOUNT_STATES[number];

/** An enabled account without a successful purge for this long is overdue (two nights missed). */
export const OVERDUE_AFTER_MS = 48 * 3_600_000;

export interface AccountStateInput {
  enabled: boolean;
  /** The account's last real (not dry) finished result: `ok`, `failed`, `cancelled`, `interrupted`; null before any. */
  last_status: string | null;
  last_error_kind: string | null;
  last_success_at: number | null;
  /** Where the running run has got to with this account, if a run is going and includes it. */
  live?: 'running' | 'pending' | null;
  /** Purging stopped until a person acknowledges (e.g. it deleted more than expected). */
  paused?: { at: number; reason: string | null } | null;
  /** Since when the account has been expected to succeed when it never has (the daemon's start). */
  expected_since: number;
  now: number;
}

export interface AccountStateView {
  state: AccountState;
  /** Something is wrong that has not cleared by itself (the `problem` sensor). */
  problem: boolean;
  /** Only a person can clear it: sign in, solve a captcha, enter a code (the `needs_person` sensor). */
  needs_person: boolean;
  /** Enabled, and no successful purge for OVERDUE_AFTER_MS (the `overdue` sensor). */
  overdue: boolean;
  /** What is wrong in a few words ("Captcha to solve", "Purging is paused"): the page shows it as the title
   *  of `help`. Null exactly when `help` is. Words only (no counts, times or secrets): fine for a visitor. */
  headline: string | null;
  /** What is wrong and what to do, in plain words; null when all is well. */
  help: string | null;
  /** Who can fix it, for a visitor who is not the admin; null when nothing needs fixing. */
  who: string | null;
}

const ADMIN = 'whoever looks after this voicewipe (the admin token\'s holder); they can also send a one-time sign-in link with `voicewipe invite`';

/** Decides from the account's last recorded result, the run in progress and the clock. */
export function accountStateOf(input: AccountStateInput): AccountStateView {
  const kind = input.last_error_kind as ErrorKind | null;
  const needsPerson = input.last_status === 'failed' && kind !== null && NEEDS_PERSON.has(kind);
  const reference = input.last_success_at ?? input.expected_since;
  const overdue = input.enabled && input.now - reference >= OVERDUE_AFTER_MS;
  const paused = input.enabled && Boolean(input.paused);

  let state: AccountState;
  if (input.live === 'running') state = 'running';
  else if (input.live === 'pending') state = 'waiting';
  else if (!input.enabled) state = 'disabled';
  else if (paused) state = 'paused';
  else if (!input.last_status) state = 'never_run';
  else if (input.last_status === 'ok') state = 'ok';
  else if (needsPerson) state = 'needs_person';
  else if (input.last_status === 'failed') state = 'failed';
  else state = 'stopped';

  // The sensors follow the last finished run, not the live one, so they do not flicker while a run goes.
  const failed = input.enabled && input.last_status === 'failed';
  const problem = failed || paused;
  let headline: string | null = null;
  let help: string | null = null;
  if (paused) {
    headline = 'Purging is paused';
    help = `purging is paused${input.paused?.reason ? ` (${input.paused.reason})` : ''}: look at the last run, then acknowledge it (status page, Home Assistant or voicewipe acknowledge) to resume`;
  } else if (failed && kind && kind in ERROR_HELP) {
    headline = ERROR_TITLES[kind];
    help = ERROR_HELP[kind];
  } else if (failed) {
    // A failure recorded without a kind (a row from an older version): still a problem, still says something.
    headline = 'The last run failed';
    help = 'look at the last run on the status page; the next run tries again';
  } else if (overdue && !failed) {
    headline = input.last_success_at === null ? 'No successful purge yet' : 'No successful purge for two days';
    help = input.last_success_at === null
      ? 'no successful purge yet: check that the nightly purge is switched on'
      : 'no successful purge for two days: check that the nightly purge is switched on and voicewipe is running';
  }
  return {
    state,
    problem,
    needs_person: input.enabled && needsPerson,
    overdue,
    headline,
    help,
    who: help === null ? null : ADMIN,
  };
}

/** Where a person fixes it: the status page opened straight into the account's sign-in, or at its card. */
export function actionUrl(publicUrl: string, accountId: string, view: Pick<AccountStateView, 'needs_person'>): string {
  return `${publicUrl}#${view.needs_person ? 'signin' : 'account'}=${encodeURIComponent(accountId)}`;
}

/** The recorded row of an account (src/db/queries.ts) as the decision's input. */
export function accountStateFor(
  account: { enabled: boolean },
  row: Pick<AccountRow, 'last_status' | 'last_error_kind' | 'last_success_at' | 'paused_at' | 'paused_reason'> | undefined,
  opts: { live?: 'running' | 'pending' | null; now: number; expected_since: number },
): AccountStateView {
  return accountStateOf({
    enabled: account.enabled,
    last_status: row?.last_status ?? null,
    last_error_kind: row?.last_error_kind ?? null,
    last_success_at: row?.last_success_at ?? null,
    live: opts.live ?? null,
    paused: row?.paused_at ? { at: row.paused_at, reason: row.paused_reason ?? null } : null,
    expected_since: opts.expected_since,
    now: opts.now,
  });
}
