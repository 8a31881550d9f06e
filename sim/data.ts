// Seeded, deterministic recordings and the store that lists and deletes them. The store keeps one array sorted
// by timestamp, so a page is a binary search plus a short walk: 50,000 recordings must never make the simulator
// the thing a benchmark measures.

export type UtteranceType = 'GENERAL' | 'WAKE_WORD_ONLY' | 'FALSE_WAKE_WORD';

export interface Recording {
  /** Milliseconds since the epoch; unique within a store (ties are nudged apart at generation). */
  ts: number;
  /** Amazon: `customerId#timestamp#deviceType#deviceSerial`. Google: the item's delete token. */
  key: string;
  deviceName: string;
  deviceType: string;
  deviceSerial: string;
  person: string;
  utteranceType: UtteranceType;
  intent: string;
  transcript: string;
  response: string;
  utteranceId: string;
}

/** mulberry32: tiny, fast and good enough for fake data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit number from a string, to derive per-account seeds. */
export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const DEVICES = [
  { name: 'Kitchen Echo', type: 'A3S5BH2HU6VAYF' },
  { name: 'Living Room Echo Show', type: 'A1Z88NGR2BK6A2' },
  { name: "Alice's Bedroom Echo Dot", type: 'A2U21SRK4QGSE1' },
  { name: 'Kids Room Echo Pop', type: 'A3VRME03NAXFUB' },
  { name: "Bob's Alexa App", type: 'A2IVLV5VM2W81' },
];
const PEOPLE = ['Alice', 'Bob', 'Emma', 'Leo'];
const PHRASES: Array<[string, string, string]> = [
  ["what's the weather", 'GetWeatherForecastIntent', 'Right now it is 14 degrees with light rain.'],
  ['set a timer for ten minutes', 'SetTimerIntent', 'Ten minutes, starting now.'],
  ['play some jazz', 'PlayMusicIntent', 'Playing a jazz station from Amazon Music.'],
  ['turn off the kitchen lights', 'TurnOffApplianceIntent', 'OK.'],
  ['add milk to my shopping list', 'AddToListIntent', "I've added milk to your shopping list."],
  ['what time is it', 'GetTimeIntent', "It's 7:42 AM."],
  ['tell me a joke', 'TellJokeIntent', 'Why did the scarecrow win an award? He was outstanding in his field.'],
  ['wake me up at six thirty', 'SetAlarmIntent', 'Your alarm is set for 6:30 AM tomorrow.'],
  ['how long is my commute', 'GetTrafficIntent', 'Your commute is 25 minutes with light traffic.'],
  ['stop', 'StopIntent', ''],
  ['volume four', 'SetVolumeIntent', ''],
  ['what is on my calendar today', 'GetCalendarEventsIntent', 'You have a dentist appointment at 3 PM.'],
  ['play the news', 'PlayFlashBriefingIntent', "Here's your Flash Briefing."],
  ['how do you spell necessary', 'SpellIntent', 'Necessary is spelled N E C E S S A R Y.'],
  ['call grandma', 'CallContactIntent', 'Calling Grandma.'],
  ['is it going to rain tomorrow', 'GetWeatherForecastIntent', 'No rain is expected tomorrow.'],
  ['dim the living room lights to fifty percent', 'SetBrightnessIntent', 'OK.'],
  ['what song is this', 'WhatIsPlayingIntent', 'This is Blue in Green by Miles Davis.'],
];
// People talk to their speakers in the morning and the evening; the hour weights make a believable day.
const HOUR_WEIGHTS = [1, 0, 0, 0, 0, 1, 4, 8, 7, 4, 3, 3, 4, 3, 3, 3, 4, 6, 8, 8, 7, 6, 4, 2];
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);

export interface GenerateOptions {
  seed: number;
  count: number;
  spanDays: number;
  /** The newest recording is a little before this instant. */
  nowMs: number;
  customerId: string;
  /** Amazon keys (`customerId#ts#type#serial`) or opaque Google tokens. */
  keyStyle: 'amazon' | 'google';
}

function pickHour(r: number): number {
  let x = r * HOUR_TOTAL;
  for (let h = 0; h < 24; h++) { x -= HOUR_WEIGHTS[h]; if (x < 0) return h; }
  return 23;
}

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function generateRecordings(opts: GenerateOptions): Recording[] {
  const rand = prng(opts.seed);
  const dayMs = 86_400_000;
  const end = opts.nowMs - 60_000;
  const start = end - opts.spanDays * dayMs;
  const serials = DEVICES.map((_, i) => `G0${(opts.seed % 1000).toString().padStart(3, '0')}${i}${Math.floor(rand() * 1e8).toString(16).toUpperCase().padStart(7, '0')}`);
  const stamps: number[] = [];
  for (let i = 0; i < opts.count; i++) {
    // A random day in the span, then a weighted hour of that day (UTC-based, good enough for fake data).
    const day = Math.floor(start / dayMs) + Math.floor(rand() * (opts.spanDays + 1));
    const ts = day * dayMs + pickHour(rand()) * 3_600_000 + Math.floor(rand() * 3_600_000);
    stamps.push(Math.min(end, Math.max(start, ts)));
  }
  stamps.sort((a, b) => a - b);
  for (let i = 1; i < stamps.length; i++) if (stamps[i] <= stamps[i - 1]) stamps[i] = stamps[i - 1] + 1;
  const out: Recording[] = [];
  for (let i = 0; i < stamps.length; i++) {
    const ts = stamps[i];
    const d = Math.floor(rand() * DEVICES.length);
    const roll = rand();
    const utteranceType: UtteranceType = roll < 0.06 ? 'WAKE_WORD_ONLY' : roll < 0.1 ? 'FALSE_WAKE_WORD' : 'GENERAL';
    const [phrase, intent, response] = PHRASES[Math.floor(rand() * PHRASES.length)];
    const general = utteranceType === 'GENERAL';
    let key: string;
    if (opts.keyStyle === 'amazon') key = `${opts.customerId}#${ts}#${DEVICES[d].type}#${serials[d]}`;
    else {
      key = '';
      for (let k = 0; k < 40; k++) key += TOKEN_CHARS[Math.floor(rand() * 64)];
    }
    out.push({
      ts,
      key,
      deviceName: DEVICES[d].name,
      deviceType: DEVICES[d].type,
      deviceSerial: serials[d],
      person: PEOPLE[Math.floor(rand() * PEOPLE.length)],
      utteranceType,
      intent: general ? intent : utteranceType === 'WAKE_WORD_ONLY' ? 'WakeWordOnly' : 'FalseWake',
      transcript: general ? phrase : '',
      response: general ? response : '',
      utteranceId: `${Math.floor(rand() * 0xffffffff).toString(16)}-${i.toString(36)}`,
    });
  }
  return out;
}

/** First index whose ts is >= t (ascending array). */
function lowerBound(list: Recording[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].ts < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * The recordings of one account, oldest first. Deletions remove entries from the array (a splice over 50,000
 * entries is microseconds). `pending` holds deletions that have been accepted but not applied yet (the
 * eventual-consistency fault): they vanish when `settle(now)` passes their time.
 */
export class RecordStore {
  private list: Recording[];
  private byKey = new Map<string, Recording>();
  private pending = new Map<string, number>();

  constructor(recordings: Recording[]) {
    this.list = recordings;
    for (const r of recordings) this.byKey.set(r.key, r);
  }

  get size(): number { return this.list.length; }

  get(key: string): Recording | undefined { return this.byKey.get(key); }

  /** Index just above the newest recording with ts <= endMs. */
  private upper(endMs: number): number { return lowerBound(this.list, endMs + 1); }

  count(startMs = -Infinity, endMs = Infinity): number {
    const lo = lowerBound(this.list, startMs);
    const hi = endMs === Infinity ? this.list.length : this.upper(endMs);
    return Math.max(0, hi - lo);
  }

  oldest(): Recording | undefined { return this.list[0]; }
  newest(): Recording | undefined { return this.list[this.list.length - 1]; }

  /**
   * Newest first, within [startMs, endMs], strictly older than the cursor (`beforeTs`, or the record
   * `afterKey` when it still exists). Returns at most `limit` records.
   */
  page(startMs: number, endMs: number, limit: number, beforeTs?: number): Recording[] {
    let hi = this.upper(endMs);
    if (beforeTs !== undefined) hi = Math.min(hi, lowerBound(this.list, beforeTs));
    const out: Recording[] = [];
    for (let i = hi - 1; i >= 0 && out.length < limit; i--) {
      if (this.list[i].ts < startMs) break;
      out.push(this.list[i]);
    }
    return out;
  }

  /** Removes the given keys now; returns how many existed. */
  deleteKeys(keys: Iterable<string>): number {
    const doomed = new Set<string>();
    for (const k of keys) if (this.byKey.has(k)) doomed.add(k);
    if (doomed.size === 0) return 0;
    if (doomed.size === 1) {
      const r = this.byKey.get([...doomed][0])!;
      const i = lowerBound(this.list, r.ts);
      if (this.list[i] === r) this.list.splice(i, 1);
    } else {
      this.list = this.list.filter((r) => !doomed.has(r.key));
    }
    for (const k of doomed) { this.byKey.delete(k); this.pending.delete(k); }
    return doomed.size;
  }

  /** Removes every recording in [startMs, endMs]; returns them. */
  deleteRange(startMs: number, endMs: number): Recording[] {
    const lo = lowerBound(this.list, startMs);
    const hi = this.upper(endMs);
    if (hi <= lo) return [];
    const removed = this.list.splice(lo, hi - lo);
    for (const r of removed) { this.byKey.delete(r.key); this.pending.delete(r.key); }
    return removed;
  }

  keysInRange(startMs: number, endMs: number): string[] {
    const lo = lowerBound(this.list, startMs);
    const hi = this.upper(endMs);
    return this.list.slice(lo, Math.max(lo, hi)).map((r) => r.key);
  }

  /** Accepts a deletion that only takes effect at `atMs` (eventual consistency). */
  deleteLater(keys: Iterable<string>, atMs: number): number {
    let n = 0;
    for (const k of keys) if (this.byKey.has(k) && !this.pending.has(k)) { this.pending.set(k, atMs); n++; }
    return n;
  }

  /** Applies the pending deletions that are due. Cheap when none are pending. */
  settle(nowMs: number): void {
    if (this.pending.size === 0) return;
    const due: string[] = [];
    for (const [k, at] of this.pending) if (at <= nowMs) due.push(k);
    if (due.length) this.deleteKeys(due);
  }

  get pendingCount(): number { return this.pending.size; }
}
