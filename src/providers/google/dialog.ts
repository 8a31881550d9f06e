// My Activity's delete dialog, proved before the one click that cannot be undone: Delete → range (All time, or
// Custom range with After/Before read back, picked in the calendar when typing did not take) → Next → the
// product step where one shows (only this product may stay ticked, read back) → the confirmation, whose
// products and days are read back → Delete → Got it. Anything else ends `page_changed` with nothing deleted:
// the same dialog deletes Search, YouTube and Maps activity just as easily, and that cannot be undone.
import type { Locator } from 'playwright-core';
import { PurgeError } from '../../errors.ts';
import { locate, locateNow } from '../locate.ts';
import type { Target } from '../locate.ts';
import type { ProviderSession } from '../types.ts';
import { ACTIVITY, CONFIRMATION, PATHS, RPC } from './selectors.ts';
import type { GoogleProduct } from './selectors.ts';

/** A calendar day (month 1–12), as the page's own day boundaries see it. */
export interface Day { y: number; m: number; d: number }
export type RangeChoice = 'all' | { from: Day; to: Day };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const STEP_WAIT_MS = 10_000;
const MAX_MONTH_TURNS = 600;

export function dayLabel(d: Day): string {
  return `${MONTHS[d.m - 1][0].toUpperCase()}${MONTHS[d.m - 1].slice(1)} ${d.d}, ${d.y}`;
}
const sameDay = (a: Day | undefined, b: Day) => a !== undefined && a.y === b.y && a.m === b.m && a.d === b.d;
const mdY = (d: Day) => `${String(d.m).padStart(2, '0')}/${String(d.d).padStart(2, '0')}/${d.y}`;

/** Every "Mar 4, 2026" in a text, in order. */
export function parseDays(text: string): Day[] {
  return [...text.matchAll(CONFIRMATION.day)].map((m) => ({ y: Number(m[3]), m: MONTHS.indexOf(m[1].toLowerCase()) + 1, d: Number(m[2]) }));
}

/** "MM/DD/YYYY" (as days.ts plans them) → Day. */
export function dayOf(mdy: string): Day {
  const [m, d, y] = mdy.split('/').map(Number);
  return { y, m, d };
}

export async function must(s: ProviderSession, target: Target, what: string, timeoutMs = 5_000): Promise<Locator> {
  const found = await locate(s.page, target, timeoutMs, s.observations);
  if (!found) throw new PurgeError('page_changed', `My Activity: ${what} is not on the page any more`);
  return found;
}

/** Resolves once the page's next batchexecute call other than a list answers (the delete the click sent; list
 *  calls go on in the background as the page scrolls); refusals become the matching error kinds. */
export function rpcAnswered(s: ProviderSession): Promise<void> {
  return s.page.waitForResponse((r) => r.url().includes(PATHS.batchexecute) && r.request().method() === 'POST'
    && new URL(r.url()).searchParams.get('rpcids') !== RPC.list, { timeout: 60_000 })
    .then((r) => {
      if (r.status() === 401) throw new PurgeError('needs_login', 'Google signed the session out while deleting');
      if (r.status() === 429 || r.status() === 403) throw new PurgeError('rate_limited', `Google refused the delete (${r.status()})`, { retryAfterMs: 6 * 3_600_000 });
      if (r.status() >= 400) throw new PurgeError('vendor_error', `Google refused the delete (${r.status()})`);
      const url = new URL(r.request().url());
      s.observations.delete_requests.push({ method: r.request().method(), path: `${url.pathname}?rpcids=${url.searchParams.get('rpcids')}`, status: r.status() });
    });
}

/** The visible dialog's text ('' when none shows). */
async function dialogText(s: ProviderSession): Promise<string> {
  const dialogs = s.page.getByRole('dialog');
  for (let i = (await dialogs.count()) - 1; i >= 0; i--) {
    const d = dialogs.nth(i);
    if (await d.isVisible()) return (await d.innerText()).trim();
  }
  return '';
}

const clip = (text: string) => text.replace(/\s+/g, ' ').slice(0, 300);

export async function openDeleteDialog(s: ProviderSession): Promise<void> {
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

/** Reads the day a date widget shows; the exact text typed counts too (the confirmation proves it later). */
function readDay(value: string, typed: string): Day | undefined {
  const days = parseDays(value);
  if (days.length === 1) return days[0];
  return value.trim() === typed ? dayOf(typed) : undefined;
}

async function pickInCalendar(s: ProviderSession, which: 'After' | 'Before', want: Day): Promise<void> {
  const open = await must(s, ACTIVITY.calendarOpen(which), `the calendar of the "${which}" date`);
  await s.step(`open the ${which} calendar`, () => open.click());
  for (let turn = 0; turn < MAX_MONTH_TURNS; turn++) {
    const grid = await must(s, ACTIVITY.calendarGrid, 'the calendar');
    const title = (await grid.getAttribute('aria-label')) ?? '';
    const m = /([A-Za-z]{3})[a-z]*\.?\s+(\d{4})/.exec(title);
    const month = m ? MONTHS.indexOf(m[1].toLowerCase()) + 1 : 0;
    if (!m || month === 0) throw new PurgeError('page_changed', `My Activity: the calendar's month reads "${clip(title)}"`);
    const diff = (want.y - Number(m[2])) * 12 + (want.m - month);
    if (diff === 0) {
      const cells = grid.getByRole('button');
      const labels = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      const index = labels.findIndex((l) => sameDay(parseDays(l)[0], want));
      if (index < 0) throw new PurgeError('page_changed', `My Activity: the calendar shows no day ${dayLabel(want)}`);
      await s.step(`pick ${dayLabel(want)}`, () => cells.nth(index).click());
      return;
    }
    const turnButton = await must(s, diff < 0 ? ACTIVITY.previousMonth : ACTIVITY.nextMonth, 'the calendar\'s month buttons');
    await s.step('turn the calendar', () => turnButton.click());
  }
  throw new PurgeError('page_changed', `My Activity: the calendar never reached ${dayLabel(want)}`);
}

/** Types a day into a date widget, reads it back, and picks it in the calendar when the typing did not take. */
async function setDay(s: ProviderSession, which: 'After' | 'Before', target: Target, want: Day): Promise<void> {
  const input = await must(s, target, `the "${which}" date`);
  const typed = mdY(want);
  await s.step(`type the ${which} date`, async () => { await input.fill(typed); await input.press('Tab'); });
  let shown = await input.inputValue();
  if (sameDay(readDay(shown, typed), want)) return;
  s.observations.notes.push(`the typed ${which} date did not take (the widget shows "${clip(shown)}"): picked ${dayLabel(want)} in the calendar`);
  await pickInCalendar(s, which, want);
  shown = await input.inputValue();
  if (!sameDay(readDay(shown, typed), want)) {
    throw new PurgeError('page_changed', `My Activity: the "${which}" date shows "${clip(shown)}" where ${dayLabel(want)} was set: nothing deleted`);
  }
}

/** Waits for the dialog's next step after the range: the product step, or the confirmation. */
async function nextStep(s: ProviderSession): Promise<'products' | 'confirmation'> {
  const until = Date.now() + STEP_WAIT_MS;
  while (Date.now() < until) {
    if (await locateNow(s.page, ACTIVITY.productBoxes)) return 'products';
    const text = await dialogText(s);
    if (CONFIRMATION.products.test(text) || CONFIRMATION.dates.test(text) || await locateNow(s.page, ACTIVITY.confirm)) return 'confirmation';
    await s.sleep(100);
  }
  throw new PurgeError('page_changed', `My Activity: after the range, the delete dialog showed neither a product step nor a confirmation we can read ("${clip(await dialogText(s))}")`);
}

interface Box { name: string; checked: boolean }

async function readBoxes(s: ProviderSession): Promise<{ boxes: Locator; read: Box[] }> {
  const boxes = s.page.getByRole('dialog').getByRole('checkbox');
  const read = await boxes.evaluateAll((els) => els.map((e) => {
    const input = e as HTMLInputElement;
    const name = (input.labels?.[0]?.innerText ?? e.closest('label')?.textContent ?? e.getAttribute('aria-label') ?? '').trim();
    const checked = input.type === 'checkbox' ? input.checked : e.getAttribute('aria-checked') === 'true';
    return { name, checked };
  }));
  return { boxes, read };
}

/** The product step: only `product` may stay ticked. Unticks/ticks by real clicks, then reads the boxes back. */
async function narrowProducts(s: ProviderSession, product: GoogleProduct): Promise<void> {
  const first = await readBoxes(s);
  const describe = (read: Box[]) => read.map((b) => `${b.name || '(unnamed)'}${b.checked ? ' ✓' : ''}`).join(', ');
  if (first.read.length === 0 || first.read.some((b) => !b.name) || first.read.filter((b) => product.name.test(b.name)).length !== 1) {
    throw new PurgeError('page_changed', `My Activity: the product step does not offer ${product.label} once by name (it shows: ${describe(first.read)}): nothing deleted`);
  }
  for (let i = 0; i < first.read.length; i++) {
    const want = product.name.test(first.read[i].name);
    if (first.read[i].checked !== want) await s.step(`${want ? 'tick' : 'untick'} ${first.read[i].name}`, () => first.boxes.nth(i).click());
  }
  const after = await readBoxes(s);
  const ticked = after.read.filter((b) => b.checked);
  if (after.read.length !== first.read.length || ticked.length !== 1 || !product.name.test(ticked[0].name)) {
    throw new PurgeError('page_changed', `My Activity: the product step would not keep ${product.label} alone ticked (it reads: ${describe(after.read)}): nothing deleted`);
  }
  const changed = first.read.filter((b, i) => b.checked !== after.read[i].checked).map((b) => b.name);
  s.observations.notes.push(`product step read back: only ${ticked[0].name} ticked${changed.length ? ` (changed: ${changed.join(', ')})` : ' (as offered)'}`);
  const next = await must(s, ACTIVITY.next, 'Next (after the product step)');
  await s.step('Next', () => next.click());
}

/** Reads the confirmation back: exactly this product, and exactly the range meant. Returns its Delete button. */
async function proveConfirmation(s: ProviderSession, product: GoogleProduct, range: RangeChoice): Promise<Locator> {
  const until = Date.now() + STEP_WAIT_MS;
  let text = await dialogText(s);
  while (!(CONFIRMATION.products.test(text) && CONFIRMATION.dates.test(text)) && Date.now() < until) {
    await s.sleep(100);
    text = await dialogText(s);
  }
  const products = CONFIRMATION.products.exec(text)?.[1];
  const dates = CONFIRMATION.dates.exec(text)?.[1];
  if (!products || !dates) {
    throw new PurgeError('page_changed', `My Activity: the delete confirmation does not say which products and days it deletes ("${clip(text)}"): nothing deleted`);
  }
  s.observations.notes.push(`confirmation read back: products "${products}", dates "${dates}"`);
  const names = products.split(/\s*(?:,|\band\b|&)\s*/).filter(Boolean);
  if (names.length !== 1 || !product.name.test(names[0])) {
    throw new PurgeError('page_changed', `My Activity: the delete confirmation names "${products}", not ${product.label} alone: nothing deleted`);
  }
  if (range === 'all') {
    if (!CONFIRMATION.allTime.test(dates)) throw new PurgeError('page_changed', `My Activity: the confirmation's range reads "${dates}" where All time was chosen: nothing deleted`);
  } else {
    const days = parseDays(dates);
    if (days.length !== 2 || !sameDay(days[0], range.from) || !sameDay(days[1], range.to)) {
      throw new PurgeError('page_changed', `My Activity: the confirmation's range reads "${dates}", not ${dayLabel(range.from)} – ${dayLabel(range.to)} ` +
        '(an open-ended or different range): nothing deleted');
    }
  }
  const confirm = await locate(s.page, ACTIVITY.confirm, 2_000, s.observations);
  if (!confirm) throw new PurgeError('page_changed', `My Activity: the confirmation offers no Delete button ("${clip(text)}"): the range holds nothing to delete`);
  return confirm;
}

/** Delete → range → (products) → confirmation read back → Delete → Got it, on `product`'s own page. */
export async function deleteRangeProved(s: ProviderSession, product: GoogleProduct, range: RangeChoice): Promise<void> {
  await openDeleteDialog(s);
  if (range === 'all') {
    const all = await must(s, ACTIVITY.allTime, '"All time"');
    await s.step('choose All time', () => all.click());
  } else {
    const custom = await must(s, ACTIVITY.customRange, '"Custom range"');
    await s.step('choose Custom range', () => custom.click());
    await setDay(s, 'After', ACTIVITY.after, range.from);
    await setDay(s, 'Before', ACTIVITY.before, range.to);
    const next = await must(s, ACTIVITY.next, 'Next');
    await s.step('Next', () => next.click());
  }
  if (await nextStep(s) === 'products') await narrowProducts(s, product);
  const confirm = await proveConfirmation(s, product, range);
  await s.step('confirm Delete', async () => {
    const answered = rpcAnswered(s);
    await confirm.click();
    await answered;
  });
  const gotIt = await must(s, ACTIVITY.gotIt, '"Got it"', 15_000);
  await s.step('Got it', () => gotIt.click());
}
