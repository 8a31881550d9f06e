// The survivor check, the net under every read-back: what the run meant to keep (recordings at or after the
// cut-off, other products' activity) is listed before deleting and again after; anything gone is over_deleted.
import type { KeptList } from '../providers/types.ts';

/** Items listed before and missing after, compared only over the span both listings covered: an incomplete
 *  listing (cut short by its time bound) covers the newest part only. */
export function lostKept(before: KeptList, after: KeptList): Map<string, number> {
  let floor = -Infinity;
  for (const list of [before, after]) {
    if (list.complete || list.items.size === 0) continue;
    let oldest = Infinity;
    for (const at of list.items.values()) if (at < oldest) oldest = at;
    floor = Math.max(floor, oldest);
  }
  const lost = new Map<string, number>();
  for (const [key, at] of before.items) if (at >= floor && !after.items.has(key)) lost.set(key, at);
  return lost;
}

/** "3 recordings the run meant to keep are gone (2026-11-28: 2, 2026-11-29: 1)", days in the household's zone. */
export function describeLost(lost: Map<string, number>, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const perDay = new Map<string, number>();
  for (const at of lost.values()) {
    const d = day.format(at);
    perDay.set(d, (perDay.get(d) ?? 0) + 1);
  }
  const days = [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([d, n]) => `${d}: ${n}`);
  const shown = days.length > 10 ? [...days.slice(0, 10), `… ${days.length - 10} more days`] : days;
  return `${lost.size} recording${lost.size === 1 ? '' : 's'} the run meant to keep ${lost.size === 1 ? 'is' : 'are'} gone (${shown.join(', ')})`;
}
