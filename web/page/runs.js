// The run history (the admin's): the table of runs, newest first, and one run's detail with what went wrong,
// what to do and the vendor's page at the moment of failure.
import { api } from './api.js';
import { renderChart } from './chart.js';
import { $, $as, el, withCode } from './dom.js';
import { dateTime, duration, number, plural, when } from './format.js';
import { accountName, view } from './state.js';
import { ACCOUNT_RESULT_WORDS, ERROR_TITLES, RUN_WORDS, TRIGGER_WORDS, wordFor } from './words.js';

/** @typedef {import('./types.js').RunDetail} RunDetail */

/** @param {string} status @param {Record<string, string>} words */
function statusBadge(status, words) {
  return el('span', { class: `pill pill-${status}`, text: wordFor(words, status) });
}

export function renderHistory() {
  const body = $('#runs-body');
  $('#no-runs').hidden = view.runs.length > 0;
  $('#runs').hidden = view.runs.length === 0;
  body.replaceChildren(...view.runs.slice(0, view.shown).map((run) => {
    const failedAccounts = run.accounts.filter((a) => a.error_kind).map((a) => `${accountName(a.account_id)}: ${wordFor(ERROR_TITLES, a.error_kind)}`);
    const result = el('td', { class: 'result' }, statusBadge(run.status, RUN_WORDS), run.dry_run ? el('span', { class: 'tag', text: 'dry run' }) : null);
    if (failedAccounts.length) result.append(el('span', { class: 'why small', text: failedAccounts.join(' · ') }));
    return el('tr', { 'data-run': run.id },
      el('td', { class: 'when', text: when(run.started_at) }),
      result,
      el('td', { class: `num ${run.dry_run ? 'found' : 'deleted'}`, text: run.dry_run ? `(${number(run.found)} found)` : number(run.deleted) }),
      el('td', { class: 'wide', text: wordFor(TRIGGER_WORDS, run.trigger) }),
      el('td', { class: 'wide num', text: duration(run.duration_ms) }),
      el('td', { class: 'act' }, el('button', { type: 'button', class: 'link', text: 'Details', 'aria-label': `Details of run ${run.id}`, onclick: () => void openRun(run.id) })));
  }));
  $('#more-runs').hidden = view.runs.length <= view.shown && !view.nextBefore;
  renderChart();
}

/** @param {number} id */
async function openRun(id) {
  const dialog = $as('#run-dialog', HTMLDialogElement);
  $('#run-title').textContent = `Run #${id}`;
  $('#run-summary').textContent = 'Loading…';
  $('#run-accounts').replaceChildren();
  if (!dialog.open) dialog.showModal();
  const res = await api(`/api/runs/${id}`);
  if (!res.ok) { $('#run-summary').textContent = res.data?.error ?? 'Could not load this run.'; return; }
  /** @type {RunDetail} */
  const run = res.data;
  $('#run-title').textContent = `Run #${run.id}, ${dateTime(run.started_at)}`;
  $('#run-summary').replaceChildren(statusBadge(run.status, RUN_WORDS),
    ` ${run.dry_run ? 'Dry run: nothing deleted. ' : ''}${wordFor(TRIGGER_WORDS, run.trigger)}, took ${duration(run.duration_ms)}. ` +
    `${plural(run.found, 'recording', 'recordings')} found, ${number(run.deleted)} deleted, ${number(run.remaining)} left.`);
  $('#run-accounts').replaceChildren(...run.accounts.map((a) => {
    const section = el('section', { class: 'run-account', 'data-account': a.account_id },
      el('h3', {}, a.name ?? a.account_id, ' ', statusBadge(a.status, ACCOUNT_RESULT_WORDS)),
      el('p', { class: 'small muted', text: `Found ${number(a.found)}, deleted ${number(a.deleted)}, left ${number(a.remaining)}` +
        `${a.pending ? `, ${number(a.pending)} still going` : ''}${a.cutoff ? ` · older than ${dateTime(a.cutoff)}` : ''}` +
        `${a.attempts && a.attempts > 1 ? ` · ${a.attempts} attempts` : ''}` }));
    if (a.error_kind) {
      section.append(el('div', { class: 'help', 'data-kind': a.error_kind },
        el('p', { class: 'help-title', text: wordFor(ERROR_TITLES, a.error_kind) }),
        a.help ? el('p', { class: 'help-text' }, ...withCode(`What to do: ${a.help}.`)) : null,
        a.error_message ? el('p', { class: 'small muted detail', text: `What voicewipe saw: ${a.error_message}` }) : null));
    }
    if (a.evidence?.screenshot) {
      section.append(el('figure', { class: 'evidence' },
        el('img', { src: a.evidence.screenshot, alt: `What the vendor's page showed for ${a.name ?? a.account_id} when it failed`, loading: 'lazy' }),
        el('figcaption', { class: 'small' }, 'The vendor\'s page at the moment of failure. ',
          a.evidence.html ? el('a', { href: a.evidence.html, target: '_blank', rel: 'noopener', text: 'Saved page (HTML)' }) : null)));
    } else if (a.has_evidence && !view.admin) {
      section.append(el('p', { class: 'small muted', text: 'A screenshot of the failure is kept: sign in as admin to see it.' }));
    }
    return section;
  }));
}
