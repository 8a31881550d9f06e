// The daemon's lifecycle: config → database → admin token → HTTP; clean shutdown on SIGTERM/SIGINT.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/types.ts';
import { openDatabase } from './db/open.ts';
import type { Database } from './db/open.ts';
import { buildApp } from './http/app.ts';
import { ensureAdminToken } from './http/admin-token.ts';
import { createLogger } from './log.ts';
import type { Logger } from './log.ts';
import { VERSION } from './version.ts';

export interface Daemon {
  app: FastifyInstance;
  db: Database;
  log: Logger;
  /** `http://host:port` the daemon listens on (the real port when the config asked for 0). */
  url: string;
  close(): Promise<void>;
}

/** How long a shutdown may take before the process is ended anyway (systemd's default stop timeout is 90 s). */
export const SHUTDOWN_DEADLINE_MS = 10_000;

export function databasePath(config: Config): string {
  return join(config.state_dir, 'voicewipe.db');
}

export async function startDaemon(config: Config, log: Logger): Promise<Daemon> {
  const { db, migrated, backup } = openDatabase(databasePath(config));
  if (migrated.length > 0) log.info({ migrated, backup }, 'database schema updated');
  ensureAdminToken(config.state_dir);
  const app = buildApp({ log, db, version: VERSION, mqttHealth: () => (config.mqtt ? 'disconnected' : 'disabled') });
  let address: string;
  try {
    address = await app.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    db.close();
    throw err;
  }
  log.info({ url: address, version: VERSION, accounts: config.accounts.length }, 'voicewipe is running');
  let closing: Promise<void> | undefined;
  return {
    app, db, log, url: address,
    close() {
      closing ??= (async () => {
        await app.close();
        db.close();
        log.info('voicewipe stopped');
      })();
      return closing;
    },
  };
}

/** `voicewipe start`: runs until SIGTERM/SIGINT. Resolves with the process exit code. */
export async function runDaemon(config: Config): Promise<number> {
  const log = createLogger({ level: config.log.level });
  let daemon: Daemon;
  try {
    daemon = await startDaemon(config, log);
  } catch (err) {
    log.fatal({ err }, 'voicewipe could not start');
    log.flush();
    return 1;
  }
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      // Never hang a shutdown: whatever is not closed by the deadline is abandoned.
      const deadline = setTimeout(() => { log.error('shutdown took too long; exiting anyway'); resolve(1); }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      daemon.close().then(() => { clearTimeout(deadline); resolve(0); }, (err) => {
        log.error({ err }, 'error while shutting down');
        resolve(1);
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
