// The history chart: recordings deleted per night over the last 30 nights, an SVG drawn at the box's own size.
import { $, svg } from './dom.js';
import { dayKey, formatTime } from './format.js';
import { view } from './state.js';

/** Bars of recordings deleted per night (real runs only), the last 30 nights, in the household's zone. */
export function renderChart() {
  const box = $('#chart');
  const nights = 30;
  /** @type {{ key: string; iso: string; deleted: number; runs: number; failed: boolean }[]} */
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
/** The axis top: the next round number at or above n. @param {number} n */
function niceCeil(n) {
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}
