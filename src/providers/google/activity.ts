// Reading and deleting Google Assistant (or Gemini) activity through the My Activity page, as a person would:
// Delete → All time / Custom range → Next → Next → Delete → Got it, and the per-item Delete for the items of
// the cut-off day that are older than the cut-off. Google's buttons ignore script clicks; Playwright's are real
// input events. Deletes are paced a few hundred ms apart, as the notes ask.
import type { Locator } from 'playwright-core';
import { PurgeError } from '../../purge/errors.ts';
import { planDays } from '../days.ts';
import { locate, locateNow } from '../locate.ts';
import type { Target } from '../locate.ts';
import type { ProviderSession } from '../types.ts';
import { ACTIVITY, LIST_END, PATHS } from './selectors.ts';

const LIST_WAIT_MS = 30_000;
const PACE_MS = 300;
const MAX_PER_ITEM = 2_000;

async function must(s: ProviderSession, target: Target, what: string, timeoutMs = 5_000): Promise<Locator> {
  const found = await locate(s.page, target, timeoutMs, s.observations);
  if (!found) throw new PurgeError('page_changed', `My Activity: ${what} is not on the page any more`);
  return found;
}

/** Scrolls until the list says it has reached its end (items load as the end scrolls into view). */
async function loadWholeList(s: ProviderSession): Promise<void> {
  const until = Date.now() + LIST_WAIT_MS * 4;
  let lastCount = -1;
  let stalledSince = Date.now();
  while (Date.now() < until) {
    const status = await locateNow(s.page, ACTIVITY.status, s.observations);
    if (status && LIST_END.test(await status.innerText())) return;
    const count = await s.page.locator(ACTIVITY.item).count();
    if (count !== lastCount) { lastCount = count; stalledSince = Date.now(); }
    if (Date.now() - stalledSince > LIST_WAIT_MS) throw new PurgeError('timeout', 'the activity list stopped loading');
    await s.page.mouse.wheel(0, 6_000);
    await s.sleep(60);
  }
  throw new PurgeError('timeout', 'the activity list did not finish loading');
}

/** In the page: each item's delete token and time (ms), read from its day (data-date) and its "3:07 PM";
 *  null for an item that shows neither. */
function itemTimes(els: Element[]): ([string, number] | null)[] {
  return els.map((el) => {
    const date = el.getAttribute('data-date') ?? '';
    const m = /(\d{1,2}):(\d{2})\s*([AP])\.?M/i.exec((el as HTMLElement).innerText);
    if (!/^\d{8}$/.test(date) || !m) return null;
    const d = new Date(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)));
    d.setHours((Number(m[1]) % 12) + (m[3].toUpperCase() === 'P' ? 12 : 0), Number(m[2]), 0, 0);
    return [el.getAttribute('data-token') ?? '', d.getTime()];
  });
}

/** The items the page shows, as token → time (ms). */
export async function listViaPage(s: ProviderSession): Promise<Map<string, number>> {
  await loadWholeList(s);
  const items = await s.page.locator(ACTIVITY.item).evaluateAll(itemTimes);
  if (items.some((i) => i === null)) throw new PurgeError('page_changed', 'an activity item shows no day or time we can read');
  if (items.length === 0 && (await s.page.locator('[role=listitem]').count()) > 0) {
    throw new PurgeError('page_changed', `activity items are listed, but none as ${ACTIVITY.item}`);
  }
  return new Map(items as [string, number][]);
}

function rpcAnswered(s: ProviderSession): Promise<void> {
  return s.page.waitForResponse((r) => r.url().includes(PATHS.batchexecute) && r.request().method() === 'POST')
    .then((r) => {
      if (r.status() === 401) throw new PurgeError('needs_login', 'Google signed the session out while deleting');
      if (r.status() === 429 || r.status() === 403) throw new PurgeError('rate_limited', `Google refused the delete (${r.status()})`, { retryAfterMs: 6 * 3_600_000 });
      if (r.status() >= 400) throw new PurgeError('vendor_error', `Google refused the delete (${r.status()})`);
      const request = r.request();
      return { method: request.method(), path: new URL(request.url()).pathname, status: r.status(), rpc: new URL(request.url()).searchParams.get('rpcids') };
    })
    .then((seen) => { s.observations.delete_requests.push({ method: seen.method, path: `${seen.path}?rpcids=${seen.rpc}`, status: seen.status }); });
}

async function openDeleteDialog(s: ProviderSession): Promise<void> {
  const top = await locate(s.page, ACTIVITY.deleteTop, 3_000, s.observations);
  if (top) {
    await s.step('open Delete', () => top.click());
    return;
  }
  const more = await must(s, ACTIVITY.more, 'the Delete control (or More ⋮)');
  await s.step('open More', () => more.click());
  const by = await must(s, ACTIVITY.deleteBy, '"Delete activity by"');
  await s.step('open Delete activity by', () => by.click());
}

/** Delete → (All time | Custom range) → Next → Next → Delete → Got it. */
async function deleteRange(s: ProviderSession, range: 'all' | { after: string; before: string }): Promise<void> {
  await openDeleteDialog(s);
  if (range === 'all') {
    const all = await must(s, ACTIVITY.allTime, '"All time"');
    await s.step('choose All time', () => all.click());
  } else {
    const custom = await must(s, ACTIVITY.customRange, '"Custom range"');
    await s.step('choose Custom range', () => custom.click());
    const after = await must(s, ACTIVITY.after, 'the "After" date');
    const before = await must(s, ACTIVITY.before, 'the "Before" date');
    await s.step('type the range', async () => { await after.fill(range.after); await before.fill(range.before); });
    const next = await must(s, ACTIVITY.next, 'Next');
    await s.step('Next', () => next.click());
  }
  const next = await must(s, ACTIVITY.next, 'Next (choose activity)');
  await s.step('Next', () => next.click());
  const confirm = await must(s, ACTIVITY.confirm, 'the Delete confirmation');
  await s.step('confirm Delete', async () => {
    const answered = rpcAnswered(s);
    await confirm.click();
    await answered;
  });
  const gotIt = await must(s, ACTIVITY.gotIt, '"Got it"', 15_000);
  await s.step('Got it', () => gotIt.click());
}

/** Per-item deletes of the cut-off day's items older than the cut-off, paced. */
async function deleteOlderOnDay(s: ProviderSession, cutoff: number, ymd: string, onDeleted: () => void): Promise<void> {
  await loadWholeList(s);
  for (let n = 0; n < MAX_PER_ITEM; n++) {
    const day = s.page.locator(`${ACTIVITY.item}[data-date="${ymd}"]`);
    const times = await day.evaluateAll(itemTimes);
    const index = times.findIndex((t) => t !== null && t[1] + 60_000 <= cutoff);
    if (index < 0) return;
    const item = day.nth(index);
    const button = await locate(item, ACTIVITY.itemDelete, 2_000, s.observations);
    if (!button) throw new PurgeError('page_changed', 'an activity item has no Delete button we recognise');
    await s.step('delete one item', async () => {
      const answered = rpcAnswered(s);
      await button.click();
      await answered;
    });
    await s.step('wait for the item to go', () => s.page.waitForFunction(({ selector, before }) => document.querySelectorAll(selector).length < before,
      { selector: `${ACTIVITY.item}[data-date="${ymd}"]`, before: times.length }, { polling: 'raf' }));
    onDeleted();
    await s.sleep(PACE_MS);
  }
  throw new PurgeError('vendor_error', `more than ${MAX_PER_ITEM} items on one day`);
}

export async function deleteThroughPage(s: ProviderSession, plan: { cutoff: number; everything: boolean; timestamps: number[] }, onProgress: (n: number) => void): Promise<void> {
  if (plan.everything) {
    await deleteRange(s, 'all');
    onProgress(plan.timestamps.length);
    return;
  }
  const days = await planDays(s.page, plan.cutoff, Math.min(...plan.timestamps));
  let deleted = plan.timestamps.filter((t) => t < days.cutoffDayStart).length;
  if (deleted > 0) {
    await deleteRange(s, { after: days.oldestDay, before: days.dayBefore });
    onProgress(deleted);
  }
  if (plan.timestamps.some((t) => t >= days.cutoffDayStart)) {
    await deleteOlderOnDay(s, plan.cutoff, days.cutoffYmd, () => { deleted++; onProgress(deleted); });
  }
}
