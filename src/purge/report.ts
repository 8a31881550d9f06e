// A run's outcome in words a person reads at a terminal (CLI, demo): one line per account, and what to do.
import { join } from 'node:path';
import type { ErrorKind } from '../errors.ts';
import type { AccountResult } from './events.ts';
import type { RunSummary } from './run.ts';

/** What each error kind means and what a person can do about it (also shown by the status page). */
export const ERROR_HELP: Record<ErrorKind, string> = {
  needs_login: 'the vendor wants a person to sign in: sign in once from the status page (the admin, or anyone with a sign-in link from `voicewipe invite`)',
  captcha: 'Amazon wants a person to solve a captcha: sign in once from the status page (the admin, or anyone with a sign-in link from `voicewipe invite`)',
  mfa_required: 'the vendor sent a code or an approval request only a person can answer: sign in once from the status page (the admin, or anyone with a sign-in link), or add the authenticator-app secret (totp_secret_file)',
  bad_credentials: 'the vendor refused the e-mail, password or 2-step code: check the account\'s secret files',
  page_changed: 'the vendor\'s page is not what voicewipe knows: look at the evidence, update voicewipe',
  rate_limited: 'the vendor asked us to slow down: the next run tries again',
  vendor_error: 'the vendor\'s site failed: the next run tries again',
  network: 'the vendor could not be reached: check the Pi\'s network',
  timeout: 'a page did not answer in time: the next run tries again',
  verification_failed: 'recordings were still listed after deleting them (for Google: more than 36 h later): the next run deletes and checks again; if it lasts, the vendor\'s delete changed',
  browser_crashed: 'Chromium crashed or could not start: check memory and the Chromium install',
  cancelled: 'the run was stopped before this account finished',
  over_deleted: 'recordings the run meant to keep are gone: look at the evidence, then acknowledge on the status page, in Home Assistant or with "voicewipe acknowledge <account>" to resume purges',
};

/** Each error kind as a headline: what went wrong in a few words (the status page's and the API's `headline`). */
export const ERROR_TITLES: Record<ErrorKind, string> = {
  needs_login: 'Sign-in needed',
  captcha: 'Captcha to solve',
  mfa_required: 'A code or approval is needed',
  bad_credentials: 'E-mail, password or code refused',
  page_changed: 'The vendor\'s page changed',
  rate_limited: 'The vendor asked us to slow down',
  vendor_error: 'The vendor\'s site failed',
  network: 'The vendor could not be reached',
  timeout: 'A page took too long',
  verification_failed: 'Recordings still listed after deleting',
  browser_crashed: 'The browser crashed',
  cancelled: 'Stopped',
  over_deleted: 'More was deleted than meant: paused',
};

/** The command line's exit codes (shared/DESIGN.md): the CLI and the demo answer a run the same way. */
export const EXIT = { ok: 0, failed: 1, usage: 2, needsPerson: 3 } as const;

export function exitCodeFor(status: RunSummary['status']): number {
  return status === 'ok' ? EXIT.ok : status === 'needs_person' ? EXIT.needsPerson : EXIT.failed;
}

function count(n: number | null): string {
  return n === null ? '?' : n.toLocaleString('en-US');
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function formatAccount(r: AccountResult, dryRun: boolean, stateDir: string): string {
  const figures = r.found === null
    ? 'nothing counted'
    : dryRun
    ? `${count(r.found)} recording${r.found === 1 ? '' : 's'} older than the cut-off (dry run: nothing deleted)`
    : `found ${count(r.found)}, deleted ${count(r.deleted)}, remaining ${count(r.remaining)}`;
  const head = `  ${r.account_id} (${r.provider}): ${r.status === 'ok' ? 'ok' : `${r.status.toUpperCase()} ${r.error_kind ?? ''}`.trim()}`;
  const lines = [`${head}: ${figures}, ${duration(r.finished_at - r.started_at)}`];
  if (r.error_kind) {
    lines.push(`      ${r.error_message ?? ''}`.trimEnd());
    lines.push(`      what to do: ${ERROR_HELP[r.error_kind]}`);
  }
  if (r.evidence_dir) lines.push(`      evidence: ${join(stateDir, r.evidence_dir)}`);
  return lines.join('\n');
}

export function formatRun(summary: RunSummary, stateDir: string): string {
  const lines = [`run #${summary.run_id}: ${summary.status}${summary.dry_run ? ' (dry run)' : ''} in ${duration(summary.duration_ms)}`];
  for (const r of summary.results) lines.push(formatAccount(r, summary.dry_run, stateDir));
  if (summary.results.length === 0) lines.push('  no enabled accounts in the config');
  return `${lines.join('\n')}\n`;
}
