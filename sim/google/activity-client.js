// Client side of the simulated My Activity product page (Assistant or Gemini). Plain browser JavaScript.
// Renders the bootstrap data (AF_initDataCallback ds:1), loads more through batchexecute as the end of the list
// scrolls into view, and deletes through the page's RPCs. Like Google's, its buttons ignore untrusted
// (script-dispatched) clicks: only real input events count.
(function () {
  'use strict';
  const cfg = JSON.parse(document.getElementById('ma-config').textContent);
  const T = cfg.texts;
  const wiz = window.WIZ_global_data;
  const skew = cfg.serverNow - Date.now();
  const now = () => Date.now() + skew;
  const root = document.getElementById('ma-root');
  let cursor = null;
  let loading = false;
  let reqid = Math.floor(Math.random() * 9000) + 1000;

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'onclick') e.addEventListener('click', (ev) => { if (ev.isTrusted) v(ev); });
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children || []) if (c) e.append(c);
    return e;
  }

  function midnight(t) { const d = new Date(t); d.setHours(0, 0, 0, 0); return d.getTime(); }
  function addDays(t, n) { const d = new Date(t); d.setDate(d.getDate() + n); return d.getTime(); }
  function ymd(t) { const d = new Date(t); return '' + d.getFullYear() + String(d.getMonth() + 1).padStart(2, '0') + String(d.getDate()).padStart(2, '0'); }
  function dayLabel(t) {
    const today = midnight(now());
    if (midnight(t) === today) return 'Today';
    if (midnight(t) === addDays(today, -1)) return 'Yesterday';
    const d = new Date(t);
    return d.toLocaleDateString('en-US', d.getFullYear() === new Date(now()).getFullYear() ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', year: 'numeric' });
  }

  async function rpc(id, args) {
    const params = new URLSearchParams({ rpcids: id, 'source-path': cfg.sourcePath, 'f.sid': wiz.FdrFJe, bl: wiz.cfb2h, hl: 'en', _reqid: String(reqid += 100000), rt: 'c' });
    const body = new URLSearchParams({ 'f.req': JSON.stringify([[[id, JSON.stringify(args), null, 'generic']]]), at: wiz.SNlM0e });
    const res = await fetch(cfg.rpcPath + '?' + params, { method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', 'x-same-domain': '1' }, body: body.toString() });
    if (res.status === 401) { location.href = cfg.signinUrl; throw new Error('signed out'); }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const text = await res.text();
    // )]}' then frames: a length line, then a JSON line
    for (const line of text.slice(text.indexOf('\n\n') + 2).split('\n')) {
      if (!line.startsWith('[')) continue;
      for (const entry of JSON.parse(line)) if (entry[0] === 'wrb.fr' && entry[1] === id) return JSON.parse(entry[2]);
    }
    throw new Error('no ' + id + ' in reply');
  }

  // Inline SVG icons: the simulator is offline and headless browsers have no emoji font.
  const TRASH = '<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M7 21q-.8 0-1.4-.6T5 19V6H4V4h5V3h6v1h5v2h-1v13q0 .8-.6 1.4T17 21Zm10-15H7v13h10ZM9 17h2V8H9Zm4 0h2V8h-2Z"/></svg>';
  function icon(svg) { const s = document.createElement('span'); s.className = 'ma-icon'; s.innerHTML = svg; return s; }

  // ---- layout ----
  const list = el('div', { class: cfg.cls.list, role: 'list' });
  const status = el('div', { class: cfg.cls.status, role: 'status' });
  const deleteButton = el('button', { type: 'button', class: cfg.cls.deleteTop, 'aria-label': T.deleteTopLabel, onclick: () => openDeleteDialog() },
    [icon(TRASH), el('span', { text: ' ' + T.deleteTop })]);
  const toolbar = el('div', { class: cfg.cls.toolbar });
  if (cfg.layout === 'moved') {
    // The redesign moved the range delete into the banner's More (⋮) menu: "Delete activity by".
    const menu = el('div', { class: 'ma-menu', role: 'menu', hidden: true }, [
      el('button', { type: 'button', role: 'menuitem', text: T.deleteBy, onclick: () => { menu.hidden = true; openDeleteDialog(); } })]);
    toolbar.append(el('div', { class: 'ma-more-wrap' }, [el('button', { type: 'button', class: 'ma-more', 'aria-label': 'More', 'aria-haspopup': 'menu', text: '⋮',
      onclick: () => { menu.hidden = !menu.hidden; } }), menu]));
  } else {
    toolbar.append(deleteButton);
  }
  root.append(toolbar, list, status);

  const days = new Map(); // YYYYMMDD → {section, items}

  function daySection(ts) {
    const key = ymd(ts);
    let day = days.get(key);
    if (day) return day;
    const items = el('div', { class: 'ma-day-items' });
    const section = el('div', { class: cfg.cls.day, 'data-day': key }, [
      el('div', { class: cfg.cls.dayHeader }, [el('h2', { text: dayLabel(ts) }),
        el('button', { type: 'button', class: cfg.cls.dayDelete, 'aria-label': T.deleteDayLabel + ' ' + dayLabel(ts),
          onclick: () => deleteRange(midnight(ts), addDays(midnight(ts), 1) - 1, true) }, [icon(TRASH)])]),
      items]);
    list.append(section);
    day = { section, items };
    days.set(key, day);
    return day;
  }

  function renderItem(item) {
    const [title, product, , response, us, tokenValue] = item;
    const ts = Math.floor(us / 1000);
    const device = item[19];
    const time = new Date(ts).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
    const row = el('div', { role: 'listitem', class: cfg.cls.row }, [
      el('div', { class: 'ma-product-icon', 'aria-hidden': 'true', text: product === 'Gemini Apps' ? '✦' : '●' }),
      el('div', { class: 'ma-body' }, [
        el('div', { class: 'ma-product', text: product }),
        el('div', { class: cfg.cls.title, text: title }),
        response ? el('div', { class: 'ma-response', text: response }) : null,
        el('div', { class: cfg.cls.meta, text: time + ' • ' + (device || '') + ' • Details' })]),
      el('button', { type: 'button', class: cfg.cls.itemDelete, 'aria-label': T.deleteItemLabel + ' ' + title, text: '✕',
        onclick: () => deleteItem(tokenValue, wrapper) })]);
    const wrapper = cfg.layout === 'total'
      ? el('div', { class: 'ma-entry', 'data-id': tokenValue, 'data-when': String(ts) }, [row])
      : el('c-wiz', { 'data-token': tokenValue, 'data-date': ymd(ts), jsrenderer: 'a1Zsxd', jsmodel: 'hc6Ubd' }, [row]);
    wrapper.dataset.ts = String(ts);
    daySection(ts).items.append(wrapper);
  }

  function renderPage(payload) {
    for (const item of payload[0] || []) renderItem(item);
    cursor = payload[1] || null;
    if (!list.querySelector('[data-ts]')) status.textContent = T.empty;
    else status.textContent = cursor ? T.loading : T.end;
  }

  async function loadMore() {
    if (loading || !cursor) return;
    loading = true;
    try {
      renderPage(await rpc(cfg.rpc.list, [null, cursor]));
    } catch (e) {
      status.textContent = T.error;
    }
    loading = false;
    if (cursor && visible(status)) loadMore();
  }
  function visible(e) { const r = e.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom >= 0; }
  new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) loadMore(); }).observe(status);

  async function reload() {
    list.textContent = '';
    days.clear();
    cursor = null;
    status.textContent = T.loading;
    try { renderPage(await rpc(cfg.rpc.list, [null, null])); } catch (e) { status.textContent = T.error; }
  }

  function snackbar(text) {
    const s = el('div', { class: 'ma-snackbar', role: 'alert', text });
    document.body.append(s);
    setTimeout(() => s.remove(), 4000);
  }

  function dropEmptyDays() {
    for (const [key, day] of days) if (!day.items.children.length) { day.section.remove(); days.delete(key); }
    if (!list.querySelector('[data-ts]') && !cursor) status.textContent = T.empty;
  }

  async function deleteItem(tokenValue, wrapper) {
    try {
      await rpc(cfg.rpc.remove, [[tokenValue]]);
      wrapper.remove();
      dropEmptyDays();
      snackbar(T.itemDeleted);
    } catch (e) { snackbar(T.error); }
  }

  async function deleteRange(start, end, quiet) {
    await rpc(cfg.rpc.removeRange, [start * 1000, end * 1000 + 999]);
    for (const w of [...list.querySelectorAll('[data-ts]')]) {
      const ts = Number(w.dataset.ts);
      if (ts >= start && ts <= end) w.remove();
    }
    dropEmptyDays();
    if (quiet) snackbar(T.deleted);
  }

  function parseDay(s) {
    let m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(s);
    if (m) return new Date(+m[3], +m[1] - 1, +m[2]).getTime();
    m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(s);
    return m ? new Date(+m[1], +m[2] - 1, +m[3]).getTime() : NaN;
  }

  // Delete → Last hour / Last day / All time / Custom range → Next → Delete → Got it
  function openDeleteDialog() {
    const overlay = el('div', { class: 'ma-scrim' });
    const dialog = el('div', { class: cfg.cls.dialog, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ma-dialog-title' });
    overlay.append(dialog);
    document.body.append(overlay);
    const close = () => overlay.remove();
    let range = null;
    function step(titleText, body, actions) {
      dialog.textContent = '';
      dialog.append(el('h2', { id: 'ma-dialog-title', text: titleText }), ...body, el('div', { class: 'ma-dialog-actions' }, actions));
    }
    function choose() {
      const t = now();
      const options = [
        [T.lastHour, () => ({ start: t - 3600000, end: t, label: T.lastHour.toLowerCase() })],
        [T.lastDay, () => ({ start: t - 86400000, end: t, label: T.lastDay.toLowerCase() })],
        [T.allTime, () => ({ start: 0, end: t, label: T.allTime.toLowerCase() })],
        [T.custom, null],
      ];
      step(T.deleteTitle, [el('div', { role: 'menu', class: 'ma-options' }, options.map(([label, make]) =>
        el('button', { type: 'button', role: 'menuitem', class: 'ma-option', text: label,
          onclick: () => { if (make) { range = make(); confirmProducts(); } else custom(); } })))],
      [el('button', { type: 'button', class: 'ma-text-button', text: T.cancel, onclick: close })]);
    }
    function custom() {
      const after = el('input', { type: 'text', id: 'ma-after', placeholder: 'MM/DD/YYYY', 'aria-label': T.after });
      const before = el('input', { type: 'text', id: 'ma-before', placeholder: 'MM/DD/YYYY', 'aria-label': T.before });
      const error = el('div', { class: 'ma-error', role: 'alert' });
      step(T.customTitle, [el('label', { class: 'ma-field' }, [el('span', { text: T.after }), after]),
        el('label', { class: 'ma-field' }, [el('span', { text: T.before }), before]), error],
      [el('button', { type: 'button', class: 'ma-text-button', text: T.cancel, onclick: close }),
        el('button', { type: 'button', class: 'ma-filled-button', text: T.next, onclick: () => {
          const s = parseDay(after.value);
          const e = parseDay(before.value);
          if (isNaN(s) || isNaN(e) || e < s) { error.textContent = T.badDates; return; }
          range = { start: s, end: addDays(e, 1) - 1, label: after.value + ' – ' + before.value };
          confirmProducts();
        } })]);
    }
    function confirmProducts() {
      step(T.chooseTitle, [el('p', { text: T.deletingFrom + ' ' + range.label }),
        el('label', { class: 'ma-check' }, [el('input', { type: 'checkbox', checked: true, disabled: true }), el('span', { text: cfg.productName })])],
      [el('button', { type: 'button', class: 'ma-text-button', text: T.cancel, onclick: close }),
        el('button', { type: 'button', class: 'ma-filled-button', text: T.next, onclick: confirmDelete })]);
    }
    function confirmDelete() {
      step(T.confirmTitle, [el('p', { text: cfg.productName + ' · ' + range.label })],
        [el('button', { type: 'button', class: 'ma-text-button', text: T.cancel, onclick: close }),
          el('button', { type: 'button', class: 'ma-filled-button ma-danger', text: T.deleteConfirm, onclick: async (ev) => {
            ev.target.disabled = true;
            try { await deleteRange(range.start, range.end, false); done(); } catch (e) { step(T.error, [], [el('button', { type: 'button', class: 'ma-text-button', text: T.gotIt, onclick: close })]); }
          } })]);
    }
    function done() {
      step(T.doneTitle, [el('p', { text: T.doneText })], [el('button', { type: 'button', class: 'ma-filled-button', text: T.gotIt, onclick: () => { close(); reload(); } })]);
    }
    choose();
  }

  renderPage(window.__maData['ds:1']);
})();
