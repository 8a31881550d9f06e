// Numbers, times and durations as a person reads them, times in the household's time zone (the schedule's).

/** @type {string | undefined} */
let timeZone;
/** The zone the schedule runs in (from /api/status); the browser's own until it is known. @param {string | undefined} zone */
export function useTimeZone(zone) {
  timeZone = zone;
}

/** @param {number | null | undefined} n */
export const number = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString());
/** @param {number | null | undefined} n @param {string} one @param {string} many */
export const plural = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;

/** @param {string | null | undefined} iso @param {Intl.DateTimeFormatOptions} opts */
export function formatTime(iso, opts) {
  if (!iso) return '–';
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone, ...opts }).format(new Date(iso));
  } catch {
    return new Date(iso).toLocaleString();
  }
}
/** The day in the household's zone, as a key to compare days. @param {string} iso */
export const dayKey = (iso) => formatTime(iso, { year: 'numeric', month: '2-digit', day: '2-digit' });
/** @param {string | null | undefined} iso */
export const clock = (iso) => formatTime(iso, { hour: '2-digit', minute: '2-digit' });
/** @param {string | null | undefined} iso */
export const dateTime = (iso) => formatTime(iso, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "today 03:31", "yesterday 03:30", "Tue 14 May, 03:31" in the household's time zone. @param {string | null | undefined} iso */
export function when(iso) {
  if (!iso) return 'never';
  const now = Date.now();
  const key = dayKey(iso);
  if (key === dayKey(new Date(now).toISOString())) return `today ${clock(iso)}`;
  if (key === dayKey(new Date(now - 86_400_000).toISOString())) return `yesterday ${clock(iso)}`;
  if (key === dayKey(new Date(now + 86_400_000).toISOString())) return `tomorrow ${clock(iso)}`;
  return dateTime(iso);
}
/** @param {string | null | undefined} iso */
export function ago(iso) {
  if (!iso) return '';
  const minutes = Math.round((Date.now() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
/** @param {number | null | undefined} ms */
export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
