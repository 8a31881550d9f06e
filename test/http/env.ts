// A daemon context on a temp state directory and a real SQLite file, with accounts that point at a running
// simulator, and a history seeded through the recorder (the same events a real run emits).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { writeSimConfig } from '../../sim/config.ts';
import type { SimConfigAccount } from '../../sim/config.ts';
import type { Simulator } from '../../sim/server.ts';
import { evidenceDir } from '../../src/browser/evidence.ts';
import { formatProblem, loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/types.ts';
import { createContext } from '../../src/context.ts';
import type { ContextOptions, DaemonContext } from '../../src/context.ts';
import { createLogger } from '../../src/log.ts';
import type { Logger } from '../../src/log.ts';
import type { ErrorKind } from '../../src/errors.ts';
import type { AccountResult } from '../../src/purge/events.ts';
import { DAY_MS } from '../../src/purge/cutoff.ts';
import { TEST_RUNNER } from '../helpers/purge.ts';

export interface ConfigOptions {
  accounts?: SimConfigAccount[];
  /** Display names by account id (the simulator config names them after their e-mail). */
  names?: Record<string, string>;
  /** Extra keys of the `http` block, as YAML flow text: `public_status: false`. */
  http?: string;
}

export function quietLogger(lines?: string[]): Logger {
  return createLogger({ level: 'info', destination: new Writable({ write(chunk, _e, cb) { lines?.push(String(chunk)); cb(); } }) });
}

/** Writes and loads a config whose accounts are the simulator's; the schedule is on, without catch-up. */
export function simConfig(sim: Simulator, dir: string, opts: ConfigOptions = {}): Config {
  const path = writeSimConfig(sim, {
    dir,
    accounts: opts.accounts ?? [{ sim: 'alexa', id: 'kitchen', keep_days: 30 }, { sim: 'alexa-uk', id: 'bedroom', keep_days: 7 }],
    extra: ['schedule: {cron: "30 3 * * *", jitter_minutes: 0, catch_up: false}'],
    stepTimeoutSeconds: 10,
  });
  for (const [id, name] of Object.entries(opts.names ?? {})) {
    writeFileSync(path, readFileSync(path, 'utf8').replace(new RegExp(`(- id: ${id}\\n\\s+name: ).*`), `$1${JSON.stringify(name)}`));
  }
  if (opts.http) {
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^http: \{(.*)\}$/m, `http: {$1, ${opts.http}}`));
  }
  const { config, problems } = loadConfig(path);
  if (!config) throw new Error(problems.map(formatProblem).join('\n'));
  return config;
}

export function testContext(t: Test, config: Config, opts: ContextOptions = {}, log = quietLogger()): DaemonContext {
  const context = createContext(config, log, { runner: TEST_RUNNER, ...opts });
  t.teardown(async () => {
    await context.scheduler.stop();
    await context.purge.runner.cancel();
    context.db.close();
  });
  return context;
}

interface SeedAccount { id: string; provider: string }

/** Past nights as the recorder would have written them, newest last: mostly ok, one captcha, one network
 *  failure with evidence files, one dry run. Returns the run ids, oldest first. */
export function seedHistory(context: DaemonContext, nights: number, now = Date.now()): number[] {
  const { recorder, events } = context.purge;
  const accounts: SeedAccount[] = context.config.accounts.filter((a) => a.enabled).map((a) => ({ id: a.id, provider: a.provider }));
  const ids: number[] = [];
  // Last night's 03:30 (UTC), or the night before when that run would not have finished yet.
  let lastNight = Math.floor(now / DAY_MS) * DAY_MS + 3.5 * 3_600_000;
  if (lastNight > now - 2 * 3_600_000) lastNight -= DAY_MS;
  for (let night = nights; night >= 1; night--) {
    const startedAt = lastNight - (night - 1) * DAY_MS;
    const dryRun = night === 3;
    const runId = recorder.createRun('schedule', dryRun, accounts, startedAt);
    ids.push(runId);
    let at = startedAt;
    const results: AccountResult[] = accounts.map((a, i) => {
      const failure: ErrorKind | null = night === 2 && i === 0 ? 'captcha' : night === 5 && i === accounts.length - 1 ? 'network' : null;
      const found = failure === 'captcha' ? null : 20 + ((night * 37 + i * 11) % 90);
      const deleted = found === null || dryRun ? (found === null ? null : 0) : failure ? Math.floor(found / 2) : found;
      at += 40_000 + i * 5_000;
      let evidence: string | null = null;
      if (failure) {
        const dir = evidenceDir(context.config.state_dir, runId, a.id);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'screenshot.png'), readFileSync(new URL('../../sim/docs/amazon-signin-error.png', import.meta.url)));
        writeFileSync(join(dir, 'page.html'), '<!doctype html><title>Sign-in</title><p>Type the characters you see</p><script>alert(1)</script>');
        evidence = join('evidence', String(runId), a.id);
      }
      return {
        account_id: a.id, provider: a.provider, status: failure ? 'failed' : 'ok', found, deleted,
        remaining: found === null ? null : found - (deleted ?? 0), oldest_at: null, newest_at: null, error_kind: failure,
        error_message: failure === 'captcha' ? 'Amazon showed a captcha' : failure ? 'net::ERR_CONNECTION_RESET' : null,
        attempts: failure === 'network' ? 3 : 1, started_at: at - 40_000, finished_at: at, evidence_dir: evidence,
        details: { cutoff: new Date(startedAt - 30 * DAY_MS).toISOString(), notes: ['signed in with the saved session'] },
      };
    });
    for (const r of results) {
      events.emit('account_started', { run_id: runId, account_id: r.account_id, at: r.started_at });
      events.emit('account_finished', { run_id: runId, result: r, at: r.finished_at });
    }
    const sum = (k: 'found' | 'deleted' | 'remaining') => results.reduce((n, r) => n + (r[k] ?? 0), 0);
    const failed = results.filter((r) => r.error_kind);
    events.emit('run_finished', {
      run_id: runId, status: failed.some((r) => r.error_kind === 'network') ? 'failed' : failed.length ? 'needs_person' : 'ok', dry_run: dryRun,
      found: sum('found'), deleted: sum('deleted'), remaining: sum('remaining'), duration_ms: at - startedAt, at,
      message: failed.length ? failed.map((r) => `${r.account_id}: ${r.error_kind}`).join('; ') : null,
    });
  }
  return ids;
}
