// Day boundaries as the vendor's page sees them: in the browser's own time zone (the context runs in the
// household's zone), computed inside the page so daylight-saving days come out right.
import type { Page } from 'playwright-core';

export interface DayPlan {
  /** Local midnight of the cut-off day, in ms. */
  cutoffDayStart: number;
  /** Date strings as the pages' date pickers take them (MM/DD/YYYY with English labels). */
  oldestDay: string;
  dayBefore: string;
  cutoffDay: string;
  /** The cut-off day as YYYYMMDD (Google's data-date). */
  cutoffYmd: string;
}

export function planDays(page: Page, cutoff: number, oldest: number): Promise<DayPlan> {
  return page.evaluate(({ cutoff, oldest }) => {
    const midnight = (t: number) => { const d = new Date(t); d.setHours(0, 0, 0, 0); return d.getTime(); };
    const two = (n: number) => String(n).padStart(2, '0');
    const mdY = (t: number) => { const d = new Date(t); return `${two(d.getMonth() + 1)}/${two(d.getDate())}/${d.getFullYear()}`; };
    const start = midnight(cutoff);
    const before = new Date(start);
    before.setDate(before.getDate() - 1);
    const c = new Date(start);
    return {
      cutoffDayStart: start, oldestDay: mdY(Math.min(oldest, before.getTime())), dayBefore: mdY(before.getTime()), cutoffDay: mdY(start),
      cutoffYmd: `${c.getFullYear()}${two(c.getMonth() + 1)}${two(c.getDate())}`,
    };
  }, { cutoff, oldest });
}
