// The daemon's lifecycle: config → database → purge runner → HTTP → MQTT → schedule; and a clean shutdown on
// SIGTERM/SIGINT: stop taking work, cancel the run (recorded `cancelled`, browser closed), say goodbye on MQTT.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/types.ts';
import { createContext } from './context.ts';
import type { ContextOptions, DaemonContext } from './context.ts';
import { buildApp } from './http/app.ts';
import { publicUrl } from './http/public-url.ts';
import { createLogger } from './log.ts';
import type { Logger } from './log.ts';
import { SystemdNotifier } from './sd-notify.ts';
import { secureStateDir } from './state-dir.ts';
import { pruneEvidence } from './browser/evidence.ts';
import { pausingRunIds } from './db/queries.ts';
import { describeLeftovers, sweepSignInBrowsers } from './browser/leftovers.ts';
import { dualProtocolServer, ensureCertificate, tlsEnabled } from './http/tls.ts';
import type { MqttLink } from './mqtt/index.ts';

export interface Daemon {
  context: DaemonContext;
  app: FastifyInstance;
  /** `http(s)://host:port` the daemon listens on (the real port when the config asked for 0). */
  url: string;
  close(): Promise<void>;
}

/** How long a shutdown may take before the process is ended anyway (systemd's default stop timeout is 90 s). */
export const SHUTDOWN_DEADLINE_MS = 10_000;

export async function startDaemon(config: Config, log: Logger, opts: ContextOptions = {}): Promise<Daemon> {
  const tightened = secureStateDir(config.state_dir);
  if (tightened.length > 0) log.warn({ paths: tightened }, 'state files were readable by others: made private (0600/0700)');
  await endLeftoverSignInBrowsers(config.state_dir, log);
  // HTTPS unless bound to loopback only (http.tls): the certificate is made on the first start.
  const cert = tlsEnabled(config.http) ? await ensureCertificate(config.state_dir, config.http.allowed_hosts) : undefined;
  const context = createContext(config, log, opts);
  let app: FastifyInstance;
  let url: string;
  try {
    app = buildApp(context, cert ? { serverFactory: dualProtocolServer(cert) } : {});
    url = await app.listen({ host: config.http.host, port: config.http.port });
    if (cert) {
      url = url.replace(/^http:/, 'https:');
      log.info({ fingerprint_sha256: cert.fingerprint, expires: cert.notAfter }, 'HTTPS with a self-signed certificate: check this fingerprint when the browser asks');
    }
  } catch (err) {
    context.db.close();
    throw err;
  }
  const address = app.server.address();
  context.publicUrl = publicUrl(config.http, typeof address === 'object' && address ? address.port : config.http.port);
  // The broker may be down: connecting never blocks the start (mqtt.connect retries in the background).
  let mqtt: MqttLink | undefined;
  if (config.mqtt) {
    // The MQTT client library is loaded only by installs that use it (about 100 ms and a few MB on a Pi).
    const { startMqtt } = await import('./mqtt/index.ts');
    mqtt = startMqtt(context);
    context.mqttHealth = () => mqtt!.health();
  }
  // Evidence (masked, encrypted) is kept history.evidence_days: pruned now and after every run.
  const pruneOldEvidence = () => {
    const removed = pruneEvidence(config.state_dir, config.history.evidence_days, { keep: pausingRunIds(context.db) });
    if (removed > 0) log.info({ runs: removed, evidence_days: config.history.evidence_days }, 'old evidence removed');
  };
  pruneOldEvidence();
  context.purge.events.on('run_finished', pruneOldEvidence);
  context.scheduler.start();
  log.info({ url: context.publicUrl, listening: url, version: context.version, accounts: config.accounts.length },
    `voicewipe is running: status page ${context.publicUrl} (admin token: run \`voicewipe token\` on this machine)`);
  let closing: Promise<void> | undefined;
  return {
    context, app, url,
    close() {
      closing ??= (async () => {
        await context.scheduler.stop();
        await app.close(); // no new requests; the event stream closes
        await context.signIns.closeAll();
        await context.purge.runner.cancel();
        await mqtt?.stop();
        context.db.close();
        log.info('voicewipe stopped');
      })();
      return closing;
    },
  };
}

/** A voicewipe killed outside systemd leaves the person's sign-in browser running with the session: end it. */
async function endLeftoverSignInBrowsers(stateDir: string, log: Logger): Promise<void> {
  try {
    const leftovers = await sweepSignInBrowsers(stateDir);
    const said = describeLeftovers(leftovers);
    if (said) log.warn({ ended: leftovers.ended, wiped: leftovers.wiped, in_use: leftovers.inUse }, said);
  } catch (err) {
    // /proc unreadable (not Linux, a locked-down container): nothing to sweep, never a reason not to start.
    log.warn({ err: (err as Error).message }, 'could not look for sign-in browsers left by an earlier voicewipe');
  }
}

/** `voicewipe start`: runs until SIGTERM/SIGINT. Resolves with the process exit code. */
export async function runDaemon(config: Config, opts: ContextOptions = {}): Promise<number> {
  const log = createLogger({ level: config.log.level });
  let daemon: Daemon;
  try {
    daemon = await startDaemon(config, log, opts);
  } catch (err) {
    log.fatal({ err }, 'voicewipe could not start');
    log.flush();
    return 1;
  }
  const systemd = new SystemdNotifier(log);
  systemd.ready(`serving on ${daemon.url}`);
  daemon.context.purge.events.on('run_started', (e) => systemd.status(`purging ${e.accounts.length} account(s), run ${e.run_id}`));
  daemon.context.purge.events.on('run_finished', (e) => systemd.status(`idle; run ${e.run_id} ${e.status}, ${e.deleted} deleted`));
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      systemd.stopping();
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
