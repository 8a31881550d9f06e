// The date filter of the history page, one or two levels deep (filter bar → date submenu → options), or with its
// options already showing; an option that only reacts to the radio inside it; "All History" also found by text
// containing "All", in English or German. After a custom range is set, the range is read back before anything
// is deleted: the date fields, the filter's label, and the startTime/endTime of the list call the page sent must
// all be the intended days, and what the page lists must agree with the count. Otherwise: page_changed.
import type { Locator, Page } from 'playwright-core';
import { PurgeError } from '../../errors.ts';
import { locate, locateNow, lookNow } from '../locate.ts';
import type { Target } from '../locate.ts';
import type { ProviderSession } from '../types.ts';
import { dateOrderFor, datesIn, formatDay, isoDay, localDays, monthYearIn, sameDay, showDay } from './dates.ts';
import type { Day, RangePlan } from './dates.ts';
import { ANY_RECORD, HISTORY, LIST_MESSAGES } from './selectors.ts';
import type { ListCall, PageWatch } from './watch.ts';

/** How long the page may take to send its list call and show the list after a filter change. */
export const FILTER_WAIT = { listMs: 20_000, reactMs: 1_500, quietMs: 600 };

export async function must(s: ProviderSession, scope: Page | Locator, target: Target, what: string, timeoutMs = 5_000): Promise<Locator> {
  const found = await locate(scope, target, timeoutMs, s.observations);
  if (!found) {
    s.observations.locators[target.name] = 'none';
    throw new PurgeError('page_changed', `Review Voice History: ${what} is not on the page any more`);
  }
  return found;
}

/** The option target without its text candidates: a bare text match anywhere on the page ("All" is also the
 *  label of Amazon's main menu) is only trusted inside the date options. */
const withoutText = (target: Target): Target => ({ name: target.name, candidates: target.candidates.filter((c) => c.how !== 'text') });

async function optionsScope(s: ProviderSession): Promise<Locator | undefined> {
  return locateNow(s.page, HISTORY.dateOptions, s.observations);
}

async function findOption(s: ProviderSession, target: Target): Promise<Locator | undefined> {
  // Both looks in one round trip: the options' list (then the option inside it), and the option anywhere.
  const [scope, anywhere] = await Promise.all([optionsScope(s), lookNow(s.page, withoutText(target))]);
  if (scope) return locateNow(scope, target, s.observations);
  if (anywhere) s.observations.locators[target.name] = anywhere.matched;
  return anywhere?.locator;
}

export async function waitOption(s: ProviderSession, target: Target, timeoutMs: number): Promise<Locator | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await findOption(s, target);
    if (found || Date.now() >= until) return found;
    await s.sleep(100);
  }
}

/** Opens the date options however deep they are; returns the option asked for. */
async function openOption(s: ProviderSession, target: Target, what: string): Promise<Locator> {
  let option = await findOption(s, target);
  if (option) { s.observations.notes.push('date options: already visible'); return option; }
  const bar = await must(s, s.page, HISTORY.filterOpen, 'the filter button');
  await s.step('open the filter menu', () => bar.click());
  // One level: the options show now. Two levels: the date submenu shows, folded.
  let submenu: Locator | undefined;
  const until = Date.now() + FILTER_WAIT.reactMs;
  for (;;) {
    const [found, menu] = await Promise.all([findOption(s, target), lookNow(s.page, HISTORY.dateMenu)]);
    option = found;
    if (option) { s.observations.notes.push('date options: one level (filter bar)'); return option; }
    if (menu) s.observations.locators[HISTORY.dateMenu.name] = menu.matched;
    submenu = menu?.locator;
    if (submenu || Date.now() >= until) break;
    await s.sleep(100);
  }
  submenu ??= await must(s, s.page, HISTORY.dateMenu, 'the date filter menu', 2_000);
  await s.step('open the date filter', () => submenu.click());
  option = await waitOption(s, target, 5_000);
  if (!option) {
    s.observations.locators[target.name] = 'none';
    throw new PurgeError('page_changed', `Review Voice History: ${what} is not on the page any more`);
  }
  s.observations.notes.push('date options: two levels (filter bar, date menu)');
  return option;
}

/** Clicks an option; when the page did not react (some pages only react to the radio inside), clicks the radio. */
async function pick(s: ProviderSession, option: Locator, what: string, reacted: () => Promise<boolean>): Promise<void> {
  await s.step(`choose ${what}`, () => option.click());
  const until = Date.now() + FILTER_WAIT.reactMs;
  while (Date.now() < until) {
    if (await reacted()) return;
    await s.sleep(100);
  }
  const radio = await locateNow(option, HISTORY.optionRadio, s.observations);
  if (radio) {
    s.observations.notes.push(`${what}: the option took only through its radio`);
    await s.step(`choose ${what} (its radio)`, () => radio.click({ force: true }));
  }
}

async function clickApplyIfShown(s: ProviderSession): Promise<boolean> {
  const apply = await locateNow(s.page, HISTORY.apply, s.observations);
  if (!apply) return false;
  await s.step('apply the date filter', () => apply.click());
  return true;
}

async function listMessage(s: ProviderSession): Promise<string> {
  const message = await locateNow(s.page, HISTORY.message, s.observations);
  return message ? (await message.innerText()).trim() : '';
}

/** Waits until the page shows records or says the list is empty. Returns the number of record rows shown. */
export async function waitForList(s: ProviderSession): Promise<number> {
  const until = Date.now() + FILTER_WAIT.listMs;
  while (Date.now() < until) {
    const rows = await s.page.locator(ANY_RECORD).count();
    if (rows > 0) return rows;
    const message = await listMessage(s);
    if (LIST_MESSAGES.empty.test(message)) return 0;
    if (LIST_MESSAGES.error.test(message)) throw new PurgeError('vendor_error', `Review Voice History says: ${message}`);
    await s.sleep(50);
  }
  throw new PurgeError('timeout', 'the recordings list did not load');
}

export interface Intended {
  /** All History (keep_days 0): everything up to the run. */
  all?: boolean;
  /** A custom range of whole days. */
  range?: RangePlan;
  /** Counted recordings in scope, and whether that count is exact. */
  count: number;
  exact: boolean;
  /** Oldest and newest counted, when known. */
  oldest: number | null;
  newest: number | null;
  /** The cut-off: nothing at or after it may be listed under the filter. */
  cutoff: number;
}

export interface Applied {
  call: ListCall;
  /** Record rows the page shows for the filter. */
  rows: number;
}

const fail = (s: ProviderSession, what: string): never => {
  s.observations.notes.push(`refused: ${what}`);
  throw new PurgeError('page_changed', `the page would not delete the intended days: ${what}; nothing was deleted`);
};

/** Picks a day in a react-datepicker calendar: opens it from the field, steps to the month, clicks the day. */
async function pickInCalendar(s: ProviderSession, field: Locator, day: Day, what: string): Promise<void> {
  await s.step(`open the ${what} date calendar`, () => field.click());
  const calendar = await must(s, s.page, HISTORY.calendar, `the ${what} date calendar`, 2_000);
  // A bound far above 2014 → today in months.
  for (let steps = 0; steps < 400; steps++) {
    const header = await must(s, calendar, HISTORY.calendarMonth, 'the calendar\'s month', 2_000);
    const shown = monthYearIn(await header.innerText());
    if (!shown) fail(s, `the calendar shows a month we cannot read: "${await header.innerText()}"`);
    const delta = (day.y - shown!.y) * 12 + (day.m - shown!.m);
    if (delta === 0) {
      const cell = calendar.locator(`.react-datepicker__day--${String(day.d).padStart(3, '0')}:not(.react-datepicker__day--outside-month)`).first();
      if (!(await cell.isVisible())) fail(s, `the calendar has no day ${day.d} in ${showDay(day).slice(0, 7)}`);
      s.observations.locators['rvh.calendar_day'] = 'class#0';
      await s.step(`pick the ${what} day`, () => cell.click());
      return;
    }
    const nav = await must(s, calendar, delta < 0 ? HISTORY.calendarPrevious : HISTORY.calendarNext, 'the calendar\'s month buttons', 2_000);
    await nav.click();
  }
  fail(s, `the calendar did not reach ${showDay(day).slice(0, 7)}`);
}

/** Puts a day into a date field: typed in the marketplace's order, as an ISO value into `<input type=date>`, or
 *  picked in the calendar when the field takes no typing. Reads the field back. */
async function setDay(s: ProviderSession, field: Locator, day: Day, what: string): Promise<string> {
  const [type, readOnly] = await field.evaluate((el) => [(el as HTMLInputElement).type, (el as HTMLInputElement).readOnly] as const);
  const isDate = type.toLowerCase() === 'date';
  const order = dateOrderFor(s.account.marketplace);
  let value: string;
  if (readOnly) {
    value = `${showDay(day)} picked`;
    await pickInCalendar(s, field, day, what);
  } else {
    value = isDate ? isoDay(day) : formatDay(day, order);
    await s.step(`type the ${what} date`, async () => {
      // Typing focuses the field (as a click would: a react-datepicker opens its calendar on focus too).
      await field.fill(value);
      // A calendar that opened is closed as a person would; Tab leaves the field (a page without Apply takes the
      // value then).
      if (!isDate && await locateNow(s.page, HISTORY.calendar)) await field.press('Escape');
      if (!isDate) await field.press('Tab');
    });
  }
  const shown = await field.inputValue();
  const read = isDate ? datesIn(shown, 'ymd') : datesIn(shown, order);
  if (read.length !== 1 || !sameDay(read[0], day)) fail(s, `the ${what} date field shows "${shown}" after ${readOnly ? 'picking' : 'typing'} "${value}" (${isDate ? 'a date input' : order})`);
  return value;
}

/** A filter set on the page, not yet read back: the list call it made (if any) and the dates typed. */
export interface FilterSet { call: ListCall | undefined; typed: string[] }
/** What a filter is set to: All History, or a range of whole days. Needs nothing the count finds. */
export type FilterTarget = Pick<Intended, 'all' | 'range'>;

/** Sets the date filter to the intended range and proves, before any delete, that the page now lists exactly
 *  that range. Throws page_changed with what was expected and what was seen otherwise. */
export async function applyFilter(s: ProviderSession, watch: PageWatch, want: Intended): Promise<Applied> {
  return readBackSet(s, watch, want, await setFilter(s, watch, want));
}

/** Sets the date filter and waits (bounded) for the list call it makes; proves nothing yet (readBackSet). */
export async function setFilter(s: ProviderSession, watch: PageWatch, want: FilterTarget): Promise<FilterSet> {
  const before = watch.lastSeq;
  if (want.all) {
    const option = await openOption(s, HISTORY.allHistory, 'the "All History" filter');
    await pick(s, option, 'All History', async () => Boolean(watch.firstCallAfter(before)));
    if (!watch.firstCallAfter(before)) await clickApplyIfShown(s);
    return { call: await watch.waitFirstCall(before, FILTER_WAIT.listMs, true, s.sleep), typed: [] };
  }
  return fillRange(s, watch, await openCustomRange(s, watch), want.range!);
}

/** The custom range's date fields, shown and empty of our dates yet; `before`: the page's last list call then. */
export interface RangeFields { start: Locator; end: Locator; before: number }

/** Opens the date options, however deep, and picks the custom range: needs no day yet (so it can run while the
 *  oldest day is still being found). */
export async function openCustomRange(s: ProviderSession, watch: PageWatch): Promise<RangeFields> {
  const before = watch.lastSeq;
  const option = await openOption(s, HISTORY.customRange, 'the "Custom" date filter');
  await pick(s, option, 'the custom range', async () => Boolean(await locateNow(s.page, HISTORY.dateStart)));
  const [start, end] = await Promise.all([must(s, s.page, HISTORY.dateStart, 'the start date field'), must(s, s.page, HISTORY.dateEnd, 'the end date field')]);
  return { start, end, before };
}

/** Puts the range's days into the fields opened by openCustomRange, applies, and waits (bounded) for the list
 *  call the page makes. */
export async function fillRange(s: ProviderSession, watch: PageWatch, fields: RangeFields, range: RangePlan): Promise<FilterSet> {
  const typed = [await setDay(s, fields.start, range.first, 'start'), await setDay(s, fields.end, range.last, 'end')];
  await clickApplyIfShown(s);
  // A page that rejects the dates says so and lists nothing: no need to wait the whole list time for it.
  const until = Date.now() + FILTER_WAIT.listMs;
  while (!watch.firstCallAfter(fields.before) && Date.now() < until) {
    const complaint = await locateNow(s.page, HISTORY.dateError);
    const said = complaint ? (await complaint.innerText()).trim() : '';
    if (said) fail(s, `the page rejected the dates typed ${typed.join(' – ')} (${dateOrderFor(s.account.marketplace)}): "${said.slice(0, 120)}"`);
    await s.sleep(25);
  }
  return { call: await watch.waitFirstCall(fields.before, FILTER_WAIT.listMs, true, s.sleep), typed };
}

/** Reads a filter set by setFilter back against what was counted (the page's last word), or fails. */
export async function readBackSet(s: ProviderSession, watch: PageWatch, want: Intended, set: FilterSet): Promise<Applied> {
  let call = set.call;
  const typed = set.typed;
  if (!call && want.all) {
    // All History may already be the page's filter, and a page need not list again for the same filter.
    const last = watch.lastFirstCall();
    if (last?.answer && last.start !== null && last.start <= (want.oldest ?? 0) && (last.end ?? 0) >= (want.newest ?? want.cutoff)) {
      s.observations.notes.push('All History was already applied: the page did not list again');
      call = last;
    }
  }
  if (!call) fail(s, 'the page sent no list request after the filter changed');
  if (!call!.answer) fail(s, 'the page\'s list request after the filter changed got no answer');
  // A page without Apply lists an intermediate range first (start day new, end day old): what counts is the
  // page's last word, so a read-back that fails is tried again on a newer list call, if one comes while quiet.
  for (;;) {
    const notes = s.observations.notes.length;
    try {
      return await readBack(s, watch, want, call!, typed);
    } catch (err) {
      const newer = await watch.newerFirstCall(call!, FILTER_WAIT.quietMs, FILTER_WAIT.listMs, s.sleep);
      if (!newer) throw err;
      s.observations.notes.splice(notes);
      call = newer;
    }
  }
}

/** Right before the final delete click: the list call read back must be the page's last word, i.e. no newer
 *  one for `quietMs` after it (waiting out what is left of that; the steps since then usually took longer).
 *  A newer one is read back in turn. Returns what was read back last. */
export async function lastWord(s: ProviderSession, watch: PageWatch, want: Intended, applied: Applied): Promise<Applied> {
  let current = applied;
  for (;;) {
    const newer = await watch.newerFirstCall(current.call, FILTER_WAIT.quietMs, FILTER_WAIT.listMs, s.sleep);
    if (!newer) return current;
    s.observations.notes.push('the page listed again after the read-back: reading the newer list call back');
    current = await readBack(s, watch, want, newer, []);
  }
}

/** Proves, from one list call the page sent, that the filter is the intended range (days, label, what it lists). */
async function readBack(s: ProviderSession, watch: PageWatch, want: Intended, got: ListCall, typed: string[]): Promise<Applied> {
  // The call's days in the page's time zone, asked alongside the list's rows (one round trip fewer).
  const days = got.start === null || got.end === null ? Promise.resolve(undefined) : localDays(s.page, [got.start, got.end]);
  days.catch(() => {}); // awaited below unless reading the list fails first
  const rows = await waitForList(s);
  const label = await readLabel(s);
  const note = [`read back: ${want.all ? 'All History' : `typed ${typed.join(' – ')} (${dateOrderFor(s.account.marketplace)})`}`,
    `list call ${got.endpoint.path} startTime=${got.start} endTime=${got.end}`];
  if (got.start === null || got.end === null) fail(s, `the page's list call has no startTime/endTime (${note[1]})`);
  const [startDay, endDay] = (await days)!;
  note.push(`= ${showDay(startDay)} … ${showDay(endDay)} local`, `label "${label}"`, `${rows} rows, ${got.answer!.times.length} in the first answer`);
  s.observations.notes.push(note.join('; '));

  if (want.all) {
    if (want.oldest !== null && got.start! > want.oldest) fail(s, `All History starts at ${new Date(got.start!).toISOString()}, after the oldest recording counted`);
    if (got.end! < (want.newest ?? 0)) fail(s, `All History ends at ${new Date(got.end!).toISOString()}, before the newest recording counted`);
  } else {
    const range = want.range!;
    const expected = `${showDay(range.first)} … ${showDay(range.last)}`;
    if (!sameDay(startDay, range.first) || !sameDay(endDay, range.last)) {
      fail(s, `expected the days ${expected}, the page's list call asks for ${showDay(startDay)} … ${showDay(endDay)}`);
    }
    // Both ends inclusive: the range must stop before the first day kept.
    if (got.end! >= range.cutoffDayStart) fail(s, `the page's list call ends at ${new Date(got.end!).toISOString()}, at or after the first day kept`);
    const shown = datesIn(label, dateOrderFor(s.account.marketplace));
    if (shown.length > 0) {
      const ok = shown.every((d) => sameDay(d, range.first) || sameDay(d, range.last)) && shown.some((d) => sameDay(d, range.last));
      if (!ok) fail(s, `expected the days ${expected}, the filter's label says "${label}"`);
    } else {
      s.observations.notes.push('the filter\'s label shows no dates; the list call decides');
    }
  }
  // What the page lists must agree with the count, and must not reach the days kept.
  const listing = watch.listingOf(got);
  const times = listing.flatMap((c) => c.answer?.times ?? []);
  const kept = times.filter((t) => t >= want.cutoff);
  if (kept.length > 0) fail(s, `the page lists ${kept.length} recording(s) from ${new Date(Math.min(...kept)).toISOString()} on, which the run must keep`);
  if (want.count > 0 && (rows === 0 || times.length === 0)) fail(s, `the page lists nothing for the range while ${want.exact ? '' : 'at least '}${want.count} recording(s) were counted`);
  const keys = new Set(listing.flatMap((c) => c.answer?.keys ?? []));
  const ended = listing.some((c) => c.answer && !c.answer.next);
  if (ended && want.exact && keys.size !== want.count) fail(s, `the page lists ${keys.size} recording(s) for the range, the count said ${want.count}`);
  return { call: got, rows };
}

/** The filter bar's text, whitespace folded. */
export async function readLabel(s: ProviderSession): Promise<string> {
  const label = await locateNow(s.page, HISTORY.filterLabel, s.observations);
  return label ? (await label.innerText()).replace(/\s+/g, ' ').trim().slice(0, 200) : '';
}
