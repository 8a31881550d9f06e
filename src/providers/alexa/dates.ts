// Calendar days as Amazon's marketplaces write them, and the days of a purge as the page sees them. A typed
// `10/11/2026` is 11 October on .com and 10 November on .co.uk: typing the wrong order deletes the wrong days,
// so every date typed is also read back (filter.ts), and days are computed in the browser, whose time zone is
// the household's.
import type { Page } from 'playwright-core';

export interface Day { y: number; m: number; d: number }

/** month-first (.com, .ca), day-first (.co.uk, .fr, .it, .es, .in, .com.au, .com.br), German day-first with
 *  dots (.de), year-first (.co.jp). */
export type DateOrder = 'mdy' | 'dmy' | 'dmy.' | 'ymd';

const ORDERS: Record<string, DateOrder> = {
  com: 'mdy', ca: 'mdy', 'co.uk': 'dmy', fr: 'dmy', it: 'dmy', es: 'dmy', in: 'dmy', 'com.au': 'dmy', 'com.br': 'dmy',
  de: 'dmy.', 'co.jp': 'ymd',
};

export function dateOrderFor(marketplace: string): DateOrder {
  return ORDERS[marketplace] ?? 'mdy';
}

const two = (n: number) => String(n).padStart(2, '0');

/** How a person types the day into the marketplace's date field. */
export function formatDay(day: Day, order: DateOrder): string {
  switch (order) {
    case 'mdy': return `${two(day.m)}/${two(day.d)}/${day.y}`;
    case 'dmy': return `${two(day.d)}/${two(day.m)}/${day.y}`;
    case 'dmy.': return `${two(day.d)}.${two(day.m)}.${day.y}`;
    case 'ymd': return `${day.y}/${two(day.m)}/${two(day.d)}`;
  }
}

/** The value of an `<input type=date>`. */
export const isoDay = (day: Day) => `${day.y}-${two(day.m)}-${two(day.d)}`;

export const sameDay = (a: Day, b: Day) => a.y === b.y && a.m === b.m && a.d === b.d;

const valid = (y: number, m: number, d: number): Day | undefined =>
  (y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31) ? { y, m, d } : undefined;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  januar: 1, februar: 2, märz: 3, maerz: 3, mai: 5, juni: 6, juli: 7, okt: 10, oktober: 10, dez: 12, dezember: 12,
};

function month(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  return MONTHS[w] ?? MONTHS[w.slice(0, 3)];
}

/** Every date written in `text`: numeric dates read in the marketplace's order, ISO dates, and dates with a
 *  month name (English or German). In the order they appear. */
export function datesIn(text: string, order: DateOrder): Day[] {
  const found: { at: number; day: Day }[] = [];
  const taken: [number, number][] = [];
  const add = (at: number, len: number, day: Day | undefined) => {
    if (!day || taken.some(([a, b]) => at < b && at + len > a)) return;
    taken.push([at, at + len]);
    found.push({ at, day });
  };
  for (const m of text.matchAll(/(\d{4})-(\d{1,2})-(\d{1,2})/g)) add(m.index, m[0].length, valid(+m[1], +m[2], +m[3]));
  for (const m of text.matchAll(/(\d{1,4})([./])(\d{1,2})\2(\d{1,4})/g)) {
    const [a, b, c] = [+m[1], +m[3], +m[4]];
    const day = order === 'ymd' || m[1].length === 4 ? valid(a, b, c) : order === 'mdy' ? valid(c, a, b) : valid(c, b, a);
    add(m.index, m[0].length, day);
  }
  // "October 1, 2026", "1 October 2026", "1. Oktober 2026"
  for (const m of text.matchAll(/([A-Za-zäÄ]{3,9})\.? (\d{1,2}),? (\d{4})/g)) {
    const mo = month(m[1]);
    if (mo) add(m.index, m[0].length, valid(+m[3], mo, +m[2]));
  }
  for (const m of text.matchAll(/(\d{1,2})\.? ([A-Za-zäÄ]{3,9})\.? (\d{4})/g)) {
    const mo = month(m[2]);
    if (mo) add(m.index, m[0].length, valid(+m[3], mo, +m[1]));
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.day);
}

export interface RangePlan {
  /** Local midnight of the cut-off day (the first day kept). */
  cutoffDayStart: number;
  /** Local midnight of the day before it (the last day deleted). */
  lastDayStart: number;
  /** Local midnight of the first day deleted. */
  firstDayStart: number;
  first: Day;
  last: Day;
}

/** The whole days to delete: from the day of `oldest` to the day before the cut-off's day, in the browser's
 *  time zone (computed in the page, so daylight-saving days come out right). */
export function planRange(page: Page, cutoff: number, oldest: number): Promise<RangePlan> {
  return page.evaluate(({ cutoff, oldest }) => {
    const midnight = (t: number) => { const d = new Date(t); d.setHours(0, 0, 0, 0); return d.getTime(); };
    const day = (t: number) => { const d = new Date(t); return { y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate() }; };
    const cutoffDayStart = midnight(cutoff);
    const before = new Date(cutoffDayStart);
    before.setDate(before.getDate() - 1);
    const lastDayStart = before.getTime();
    const firstDayStart = Math.min(midnight(oldest), lastDayStart);
    return { cutoffDayStart, lastDayStart, firstDayStart, first: day(firstDayStart), last: day(lastDayStart) };
  }, { cutoff, oldest });
}

/** The local calendar day of each instant, as the page sees it. */
export function localDays(page: Page, instants: number[]): Promise<Day[]> {
  return page.evaluate((instants) => instants.map((t) => { const d = new Date(t); return { y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate() }; }), instants);
}

export const showDay = (day: Day) => isoDay(day);

/** The month and year a calendar header shows ("October 2026", "Oktober 2026"). */
export function monthYearIn(text: string): { y: number; m: number } | undefined {
  const found = /([A-Za-zäÄ]{3,9})\.? (\d{4})/.exec(text);
  const m = found ? month(found[1]) : undefined;
  return found && m ? { y: Number(found[2]), m } : undefined;
}
