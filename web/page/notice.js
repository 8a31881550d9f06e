// The one-line notice at the top of the page: what just happened (a purge started, a sign-in failed).
import { $ } from './dom.js';

/** @type {ReturnType<typeof setTimeout> | undefined} */
let noticeTimer;
/** @param {string} text @param {'info' | 'ok' | 'error'} [kind] */
export function notice(text, kind = 'info') {
  const box = $('#notice');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, kind === 'error' ? 15_000 : 6_000);
}
