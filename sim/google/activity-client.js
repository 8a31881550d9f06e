// Client side of the simulated My Activity pages (a product's, or all activity). Plain browser JavaScript.
// Renders the bootstrap data (AF_initDataCallback ds:1), loads more through batchexecute as the end of the list
// scrolls into view, and deletes through the page's RPCs. Like Google's, its buttons ignore untrusted
// (script-dispatched) clicks: only real input events count.
(() => {
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
    reqid += 100000;
    const params = new URLSearchParams({ rpcids: id, 'source-path': cfg.sourcePath, 'f.sid': wiz.FdrFJe, bl: wiz.cfb2h, hl: 'en', _reqid: String(reqid), rt: 'c' });
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
      el('div', { class: 'ma-product-icon', 'aria-hidden': 'true', text: product === 'Gemini Apps' ? '✦' : product === 'Assistant' ? '●' : '◆' }),
      el('div', { class: 'ma-body' }, [
        el('div', { class: 'ma-product', text: product }),
        el('div', { class: cfg.cls.title, text: title }),
        response ? el('div', { class: 'ma-response', text: response }) : null,
        el('div', { class: cfg.cls.meta, text: time + ' • ' + (device || '') + ' • Details' })]),
      el('button', { type: 'button', class: cfg.cls.itemDelete, 'aria-label': T.deleteItemLabel + ' ' + title, text: '✕',
        onclick: () => deleteItem(tokenValue, wrapper, title) })]);
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
      renderPage(await rpc(cfg.rpc.list, listArgs(cursor)));
    } catch (_e) {
      status.textContent = T.error;
    }
    loading = false;
    if (cursor && visible(status)) void loadMore();
  }
  function visible(e) { const r = e.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom >= 0; }
  new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) void loadMore(); }).observe(status);

  // The page pages on with its own start-up request (product filter included), only the cursor changes.
  function listArgs(c) {
    const args = JSON.parse(JSON.stringify(window.AF_dataServiceRequests['ds:1'].request));
    args[1] = c;
    return args;
  }

  async function reload() {
    list.textContent = '';
    days.clear();
    cursor = null;
    status.textContent = T.loading;
    try { renderPage(await rpc(cfg.rpc.list, listArgs(null))); } catch (_e) { status.textContent = T.error; }
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

  function deleteItem(tokenValue, wrapper, title) {
    const go = async () => {
      try {
        await rpc(cfg.rpc.remove, [[tokenValue]]);
        wrapper.remove();
        dropEmptyDays();
        snackbar(T.itemDeleted);
      } catch (_e) { snackbar(T.error); }
    };
    if (!cfg.itemConfirm) return go();
    // Seen 2026-06: the trash opens a small confirmation with its own Delete button.
    const overlay = el('div', { class: 'ma-scrim' });
    const close = () => overlay.remove();
    overlay.append(el('div', { class: cfg.cls.dialog, role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Delete activity item?' }, [
      el('h2', { text: 'Delete activity item?' }), el('p', { text: title }),
      el('div', { class: 'ma-dialog-actions' }, [el('button', { type: 'button', class: 'ma-text-button', text: T.cancel, onclick: close }),
        el('button', { type: 'button', class: 'ma-filled-button', text: T.deleteConfirm, onclick: () => { close(); void go(); } })])]));
    document.body.append(overlay);
  }

  // The products a delete from this page takes when no product step asks: the page's own product, or every
  // product when the dialog defaults to all of them (the trap) or on the all-activity page.
  function defaultProducts() {
    return cfg.dialog === 'all-products' || cfg.dialog === 'mislabelled' || !cfg.product ? cfg.products.map((p) => p.code) : [cfg.product];
  }

  async function deleteRange(start, end, quiet, products) {
    await rpc(cfg.rpc.removeRange, [start * 1000, end * 1000 + 999, products || defaultProducts()]);
    for (const w of [...list.querySelectorAll('[data-ts]')]) {
      const ts = Number(w.dataset.ts);
      if (ts >= start && ts <= end) w.remove();
    }
    dropEmptyDays();
    if (quiet) snackbar(T.deleted);
  }

  function fmt(t) { return new Date(t).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' }); }
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // What a typed date turns into: the page's own form (MM/DD/YYYY, or DD/MM/YYYY in the `dmy` variant) or the
  // form it shows ("Mar 4, 2026"); anything else (and everything in the `ignored` variant) does not take.
  function parseTyped(s) {
    if (cfg.dateTyping === 'ignored') return NaN;
    let m = /^\s*([A-Z][a-z]{2}) (\d{1,2}), (\d{4})\s*$/.exec(s);
    if (m && MONTHS.includes(m[1])) return new Date(+m[3], MONTHS.indexOf(m[1]), +m[2]).getTime();
    m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(s);
    if (!m) return NaN;
    const [month, day] = cfg.dateTyping === 'dmy' ? [+m[2], +m[1]] : [+m[1], +m[2]];
    const d = new Date(+m[3], month - 1, day);
    return d.getMonth() === month - 1 && d.getDate() === day ? d.getTime() : NaN;
  }

  // A date widget: a text field (typed dates may not take) and a calendar of day cells.
  function dateField(label, id) {
    const field = { value: null };
    const input = el('input', { type: 'text', id, 'aria-label': label, placeholder: cfg.dateTyping === 'dmy' ? 'DD/MM/YYYY' : 'MM/DD/YYYY', autocomplete: 'off' });
    const show = () => { input.value = field.value === null ? '' : fmt(field.value); };
    input.addEventListener('change', () => {
      // The `before-lost` trap: the Before field keeps showing what was typed, but only its calendar sets a date.
      if (cfg.dateTyping === 'before-lost' && label === T.before) return;
      const t = parseTyped(input.value);
      if (!Number.isNaN(t)) field.value = t;
      show();
    });
    const calendar = el('div', { class: 'ma-calendar', hidden: true });
    let month = new Date(now()); month.setDate(1); month.setHours(0, 0, 0, 0);
    function drawCalendar() {
      calendar.textContent = '';
      const title = month.toLocaleDateString('en-US', { month: 'long', year: 'numeric' });
      const rows = [];
      let row = [];
      for (let i = 0; i < month.getDay(); i++) row.push(el('td'));
      for (let d = new Date(month); d.getMonth() === month.getMonth(); d.setDate(d.getDate() + 1)) {
        const t = d.getTime();
        row.push(el('td', { role: 'gridcell' }, [el('button', { type: 'button', class: 'ma-day', 'aria-label': fmt(t), text: String(d.getDate()),
          onclick: () => { field.value = t; show(); calendar.hidden = true; } })]));
        if (row.length === 7) { rows.push(el('tr', {}, row)); row = []; }
      }
      if (row.length) rows.push(el('tr', {}, row));
      const turn = (n) => { month.setMonth(month.getMonth() + n); drawCalendar(); };
      calendar.append(el('div', { class: 'ma-cal-head' }, [
        el('button', { type: 'button', class: 'ma-text-button', 'aria-label': 'Previous month', text: '‹', onclick: () => turn(-1) }),
        el('span', { class: 'ma-cal-month', text: title }),
        el('button', { type: 'button', class: 'ma-text-button', 'aria-label': 'Next month', text: '›', onclick: () => turn(1) })]),
      el('table', { role: 'grid', 'aria-label': title }, rows));
    }
    const open = el('button', { type: 'button', class: 'ma-text-button', 'aria-label': 'Choose ' + label + ' date', text: '📅',
      onclick: () => { if (field.value !== null) { month = new Date(field.value); month.setDate(1); } drawCalendar(); calendar.hidden = !calendar.hidden; } });
    field.node = el('div', { class: 'ma-field' }, [el('span', { text: label }), el('div', { class: 'ma-check' }, [input, open]), calendar]);
    return field;
  }

  // Delete → Last hour / Last day / All time / Custom range → (Next) → [products] → confirmation → Delete → Got it
  function openDeleteDialog() {
    const overlay = el('div', { class: 'ma-scrim' });
    const dialog = el('div', { class: cfg.cls.dialog, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ma-dialog-title' });
    overlay.append(dialog);
    document.body.append(overlay);
    const close = () => overlay.remove();
    const cancel = () => el('button', { type: 'button', class: 'ma-text-button', text: T.cancel, onclick: close });
    let range = null;
    function step(titleText, body, actions) {
      dialog.textContent = '';
      dialog.append(el('h2', { id: 'ma-dialog-title', text: titleText }), ...body, el('div', { class: 'ma-dialog-actions' }, actions));
    }
    function choose() {
      const t = now();
      const options = [
        [T.lastHour, () => ({ start: t - 3600000, end: t, text: T.lastHour })],
        [T.lastDay, () => ({ start: t - 86400000, end: t, text: T.lastDay })],
        [T.allTime, () => ({ start: 0, end: t, text: T.allTime })],
        [T.custom, null],
      ];
      step(T.deleteTitle, [el('div', { role: 'menu', class: 'ma-options' }, options.map(([label, make]) =>
        el('button', { type: 'button', role: 'menuitem', class: 'ma-option', text: label,
          onclick: () => { if (make) { range = make(); void products(); } else custom(); } })))], [cancel()]);
    }
    function custom() {
      const after = dateField(T.after, 'ma-after');
      const before = dateField(T.before, 'ma-before');
      const error = el('div', { class: 'ma-error', role: 'alert' });
      step(T.customTitle, [after.node, before.node, error], [cancel(),
        el('button', { type: 'button', class: 'ma-filled-button', text: T.next, onclick: () => {
          const s = after.value;
          const e = before.value;
          // Only one end set is accepted (a 2021 script set only After): the range is then open on the other side.
          if ((s === null && e === null) || (s !== null && e !== null && e < s)) { error.textContent = T.badDates; return; }
          range = {
            start: s === null ? 0 : s, end: e === null ? now() : addDays(e, 1) - 1,
            text: s !== null && e !== null ? fmt(s) + ' – ' + fmt(e) : s !== null ? 'Since ' + fmt(s) : 'Until ' + fmt(e),
          };
          void products();
        } })]);
    }
    function products() {
      if (cfg.dialog !== 'chooser-assistant' && cfg.dialog !== 'chooser-all') return confirmDelete(defaultProducts(), cfg.dialog === 'all-products');
      const ticked = cfg.dialog === 'chooser-all' || !cfg.product ? cfg.products.map((p) => p.code) : [cfg.product];
      const boxes = cfg.products.map((p) => {
        const box = el('input', { type: 'checkbox', value: p.code, checked: ticked.includes(p.code) });
        return [box, el('label', { class: 'ma-check' }, [box, el('span', { text: p.name })])];
      });
      const error = el('div', { class: 'ma-error', role: 'alert' });
      step(T.chooseTitle, [el('p', { text: T.deletingFrom + ' ' + range.text }), el('div', { role: 'group', 'aria-label': 'Products' }, boxes.map((b) => b[1])), error],
        [cancel(), el('button', { type: 'button', class: 'ma-filled-button', text: T.next, onclick: () => {
          const chosen = boxes.filter((b) => b[0].checked).map((b) => b[0].value);
          if (!chosen.length) { error.textContent = 'Choose at least one product'; return; }
          void confirmDelete(chosen, chosen.length === cfg.products.length);
        } })]);
    }
    async function confirmDelete(chosen, all) {
      // The `mislabelled` trap: the confirmation names the page's product while the delete takes every product.
      const names = cfg.dialog === 'mislabelled' ? cfg.productName : all && cfg.dialog === 'all-products' ? 'All products'
        : cfg.products.filter((p) => chosen.includes(p.code)).map((p) => p.name).join(', ');
      let count = 0;
      try { count = (await rpc(cfg.rpc.removeRange, [range.start * 1000, range.end * 1000 + 999, chosen, true]))[0]; } catch (_e) { count = -1; }
      const lines = [el('p', { class: 'ma-summary', text: 'Products: ' + names }), el('p', { class: 'ma-summary', text: 'Dates: ' + range.text })];
      // A range with nothing in it offers no Delete button.
      if (count === 0) return step(T.confirmTitle, [...lines, el('p', { text: 'No activity to delete in this range.' })], [cancel()]);
      step(T.confirmTitle, lines, [cancel(),
        el('button', { type: 'button', class: 'ma-filled-button ma-danger', text: T.deleteConfirm, onclick: async (ev) => {
          ev.target.disabled = true;
          try { await deleteRange(range.start, range.end, false, chosen); done(); } catch (_e) { step(T.error, [], [el('button', { type: 'button', class: 'ma-text-button', text: T.gotIt, onclick: close })]); }
        } })]);
    }
    function done() {
      step(T.doneTitle, [el('p', { text: T.doneText })], [el('button', { type: 'button', class: 'ma-filled-button', text: T.gotIt, onclick: () => { close(); void reload(); } })]);
    }
    choose();
  }

  renderPage(window.__maData['ds:1']);
})();
