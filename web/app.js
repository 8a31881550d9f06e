// The voicewipe status page: reads /api/status and /api/runs, follows /api/events while a run goes, and (for
// the admin) starts purges and switches the schedule. Plain browser JavaScript modules (web/page/, one per part
// of the page), no build, no libraries; type-checked by `tsc -p web` (web/tsconfig.json). This file wires the
// page's buttons and loads it.
import { openSignIn, purge, signIn, signOut } from './page/admin.js';
import { renderChart } from './page/chart.js';
import { $, $as } from './page/dom.js';
import { followLink } from './page/links.js';
import { refreshRuns, refreshStatus } from './page/load.js';
import { notice } from './page/notice.js';
import { toggleSchedule } from './page/overview.js';
import { renderHistory } from './page/runs.js';
import { view } from './page/state.js';

/** A dialog's close button, and a click on its backdrop for the run's detail. @param {string} selector */
const dialog = (selector) => $as(selector, HTMLDialogElement);

function start() {
  $('#sign-in-open').addEventListener('click', openSignIn);
  $('#private-sign-in').addEventListener('click', openSignIn);
  $('#link-sign-in').addEventListener('click', openSignIn);
  $('#sign-in-cancel').addEventListener('click', () => dialog('#sign-in-dialog').close());
  $as('#sign-in-form', HTMLFormElement).addEventListener('submit', (e) => void signIn(e));
  $('#sign-out').addEventListener('click', () => void signOut());
  $('#run-close').addEventListener('click', () => dialog('#run-dialog').close());
  dialog('#run-dialog').addEventListener('click', (e) => { if (e.target === e.currentTarget) dialog('#run-dialog').close(); });
  $('#purge-all').addEventListener('click', () => void purge({}));
  $('#dry-all').addEventListener('click', () => void purge({ dry_run: true }));
  $('#schedule-switch').addEventListener('click', () => void toggleSchedule());
  $('#more-runs').addEventListener('click', () => {
    view.shown += 20;
    if (view.runs.length < view.shown && view.nextBefore) void refreshRuns(true); else renderHistory();
  });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let resizeTimer;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(renderChart, 150); });
  $('#invite-close').addEventListener('click', () => dialog('#invite-dialog').close());
  $('#invite-copy').addEventListener('click', async () => {
    const field = $as('#invite-url', HTMLInputElement);
    try { await navigator.clipboard.writeText(field.value); notice('Link copied.', 'ok'); } catch { field.select(); }
  });
  window.addEventListener('hashchange', () => void followLink());
  void refreshStatus().then(() => { if (view.status) void refreshRuns(); void followLink(); });
  // The events keep the page current; this catches what a sleeping phone missed, and moves "next run".
  setInterval(() => { if (document.visibilityState === 'visible' && view.status) void refreshStatus(); }, 30_000);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible' && view.status) { void refreshStatus(); void refreshRuns(); } });
}

start();
