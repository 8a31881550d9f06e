// Reading and deleting one product's activity (Assistant or Gemini) on its own My Activity page, as a person
// would: the range delete through the proved dialog (dialog.ts), and the per-item Delete for the items of the
// cut-off day that are older than the cut-off, each checked to be this product's. Google's buttons ignore script
// clicks; Playwright's are real input events. Deletes are paced a few hundred ms apart, as the notes ask.
import { PurgeError } from '../../errors.ts';
import { planDays } from '../days.ts';
import { locate, locateNow } from '../locate.ts';
import type { ProviderSession } from '../types.ts';
import { dayOf, deleteRangeProved, rpcAnswered } from './dialog.ts';
import type { Listing } from './rpc.ts';
import { ACTIVITY, LIST_END } from './selectors.ts';
import type { GoogleProduct } from './selectors.ts';

const LIST_WAIT_MS = 30_000;
const PACE_MS = 300;
const MAX_PER_ITEM = 2_000;

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

/** In the page: each item's delete token, time (ms, from its day (data-date) and its "3:07 PM") and the lines
 *  of its text (one of which names its product); null for an item that shows no day or time. */
function itemTimes(els: Element[]): ([string, number, string[]] | null)[] {
  return els.map((el) => {
    const date = el.getAttribute('data-date') ?? '';
    const text = (el as HTMLElement).innerText;
    const m = /(\d{1,2}):(\d{2})\s*([AP])\.?M/i.exec(text);
    if (!/^\d{8}$/.test(date) || !m) return null;
    const d = new Date(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)));
    d.setHours((Number(m[1]) % 12) + (m[3].toUpperCase() === 'P' ? 12 : 0), Number(m[2]), 0, 0);
    return [el.getAttribute('data-token') ?? '', d.getTime(), text.split('\n').map((l) => l.trim()).filter(Boolean)];
  });
}

/** True when one of the item's lines names the product (the page shows it above the title). */
const ofProduct = (lines: string[], product: GoogleProduct) => lines.some((l) => product.name.test(l));

/** The items the page shows (the whole list, scrolled to its end), each checked to be `product`'s. */
export async function listViaPage(s: ProviderSession, product: GoogleProduct): Promise<Listing> {
  await loadWholeList(s);
  const items = await s.page.locator(ACTIVITY.item).evaluateAll(itemTimes);
  if (items.some((i) => i === null)) throw new PurgeError('page_changed', 'an activity item shows no day or time we can read');
  if (items.length === 0 && (await s.page.locator('[role=listitem]').count()) > 0) {
    throw new PurgeError('page_changed', `activity items are listed, but none as ${ACTIVITY.item}`);
  }
  const foreign = (items as [string, number, string[]][]).filter((i) => !ofProduct(i[2], product)).length;
  if (foreign) throw new PurgeError('page_changed', `My Activity's ${product.label} page shows ${foreign} item(s) not marked ${product.label}: nothing was counted or deleted`);
  return { items: new Map((items as [string, number, string[]][]).map(([token, ts]) => [token, { ts, product: product.label }])), exact: true };
}

/** Per-item deletes of the cut-off day's items older than the cut-off, this product's only, paced. */
async function deleteOlderOnDay(s: ProviderSession, product: GoogleProduct, cutoff: number, ymd: string, onDeleted: () => void): Promise<void> {
  await loadWholeList(s);
  for (let n = 0; n < MAX_PER_ITEM; n++) {
    const day = s.page.locator(`${ACTIVITY.item}[data-date="${ymd}"]`);
    const times = await day.evaluateAll(itemTimes);
    const index = times.findIndex((t) => t !== null && t[1] + 60_000 <= cutoff);
    if (index < 0) return;
    if (!ofProduct(times[index]![2], product)) {
      throw new PurgeError('page_changed', `an item on ${product.label}'s page is marked "${times[index]![2].slice(0, 2).join(' · ')}", not ${product.label}: not deleted`);
    }
    const item = day.nth(index);
    const button = await locate(item, ACTIVITY.itemDelete, 2_000, s.observations);
    if (!button) throw new PurgeError('page_changed', 'an activity item has no Delete button we recognise');
    await s.step('delete one item', async () => {
      const answered = rpcAnswered(s);
      await button.click();
      // Seen 2026-06: the trash may open a small confirmation with its own Delete button.
      const confirm = await locate(s.page, ACTIVITY.itemConfirm, 1_000, s.observations);
      if (confirm) await confirm.click();
      await answered;
    });
    await s.step('wait for the item to go', () => s.page.waitForFunction(({ selector, before }) => document.querySelectorAll(selector).length < before,
      { selector: `${ACTIVITY.item}[data-date="${ymd}"]`, before: times.length }, { polling: 'raf' }));
    onDeleted();
    await s.sleep(PACE_MS);
  }
  throw new PurgeError('vendor_error', `more than ${MAX_PER_ITEM} items on one day`);
}

/** Deletes `product`'s counted items older than the cut-off from its page: whole days through the range
 *  dialog (All time when everything goes), the cut-off day's older items one by one. */
export async function deleteThroughPage(s: ProviderSession, product: GoogleProduct,
  plan: { cutoff: number; everything: boolean; timestamps: number[] }, onProgress: (n: number) => void): Promise<void> {
  if (plan.everything) {
    await deleteRangeProved(s, product, 'all');
    onProgress(plan.timestamps.length);
    return;
  }
  const days = await planDays(s.page, plan.cutoff, Math.min(...plan.timestamps));
  let deleted = plan.timestamps.filter((t) => t < days.cutoffDayStart).length;
  if (deleted > 0) {
    await deleteRangeProved(s, product, { from: dayOf(days.oldestDay), to: dayOf(days.dayBefore) });
    onProgress(deleted);
  }
  if (plan.timestamps.some((t) => t >= days.cutoffDayStart)) {
    await deleteOlderOnDay(s, product, plan.cutoff, days.cutoffYmd, () => { deleted++; onProgress(deleted); });
  }
}
