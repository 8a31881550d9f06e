// Shared pieces of the reliability suite (test/reliability/): its size (quick or full), a seeded random
// generator so a failing point reproduces, the figures each file reports, and small probes of what a killed
// or stressed daemon left behind (Chromium processes, state files, the database).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Test } from 'tap';

/** `VOICEWIPE_RELIABILITY=full` for the long version; anything else (or unset: the main `npm test`) is quick. */
export const MODE: 'quick' | 'full' = process.env.VOICEWIPE_RELIABILITY === 'full' ? 'full' : 'quick';
export const FULL = MODE === 'full';

/** One seed for every random choice of a run; printed, and taken from VOICEWIPE_RELIABILITY_SEED to replay it. */
export const SEED = Number(process.env.VOICEWIPE_RELIABILITY_SEED) || 20_240_611;

/** quick or full, by mode. */
export function size<T>(quick: T, full: T): T {
  return FULL ? full : quick;
}

/** mulberry32: a tiny seeded PRNG, enough to pick kill points and timings reproducibly. */
export function prng(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** What a reliability file did, printed once at its end as the line scripts/reliability.ts sums:
 *  `# reliability: faults_injected=N survived=N inputs_tried=N crashes=N`. */
export class Figures {
  faults_injected = 0;
  survived = 0;
  inputs_tried = 0;
  crashes = 0;

  /** The mode and seed, first thing in the file's output, so a failure can be replayed. */
  announce(t: Test, label: string): void {
    t.comment(`${label}: mode=${MODE} seed=${SEED} (replay with VOICEWIPE_RELIABILITY=${MODE} VOICEWIPE_RELIABILITY_SEED=${SEED})`);
  }

  /** Call last, after every subtest was awaited. */
  report(t: Test): void {
    t.comment(this.line());
  }

  line(): string {
    return `reliability: faults_injected=${this.faults_injected} survived=${this.survived} inputs_tried=${this.inputs_tried} crashes=${this.crashes}`;
  }
}

/** Chromium processes launched by the daemon with this pid (the launch marker `--voicewipe-browser=<pid>-` carries it). */
export function browsersOf(pid: number | undefined): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`--voicewipe-browser=${pid}-`));
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** A short read-only look into a daemon's database (it may be running, or have been killed mid-write). */
export function withDb<T>(path: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    return fn(db);
  } finally {
    db.close();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
