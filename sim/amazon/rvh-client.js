// Client side of the simulated Review Voice History page (plain browser JavaScript, served inline).
// Like the real React app it fetches the JSON list with the CSRF token from the meta tag, renders records
// ~10 at a time as the list end scrolls into view, and sends deletes as JSON requests.
// Time zone: the browser's local time decides day boundaries (as on the real site); `serverNow` aligns the
// page's clock with the simulator's (which tests may move).
(function () {
  'use strict';
  const cfg = JSON.parse(document.getElementById('rvh-config').textContent);
  const C = cfg.classes;
  const T = cfg.texts;
  const skew = cfg.serverNow - Date.now();
  const now = () => Date.now() + skew;
  let csrf = document.querySelector('meta[name="' + cfg.csrfMeta + '"]').content;

  const root = document.getElementById('rvh-root');
  const seen = new Set();
  let filter = preset(cfg.defaultFilter);
  let cursor = null;
  let done = false;
  let loading = false;
  let generation = 0; // bumps when the filter changes, so late answers for the old filter are dropped
  let shown = 0;

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children || []) if (c) e.append(c);
    return e;
  }
  const cls = (name) => C[name] || null;

  function midnight(t) { const d = new Date(t); d.setHours(0, 0, 0, 0); return d.getTime(); }
  function addDays(t, n) { const d = new Date(t); d.setDate(d.getDate() + n); return d.getTime(); }
  function mdY(t) { const d = new Date(t); return String(d.getMonth() + 1).padStart(2, '0') + '/' + String(d.getDate()).padStart(2, '0') + '/' + d.getFullYear(); }
  function parseDay(s) {
    let m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(s);
    if (m) return new Date(+m[3], +m[1] - 1, +m[2]).getTime();
    m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(s);
    if (m) return new Date(+m[1], +m[2] - 1, +m[3]).getTime();
    return NaN;
  }

  /** A named date filter → {key, label, start, end} in ms, both ends inclusive. */
  function preset(key) {
    const t = now();
    const today = midnight(t);
    switch (key) {
      case 'today': return { key, label: T.today, start: today, end: t };
      case 'yesterday': return { key, label: T.yesterday, start: addDays(today, -1), end: today - 1 };
      case 'week': return { key, label: T.week, start: addDays(today, -6), end: t };
      default: return { key: 'all', label: T.all, start: 0, end: t };
    }
  }

  // ---- layout ----
  const message = el('div', { class: cls('message'), role: 'status', 'aria-live': 'polite' });
  const list = el('div', { class: cls('list'), role: 'list', 'aria-label': T.listLabel });
  const filterLabel = el('b', { text: filter.label });
  const filterButton = el('button', { type: 'button', class: cls('filterButton'), 'aria-haspopup': 'true', 'aria-expanded': 'false',
    on: { click: () => toggleMenu() } }, [T.filterBy + ' ', filterLabel, el('span', { class: 'caret', 'aria-hidden': 'true', text: ' ▾' })]);
  const bar = el('div', { id: cfg.ids.filtersBar, class: cls('filtersBar') }, [filterButton]);
  const deleteAll = el(cfg.layout === 'moved' ? 'button' : 'div', { class: cls('deleteAll'), role: cfg.layout === 'moved' ? null : 'button', tabindex: '0',
    'aria-disabled': 'true', on: { click: () => confirmDeleteAll(), keydown: (e) => { if (e.key === 'Enter') confirmDeleteAll(); } } });
  const menu = buildMenu();

  const header = el('div', { class: cls('toolbar') }, [bar, cfg.layout === 'moved' ? null : deleteAll]);
  root.append(header, menu);
  if (cfg.layout === 'moved') root.append(el('div', { class: cls('movedActions') }, [deleteAll]));
  root.append(list, message);

  function buildMenu() {
    const opts = [['today', T.today], ['yesterday', T.yesterday], ['week', T.week], ['all', T.all]];
    const options = el('div', { class: cls('optionsList'), role: 'radiogroup', 'aria-label': T.dateLabel });
    for (const [key, label] of opts) {
      const id = 'filter-opt-' + key;
      const opt = el('div', { class: cls('option'), role: 'radio', 'aria-checked': String(filter.key === key), tabindex: '0', 'data-filter': key,
        on: { click: () => applyFilter(preset(key)), keydown: (e) => { if (e.key === 'Enter') applyFilter(preset(key)); } } },
      [el('input', { type: 'radio', name: 'date-filter', id, tabindex: '-1', checked: filter.key === key }), el('label', { for: id, text: label })]);
      options.append(opt);
    }
    const start = el('input', { type: 'text', id: cfg.ids.dateStart, class: 'react-datepicker-ignore-onclickoutside', placeholder: 'MM/DD/YYYY', 'aria-label': T.startDate, autocomplete: 'off' });
    const end = el('input', { type: 'text', id: cfg.ids.dateEnd, placeholder: 'MM/DD/YYYY', 'aria-label': T.endDate, autocomplete: 'off' });
    const error = el('div', { class: 'date-error', role: 'alert' });
    const apply = el('button', { type: 'button', class: cls('applyButton'), text: T.apply, on: { click: () => {
      const s = parseDay(start.value);
      const e = parseDay(end.value);
      if (isNaN(s) || isNaN(e) || e < s) { error.textContent = T.badDates; return; }
      error.textContent = '';
      applyFilter({ key: 'custom', label: mdY(s) + ' - ' + mdY(e), start: s, end: addDays(e, 1) - 1 });
    } } });
    const custom = el('div', { class: cls('customPanel'), hidden: true }, [
      el('div', { class: 'react-datepicker-wrapper' }, [el('label', { for: cfg.ids.dateStart, text: T.startDate }), start]),
      el('div', { class: 'react-datepicker-wrapper' }, [el('label', { for: cfg.ids.dateEnd, text: T.endDate }), end]), error, apply]);
    const customOpt = el('div', { id: cfg.ids.custom, class: cls('option'), role: 'radio', 'aria-checked': 'false', tabindex: '0', 'data-filter': 'custom',
      on: { click: () => { custom.hidden = false; start.value = start.value || mdY(addDays(now(), -30)); end.value = end.value || mdY(now()); start.focus(); } } },
    [el('input', { type: 'radio', name: 'date-filter', id: 'filter-opt-custom', tabindex: '-1' }), el('label', { for: 'filter-opt-custom', text: T.custom })]);
    options.append(customOpt, custom);
    const dateButton = el('button', { type: 'button', 'aria-expanded': 'true', text: T.dateLabel });
    return el('div', { id: cfg.ids.filterMenu, class: cls('filterMenu'), hidden: true, role: 'dialog', 'aria-label': T.filterBy },
      [el('div', { class: cls('dateMenu') }, [dateButton, options])]);
  }

  function toggleMenu(open) {
    const show = open === undefined ? menu.hidden : open;
    menu.hidden = !show;
    filterButton.setAttribute('aria-expanded', String(show));
  }

  function applyFilter(f) {
    filter = f;
    for (const o of menu.querySelectorAll('[data-filter]')) {
      const on = o.getAttribute('data-filter') === f.key;
      o.setAttribute('aria-checked', String(on));
      const input = o.querySelector('input');
      if (input) input.checked = on;
    }
    filterLabel.textContent = f.label;
    toggleMenu(false);
    reset();
  }

  function reset() {
    generation++;
    cursor = null; done = false; loading = false; shown = 0;
    seen.clear();
    list.textContent = '';
    setDeleteAll(false);
    loadMore();
  }

  function setDeleteAll(enabled) {
    deleteAll.textContent = T.deleteAll + ' ' + filter.label;
    deleteAll.classList.toggle('enabled', enabled);
    deleteAll.setAttribute('aria-disabled', String(!enabled));
  }

  function setMessage(text, retry) {
    message.textContent = text;
    if (retry) message.append(' ', el('button', { type: 'button', class: 'link-button', text: T.retry, on: { click: () => { loading = false; loadMore(); } } }));
  }

  async function send(path, body) {
    const call = () => fetch(path, { method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'anti-csrftoken-a2z': csrf }, body: JSON.stringify(body) });
    let res = await call();
    if (res.status === 403) {
      // A stale token: fetch a fresh one once and retry (what the real page does after a rotation).
      const t = await fetch(cfg.csrfPath, { credentials: 'same-origin' });
      if (t.ok) { csrf = (await t.text()).trim(); res = await call(); }
    }
    if (res.status === 401) { location.href = cfg.signinUrl; throw new Error('signed out'); }
    return res;
  }

  async function loadMore() {
    if (loading || done) return;
    loading = true;
    const gen = generation;
    setMessage(T.loading);
    let res;
    try {
      const q = '?startTime=' + filter.start + '&endTime=' + filter.end + (cfg.listStyle === 'v2' ? '&recordType=VOICE_HISTORY' : '');
      const body = cfg.listStyle === 'v2' ? { previousRequestToken: cursor } : { paginationToken: cursor };
      res = await send(cfg.listPath + q, body);
    } catch (e) {
      if (gen === generation) { loading = false; setMessage(T.error, true); }
      return;
    }
    if (gen !== generation) return;
    if (!res.ok) { loading = false; setMessage(T.error, true); return; }
    const data = await res.json();
    if (gen !== generation) return;
    const records = cfg.listStyle === 'v2' ? data.customerHistoryRecords : data.alexaHistoryRecords;
    for (const r of records) {
      if (seen.has(r.recordKey)) continue; // pages overlap
      seen.add(r.recordKey);
      list.append(renderRecord(r));
      shown++;
    }
    cursor = cfg.listStyle === 'v2' ? data.encodedRequestToken : data.paginationToken;
    done = !cursor;
    loading = false;
    setDeleteAll(shown > 0);
    if (done) setMessage(shown > 0 ? T.end : T.none);
    else { setMessage(T.loading); if (visible(message)) loadMore(); }
  }

  function visible(e) {
    const r = e.getBoundingClientRect();
    return r.top < window.innerHeight && r.bottom >= 0;
  }
  new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) loadMore(); }).observe(message);

  function timeText(ts) {
    const d = new Date(ts);
    const today = midnight(now());
    const day = midnight(ts) === today ? T.today : midnight(ts) === addDays(today, -1) ? T.yesterday
      : d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric' });
    return [day, d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })];
  }

  function transcriptOf(r) {
    if (r.utteranceType === 'WAKE_WORD_ONLY') return T.noText;
    if (r.utteranceType === 'FALSE_WAKE_WORD') return T.notIntended;
    const item = (r.voiceHistoryRecordItems || []).find((i) => i.recordItemType === 'CUSTOMER_TRANSCRIPT');
    return item && item.transcriptText ? '“' + item.transcriptText + '”' : T.noText;
  }

  function renderRecord(r) {
    const [day, time] = timeText(r.timestamp);
    const response = (r.voiceHistoryRecordItems || []).find((i) => i.recordItemType === 'ALEXA_RESPONSE');
    const del = el('button', { type: 'button', class: cls('deleteButton'), text: T.deleteOne, on: { click: () => removeRecord(r, box, del) } });
    const detail = el('div', { class: cls('detail'), hidden: true }, [
      el('div', { class: 'record-detail-line', text: response ? 'Alexa: ' + response.transcriptText : T.noResponse }),
      el('div', { class: 'record-detail-line muted', text: (r.personName ? T.heardAs + ' ' + r.personName + ' · ' : '') + r.device.deviceName }),
      cfg.layout === 'moved' ? null : el('div', { class: cls('deleteBanner') }, [del]),
    ]);
    const icon = el('i', { class: 'fa fa-chevron-down', 'aria-hidden': 'true' });
    const expand = el('button', { type: 'button', class: cls('expand'), 'aria-expanded': 'false', 'aria-label': T.expand, on: { click: () => {
      detail.hidden = !detail.hidden;
      expand.setAttribute('aria-expanded', String(!detail.hidden));
      icon.className = detail.hidden ? 'fa fa-chevron-down' : 'fa fa-chevron-up';
    } } }, [icon]);
    const summary = el('div', { class: cls('summary') }, [
      el('div', { class: cls('transcript'), text: transcriptOf(r) }),
      el('div', { class: cls('recordInfo') }, [el('span', { class: cls('item'), text: day }), el('span', { class: cls('item'), text: time }),
        el('span', { class: cls('deviceName'), text: r.device.deviceName })]),
    ]);
    const controls = [expand];
    if (cfg.layout === 'moved') {
      // The redesign moved per-item delete into an overflow menu; its role and name still say what it is.
      const menu = el('div', { class: 'overflow-menu', role: 'menu', hidden: true }, [el('button', { type: 'button', role: 'menuitem', class: cls('deleteButton'), text: T.deleteOne,
        on: { click: () => removeRecord(r, box, null) } })]);
      controls.unshift(el('button', { type: 'button', class: 'overflow-toggle', 'aria-label': T.moreActions, 'aria-haspopup': 'menu',
        on: { click: () => { menu.hidden = !menu.hidden; } }, text: '⋮' }), menu);
    }
    const box = el('div', { class: cls('record'), role: 'listitem' }, [
      el('div', { class: cls('recordRow') }, [summary, el('div', { class: 'record-controls' }, controls)]), detail]);
    return box;
  }

  async function removeRecord(r, box, button) {
    if (button) button.disabled = true;
    try {
      const res = await send(cfg.deletePath, { recordKeys: [r.recordKey] });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      // The page hides the record at once, whatever the backend does later.
      box.remove();
      shown--;
      toast(T.deletedOne);
      if (shown <= 0 && done) { setMessage(T.none); setDeleteAll(false); }
    } catch (e) {
      if (button) button.disabled = false;
      toast(T.deleteFailed);
    }
  }

  function confirmDeleteAll() {
    if (!deleteAll.classList.contains('enabled')) return;
    const range = { start: filter.start, end: filter.end, label: filter.label };
    const close = () => overlay.remove();
    const confirmButton = el('button', { type: 'button', class: cls('confirm'), text: T.confirmDelete, on: { click: async () => {
      confirmButton.disabled = true;
      try {
        const res = await send(cfg.deletePath, { startTime: range.start, endTime: range.end });
        if (!res.ok) throw new Error('HTTP ' + res.status);
        close();
        generation++;
        list.textContent = '';
        seen.clear(); shown = 0; done = true; cursor = null; loading = false;
        setMessage(T.none);
        setDeleteAll(false);
        toast(T.deletedAll);
      } catch (e) {
        close();
        toast(T.deleteFailed);
      }
    } } });
    const overlay = el('div', { class: 'apd-modal-overlay' }, [el('div', { class: cls('modal'), role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'apd-modal-title' }, [
      el('h2', { id: 'apd-modal-title', text: T.deleteAll + ' ' + range.label + '?' }),
      el('p', { text: T.confirmText }),
      confirmButton,
      el('button', { type: 'button', class: cls('cancel'), text: T.cancel, on: { click: close } }),
    ])]);
    document.body.append(overlay);
  }

  function toast(text) {
    const t = el('div', { class: 'apd-toast', role: 'alert', text });
    document.body.append(t);
    setTimeout(() => t.remove(), 3000);
  }

  setDeleteAll(false);
  loadMore();
})();
