// The account cards: each account's state, headline and what to do (decided by the daemon, src/purge/status.ts,
// and shown as they are), its figures for the admin, its progress while a run goes, and its buttons.
import { checkPage, purge, renderAdmin, resume } from './admin.js';
import { $, $as, setText, setTextWithCode } from './dom.js';
import { ago, formatTime, number, plural, when } from './format.js';
import { makeInvite, remoteSignIn } from './links.js';
import { progressPercent, progressWords } from './live.js';
import { view } from './state.js';
import { keepWords, PROVIDER_WORDS, SIGNIN_WORDS, STATE_WORDS, wordFor } from './words.js';

/** @typedef {import('./types.js').Account} Account */

/** The account's card, made once from the page's template and kept (with its listeners). @param {Account} account */
function card(account) {
  let node = view.cards.get(account.id);
  if (node) return node;
  const template = $as('#account-card', HTMLTemplateElement);
  node = /** @type {HTMLElement} */ (template.content.firstElementChild?.cloneNode(true));
  node.dataset.account = account.id;
  const title = `card-${account.id}`;
  $('.card-name', node).id = title;
  node.setAttribute('aria-labelledby', title);
  $('.purge-one', node).addEventListener('click', () => void purge({ account: account.id }));
  $('.dry-one', node).addEventListener('click', () => void purge({ account: account.id, dry_run: true }));
  $('.check-one', node).addEventListener('click', () => void checkPage(account));
  $('.resume-one', node).addEventListener('click', () => void resume(account));
  $('.sign-in-one', node).addEventListener('click', () => remoteSignIn(account.id, account.name));
  $('.invite-one', node).addEventListener('click', () => void makeInvite(account.id));
  view.cards.set(account.id, node);
  return node;
}

export function renderAccounts() {
  const s = view.status;
  if (!s) return;
  const box = $('#accounts');
  $('#no-accounts').hidden = s.accounts.length > 0;
  const nodes = s.accounts.map((account) => {
    const node = card(account);
    const live = s.running?.accounts.find((a) => a.account_id === account.id);
    let state = account.state;
    if (live && (live.status === 'running' || live.status === 'pending')) state = live.status === 'running' ? 'running' : 'waiting';
    node.dataset.state = state;
    setText(node, '.card-name', account.name);
    setText(node, '.provider', [wordFor(PROVIDER_WORDS, account.provider), keepWords(account.keep_days)].filter(Boolean).join(' · '));
    setText(node, '.state-words', wordFor(STATE_WORDS, state));

    const progress = $('.progress', node);
    const showProgress = Boolean(live) && (state === 'running' || state === 'waiting');
    progress.hidden = !showProgress;
    if (live && s.running && showProgress) {
      const pct = progressPercent(live);
      const bar = $('.bar', node);
      bar.classList.toggle('indeterminate', pct === null && live.status === 'running');
      $('.bar-fill', node).style.width = pct === null ? '' : `${pct}%`;
      if (pct === null) bar.removeAttribute('aria-valuenow'); else bar.setAttribute('aria-valuenow', String(pct));
      bar.setAttribute('aria-label', `${account.name} progress`);
      setText(node, '.progress-words', progressWords(live, s.running.dry_run));
    }

    // The figures are the admin's (.admin-only in the card's template): a visitor's status carries none.
    const r = account.last_result;
    setText(node, '.f-success', account.last_success_at ? `${when(account.last_success_at)} (${ago(account.last_success_at)})` : 'never');
    const lastNight = r?.finished_at && Date.now() - new Date(r.finished_at).getTime() < 36 * 3_600_000;
    setText(node, '.f-last-label', lastNight || !r ? 'Deleted last night' : `Deleted on ${formatTime(r.finished_at, { day: 'numeric', month: 'short' })}`);
    setText(node, '.f-last', r ? number(r.deleted) : '–');
    setText(node, '.f-total', number(account.total_deleted));
    setText(node, '.f-remaining-label', account.keep_days === 0 ? 'Recordings still there' : `Still older than ${plural(account.keep_days, 'day', 'days')}`);
    setText(node, '.f-remaining', r ? number(r.remaining) + (r.pending ? ` (+${number(r.pending)} going)` : '') : '–');
    // How the account signs in (issue 14) and when that was last renewed.
    const method = (account.signin_method && SIGNIN_WORDS[account.signin_method]) || '–';
    setText(node, '.f-signin', account.signin_renewed_at ? `${method}, renewed ${ago(account.signin_renewed_at)}` : method);
    const next = !account.enabled ? 'not scheduled (switched off in the config)'
      : !s.schedule.enabled ? 'nightly purge switched off'
        : s.schedule.next_run_at ? when(s.schedule.next_run_at) : 'on schedule';
    setText(node, '.f-next', next);

    // What is wrong and what to do, as the daemon said it (src/purge/status.ts); a visitor also reads who can fix it.
    const help = $('.help', node);
    const showHelp = Boolean(account.help);
    help.hidden = !showHelp;
    if (showHelp) {
      setText(help, '.help-title', account.headline ?? '');
      setTextWithCode(help, '.help-text', `What to do: ${account.help}.`);
      setTextWithCode(help, '.help-who', !view.admin && account.who ? `Who can fix it: ${account.who}.` : '');
    }
    node.classList.toggle('overdue', Boolean(account.overdue));
    const busy = Boolean(s.running);
    $('.card-buttons', node).classList.toggle('off', !account.enabled);
    // Paused after over_deleted: an admin who has looked at the evidence resumes the account's purges.
    $('.resume-one', node).hidden = account.state !== 'paused';
    $('.resume-one', node).setAttribute('aria-label', `Resume purges of ${account.name}`);
    const purgeButton = $as('.purge-one', HTMLButtonElement, node);
    const dryButton = $as('.dry-one', HTMLButtonElement, node);
    const checkButton = $as('.check-one', HTMLButtonElement, node);
    purgeButton.disabled = busy;
    dryButton.disabled = busy;
    checkButton.disabled = busy;
    checkButton.setAttribute('aria-label', `Check the page of ${account.name}`);
    purgeButton.setAttribute('aria-label', `Purge ${account.name} now`);
    dryButton.setAttribute('aria-label', `Dry run for ${account.name}`);
    // Google always needs a person's sign-in; Amazon when its last run said so. Offered for both at any time.
    const signInButton = $as('.sign-in-one', HTMLButtonElement, node);
    signInButton.disabled = busy || !account.enabled;
    signInButton.classList.toggle('secondary', !(account.provider === 'google' || account.state === 'needs_person'));
    signInButton.setAttribute('aria-label', `Sign in to ${account.name}`);
    const inviteButton = $as('.invite-one', HTMLButtonElement, node);
    inviteButton.disabled = !account.enabled;
    inviteButton.setAttribute('aria-label', `Make a one-time sign-in link for ${account.name}`);
    return node;
  });
  // Keep the nodes (and the keyboard focus inside them) when nothing was added or removed.
  const same = nodes.length === box.children.length && nodes.every((n, i) => box.children[i] === n);
  if (!same) box.replaceChildren(...nodes);
  renderAdmin();
}
