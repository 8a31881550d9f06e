// Everything a running daemon's parts share: one config, one database, one logger, one purge runner with its
// event stream, one schedule. The HTTP app and the MQTT link receive this and nothing else.
import { join } from 'node:path';
import type { Config } from './config/types.ts';
import { openDatabase } from './db/open.ts';
import type { Database } from './db/open.ts';
import { pruneHistory } from './db/prune.ts';
import { ensureAdminToken } from './http/admin-token.ts';
import { publicUrl } from './http/public-url.ts';
import type { Logger } from './log.ts';
import { createPurge } from './purge/index.ts';
import type { Purge } from './purge/index.ts';
import type { RunnerOptions } from './purge/run.ts';
import { Scheduler } from './schedule/index.ts';
import { RemoteSignIns } from './signin/remote.ts';
import { loadProviders } from './providers/load.ts';
import { VERSION } from './version.ts';

export type MqttHealth = 'disabled' | 'connected' | 'disconnected';

export interface DaemonContext {
  config: Config;
  db: Database;
  log: Logger;
  version: string;
  startedAt: number;
  purge: Purge;
  scheduler: Scheduler;
  /** A person signing in through the daemon's browser (status page). */
  signIns: RemoteSignIns;
  adminToken: string;
  /** The status page as people reach it (src/http/public-url.ts); the daemon sets the real port once listening. */
  publicUrl: string;
  /** Set by the MQTT link once started; `disabled` without an `mqtt` block. */
  mqttHealth: () => MqttHealth;
}

export interface ContextOptions {
  runner?: RunnerOptions;
  now?: () => number;
  catchUpDelayMs?: number;
}

export function databasePath(config: Config): string {
  return join(config.state_dir, 'voicewipe.db');
}

/** Opens the database (migrating it), recovers runs a dead process left behind, prunes old history. */
export function createContext(config: Config, log: Logger, opts: ContextOptions = {}): DaemonContext {
  const now = opts.now ?? Date.now;
  const { db, migrated, backup } = openDatabase(databasePath(config));
  if (migrated.length > 0) log.info({ migrated, backup }, 'database schema updated');
  try {
    const purge = createPurge(config, db, log, opts.runner, opts.now);
    const interrupted = purge.recorder.markInterrupted(now());
    if (interrupted.length > 0) log.warn({ runs: interrupted }, 'runs cut short by a stop of the process were marked interrupted');
    const pruned = pruneHistory(db, config.state_dir, config.history.keep_days, now());
    if (pruned.runs > 0) log.info(pruned, 'old run history pruned');
    // Daily is enough: after every run (the nightly one included) and at every start.
    purge.events.on('run_finished', () => {
      const result = pruneHistory(db, config.state_dir, config.history.keep_days, now());
      if (result.runs > 0) log.info(result, 'old run history pruned');
    });
    const scheduler = new Scheduler({ config, db, runner: purge.runner, log: log.child({ module: 'schedule' }), now: opts.now, catchUpDelayMs: opts.catchUpDelayMs });
    const signIns = new RemoteSignIns({
      config, vault: purge.vault, log: log.child({ module: 'signin' }), providers: loadProviders,
      busy: () => purge.runner.running !== undefined,
      // Signed in: purge that account now, which proves the session works and turns its card healthy.
      onSignedIn: (accountId) => {
        try { purge.runner.start({ trigger: 'manual', accountId }); } catch (err) { log.warn({ err: (err as Error).message, account: accountId }, 'no purge after sign-in'); }
      },
    });
    return {
      config, db, log, version: VERSION, startedAt: now(), purge, scheduler, signIns,
      adminToken: ensureAdminToken(config.state_dir),
      publicUrl: publicUrl(config.http),
      mqttHealth: () => (config.mqtt ? 'disconnected' : 'disabled'),
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
