// Client side of the simulated Review Voice History / Review Alexa History page (plain browser JavaScript, served
// inline). Like the real React app it fetches the JSON list with the CSRF token from the meta tag, renders records
// ~10 at a time as the list end scrolls into view, and sends deletes as JSON requests. The account's variant
// (cfg.variant) decides the filter depth, the date fields and their order, the Apply button and the page kind.
// Time zone: the browser's local time decides day boundaries (as on the real site); `serverNow` aligns the
// page's clock with the simulator's (which tests may move).
(() => {
  'use strict';
  const cfg = JSON.parse(document.getElementById('rvh-config').textContent);
  const C = cfg.classes;
  const T = cfg.texts;
  const V = cfg.variant;
  const RAH = cfg.layout === 'rah';
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
  // Filled in while the menu is built; the calendar and the RAH day sections are created on demand.
  let startField, endField, dateError, customPanel;
  let calendarBox = null;
  let calendarFor = null;
  let calendarMonth = 0;
  let lastSection = null;

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
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => values[k]);

  // ---- days and dates, in the page's order ----
  function midnight(t) { const d = new Date(t); d.setHours(0, 0, 0, 0); return d.getTime(); }
  function addDays(t, n) { const d = new Date(t); d.setDate(d.getDate() + n); return d.getTime(); }
  const pad = (n) => String(n).padStart(2, '0');
  /** A day as the page shows it and expects it typed: MM/DD/YYYY, DD/MM/YYYY, DD.MM.YYYY or YYYY/MM/DD. */
  function formatDay(t) {
    const d = new Date(t);
    const dd = pad(d.getDate()), mm = pad(d.getMonth() + 1), y = String(d.getFullYear());
    switch (V.dateOrder) {
      case 'mdy': return mm + '/' + dd + '/' + y;
      case 'dmy': return dd + '/' + mm + '/' + y;
      case 'dmy.': return dd + '.' + mm + '.' + y;
      default: return y + '/' + mm + '/' + dd;
    }
  }
  function isoDay(t) { const d = new Date(t); return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }
  /** Local midnight of a real calendar day, or NaN (no rolling over: 31/02 is not 3 March). */
  function day(y, m, d) {
    if (m < 1 || m > 12 || d < 1 || d > 31) return NaN;
    const t = new Date(y, m - 1, d);
    return t.getFullYear() === y && t.getMonth() === m - 1 && t.getDate() === d ? t.getTime() : NaN;
  }
  /** Parses what was typed, strictly in the page's order (like a date picker with a fixed format): a date typed
   *  in another order selects other days, or is rejected when it cannot be a date in this order. */
  function parseTyped(s) {
    if (V.dateInput === 'date') {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      return m ? day(+m[1], +m[2], +m[3]) : NaN;
    }
    const sep = V.dateOrder === 'dmy.' ? '\\.' : '/';
    const m = new RegExp('^\\s*(\\d{1,4})' + sep + '(\\d{1,2})' + sep + '(\\d{1,4})\\s*$').exec(s);
    if (!m) return NaN;
    const [a, b, c] = [m[1], m[2], m[3]];
    let y, mo, d;
    if (V.dateOrder === 'ymd') { y = a; mo = b; d = c; } else if (V.dateOrder === 'mdy') { mo = a; d = b; y = c; } else { d = a; mo = b; y = c; }
    if (y.length !== 4 || mo.length > 2 || d.length > 2) return NaN;
    return day(+y, +mo, +d);
  }
  function fieldValue(t) { return V.dateInput === 'date' ? isoDay(t) : formatDay(t); }

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
  const list = el('div', { class: RAH ? 'alexa-history-list' : cls('list'), role: 'list', 'aria-label': T.listLabel });
  const filterLabel = el('b', { class: cls('selectedLabel'), text: filter.label });
  const filterButton = el('button', { type: 'button', class: cls('filterButton'), 'aria-haspopup': 'true', 'aria-expanded': 'false',
    on: { click: () => toggleMenu() } }, [T.filterBy + ' ', filterLabel, el('span', { class: 'caret', 'aria-hidden': 'true', text: ' ▾' })]);
  const bar = el('div', { id: cfg.ids.filtersBar, class: cls('filtersBar') }, [filterButton]);
  let deleteAll = null;
  if (!RAH) {
    deleteAll = el(cfg.layout === 'moved' ? 'button' : 'div', { class: cls('deleteAll'), role: cfg.layout === 'moved' ? null : 'button', tabindex: '0',
      'aria-disabled': 'true', on: { click: () => confirmDeleteAll(), keydown: (e) => { if (e.key === 'Enter') confirmDeleteAll(); } } });
  } else if (V.rangeDelete === 'range') {
    // Our guess for the new page's range delete: a button above the list, then a confirm dialog.
    deleteAll = el('button', { type: 'button', class: 'delete-all-activity-button', disabled: true, on: { click: () => confirmDeleteAll() } });
  }
  const dateOptions = [];
  let dateToggle;
  let optionsList;
  const menu = buildMenu();

  const header = el('div', { class: cls('toolbar') }, [bar, cfg.layout === 'moved' ? null : deleteAll]);
  root.append(header, menu);
  if (cfg.layout === 'moved') root.append(el('div', { class: cls('movedActions') }, [deleteAll]));
  root.append(list, message);
  if (V.filterDepth === 0) toggleMenu(true);

  function radio(key, label, onPick) {
    const labelId = 'filter-label-' + key;
    const text = el('span', { class: 'a-label a-radio-label', id: labelId, text: label });
    const pick = () => onPick();
    const keys = (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onPick(); } };
    let opt;
    if (V.radioIcon) {
      // Only the icon reacts: the option's text is inert (one public script clicks the icon for this reason).
      const icon = el('i', { class: 'a-icon a-icon-radio', role: 'radio', 'aria-checked': 'false', 'aria-labelledby': labelId, tabindex: '0',
        on: { click: pick, keydown: keys } });
      opt = el('div', { class: cls('option') + ' icon-only', 'data-filter': key }, [icon, text]);
      opt.radio = icon;
    } else {
      opt = el('div', { class: cls('option'), role: 'radio', 'aria-checked': 'false', tabindex: '0', 'data-filter': key, on: { click: pick, keydown: keys } },
        [el('i', { class: 'a-icon a-icon-radio', 'aria-hidden': 'true' }), text]);
      opt.radio = opt;
    }
    dateOptions.push(opt);
    return opt;
  }

  function buildMenu() {
    optionsList = el('div', { class: cls('optionsList'), role: 'radiogroup', 'aria-label': T.dateLabel });
    for (const [key, label] of [['today', T.today], ['yesterday', T.yesterday], ['week', T.week], ['all', T.all]]) {
      optionsList.append(radio(key, label, () => applyFilter(preset(key))));
    }
    const customOpt = radio('custom', T.custom, () => openCustom());
    customOpt.id = cfg.ids.custom;
    optionsList.append(customOpt, buildCustom());
    // Depth 2: the date submenu's button shows the options; depth 0/1: they are shown already and the button is
    // a heading that does nothing.
    const twoLevel = V.filterDepth === 2;
    dateToggle = el('button', { type: 'button', 'aria-expanded': twoLevel ? 'false' : 'true', text: T.dateLabel,
      on: { click: () => { if (twoLevel) showDateOptions(optionsList.hidden); } } });
    if (twoLevel) optionsList.hidden = true;
    const devices = el('div', { class: cls('optionsList'), role: 'radiogroup', 'aria-label': T.deviceLabel, hidden: true }, [
      el('div', { class: cls('deviceOption'), role: 'radio', 'aria-checked': 'true', tabindex: '0' }, [el('span', { class: 'a-label', text: T.allDevices })])]);
    const deviceToggle = el('button', { type: 'button', 'aria-expanded': 'false', text: T.deviceLabel, on: { click: () => {
      devices.hidden = !devices.hidden;
      deviceToggle.setAttribute('aria-expanded', String(!devices.hidden));
    } } });
    const inner = el('div', { class: cls('expandedMenu') }, [
      el('div', { class: cls('dateMenu') }, [dateToggle, optionsList]),
      el('div', { class: cls('deviceMenu') }, [deviceToggle, devices]),
    ]);
    return el('div', { id: cfg.ids.filterMenu, class: cls('filterMenu') + (V.filterDepth === 0 ? ' inline-filter-menu' : ''), hidden: true,
      role: V.filterDepth === 0 ? 'group' : 'dialog', 'aria-label': T.filterBy }, [inner]);
  }

  function showDateOptions(show) {
    optionsList.hidden = !show;
    dateToggle.setAttribute('aria-expanded', String(show));
  }

  // ---- the custom range: fields in the page's date order (or type=date), optional calendar, Apply or not ----
  function buildCustom() {
    const field = (id, label) => {
      const input = el('input', { type: V.dateInput === 'date' ? 'date' : 'text', id, autocomplete: 'off', 'aria-label': label,
        placeholder: V.dateInput === 'date' ? null : V.datePattern, readonly: V.dateInput === 'calendar',
        class: 'react-datepicker-ignore-onclickoutside' });
      if (V.dateInput === 'text+calendar' || V.dateInput === 'calendar') {
        input.addEventListener('focus', () => openCalendar(input));
        input.addEventListener('click', () => openCalendar(input));
      }
      if (!V.apply) {
        input.addEventListener('change', () => tryApply(false));
        input.addEventListener('keydown', (e) => { if (e.key === 'Enter') tryApply(true); });
      }
      input.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeCalendar(); });
      const wrapper = el('div', { class: 'react-datepicker-wrapper' }, [el('label', { for: id, text: label }),
        el('div', { class: 'react-datepicker__input-container' }, [input])]);
      return [input, wrapper];
    };
    const [s, sw] = field(cfg.ids.dateStart, T.startDate);
    const [e, ew] = field(cfg.ids.dateEnd, T.endDate);
    startField = s; endField = e;
    dateError = el('div', { class: 'date-error', role: 'alert' });
    const apply = V.apply ? el('button', { type: 'button', class: cls('applyButton'), text: T.apply, on: { click: () => tryApply(true) } }) : null;
    customPanel = el('div', { class: cls('customPanel'), hidden: true }, [sw, ew, dateError, apply]);
    return customPanel;
  }

  function openCustom() {
    customPanel.hidden = false;
    markChecked('custom');
    if (!startField.value) startField.value = fieldValue(addDays(now(), -30));
    if (!endField.value) endField.value = fieldValue(now());
    if (V.dateInput !== 'calendar') startField.focus();
  }

  /** Reads both fields; applies the range when both are days and in order. `loud`: say why not. */
  function tryApply(loud) {
    const s = parseTyped(startField.value);
    const e = parseTyped(endField.value);
    if (Number.isNaN(s) || Number.isNaN(e) || e < s) {
      if (loud || !V.apply) dateError.textContent = T.badDates;
      return;
    }
    dateError.textContent = '';
    const end = addDays(e, 1) - 1;
    if (filter.key === 'custom' && filter.start === s && filter.end === end) return;
    closeCalendar();
    applyFilter({ key: 'custom', label: formatDay(s) + ' – ' + formatDay(e), start: s, end }, !V.apply);
  }

  // ---- a react-datepicker-like calendar ----
  function openCalendar(input) {
    const t = parseTyped(input.value);
    const base = Number.isNaN(t) ? now() : t;
    const d = new Date(base);
    calendarFor = input;
    calendarMonth = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
    renderCalendar();
  }
  function closeCalendar() {
    if (calendarBox) calendarBox.remove();
    calendarBox = null;
    calendarFor = null;
  }
  function renderCalendar() {
    if (calendarBox) calendarBox.remove();
    const first = new Date(calendarMonth);
    const monthName = first.toLocaleDateString(V.locale, { month: 'long', year: 'numeric' });
    const selected = parseTyped(calendarFor.value);
    const today = midnight(now());
    const weeks = el('div', { class: 'react-datepicker__month', role: 'listbox', 'aria-label': 'month ' + isoDay(calendarMonth).slice(0, 7) });
    // Weeks start on Sunday in en-US, Monday elsewhere.
    const weekStart = V.locale === 'en-US' || V.locale === 'en-CA' ? 0 : 1;
    let cell = addDays(calendarMonth, -((first.getDay() - weekStart + 7) % 7));
    for (let w = 0; w < 6; w++) {
      const week = el('div', { class: 'react-datepicker__week' });
      for (let i = 0; i < 7; i++) {
        const d = new Date(cell);
        const outside = d.getMonth() !== first.getMonth();
        const disabled = cell > today;
        const t = cell;
        const classes = ['react-datepicker__day', 'react-datepicker__day--' + String(d.getDate()).padStart(3, '0')];
        if (outside) classes.push('react-datepicker__day--outside-month');
        if (disabled) classes.push('react-datepicker__day--disabled');
        if (t === selected) classes.push('react-datepicker__day--selected');
        if (t === today) classes.push('react-datepicker__day--today');
        week.append(el('div', { class: classes.join(' '), role: 'option', tabindex: '-1', 'aria-disabled': String(disabled), 'aria-selected': String(t === selected),
          'aria-label': T.choose + ' ' + d.toLocaleDateString(V.locale, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
          text: String(d.getDate()), on: { click: () => { if (!disabled) pickDay(t); } } }));
        cell = addDays(cell, 1);
      }
      weeks.append(week);
      if (new Date(cell).getMonth() !== first.getMonth() && w >= 3) break;
    }
    const nav = (label, delta, c) => el('button', { type: 'button', class: 'react-datepicker__navigation react-datepicker__navigation--' + c, 'aria-label': label,
      text: delta < 0 ? '‹' : '›', on: { mousedown: (e) => e.preventDefault(), click: () => { const m = new Date(calendarMonth); m.setMonth(m.getMonth() + delta); calendarMonth = m.getTime(); renderCalendar(); } } });
    calendarBox = el('div', { class: 'react-datepicker-popper', 'data-for': calendarFor.id }, [el('div', { class: 'react-datepicker', role: 'dialog', 'aria-label': 'Choose Date' }, [
      el('div', { class: 'react-datepicker__header' }, [nav(T.prevMonth, -1, 'previous'), el('div', { class: 'react-datepicker__current-month', text: monthName }), nav(T.nextMonth, 1, 'next')]),
      weeks])]);
    calendarFor.closest('.react-datepicker-wrapper').after(calendarBox);
  }
  function pickDay(t) {
    const input = calendarFor;
    input.value = fieldValue(t);
    closeCalendar();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    if (!V.apply) tryApply(false);
  }

  function toggleMenu(open) {
    const show = open === undefined ? menu.hidden : open;
    menu.hidden = !show;
    filterButton.setAttribute('aria-expanded', String(show));
    // A two-level menu opens with the date submenu folded, every time.
    if (show && V.filterDepth === 2) showDateOptions(false);
    if (!show) closeCalendar();
  }

  function markChecked(key) {
    for (const o of dateOptions) o.radio.setAttribute('aria-checked', String(o.getAttribute('data-filter') === key));
  }

  /** Shows a new range and lists it. `keepOpen`: the custom panel stays (no Apply button: fields apply as they change). */
  function applyFilter(f, keepOpen) {
    filter = f;
    markChecked(f.key);
    if (f.key !== 'custom') customPanel.hidden = true;
    filterLabel.textContent = f.label;
    if (!keepOpen && V.filterDepth !== 0) toggleMenu(false);
    reset();
  }

  function reset() {
    generation++;
    cursor = null; done = false; loading = false; shown = 0;
    seen.clear();
    list.textContent = '';
    lastSection = null;
    setDeleteAll(false);
    void loadMore();
  }

  function setDeleteAll(enabled) {
    if (!deleteAll) return;
    deleteAll.textContent = fill(RAH ? T.deleteAllActivity : T.deleteAll, { range: filter.label });
    if (RAH) { deleteAll.disabled = !enabled; return; }
    deleteAll.classList.toggle('enabled', enabled);
    deleteAll.setAttribute('aria-disabled', String(!enabled));
  }

  function setMessage(text, retry) {
    message.textContent = text;
    if (retry) message.append(' ', el('button', { type: 'button', class: 'link-button', text: T.retry, on: { click: () => { loading = false; void loadMore(); } } }));
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

  const keyOf = (r) => r.recordKey || r.activityKey || (r.recordType + '#' + r.timestamp + '#' + r.device.serialNumber);

  async function loadMore() {
    if (loading || done) return;
    loading = true;
    const gen = generation;
    setMessage(T.loading);
    let res;
    try {
      const q = '?startTime=' + filter.start + '&endTime=' + filter.end + (cfg.listStyle === 'v2' ? '&recordType=VOICE_HISTORY' : '');
      res = await send(cfg.listPath + q, { previousRequestToken: cursor });
    } catch (_e) {
      if (gen === generation) { loading = false; setMessage(T.error, true); }
      return;
    }
    if (gen !== generation) return;
    if (!res.ok) { loading = false; setMessage(T.error, true); return; }
    const data = await res.json();
    if (gen !== generation) return;
    const records = cfg.listStyle === 'v2' ? data.customerHistoryRecords : data.alexaHistoryRecords;
    for (const r of records) {
      const key = keyOf(r);
      if (seen.has(key)) continue; // pages overlap
      seen.add(key);
      if (RAH) appendRahRow(r); else list.append(renderRecord(r));
      shown++;
    }
    cursor = cfg.listStyle === 'v2' ? data.encodedRequestToken : data.paginationToken;
    done = !cursor;
    loading = false;
    setDeleteAll(shown > 0);
    if (done) setMessage(shown > 0 ? T.end : T.none);
    else { setMessage(T.loading); watchListEnd(); }
  }

  // Observing anew makes the observer report the current state once, so a list end that stayed in view while a
  // page was loading still loads the next one (a plain observer only reports changes).
  const listEnd = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) void loadMore(); });
  function watchListEnd() { listEnd.unobserve(message); listEnd.observe(message); }
  listEnd.observe(message);

  function dayText(ts) {
    const today = midnight(now());
    if (midnight(ts) === today) return T.today;
    if (midnight(ts) === addDays(today, -1)) return T.yesterday;
    return new Date(ts).toLocaleDateString(V.locale, RAH ? { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' } : { month: 'long', day: 'numeric', year: 'numeric' });
  }
  function timeText(ts) { return new Date(ts).toLocaleTimeString(V.locale, { hour: 'numeric', minute: '2-digit' }); }

  function transcriptOf(r) {
    if (r.utteranceType === 'WAKE_WORD_ONLY') return T.noText;
    if (r.utteranceType === 'FALSE_WAKE_WORD') return T.notIntended;
    const item = (r.voiceHistoryRecordItems || []).find((i) => i.recordItemType === 'CUSTOMER_TRANSCRIPT');
    return item?.transcriptText ? '“' + item.transcriptText + '”' : T.noText;
  }

  function renderRecord(r) {
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
      el('div', { class: cls('recordInfo') }, [el('span', { class: cls('item'), text: dayText(r.timestamp) }), el('span', { class: cls('item'), text: timeText(r.timestamp) }),
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

  // ---- Review Alexa History: a section per local day, a row per record, ⋮ → delete ----
  function appendRahRow(r) {
    const dayStart = midnight(r.timestamp);
    if (!lastSection || lastSection.day !== dayStart) {
      const items = el('div', { class: 'date-section-items' });
      const section = el('div', { class: 'date-section', 'data-day': isoDay(dayStart) }, [el('h2', { class: 'date-section-header', text: dayText(r.timestamp) }), items]);
      list.append(section);
      lastSection = { day: dayStart, section, items };
    }
    const response = (r.voiceHistoryRecordItems || []).find((i) => i.recordItemType === 'ALEXA_RESPONSE');
    const menuList = el('div', { class: 'activity-menu', role: 'menu', hidden: true });
    const section = lastSection;
    const menuButton = el('button', { type: 'button', class: 'activity-menu-button', 'aria-label': T.moreOptions, 'aria-haspopup': 'menu', 'aria-expanded': 'false', text: '⋮',
      on: { click: () => { menuList.hidden = !menuList.hidden; menuButton.setAttribute('aria-expanded', String(!menuList.hidden)); } } });
    const row = el('div', { class: 'utterance-row', role: 'listitem' }, [
      el('div', { class: 'utterance-text', text: transcriptOf(r) }),
      response ? el('div', { class: 'alexa-response-text', text: response.transcriptText }) : null,
      el('div', { class: 'activity-line' }, [el('span', { class: 'activity-info', text: fill(T.activityOn, { device: r.device.deviceName }) }),
        el('span', { class: 'activity-time', text: timeText(r.timestamp) }), menuButton, menuList]),
    ]);
    menuList.append(el('button', { type: 'button', role: 'menuitem', class: 'activity-menu-delete', text: T.deleteActivity, on: { click: async (e) => {
      const button = e.currentTarget;
      button.disabled = true;
      try {
        const res = await send(cfg.deletePath, itemBody(r));
        if (!res.ok) throw new Error('HTTP ' + res.status);
        row.remove();
        if (!section.items.children.length) { section.section.remove(); if (lastSection === section) lastSection = null; }
        shown--;
        toast(T.deletedActivity);
        if (shown <= 0 && done) { setMessage(T.none); setDeleteAll(false); }
      } catch (_err) {
        button.disabled = false;
        toast(T.deleteFailed);
      }
    } } }));
    lastSection.items.append(row);
  }

  /** What a per-item delete names: the recordKey (classic), else the activityKey, else type + time + device. */
  function itemBody(r) {
    if (r.recordKey) return { recordKeys: [r.recordKey] };
    if (r.activityKey) return { activityKeys: [r.activityKey] };
    return { records: [{ recordType: r.recordType, timestamp: r.timestamp, deviceSerialNumber: r.device.serialNumber }] };
  }

  async function removeRecord(r, box, button) {
    if (button) button.disabled = true;
    try {
      const res = await send(cfg.deletePath, itemBody(r));
      if (!res.ok) throw new Error('HTTP ' + res.status);
      // The page hides the record at once, whatever the backend does later.
      box.remove();
      shown--;
      toast(T.deletedOne);
      if (shown <= 0 && done) { setMessage(T.none); setDeleteAll(false); }
    } catch (_e) {
      if (button) button.disabled = false;
      toast(T.deleteFailed);
    }
  }

  function confirmDeleteAll() {
    if (RAH ? deleteAll.disabled : !deleteAll.classList.contains('enabled')) return;
    const range = { start: filter.start, end: filter.end, label: filter.label };
    const close = () => overlay.remove();
    const confirmButton = el('button', { type: 'button', class: RAH ? 'delete-confirm-button ' + cls('confirm') : cls('confirm'), text: T.confirmDelete, on: { click: async () => {
      confirmButton.disabled = true;
      try {
        const res = await send(cfg.deletePath, { startTime: range.start, endTime: range.end });
        if (!res.ok) throw new Error('HTTP ' + res.status);
        close();
        generation++;
        list.textContent = '';
        lastSection = null;
        seen.clear(); shown = 0; done = true; cursor = null; loading = false;
        setMessage(T.none);
        setDeleteAll(false);
        toast(T.deletedAll);
      } catch (_e) {
        close();
        toast(T.deleteFailed);
      }
    } } });
    const title = fill(RAH ? T.deleteAllActivity : T.deleteAll, { range: range.label }) + '?';
    const overlay = el('div', { class: 'apd-modal-overlay' }, [el('div', { class: cls('modal'), role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'apd-modal-title' }, [
      el('h2', { id: 'apd-modal-title', text: title }),
      el('p', { text: RAH ? T.rahConfirmText : T.confirmText }),
      confirmButton,
      el('button', { type: 'button', class: RAH ? 'delete-cancel-button ' + cls('cancel') : cls('cancel'), text: T.cancel, on: { click: close } }),
    ])]);
    document.body.append(overlay);
  }

  function toast(text) {
    const t = el('div', { class: 'apd-toast', role: 'alert', text });
    document.body.append(t);
    setTimeout(() => t.remove(), 3000);
  }

  markChecked(filter.key);
  setDeleteAll(false);
  void loadMore();
})();
