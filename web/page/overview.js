// The top panel: the nightly schedule (its switch, the next purge) and the last run.
import { api } from './api.js';
import { renderAccounts } from './accounts.js';
import { $, $as } from './dom.js';
import { plural, when } from './format.js';
import { notice } from './notice.js';
import { view } from './state.js';
import { RUN_WORDS, wordFor } from './words.js';

export function renderOverview() {
  const s = view.status;
  if (!s) return;
  const sched = s.schedule;
  const sw = $as('#schedule-switch', HTMLButtonElement);
  sw.setAttribute('aria-checked', String(sched.enabled));
  sw.disabled = !view.admin;
  $('#switch-note').textContent = view.admin ? '' : 'Admins can switch it';
  let line;
  if (!sched.enabled) line = 'The nightly purge is switched off: nothing is deleted until it is switched on again.';
  else if (sched.next_run_at) {
    const jitter = sched.jitter_minutes ? ` (up to ${sched.jitter_minutes} min later at random)` : '';
    line = `Next purge ${when(sched.next_run_at)}${jitter}.`;
  } else line = 'The nightly purge is on.';
  $('#schedule-line').textContent = line;
  const last = s.last_run;
  // A visitor's status has no runs (states only): say nothing rather than "No run yet".
  $('#last-run-line').textContent = last === undefined ? '' : last
    ? `Last run ${when(last.started_at)}: ${wordFor(RUN_WORDS, last.status)}${last.dry_run ? ' (dry run)' : ''}, ${plural(last.deleted, 'recording', 'recordings')} deleted.`
    : 'No run yet.';
  const busy = Boolean(s.running);
  for (const id of ['#purge-all', '#dry-all']) $as(id, HTMLButtonElement).disabled = busy;
}

/** The admin flips the nightly purge on or off. */
export async function toggleSchedule() {
  const sw = $('#schedule-switch');
  const enabled = sw.getAttribute('aria-checked') !== 'true';
  const res = await api('/api/schedule', { method: 'POST', body: { enabled } });
  if (!res.ok) { notice(res.data?.error ?? 'Could not switch the schedule.', 'error'); return; }
  if (view.status) view.status.schedule = res.data;
  renderOverview();
  renderAccounts();
  notice(enabled ? 'The nightly purge is on.' : 'The nightly purge is off.', 'ok');
}
