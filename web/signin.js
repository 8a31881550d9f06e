// Remote sign-in on the status page: shows the daemon's browser (a picture refreshed a few times a second) and
// passes clicks, typing and scrolling to it, so a person can sign in to Google, or get Amazon past a captcha
// or a code, from a phone. Used by the page (web/page/links.js) through openRemoteSignIn(accountId, name, onDone).

import { api } from './page/api.js';
import { $, $as } from './page/dom.js';

const PICTURE_MS = 300;
const STATE_MS = 1000;
const KEYS = new Set(['Enter', 'Tab', 'Backspace', 'Delete', 'Escape', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);
/** @type {Record<string, string>} */
const WORDS = {
  starting: 'Opening the sign-in page…',
  waiting_for_person: 'Sign in on the picture below: click a field, then type.',
  signed_in: 'Signed in. The session is saved and a purge of this account has started.',
  failed: 'The sign-in page could not be opened.',
  timed_out: 'The sign-in was closed: it took too long.',
  cancelled: 'The sign-in was closed.',
};

/**
 * The sign-in on screen, if any.
 * @typedef {object} Current
 * @property {string} id
 * @property {string} name
 * @property {(() => void) | undefined} onDone
 * @property {ReturnType<typeof setInterval>[]} timers
 * @property {string} typed characters not sent yet
 * @property {ReturnType<typeof setTimeout> | undefined} typeTimer
 * @property {boolean} drawn the browser has drawn a picture to show
 */
/** @type {Current | null} */
let current = null;

/** @param {string} id */
const base = (id) => `/api/signin/${encodeURIComponent(id)}`;

/** @param {string} text @param {'info' | 'ok' | 'error'} [kind] */
function say(text, kind) {
  const box = $('#remote-status');
  box.textContent = text;
  box.dataset.kind = kind || 'info';
}

// One input at a time, in order: typed text must land before the Enter that follows it.
let queue = Promise.resolve();
/** @param {Record<string, unknown>} action what the person did: a click, a key, text, a scroll */
function send(action) {
  if (!current) return;
  const path = `${base(current.id)}/input`;
  queue = queue.then(() => api(path, { method: 'POST', body: action })).then((res) => {
    if (!res.ok && res.status !== 409) say(res.data?.error || `That did not reach the browser (${res.status}).`, 'error');
  }, () => say('That did not reach the browser.', 'error'));
}

// Typed characters are sent in small batches, so a fast typist does not make a request per key.
/** @param {string} text */
function typeText(text) {
  if (!current || !text) return;
  current.typed += text;
  clearTimeout(current.typeTimer);
  current.typeTimer = setTimeout(flushTyped, 60);
}
function flushTyped() {
  if (!current?.typed) return;
  const text = current.typed;
  current.typed = '';
  for (let i = 0; i < text.length; i += 200) send({ type: 'type', text: text.slice(i, i + 200) });
}

function refreshPicture() {
  // Only while the browser is there and has drawn something: no requests that can only answer 404.
  if (!current?.drawn) return;
  const img = $as('#remote-screen', HTMLImageElement);
  const next = new Image();
  next.onload = () => { if (current) { img.src = next.src; img.hidden = false; } };
  next.src = `${base(current.id)}/screen?t=${Date.now()}`;
}

async function refreshState() {
  if (!current) return;
  const res = await api(base(current.id));
  if (!current || !res.ok) return;
  const state = res.data.state;
  current.drawn = state === 'waiting_for_person' && res.data.frames > 0;
  say(res.data.state === 'waiting_for_person' ? WORDS.waiting_for_person : (WORDS[state] || state) + (res.data.message && state !== 'signed_in' ? ` (${res.data.message})` : ''),
    state === 'signed_in' ? 'ok' : state === 'waiting_for_person' || state === 'starting' ? 'info' : 'error');
  $('#remote-where').textContent = res.data.at || '';
  if (state !== 'starting' && state !== 'waiting_for_person') stop(state === 'signed_in');
}

/** @param {boolean} success */
function stop(success) {
  if (!current) return;
  for (const timer of current.timers) clearInterval(timer);
  clearTimeout(current.typeTimer);
  const done = current.onDone;
  current = null;
  $('#remote-screen').hidden = true;
  $('#remote-cancel').textContent = 'Close';
  if (success && done) done();
}

/**
 * Opens the account's sign-in in the dialog; onDone runs once it has signed in.
 * @param {string} id @param {string} name @param {() => void} [onDone]
 */
export async function openRemoteSignIn(id, name, onDone) {
  if (current) stop(false);
  const dialog = $as('#remote-dialog', HTMLDialogElement);
  $('#remote-title').textContent = `Sign in: ${name}`;
  $('#remote-cancel').textContent = 'Cancel';
  $('#remote-where').textContent = '';
  $('#remote-screen').hidden = true;
  say(WORDS.starting);
  dialog.showModal();
  current = { id, name, onDone, timers: [], typed: '', typeTimer: undefined, drawn: false };
  const res = await api(base(id), { method: 'POST' });
  if (!res.ok) {
    say(res.data?.error || `The sign-in could not start (${res.status}).`, 'error');
    stop(false);
    return;
  }
  current.timers.push(setInterval(refreshPicture, PICTURE_MS), setInterval(refreshState, STATE_MS));
  await refreshState();
  refreshPicture();
  $('#remote-screen').focus();
}

function start() {
  const img = $as('#remote-screen', HTMLImageElement);
  img.addEventListener('click', (event) => {
    const box = img.getBoundingClientRect();
    flushTyped();
    send({ type: 'click', x: Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)), y: Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)) });
    img.focus();
  });
  img.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key.length === 1) { typeText(event.key); event.preventDefault(); return; }
    if (KEYS.has(event.key)) { flushTyped(); send({ type: 'key', key: event.key }); event.preventDefault(); }
  });
  img.addEventListener('paste', (event) => { typeText(event.clipboardData?.getData('text') || ''); event.preventDefault(); });
  img.addEventListener('wheel', (event) => { send({ type: 'scroll', dy: Math.max(-5000, Math.min(5000, Math.round(event.deltaY))) }); event.preventDefault(); }, { passive: false });
  // Phones have no keyboard for a picture: a text box that sends what is typed in it.
  $('#remote-type-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const field = $as('#remote-type', HTMLInputElement);
    typeText(field.value);
    field.value = '';
  });
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-remote-key]'))) {
    button.addEventListener('click', () => { flushTyped(); send({ type: 'key', key: button.dataset.remoteKey }); });
  }
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-remote-scroll]'))) {
    button.addEventListener('click', () => send({ type: 'scroll', dy: Number(button.dataset.remoteScroll) }));
  }
  $('#remote-cancel').addEventListener('click', () => {
    if (current) void api(base(current.id), { method: 'DELETE' });
    stop(false);
    $as('#remote-dialog', HTMLDialogElement).close();
  });
  $('#remote-dialog').addEventListener('close', () => { if (current) { void api(base(current.id), { method: 'DELETE' }); stop(false); } });
}

start(); // a module runs once the page is parsed
