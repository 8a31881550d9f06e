// The retention cut-off: whole days in the household's time zone, the vendors' own granularity (their date
// filters pick days). keep_days N keeps today and the N days before it, so "keeps at least N days".
export const DAY_MS = 86_400_000;

/** The instant before which recordings are deleted: the start (00:00) of the local day N days before today in
 *  `timeZone`; keep_days 0 means everything up to `now` (the start of the run). */
export function cutoffFor(keepDays: number, now: number, timeZone: string): number {
  if (keepDays <= 0) return now;
  const today = localDate(now, timeZone);
  // Calendar arithmetic on a UTC date: no daylight-saving hour can shift the day.
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day - keepDays));
  return startOfLocalDay(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), timeZone);
}

interface LocalDate { year: number; month: number; day: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(t: number, timeZone: string): LocalDate & { hour: number; minute: number; second: number } {
  const p: Record<string, number> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(t)) if (type !== 'literal') p[type] = Number(value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** The calendar date of instant `t` in `timeZone`. */
export function localDate(t: number, timeZone: string): LocalDate {
  const { year, month, day } = parts(t, timeZone);
  return { year, month, day };
}

/** The zone's offset from UTC at instant `t`, in ms (local = UTC + offset). */
function offsetAt(t: number, timeZone: string): number {
  const p = parts(t, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
}

/** The first instant of a local calendar day. Where a zone skips midnight (a daylight-saving jump at 00:00),
 *  the day starts at the first local time that exists. */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  // Two passes settle the offset on either side of a transition.
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  const seen = localDate(t, timeZone);
  if (seen.year !== year || seen.month !== month || seen.day !== day) {
    // Midnight does not exist (clocks jumped forward over it), or the guess landed on the day before:
    // walk forward minute by minute to the first instant of the day (bounded: transitions are at most 2 h).
    const step = 60_000;
    for (let i = 0; i < 180; i++) {
      t += step;
      const d = localDate(t, timeZone);
      if (d.year === year && d.month === month && d.day === day) break;
    }
  }
  // The guess may also be a little late when an earlier instant already belongs to the day.
  for (let i = 0; i < 180 && sameDay(localDate(t - 60_000, timeZone), { year, month, day }); i++) t -= 60_000;
  return t;
}

function sameDay(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}
