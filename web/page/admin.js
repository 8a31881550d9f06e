// The admin: signing in with the admin token and out, and what only the admin may do (start a purge or a dry
// run, check a vendor's page, resume a paused account). The buttons are shown to the admin only.
import { api } from './api.js';
import { $, $as, el } from './dom.js';
import { followLink } from './links.js';
import { disconnectEvents } from './live.js';
import { refreshRuns, refreshStatus } from './load.js';
import { notice } from './notice.js';
import { accountName, view } from './state.js';

/** @typedef {import('./types.js').Account} Account */

/** Shows or hides what is the admin's. */
export function renderAdmin() {
  const admin = view.admin;
  $('#admin-badge').hidden = !admin;
  $('#sign-in-open').hidden = admin;
  $('#sign-out').hidden = !admin;
  for (const node of document.querySelectorAll('.admin-only')) if (node instanceof HTMLElement) node.hidden = !admin;
  document.body.classList.toggle('is-admin', admin);
}

/** Paused after over_deleted: the admin has looked at the evidence and lets purges go on. @param {Account} account */
export async function resume(account) {
  const res = await api(`/api/accounts/${encodeURIComponent(account.id)}/acknowledge`, { method: 'POST', body: {} });
  if (res.ok) notice(`${account.name}: ${res.data.was_paused ? 'purges resume with the next run' : 'was not paused'}.`, 'ok');
  else notice(`Could not resume ${account.name}: ${res.data?.error ?? `status ${res.status}`}`, 'error');
  void refreshStatus();
}

/** @param {{ account?: string; dry_run?: boolean }} body */
export async function purge(body) {
  const res = await api('/api/purge', { method: 'POST', body });
  const what = body.account ? accountName(body.account) : 'all accounts';
  if (res.status === 202) {
    notice(`${body.dry_run ? 'Dry run' : 'Purge'} of ${what} started (run #${res.data.run_id}).`, 'ok');
    void refreshStatus();
  } else if (res.status === 409) {
    notice(`A purge is already running${res.data?.run_id ? ` (run #${res.data.run_id})` : ''}: wait for it to finish.`, 'error');
  } else if (res.status === 401) {
    view.admin = false;
    renderAdmin();
    notice('Your sign-in has ended: sign in again.', 'error');
  } else {
    notice(res.data?.error ?? `Could not start the purge (${res.status}).`, 'error');
  }
}

/** "Check the page": the purge walked up to, not including, the final delete; the evidence bundle to download.
 * @param {Account} account */
export async function checkPage(account) {
  notice(`Checking the page of ${account.name} up to the final delete (nothing is deleted)…`, 'info');
  const path = `/api/accounts/${encodeURIComponent(account.id)}/check-site`;
  const res = await api(path, { method: 'POST' });
  if (res.status !== 200) { notice(res.data?.error ?? `Could not check the page (${res.status}).`, 'error'); return; }
  /** @type {{ name: string; matched: string }[]} */
  const locators = res.data.locators;
  const missing = locators.filter((l) => l.matched === 'none').map((l) => l.name);
  notice(res.data.ok ? `${account.name}: the page check found every control.`
    : `${account.name}: the page check stopped: ${res.data.message ?? ''}${missing.length ? ` (not found: ${missing.join(', ')})` : ''}`, res.data.ok ? 'ok' : 'error');
  $('#notice').append(' ', el('a', { href: `${path}/bundle`, download: '', text: 'Download the evidence bundle' }));
}

/** The admin-token dialog. */
export function openSignIn() {
  $('#sign-in-error').hidden = true;
  const token = $as('#token', HTMLInputElement);
  token.value = '';
  $as('#sign-in-dialog', HTMLDialogElement).showModal();
  token.focus();
}

/** @param {SubmitEvent} event */
export async function signIn(event) {
  event.preventDefault();
  const field = $as('#token', HTMLInputElement);
  const token = field.value.trim();
  if (!token) return;
  const res = await api('/api/session', { method: 'POST', body: { token } });
  if (!res.ok) {
    const error = $('#sign-in-error');
    error.textContent = res.status === 429 ? `Too many wrong tokens: try again in ${res.headers.get('retry-after') ?? 60} s.`
      : res.status === 401 ? 'That is not the admin token. Run voicewipe token on the voicewipe machine to see it.'
        : (res.data?.error ?? `Sign-in failed (${res.status}).`);
    error.hidden = false;
    return;
  }
  field.value = '';
  $as('#sign-in-dialog', HTMLDialogElement).close();
  view.admin = true;
  notice('Signed in as admin.', 'ok');
  // The stream was the visitor's (states only): the admin's carries counts and progress.
  disconnectEvents();
  await refreshStatus();
  await refreshRuns();
  void followLink();
}

export async function signOut() {
  await api('/api/session', { method: 'DELETE' });
  view.admin = false;
  notice('Signed out.', 'ok');
  await refreshStatus();
}
