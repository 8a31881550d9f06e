// Links from Home Assistant, notifications and sign-in links: #signin=<id> opens that account's sign-in,
// #invite=<token> opens a one-time sign-in link (the token stays in the fragment: browsers never send it to a
// server), #account=<id> shows that account's card. Also the admin's "Sign-in link" (a QR code to scan).
import { api } from './api.js';
import { $, $as, setText } from './dom.js';
import { clock } from './format.js';
import { refreshStatus } from './load.js';
import { notice } from './notice.js';
import { openRemoteSignIn } from '../signin.js';
import { accountName, view } from './state.js';

function linkTarget() {
  const m = /^#(signin|invite|account)=([\w%-]{1,200})$/.exec(location.hash);
  if (!m) return null;
  try { return { kind: m[1], value: decodeURIComponent(m[2]) }; } catch { return null; }
}
function clearLink() {
  history.replaceState(null, '', location.pathname + location.search);
}

/** The remote sign-in of one account (web/signin.js); when it succeeds, the daemon starts a purge of it.
 * @param {string} id @param {string} [name] */
export function remoteSignIn(id, name) {
  $('#link-panel').hidden = true;
  const shown = name ?? accountName(id);
  void openRemoteSignIn(id, shown, () => {
    notice(`${shown}: signed in. A purge of this account has started.`, 'ok');
    if (view.status) void refreshStatus();
  });
}

/** Acts on the address's fragment, if it is one of the links above. */
export async function followLink() {
  const target = linkTarget();
  if (!target) return;
  if (target.kind === 'invite') {
    clearLink();
    const res = await api('/api/invite/redeem', { method: 'POST', body: { token: target.value } });
    if (!res.ok) { showLinkPanel(null, res.data?.error ?? `This sign-in link did not work (${res.status}).`); return; }
    remoteSignIn(res.data.account_id, res.data.name);
    return;
  }
  if (target.kind === 'account') {
    const node = view.cards.get(target.value);
    if (node) { node.scrollIntoView({ block: 'center' }); node.classList.add('linked'); }
    return;
  }
  if (view.admin) { clearLink(); remoteSignIn(target.value); return; }
  const scope = await api('/api/invite');
  if (scope.ok && scope.data.account_id === target.value) { clearLink(); remoteSignIn(scope.data.account_id, scope.data.name); return; }
  // Kept in the address: once the admin signs in here, the sign-in opens.
  showLinkPanel(target.value);
}

/** Why a visitor cannot sign in to the account here, or why the link failed. @param {string | null} id @param {string} [error] */
function showLinkPanel(id, error) {
  const panel = $('#link-panel');
  panel.hidden = false;
  if (error || id === null) {
    setText(panel, '.link-title', 'This sign-in link cannot be used');
    setText(panel, '.link-text', `${error ?? 'It is not a link to an account'}.`.replace(/\.\.$/, '.'));
    return;
  }
  const name = accountName(id);
  setText(panel, '.link-title', `${name} needs someone to sign in`);
  setText(panel, '.link-text', 'Signing in to a voice-assistant account is for voicewipe\'s admin, or for someone the admin sent a ' +
    `one-time sign-in link (they press "Sign-in link" on this page, or run voicewipe invite ${id} on the voicewipe machine). ` +
    'If you are the admin, sign in here and the account\'s sign-in opens.');
}

/** The admin's one-time sign-in link for an account, with its QR code. @param {string} id */
export async function makeInvite(id) {
  const res = await api('/api/invite', { method: 'POST', body: { account: id } });
  if (!res.ok) { notice(res.data?.error ?? `Could not make a sign-in link (${res.status}).`, 'error'); return; }
  $('#invite-title').textContent = `Sign-in link: ${accountName(id)}`;
  $as('#invite-qr', HTMLImageElement).src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(res.data.qr_svg)}`;
  $as('#invite-url', HTMLInputElement).value = res.data.url;
  $('#invite-until').textContent = `It works once, until ${clock(res.data.expires_at)}, and allows only this account's sign-in.`;
  $as('#invite-dialog', HTMLDialogElement).showModal();
}
