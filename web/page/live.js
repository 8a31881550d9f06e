// A run as it goes: the event stream (GET /api/events, server-sent events) kept in the page's state, and the
// "Purging now" panel with each account's progress.
import { renderAccounts } from './accounts.js';
import { $, el } from './dom.js';
import { clock, number, plural } from './format.js';
import { refreshRuns, refreshStatus } from './load.js';
import { notice } from './notice.js';
import { accountName, view } from './state.js';
import { ACCOUNT_RESULT_WORDS, ERROR_TITLES, PHASE_WORDS, RUN_WORDS, wordFor } from './words.js';

/** @typedef {import('./types.js').LiveAccount} LiveAccount */
/** @typedef {import('./types.js').PurgeEvent} PurgeEvent */

const EVENT_NAMES = ['run_started', 'account_started', 'account_progress', 'needs_login', 'account_finished', 'run_finished'];

/** Opens the event stream once; after it closes for good, tries again in 15 s. */
export function connectEvents() {
  if (view.events || typeof EventSource === 'undefined') return;
  const source = new EventSource('/api/events');
  view.events = source;
  // After a reconnect events may have been missed: read the whole state again.
  source.addEventListener('open', () => { if (view.eventsOpened) void refreshStatus(); view.eventsOpened = true; });
  for (const name of EVENT_NAMES) {
    source.addEventListener(name, (e) => {
      /** @type {PurgeEvent} */
      let payload;
      try { payload = JSON.parse(/** @type {MessageEvent<string>} */ (e).data); } catch { return; }
      onEvent(name, payload);
    });
  }
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      view.events = null;
      setTimeout(connectEvents, 15_000);
    }
  });
}

/** Closes the stream (signing in opens one with the admin's view). */
export function disconnectEvents() {
  if (view.events) { view.events.close(); view.events = null; }
}

/** @param {number} runId @param {string | undefined} accountId */
function liveAccount(runId, accountId) {
  const run = view.status?.running;
  if (!run || run.run_id !== runId) return undefined;
  return run.accounts.find((a) => a.account_id === accountId);
}

/** @param {string} name @param {PurgeEvent} e */
function onEvent(name, e) {
  if (!view.status) return;
  // A visitor's events say only which account changed (src/http/public-view.ts): read the states again.
  if (!view.admin) { void refreshStatus(); return; }
  switch (name) {
    case 'run_started':
      view.status.running = {
        run_id: e.run_id, trigger: e.trigger, dry_run: Boolean(e.dry_run), started_at: e.at ?? new Date().toISOString(),
        accounts: (e.accounts ?? []).map((id) => ({ account_id: id, status: 'pending', phase: null, found: null, deleted: null, remaining: null, error_kind: null, needs_person: false })),
      };
      void refreshStatus();
      break;
    case 'account_started': {
      const a = liveAccount(e.run_id, e.account_id);
      if (a) a.status = 'running';
      break;
    }
    case 'account_progress': {
      const a = liveAccount(e.run_id, e.account_id);
      if (!a) break;
      a.status = 'running';
      a.phase = e.phase ?? null;
      if (e.found !== undefined) a.found = e.found;
      if (e.deleted !== undefined) a.deleted = e.deleted;
      break;
    }
    case 'needs_login': {
      const a = liveAccount(e.run_id, e.account_id);
      if (a) { a.needs_person = true; a.error_kind = e.error_kind; }
      break;
    }
    case 'account_finished': {
      const r = e.result;
      const a = r && liveAccount(e.run_id, r.account_id);
      if (a && r) Object.assign(a, { status: r.status, phase: null, found: r.found, deleted: r.deleted, remaining: r.remaining, error_kind: r.error_kind });
      void refreshStatus();
      break;
    }
    case 'run_finished':
      view.status.running = null;
      void refreshStatus();
      void refreshRuns();
      if (view.admin) notice(`Run #${e.run_id} finished: ${wordFor(RUN_WORDS, e.status)}${e.dry_run ? ' (dry run)' : ''}, ${plural(e.deleted, 'recording', 'recordings')} deleted.`, e.status === 'ok' ? 'ok' : 'error');
      break;
  }
  renderLive();
  renderAccounts();
}

/** An account's progress in the running run, in words. @param {LiveAccount} a @param {boolean} dryRun */
export function progressWords(a, dryRun) {
  if (a.status === 'pending') return 'Waiting its turn';
  if (a.status !== 'running') {
    if (a.status === 'ok') return dryRun ? `Done: ${plural(a.found, 'recording', 'recordings')} to delete (dry run)` : `Done: ${plural(a.deleted, 'recording', 'recordings')} deleted`;
    return `${wordFor(ACCOUNT_RESULT_WORDS, a.status)}${a.error_kind ? `: ${wordFor(ERROR_TITLES, a.error_kind)}` : ''}`;
  }
  if (a.phase === 'deleting' && a.found) return `Deleting: ${number(a.deleted ?? 0)} of ${number(a.found)}`;
  if (a.phase === 'counting' && a.found !== null && a.found !== undefined) return `Counted ${plural(a.found, 'recording', 'recordings')} to delete`;
  if (a.phase === 'verifying') return `Checking they are gone (${number(a.deleted ?? 0)} of ${number(a.found)} deleted)`;
  return (a.phase && PHASE_WORDS[a.phase]) || 'Starting';
}

/** How far the account's delete has got, 0–100, or null when that is not known yet. @param {LiveAccount} a */
export function progressPercent(a) {
  if (a.status === 'ok') return 100;
  if (a.status !== 'running') return null;
  if ((a.phase === 'deleting' || a.phase === 'verifying') && a.found) return Math.min(100, Math.round(((a.deleted ?? 0) / a.found) * 100));
  return null;
}

export function renderLive() {
  const run = view.status?.running;
  const box = $('#live');
  box.hidden = !run;
  if (!run) { delete box.dataset.runId; return; }
  box.dataset.runId = String(run.run_id);
  $('#live-heading').textContent = `${run.dry_run ? 'Dry run (counting only)' : 'Purging now'}: run #${run.run_id}, started ${clock(run.started_at)}`;
  const list = $('#live-accounts');
  list.replaceChildren(...run.accounts.map((a) => {
    const pct = progressPercent(a);
    const fill = el('span', { class: 'bar-fill' });
    if (pct !== null) fill.style.width = `${pct}%`;
    const bar = el('div', { class: `bar${pct === null && a.status === 'running' ? ' indeterminate' : ''}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct ?? undefined, 'aria-label': `${accountName(a.account_id)} progress` },
      fill);
    return el('li', { 'data-account': a.account_id, 'data-status': a.status },
      el('span', { class: 'live-name', text: accountName(a.account_id) }),
      bar,
      el('span', { class: 'live-words', text: progressWords(a, run.dry_run) }));
  }));
}
