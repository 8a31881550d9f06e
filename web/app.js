// The voicewipe status page: reads /api/status and /api/runs, follows /api/events while a run goes, and (for
// the admin) starts purges and switches the schedule. Plain browser JavaScript, no build, no libraries.
'use strict';

(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  };
  const SVG = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs = {}) => {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    return node;
  };

  const view = {
    status: null,
    runs: [],
    nextBefore: null,
    /** Rows shown in the history table (the chart uses every run loaded). */
    shown: 10,
    admin: false,
    events: null,
    cards: new Map(),
  };

  // ---- words ----------------------------------------------------------------------------------------------

  const STATE_WORDS = {
    ok: 'All clear',
    needs_person: 'Needs you',
    failed: 'Last run failed',
    stopped: 'Last run was stopped',
    never_run: 'Not purged yet',
    disabled: 'Switched off in the config',
    running: 'Purging now',
    waiting: 'Waiting its turn',
    paused: 'Paused until someone looks',
  };
  const RUN_WORDS = {
    ok: 'OK', failed: 'Failed', needs_person: 'Needs you', cancelled: 'Stopped', interrupted: 'Interrupted', running: 'Running',
  };
  const ACCOUNT_RESULT_WORDS = {
    ok: 'OK', failed: 'Failed', skipped: 'Skipped', cancelled: 'Stopped', interrupted: 'Interrupted', pending: 'Waiting', running: 'Running',
  };
  const ERROR_TITLES = {
    needs_login: 'Sign-in needed',
    captcha: 'Captcha to solve',
    mfa_required: 'A code or approval is needed',
    bad_credentials: 'E-mail, password or code refused',
    page_changed: "The vendor's page changed",
    rate_limited: 'The vendor asked us to slow down',
    vendor_error: "The vendor's site failed",
    network: 'The vendor could not be reached',
    timeout: 'A page took too long',
    verification_failed: 'Recordings still listed after deleting',
    browser_crashed: 'The browser crashed',
    cancelled: 'Stopped',
    over_deleted: 'More was deleted than meant: paused',
  };
  const PHASE_WORDS = {
    starting_browser: 'Starting the browser',
    signing_in: 'Signing in',
    counting: 'Counting recordings',
    deleting: 'Deleting',
    verifying: 'Checking they are gone',
  };
  const TRIGGER_WORDS = {
    schedule: 'Schedule', catch_up: 'Catch-up', manual: 'By hand', api: 'Status page / API', mqtt: 'Home Assistant', cli: 'Command line', demo: 'Demo',
  };
  const PROVIDER_WORDS = { alexa: 'Amazon Alexa', google: 'Google Assistant' };

  const number = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString());
  const plural = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;

  function zone() {
    return view.status?.schedule?.timezone;
  }
  function formatTime(iso, opts) {
    if (!iso) return '–';
    try {
      return new Intl.DateTimeFormat(undefined, { timeZone: zone(), ...opts }).format(new Date(iso));
    } catch {
      return new Date(iso).toLocaleString();
    }
  }
  const dayKey = (iso) => formatTime(iso, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const clock = (iso) => formatTime(iso, { hour: '2-digit', minute: '2-digit' });
  const dateTime = (iso) => formatTime(iso, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

  /** "today 03:31", "yesterday 03:30", "Tue 14 May, 03:31" in the household's time zone. */
  function when(iso) {
    if (!iso) return 'never';
    const now = Date.now();
    const key = dayKey(iso);
    if (key === dayKey(new Date(now).toISOString())) return `today ${clock(iso)}`;
    if (key === dayKey(new Date(now - 86_400_000).toISOString())) return `yesterday ${clock(iso)}`;
    if (key === dayKey(new Date(now + 86_400_000).toISOString())) return `tomorrow ${clock(iso)}`;
    return dateTime(iso);
  }
  function ago(iso) {
    if (!iso) return '';
    const minutes = Math.round((Date.now() - new Date(iso).getTime()) / 60_000);
    if (minutes < 1) return 'just now';
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    if (hours < 48) return `${hours} h ago`;
    return `${Math.round(hours / 24)} days ago`;
  }
  function duration(ms) {
    if (ms === null || ms === undefined) return '–';
    const s = Math.round(ms / 1000);
    return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
  }

  // ---- talking to the daemon ----------------------------------------------------------------------------

  async function api(path, { method = 'GET', body } = {}) {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await res.json(); } catch { /* empty body */ }
    return { ok: res.ok, status: res.status, data, headers: res.headers };
  }

  let noticeTimer;
  function notice(text, kind = 'info') {
    const box = $('#notice');
    box.textContent = text;
    box.dataset.kind = kind;
    box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { box.hidden = true; }, kind === 'error' ? 15_000 : 6_000);
  }

  let statusLoading = null;
  let statusAgain = false;
  async function refreshStatus() {
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
        notice(`Could not reach voicewipe: ${err.message}`, 'error');
      }
    })();
    await statusLoading;
    statusLoading = null;
    if (statusAgain) { statusAgain = false; await refreshStatus(); }
  }

  async function refreshRuns(more = false) {
    if (!view.admin) return; // the run history is the admin's; visitors see states only
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

  // ---- live events ---------------------------------------------------------------------------------------

  const EVENT_NAMES = ['run_started', 'account_started', 'account_progress', 'needs_login', 'account_finished', 'run_finished'];

  function connectEvents() {
    if (view.events || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    view.events = source;
    // After a reconnect events may have been missed: read the whole state again.
    source.addEventListener('open', () => { if (view.eventsOpened) void refreshStatus(); view.eventsOpened = true; });
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        let payload;
        try { payload = JSON.parse(e.data); } catch { return; }
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

  function liveAccount(runId, accountId) {
    const run = view.status?.running;
    if (!run || run.run_id !== runId) return undefined;
    return run.accounts.find((a) => a.account_id === accountId);
  }

  function onEvent(name, e) {
    if (!view.status) return;
    switch (name) {
      case 'run_started':
        view.status.running = {
          run_id: e.run_id, trigger: e.trigger, dry_run: e.dry_run, started_at: e.at,
          accounts: e.accounts.map((id) => ({ account_id: id, status: 'pending', phase: null, found: null, deleted: null, remaining: null, error_kind: null, needs_person: false })),
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
        a.phase = e.phase;
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
        const a = liveAccount(e.run_id, e.result.account_id);
        if (a) Object.assign(a, { status: e.result.status, phase: null, found: e.result.found, deleted: e.result.deleted, remaining: e.result.remaining, error_kind: e.result.error_kind });
        void refreshStatus();
        break;
      }
      case 'run_finished':
        view.status.running = null;
        void refreshStatus();
        void refreshRuns();
        if (view.admin) notice(`Run #${e.run_id} finished: ${RUN_WORDS[e.status] ?? e.status}${e.dry_run ? ' (dry run)' : ''}, ${plural(e.deleted, 'recording', 'recordings')} deleted.`, e.status === 'ok' ? 'ok' : 'error');
        break;
    }
    renderLive();
    renderAccounts();
  }

  // ---- rendering -----------------------------------------------------------------------------------------

  function render() {
    const s = view.status;
    $('#private').hidden = true;
    $('#dashboard').hidden = false;
    $('#version').textContent = `voicewipe ${s.version}`;
    $('#uptime').textContent = `up ${duration(s.uptime_seconds * 1000)}`;
    renderAdmin();
    renderOverview();
    renderLive();
    renderAccounts();
    document.body.dataset.ready = 'yes';
  }

  function renderAdmin() {
    const admin = view.admin;
    $('#admin-badge').hidden = !admin;
    $('#sign-in-open').hidden = admin;
    $('#sign-out').hidden = !admin;
    for (const node of document.querySelectorAll('.admin-only')) node.hidden = !admin;
    document.body.classList.toggle('is-admin', admin);
  }

  function renderOverview() {
    const s = view.status;
    const sched = s.schedule;
    const sw = $('#schedule-switch');
    sw.setAttribute('aria-checked', String(sched.enabled));
    sw.disabled = !view.admin;
    $('#switch-note').textContent = view.admin ? '' : 'Admins can switch it';
    let line;
    if (!sched.enabled) line = 'The nightly purge is switched off: nothing is deleted until it is switched on again.';
    else if (sched.next_run_at) {
      const jitter = sched.jitter_minutes > 0 ? ` (up to ${sched.jitter_minutes} min later at random)` : '';
      line = `Next purge ${when(sched.next_run_at)}${jitter}.`;
    } else line = 'The nightly purge is on.';
    $('#schedule-line').textContent = line;
    const last = s.last_run;
    $('#last-run-line').textContent = last
      ? `Last run ${when(last.started_at)}: ${RUN_WORDS[last.status] ?? last.status}${last.dry_run ? ' (dry run)' : ''}, ${plural(last.deleted, 'recording', 'recordings')} deleted.`
      : 'No run yet.';
    const busy = Boolean(s.running);
    for (const id of ['#purge-all', '#dry-all']) $(id).disabled = busy;
  }

  function accountName(id) {
    return view.status?.accounts.find((a) => a.id === id)?.name ?? id;
  }

  function progressWords(a, dryRun) {
    if (a.status === 'pending') return 'Waiting its turn';
    if (a.status !== 'running') {
      if (a.status === 'ok') return dryRun ? `Done: ${plural(a.found, 'recording', 'recordings')} to delete (dry run)` : `Done: ${plural(a.deleted, 'recording', 'recordings')} deleted`;
      return `${ACCOUNT_RESULT_WORDS[a.status] ?? a.status}${a.error_kind ? `: ${ERROR_TITLES[a.error_kind] ?? a.error_kind}` : ''}`;
    }
    if (a.phase === 'deleting' && a.found) return `Deleting: ${number(a.deleted ?? 0)} of ${number(a.found)}`;
    if (a.phase === 'counting' && a.found !== null) return `Counted ${plural(a.found, 'recording', 'recordings')} to delete`;
    if (a.phase === 'verifying') return `Checking they are gone (${number(a.deleted ?? 0)} of ${number(a.found)} deleted)`;
    return PHASE_WORDS[a.phase] ?? 'Starting';
  }
  function progressPercent(a) {
    if (a.status === 'ok') return 100;
    if (a.status !== 'running') return null;
    if ((a.phase === 'deleting' || a.phase === 'verifying') && a.found) return Math.min(100, Math.round(((a.deleted ?? 0) / a.found) * 100));
    return null;
  }

  function renderLive() {
    const run = view.status?.running;
    const box = $('#live');
    box.hidden = !run;
    if (!run) { delete box.dataset.runId; return; }
    box.dataset.runId = String(run.run_id);
    $('#live-heading').textContent = `${run.dry_run ? 'Dry run (counting only)' : 'Purging now'}: run #${run.run_id}, started ${clock(run.started_at)}`;
    const list = $('#live-accounts');
    list.replaceChildren(...run.accounts.map((a) => {
      const pct = progressPercent(a);
      const bar = el('div', { class: `bar${pct === null && a.status === 'running' ? ' indeterminate' : ''}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct ?? undefined, 'aria-label': `${accountName(a.account_id)} progress` },
        el('span', { class: 'bar-fill' }));
      if (pct !== null) bar.firstChild.style.width = `${pct}%`;
      return el('li', { 'data-account': a.account_id, 'data-status': a.status },
        el('span', { class: 'live-name', text: accountName(a.account_id) }),
        bar,
        el('span', { class: 'live-words', text: progressWords(a, run.dry_run) }));
    }));
  }

  function setText(root, selector, text) {
    const node = $(selector, root);
    if (node.textContent !== text) node.textContent = text;
  }

  function card(account) {
    let node = view.cards.get(account.id);
    if (node) return node;
    node = $('#account-card').content.firstElementChild.cloneNode(true);
    node.dataset.account = account.id;
    const title = `card-${account.id}`;
    $('.card-name', node).id = title;
    node.setAttribute('aria-labelledby', title);
    $('.purge-one', node).addEventListener('click', () => purge({ account: account.id }));
    $('.dry-one', node).addEventListener('click', () => purge({ account: account.id, dry_run: true }));
    $('.check-one', node).addEventListener('click', () => checkPage(account));
    $('.resume-one', node).addEventListener('click', () => void resume(account));
    $('.sign-in-one', node).addEventListener('click', () => window.voicewipeSignIn.open(account.id, account.name, () => {
      notice(`${account.name}: signed in. A purge of this account has started.`, 'ok');
      void refreshStatus();
    }));
    $('.invite-one', node).addEventListener('click', () => makeInvite(account.id));
    view.cards.set(account.id, node);
    return node;
  }

  function renderAccounts() {
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
      setText(node, '.provider', PROVIDER_WORDS[account.provider] ?? account.provider);
      setText(node, '.state-words', STATE_WORDS[state] ?? state);

      const progress = $('.progress', node);
      const showProgress = Boolean(live) && (state === 'running' || state === 'waiting');
      progress.hidden = !showProgress;
      if (showProgress) {
        const pct = progressPercent(live);
        const bar = $('.bar', node);
        bar.classList.toggle('indeterminate', pct === null && live.status === 'running');
        $('.bar-fill', node).style.width = pct === null ? '' : `${pct}%`;
        if (pct === null) bar.removeAttribute('aria-valuenow'); else bar.setAttribute('aria-valuenow', String(pct));
        bar.setAttribute('aria-label', `${account.name} progress`);
        setText(node, '.progress-words', progressWords(live, s.running.dry_run));
      }

      const r = account.last_result;
      setText(node, '.f-success', account.last_success_at ? `${when(account.last_success_at)} (${ago(account.last_success_at)})` : 'never');
      const lastNight = r?.finished_at && Date.now() - new Date(r.finished_at).getTime() < 36 * 3_600_000;
      setText(node, '.f-last-label', lastNight || !r ? 'Deleted last night' : `Deleted on ${formatTime(r.finished_at, { day: 'numeric', month: 'short' })}`);
      setText(node, '.f-last', r ? number(r.deleted) : '–');
      setText(node, '.f-total', number(account.total_deleted));
      setText(node, '.f-remaining-label', account.keep_days === 0 ? 'Recordings still there' : `Still older than ${plural(account.keep_days, 'day', 'days')}`);
      setText(node, '.f-remaining', r ? number(r.remaining) + (r.pending ? ` (+${number(r.pending)} going)` : '') : '–');
      // How the account signs in (issue 14) and when that was last renewed.
      const method = { app_device: 'as the Alexa app (device "voicewipe")', web: 'with the password', person: 'by you, once' }[account.signin_method] ?? '–';
      setText(node, '.f-signin', account.signin_renewed_at ? `${method}, renewed ${ago(account.signin_renewed_at)}` : method);
      const next = !account.enabled ? 'not scheduled (switched off in the config)'
        : !s.schedule.enabled ? 'nightly purge switched off'
          : s.schedule.next_run_at ? when(s.schedule.next_run_at) : 'on schedule';
      setText(node, '.f-next', next);

      // What is wrong and what to do, decided by the daemon (src/purge/status.ts); a visitor also reads who can fix it.
      const help = $('.help', node);
      const kind = account.last_error_kind;
      const showHelp = Boolean(account.help);
      help.hidden = !showHelp;
      if (showHelp) {
        const title = account.state === 'paused' ? 'Purging is paused'
          : account.problem && kind ? (ERROR_TITLES[kind] ?? kind) : account.overdue ? 'No successful purge for two days' : 'Needs a look';
        setText(help, '.help-title', title);
        setText(help, '.help-text', `What to do: ${account.help}.`);
        setText(help, '.help-who', !view.admin && account.who ? `Who can fix it: ${account.who}.` : '');
      }
      node.classList.toggle('overdue', Boolean(account.overdue));
      const busy = Boolean(s.running);
      $('.card-buttons', node).classList.toggle('off', !account.enabled);
      // Paused after over_deleted: an admin who has looked at the evidence resumes the account's purges.
      $('.resume-one', node).hidden = account.state !== 'paused';
      $('.resume-one', node).setAttribute('aria-label', `Resume purges of ${account.name}`);
      $('.purge-one', node).disabled = busy;
      $('.dry-one', node).disabled = busy;
      $('.check-one', node).disabled = busy;
      $('.check-one', node).setAttribute('aria-label', `Check the page of ${account.name}`);
      $('.purge-one', node).setAttribute('aria-label', `Purge ${account.name} now`);
      $('.dry-one', node).setAttribute('aria-label', `Dry run for ${account.name}`);
      // Google always needs a person's sign-in; Amazon when its last run said so. Offered for both at any time.
      const signInButton = $('.sign-in-one', node);
      signInButton.disabled = busy || !account.enabled;
      signInButton.classList.toggle('secondary', !(account.provider === 'google' || account.state === 'needs_person'));
      signInButton.setAttribute('aria-label', `Sign in to ${account.name}`);
      const inviteButton = $('.invite-one', node);
      inviteButton.disabled = !account.enabled;
      inviteButton.setAttribute('aria-label', `Make a one-time sign-in link for ${account.name}`);
      return node;
    });
    // Keep the nodes (and the keyboard focus inside them) when nothing was added or removed.
    const same = nodes.length === box.children.length && nodes.every((n, i) => box.children[i] === n);
    if (!same) box.replaceChildren(...nodes);
    renderAdmin();
  }

  function statusBadge(status, words) {
    return el('span', { class: `pill pill-${status}`, text: words[status] ?? status });
  }

  function renderHistory() {
    const body = $('#runs-body');
    $('#no-runs').hidden = view.runs.length > 0;
    $('#runs').hidden = view.runs.length === 0;
    body.replaceChildren(...view.runs.slice(0, view.shown).map((run) => {
      const failedAccounts = run.accounts.filter((a) => a.error_kind).map((a) => `${accountName(a.account_id)}: ${ERROR_TITLES[a.error_kind] ?? a.error_kind}`);
      const result = el('td', { class: 'result' }, statusBadge(run.status, RUN_WORDS), run.dry_run ? el('span', { class: 'tag', text: 'dry run' }) : null);
      if (failedAccounts.length) result.append(el('span', { class: 'why small', text: failedAccounts.join(' · ') }));
      return el('tr', { 'data-run': run.id },
        el('td', { class: 'when', text: when(run.started_at) }),
        result,
        el('td', { class: `num ${run.dry_run ? 'found' : 'deleted'}`, text: run.dry_run ? `(${number(run.found)} found)` : number(run.deleted) }),
        el('td', { class: 'wide', text: TRIGGER_WORDS[run.trigger] ?? run.trigger }),
        el('td', { class: 'wide num', text: duration(run.duration_ms) }),
        el('td', { class: 'act' }, el('button', { type: 'button', class: 'link', text: 'Details', 'aria-label': `Details of run ${run.id}`, onclick: () => openRun(run.id) })));
    }));
    $('#more-runs').hidden = view.runs.length <= view.shown && !view.nextBefore;
    renderChart();
  }

  /** Bars of recordings deleted per night (real runs only), the last 30 nights, in the household's zone. */
  function renderChart() {
    const box = $('#chart');
    const nights = 30;
    const days = [];
    const now = Date.now();
    for (let i = nights - 1; i >= 0; i--) {
      const iso = new Date(now - i * 86_400_000).toISOString();
      days.push({ key: dayKey(iso), iso, deleted: 0, runs: 0, failed: false });
    }
    const byKey = new Map(days.map((d) => [d.key, d]));
    for (const run of view.runs) {
      if (run.dry_run) continue;
      const day = byKey.get(dayKey(run.started_at));
      if (!day) continue;
      day.deleted += run.deleted;
      day.runs += 1;
      if (run.status === 'failed' || run.status === 'needs_person') day.failed = true;
    }
    const max = Math.max(1, ...days.map((d) => d.deleted));
    const top = niceCeil(max);
    // Drawn at the box's own size, so the labels stay at the page's text size on a phone and a desktop.
    const W = Math.max(280, Math.round(box.clientWidth || 600));
    const H = W < 500 ? 150 : 180;
    const left = 40;
    const right = 8;
    const bottom = 22;
    const plotH = H - bottom - 8;
    const step = (W - left - right) / nights;
    const barW = Math.max(4, step * 0.62);
    const total = days.reduce((n, d) => n + d.deleted, 0);
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart-svg', role: 'img', 'aria-label': `Recordings deleted per night over the last ${nights} nights: ${total.toLocaleString()} in all, at most ${max.toLocaleString()} in one night.` });
    for (const frac of [0, 0.5, 1]) {
      const y = 8 + plotH - frac * plotH;
      chart.append(svg('line', { x1: left, x2: W - right, y1: y, y2: y, class: 'grid' }));
      const label = svg('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' });
      label.textContent = Math.round(top * frac).toLocaleString();
      chart.append(label);
    }
    days.forEach((d, i) => {
      const x = left + i * step + (step - barW) / 2;
      const h = d.deleted > 0 ? Math.max(2, (d.deleted / top) * plotH) : 0;
      const group = svg('g', { class: d.failed ? 'bar-group failed' : 'bar-group' });
      const rect = svg('rect', { x, y: 8 + plotH - h, width: barW, height: h, rx: 2, class: 'bar-rect' });
      const tip = svg('title');
      tip.textContent = `${formatTime(d.iso, { weekday: 'short', day: 'numeric', month: 'short' })}: ${d.runs ? `${d.deleted.toLocaleString()} deleted${d.failed ? ', a problem' : ''}` : 'no run'}`;
      group.append(tip, rect);
      if (d.failed) group.append(svg('circle', { cx: x + barW / 2, cy: 8 + plotH - h - 6, r: 3, class: 'fail-dot' }));
      chart.append(group);
      const every = W < 500 ? 10 : 7;
      if (i % every === (nights - 1) % every) {
        const last = i === nights - 1;
        const label = svg('text', { x: last ? x + barW : x + barW / 2, y: H - 6, class: 'axis', 'text-anchor': last ? 'end' : 'middle' });
        label.textContent = last ? 'last night' : formatTime(d.iso, { day: 'numeric', month: 'short' });
        chart.append(label);
      }
    });
    box.replaceChildren(chart);
  }
  function niceCeil(n) {
    const p = 10 ** Math.floor(Math.log10(n));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
    return 10 * p;
  }

  // ---- run detail ----------------------------------------------------------------------------------------

  async function openRun(id) {
    const dialog = $('#run-dialog');
    $('#run-title').textContent = `Run #${id}`;
    $('#run-summary').textContent = 'Loading…';
    $('#run-accounts').replaceChildren();
    if (!dialog.open) dialog.showModal();
    const res = await api(`/api/runs/${id}`);
    if (!res.ok) { $('#run-summary').textContent = res.data?.error ?? 'Could not load this run.'; return; }
    const run = res.data;
    $('#run-title').textContent = `Run #${run.id}, ${dateTime(run.started_at)}`;
    $('#run-summary').replaceChildren(statusBadge(run.status, RUN_WORDS),
      ` ${run.dry_run ? 'Dry run: nothing deleted. ' : ''}${TRIGGER_WORDS[run.trigger] ?? run.trigger}, took ${duration(run.duration_ms)}. ` +
      `${plural(run.found, 'recording', 'recordings')} found, ${number(run.deleted)} deleted, ${number(run.remaining)} left.`);
    $('#run-accounts').replaceChildren(...run.accounts.map((a) => {
      const section = el('section', { class: 'run-account', 'data-account': a.account_id },
        el('h3', {}, a.name ?? a.account_id, ' ', statusBadge(a.status, ACCOUNT_RESULT_WORDS)),
        el('p', { class: 'small muted', text: `Found ${number(a.found)}, deleted ${number(a.deleted)}, left ${number(a.remaining)}` +
          `${a.pending ? `, ${number(a.pending)} still going` : ''}${a.cutoff ? ` · older than ${dateTime(a.cutoff)}` : ''}` +
          `${a.attempts > 1 ? ` · ${a.attempts} attempts` : ''}` }));
      if (a.error_kind) {
        section.append(el('div', { class: 'help', 'data-kind': a.error_kind },
          el('p', { class: 'help-title', text: ERROR_TITLES[a.error_kind] ?? a.error_kind }),
          a.help ? el('p', { class: 'help-text', text: `What to do: ${a.help}.` }) : null,
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

  // ---- admin actions -------------------------------------------------------------------------------------

  async function resume(account) {
    const res = await api(`/api/accounts/${encodeURIComponent(account.id)}/acknowledge`, { method: 'POST', body: {} });
    if (res.ok) notice(`${account.name}: ${res.data.was_paused ? 'purges resume with the next run' : 'was not paused'}.`, 'ok');
    else notice(`Could not resume ${account.name}: ${res.data?.error ?? `status ${res.status}`}`, 'error');
    void refreshStatus();
  }

  async function purge(body) {
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

  /** "Check the page": the purge walked up to, not including, the final delete; the evidence bundle to download. */
  async function checkPage(account) {
    notice(`Checking the page of ${account.name} up to the final delete (nothing is deleted)…`, 'info');
    const path = `/api/accounts/${encodeURIComponent(account.id)}/check-site`;
    const res = await api(path, { method: 'POST' });
    if (res.status !== 200) { notice(res.data?.error ?? `Could not check the page (${res.status}).`, 'error'); return; }
    const missing = res.data.locators.filter((l) => l.matched === 'none').map((l) => l.name);
    notice(res.data.ok ? `${account.name}: the page check found every control.`
      : `${account.name}: the page check stopped: ${res.data.message ?? ''}${missing.length ? ` (not found: ${missing.join(', ')})` : ''}`, res.data.ok ? 'ok' : 'error');
    $('#notice').append(' ', el('a', { href: `${path}/bundle`, download: '', text: 'Download the evidence bundle' }));
  }

  async function toggleSchedule() {
    const sw = $('#schedule-switch');
    const enabled = sw.getAttribute('aria-checked') !== 'true';
    const res = await api('/api/schedule', { method: 'POST', body: { enabled } });
    if (!res.ok) { notice(res.data?.error ?? 'Could not switch the schedule.', 'error'); return; }
    view.status.schedule = res.data;
    renderOverview();
    renderAccounts();
    notice(enabled ? 'The nightly purge is on.' : 'The nightly purge is off.', 'ok');
  }

  function openSignIn() {
    $('#sign-in-error').hidden = true;
    $('#token').value = '';
    $('#sign-in-dialog').showModal();
    $('#token').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const token = $('#token').value.trim();
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
    $('#token').value = '';
    $('#sign-in-dialog').close();
    view.admin = true;
    notice('Signed in as admin.', 'ok');
    if (view.events) { view.events.close(); view.events = null; }
    await refreshStatus();
    await refreshRuns();
    void followLink();
  }

  async function signOut() {
    await api('/api/session', { method: 'DELETE' });
    view.admin = false;
    notice('Signed out.', 'ok');
    await refreshStatus();
  }

  // ---- links from Home Assistant, notifications and sign-in links -----------------------------------------
  // #signin=<id> opens that account's sign-in, #invite=<token> opens a one-time sign-in link (the token stays in
  // the fragment: browsers never send it to a server), #account=<id> shows that account's card.

  function linkTarget() {
    const m = /^#(signin|invite|account)=([\w%-]{1,200})$/.exec(location.hash);
    if (!m) return null;
    try { return { kind: m[1], value: decodeURIComponent(m[2]) }; } catch { return null; }
  }
  function clearLink() {
    history.replaceState(null, '', location.pathname + location.search);
  }

  function openRemoteSignIn(id, name) {
    $('#link-panel').hidden = true;
    window.voicewipeSignIn.open(id, name ?? accountName(id), () => {
      notice(`${name ?? accountName(id)}: signed in. A purge of this account has started.`, 'ok');
      if (view.status) void refreshStatus();
    });
  }

  async function followLink() {
    const target = linkTarget();
    if (!target) return;
    if (target.kind === 'invite') {
      clearLink();
      const res = await api('/api/invite/redeem', { method: 'POST', body: { token: target.value } });
      if (!res.ok) { showLinkPanel(null, res.data?.error ?? `This sign-in link did not work (${res.status}).`); return; }
      openRemoteSignIn(res.data.account_id, res.data.name);
      return;
    }
    if (target.kind === 'account') {
      const node = view.cards.get(target.value);
      if (node) { node.scrollIntoView({ block: 'center' }); node.classList.add('linked'); }
      return;
    }
    if (view.admin) { clearLink(); openRemoteSignIn(target.value); return; }
    const scope = await api('/api/invite');
    if (scope.ok && scope.data.account_id === target.value) { clearLink(); openRemoteSignIn(scope.data.account_id, scope.data.name); return; }
    // Kept in the address: once the admin signs in here, the sign-in opens.
    showLinkPanel(target.value);
  }

  function showLinkPanel(id, error) {
    const panel = $('#link-panel');
    panel.hidden = false;
    if (error) {
      setText(panel, '.link-title', 'This sign-in link cannot be used');
      setText(panel, '.link-text', `${error}.`.replace(/\.\.$/, '.'));
      return;
    }
    const name = accountName(id);
    setText(panel, '.link-title', `${name} needs someone to sign in`);
    setText(panel, '.link-text', 'Signing in to a voice-assistant account is for voicewipe\'s admin, or for someone the admin sent a ' +
      `one-time sign-in link (they press "Sign-in link" on this page, or run voicewipe invite ${id} on the voicewipe machine). ` +
      'If you are the admin, sign in here and the account\'s sign-in opens.');
  }

  async function makeInvite(id) {
    const res = await api('/api/invite', { method: 'POST', body: { account: id } });
    if (!res.ok) { notice(res.data?.error ?? `Could not make a sign-in link (${res.status}).`, 'error'); return; }
    const dialog = $('#invite-dialog');
    $('#invite-title').textContent = `Sign-in link: ${accountName(id)}`;
    $('#invite-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(res.data.qr_svg)}`;
    $('#invite-url').value = res.data.url;
    $('#invite-until').textContent = `It works once, until ${clock(res.data.expires_at)}, and allows only this account's sign-in.`;
    dialog.showModal();
  }

  // ---- start ---------------------------------------------------------------------------------------------

  function start() {
    $('#sign-in-open').addEventListener('click', openSignIn);
    $('#private-sign-in').addEventListener('click', openSignIn);
    $('#sign-in-cancel').addEventListener('click', () => $('#sign-in-dialog').close());
    $('#sign-in-form').addEventListener('submit', signIn);
    $('#sign-out').addEventListener('click', signOut);
    $('#run-close').addEventListener('click', () => $('#run-dialog').close());
    $('#run-dialog').addEventListener('click', (e) => { if (e.target === e.currentTarget) e.currentTarget.close(); });
    $('#purge-all').addEventListener('click', () => purge({}));
    $('#dry-all').addEventListener('click', () => purge({ dry_run: true }));
    $('#schedule-switch').addEventListener('click', toggleSchedule);
    $('#more-runs').addEventListener('click', () => {
      view.shown += 20;
      if (view.runs.length < view.shown && view.nextBefore) void refreshRuns(true); else renderHistory();
    });
    let resizeTimer;
    window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(renderChart, 150); });
    $('#link-sign-in').addEventListener('click', openSignIn);
    $('#invite-close').addEventListener('click', () => $('#invite-dialog').close());
    $('#invite-copy').addEventListener('click', async () => {
      const field = $('#invite-url');
      try { await navigator.clipboard.writeText(field.value); notice('Link copied.', 'ok'); } catch { field.select(); }
    });
    window.addEventListener('hashchange', followLink);
    void refreshStatus().then(() => { if (view.status) void refreshRuns(); void followLink(); });
    // The events keep the page current; this catches what a sleeping phone missed, and moves "next run".
    setInterval(() => { if (document.visibilityState === 'visible' && view.status) void refreshStatus(); }, 30_000);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible' && view.status) { void refreshStatus(); void refreshRuns(); } });
  }

  start();
})();
