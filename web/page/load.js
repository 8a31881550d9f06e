// Reading the daemon's state (GET /api/status, /api/runs) and drawing the whole page from it; the private
// page when the status is closed to visitors (public_status: false).
import { renderAccounts } from './accounts.js';
import { renderAdmin } from './admin.js';
import { api } from './api.js';
import { $ } from './dom.js';
import { duration, useTimeZone } from './format.js';
import { connectEvents, renderLive } from './live.js';
import { notice } from './notice.js';
import { renderOverview } from './overview.js';
import { renderHistory } from './runs.js';
import { view } from './state.js';

/** @type {Promise<void> | null} */
let statusLoading = null;
let statusAgain = false;
/** Reads the status again; calls made while one read is going are folded into one more read after it. */
export async function refreshStatus() {
  if (statusLoading) { statusAgain = true; return statusLoading; }
  statusLoading = (async () => {
    try {
      const res = await api('/api/status');
      if (res.status === 401) return showPrivate();
      if (!res.ok) throw new Error(res.data?.error ?? `status ${res.status}`);
      view.status = res.data;
      view.admin = res.data.admin;
      render();
      connectEvents();
    } catch (err) {
      notice(`Could not reach voicewipe: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  })();
  await statusLoading;
  statusLoading = null;
  if (statusAgain) { statusAgain = false; await refreshStatus(); }
}

/** The run history: the admin's only (visitors see states only). @param {boolean} [more] the next older page */
export async function refreshRuns(more = false) {
  if (!view.admin) return;
  const url = more && view.nextBefore ? `/api/runs?limit=30&before=${view.nextBefore}` : '/api/runs?limit=60';
  const res = await api(url);
  if (!res.ok) return;
  view.runs = more ? view.runs.concat(res.data.runs) : res.data.runs;
  view.nextBefore = res.data.next_before;
  renderHistory();
}

function showPrivate() {
  view.status = null;
  view.admin = false;
  $('#dashboard').hidden = true;
  $('#private').hidden = false;
  renderAdmin();
  document.body.dataset.ready = 'private';
}

function render() {
  const s = view.status;
  if (!s) return;
  useTimeZone(s.schedule.timezone);
  $('#private').hidden = true;
  $('#dashboard').hidden = false;
  $('#version').textContent = `voicewipe ${s.version}`;
  // The separator before "API" only once there is something before it (a private page shows just the link).
  $('#api-sep').hidden = false;
  // A visitor's status has no times.
  $('#uptime').textContent = s.uptime_seconds === undefined ? '' : ` · up ${duration(s.uptime_seconds * 1000)}`;
  renderAdmin();
  renderOverview();
  renderLive();
  renderAccounts();
  document.body.dataset.ready = 'yes';
}
