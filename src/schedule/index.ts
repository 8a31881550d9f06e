// The nightly schedule: node-cron in the household's time zone, a random delay per night (so appliances do not
// all reach a vendor at the same second), no overlap with a running purge, a switch persisted in the database,
// and a catch-up run after start when a night was missed (the Pi was off, or a run was cut short).
import cron from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import type { Config } from '../config/types.ts';
import type { Database } from '../db/open.ts';
import { getSetting, lastRunStarts, setSetting } from '../db/queries.ts';
import type { Logger } from '../log.ts';
import { PurgeLocked, RunBusy } from '../errors.ts';
import type { PurgeRunner } from '../purge/run.ts';

const ENABLED_KEY = 'schedule.enabled';
/** How far back a missed night is looked for; older misses count as missed without looking. */
const CATCH_UP_WINDOW_MS = 31 * 86_400_000;

export interface SchedulerDeps {
  config: Config;
  db: Database;
  runner: PurgeRunner;
  log: Logger;
  now?: () => number;
  random?: () => number;
  /** Pause between start-up and a catch-up run (let the network and the broker come up first). */
  catchUpDelayMs?: number;
}

export interface ScheduleState { enabled: boolean; cron: string; timezone: string; next_run_at: number | null; jitter_minutes: number }

export class Scheduler {
  private readonly deps: SchedulerDeps;
  private readonly now: () => number;
  private readonly random: () => number;
  private task?: ScheduledTask;
  private jitterMs = 0;
  private pending?: NodeJS.Timeout;
  private readonly listeners = new Set<(state: ScheduleState) => void>();

  constructor(deps: SchedulerDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
  }

  get enabled(): boolean {
    return getSetting<boolean>(this.deps.db, ENABLED_KEY) ?? this.deps.config.schedule.enabled;
  }

  /** The next purge (with this night's random delay), or null when the schedule is off. */
  nextRunAt(): number | null {
    if (!this.enabled || !this.task) return null;
    const next = this.task.getNextRun();
    return next ? next.getTime() + this.jitterMs : null;
  }

  state(): ScheduleState {
    const { cron: expression, jitter_minutes } = this.deps.config.schedule;
    return { enabled: this.enabled, cron: expression, timezone: this.deps.config.timezone, next_run_at: this.nextRunAt(), jitter_minutes };
  }

  /** Called with the new state whenever it changes (switched, a night passed). Returns the unsubscribe. */
  onChange(listener: (state: ScheduleState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    const state = this.state();
    for (const listener of this.listeners) {
      try { listener(state); } catch (err) { this.deps.log.error({ err }, 'a schedule listener failed'); }
    }
  }

  start(): void {
    const { config, log } = this.deps;
    this.pickJitter();
    this.task = cron.schedule(config.schedule.cron, () => this.tick(), { timezone: config.timezone, name: 'nightly purge' });
    log.info({ cron: config.schedule.cron, timezone: config.timezone, enabled: this.enabled, next_run_at: iso(this.nextRunAt()) }, 'schedule started');
    if (config.schedule.catch_up && this.enabled && this.missedNight()) {
      const delay = this.deps.catchUpDelayMs ?? 60_000;
      log.info({ in_ms: delay }, 'a scheduled purge was missed: catching up shortly');
      this.later(delay, 'catch_up');
    }
  }

  async stop(): Promise<void> {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    await this.task?.destroy();
    this.task = undefined;
  }

  setEnabled(enabled: boolean): void {
    setSetting(this.deps.db, ENABLED_KEY, enabled);
    if (!enabled && this.pending) { clearTimeout(this.pending); this.pending = undefined; }
    this.deps.log.info({ enabled }, 'schedule switched');
    this.changed();
  }

  private pickJitter(): void {
    this.jitterMs = Math.floor(this.random() * this.deps.config.schedule.jitter_minutes * 60_000);
  }

  private tick(): void {
    const delay = this.jitterMs;
    this.pickJitter();
    if (!this.enabled) {
      this.deps.log.info('scheduled purge skipped: the schedule is switched off');
      this.changed();
      return;
    }
    this.later(delay, 'schedule');
    this.changed();
  }

  private later(delayMs: number, trigger: 'schedule' | 'catch_up'): void {
    if (this.pending) return; // one waiting purge is enough
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.startRun(trigger);
    }, delayMs);
    this.pending.unref?.();
  }

  private startRun(trigger: 'schedule' | 'catch_up'): void {
    const { runner, log } = this.deps;
    if (!this.enabled) return;
    try {
      const { runId, done } = runner.start({ trigger });
      log.info({ run_id: runId, trigger }, 'scheduled purge started');
      done.catch((err) => log.error({ err, run_id: runId }, 'scheduled purge failed unexpectedly')).finally(() => this.changed());
    } catch (err) {
      if (err instanceof RunBusy || err instanceof PurgeLocked) {
        log.warn({ trigger, reason: err.message }, 'scheduled purge skipped: a purge is already running');
        return;
      }
      log.error({ err, trigger }, 'scheduled purge could not start');
    }
  }

  /** True when a scheduled time passed since the last run that finished (interrupted runs do not count). */
  missedNight(): boolean {
    const { finished, interrupted } = lastRunStarts(this.deps.db);
    if (finished === null) return interrupted !== null; // a first run that was cut short is owed
    const now = this.now();
    if (now - finished > CATCH_UP_WINDOW_MS) return true;
    // Minute by minute since the last finished run: at most 44,640 cheap matches, once at start-up.
    for (let t = Math.ceil((finished + 1) / 60_000) * 60_000; t <= now; t += 60_000) {
      if (this.task?.match(new Date(t))) return true;
    }
    return false;
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
