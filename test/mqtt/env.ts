// Shared pieces of the MQTT tests: a daemon context from a real config file (accounts that are never purged in
// a browser here: the run's events are driven with real database rows), a captured log, a TCP proxy that can
// cut the link like a network would, and a bounded wait.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { formatProblem, loadConfig } from '../../src/config/load.ts';
import { writeSecretFile } from '../../sim/config.ts';
import { createContext } from '../../src/context.ts';
import type { DaemonContext } from '../../src/context.ts';
import type { Config } from '../../src/config/types.ts';
import { createLogger } from '../../src/log.ts';
import type { Logger } from '../../src/log.ts';
import type { AccountResult } from '../../src/purge/events.ts';

export interface MqttBlock { url: string; username?: string; password?: string; ca_file?: string }

export interface TestContext extends CapturedLog {
  context: DaemonContext;
}

export const ACCOUNTS = [
  { id: 'kitchen', name: 'Kitchen Echo', provider: 'alexa' },
  { id: 'office', name: 'Office Google', provider: 'google' },
];

/** Writes a config with an mqtt block (secrets in 0600 files) and loads it with the real loader. */
export function writeMqttConfig(mqtt: MqttBlock, accounts = ACCOUNTS, dir: string, extra: string[] = []): Config {
  const secret = (name: string, value: string) => writeSecretFile(dir, name, value);
  const lines = [
    'version: 1', 'timezone: UTC', `state_dir: ${join(dir, 'state')}`, 'http: {host: 127.0.0.1, port: 0}', 'log: {level: debug}',
    'schedule: {cron: "30 3 * * *", catch_up: false}', ...extra,
    'mqtt:', `  url: ${mqtt.url}`,
    ...(mqtt.username ? [`  username: ${mqtt.username}`] : []),
    ...(mqtt.password ? [`  password_file: ${secret('mqtt-password', mqtt.password)}`] : []),
    ...(mqtt.ca_file ? [`  ca_file: ${mqtt.ca_file}`] : []),
    'accounts:',
  ];
  for (const a of accounts) {
    lines.push(`  - id: ${a.id}`, `    name: ${JSON.stringify(a.name)}`, `    provider: ${a.provider}`, '    email: someone@example.com');
    if (a.provider === 'alexa') lines.push(`    password_file: ${secret(`${a.id}-password`, 'not-used')}`);
  }
  const path = join(dir, 'config.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const { config, problems } = loadConfig(path);
  if (!config) throw new Error(problems.map(formatProblem).join('\n'));
  return config;
}

export interface CapturedLog {
  log: Logger;
  logs: string[];
  /** Parsed log lines whose msg matches. */
  logged(msg: RegExp): { level: number; msg: string; [k: string]: unknown }[];
}

export function captureLog(): CapturedLog {
  const logs: string[] = [];
  const log = createLogger({ level: 'debug', destination: new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }) });
  return { log, logs, logged: (msg) => logs.map((l) => JSON.parse(l)).filter((l) => msg.test(l.msg)) };
}

/** The daemon's context from such a config; its database closed in teardown. */
export function mqttContext(t: Test, mqtt: MqttBlock, accounts = ACCOUNTS, dir = t.testdir()): TestContext {
  const config = writeMqttConfig(mqtt, accounts, dir);
  const captured = captureLog();
  const context = createContext(config, captured.log, {});
  t.teardown(() => context.db.close());
  return { context, ...captured };
}

export type Outcome = Partial<AccountResult> & { account_id: string };

/** A run told through the real event stream (the recorder writes the rows, the MQTT link listens), with
 *  optional pauses between steps. */
export async function driveRun(context: DaemonContext, outcomes: Outcome[], opts: { dryRun?: boolean; progressSteps?: number; between?: () => Promise<void> } = {}): Promise<number> {
  const { events, recorder } = context.purge;
  const accounts = outcomes.map((o) => ({ id: o.account_id, provider: context.config.accounts.find((a) => a.id === o.account_id)?.provider ?? 'alexa' }));
  const at = Date.now();
  const runId = recorder.createRun('cli', opts.dryRun === true, accounts, at);
  events.emit('run_started', { run_id: runId, trigger: 'cli', dry_run: opts.dryRun === true, accounts: accounts.map((a) => a.id), at });
  let deleted = 0;
  let remaining = 0;
  for (const o of outcomes) {
    events.emit('account_started', { run_id: runId, account_id: o.account_id, at: Date.now() });
    const found = o.found ?? 0;
    const steps = opts.progressSteps ?? 0;
    for (let i = 1; i <= steps; i++) {
      events.emit('account_progress', { run_id: runId, account_id: o.account_id, phase: 'deleting', found, deleted: Math.round((found * i) / steps), at: Date.now() });
    }
    await opts.between?.();
    const result: AccountResult = {
      provider: accounts.find((a) => a.id === o.account_id)!.provider, status: 'ok', found, deleted: found, remaining: 0,
      oldest_at: null, newest_at: null, error_kind: null, error_message: null, attempts: 1, started_at: at, finished_at: Date.now(),
      evidence_dir: null, details: {}, ...o,
    };
    deleted += result.deleted ?? 0;
    remaining += result.remaining ?? 0;
    events.emit('account_finished', { run_id: runId, result, at: result.finished_at });
  }
  const failed = outcomes.some((o) => o.status === 'failed');
  events.emit('run_finished', {
    run_id: runId, status: failed ? 'failed' : 'ok', dry_run: opts.dryRun === true, found: deleted + remaining, deleted, remaining,
    duration_ms: Date.now() - at, at: Date.now(), message: null,
  });
  return runId;
}

/** Polls `check` every 25 ms until it is truthy; fails after timeoutMs. */
export async function until<T>(what: string, check: () => T | undefined | false | null, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A loopback TCP proxy to the broker that can drop every connection at once, the way a network outage does
 *  (no DISCONNECT packet: the broker publishes the client's last will). */
export interface Proxy {
  url: string;
  /** Destroys open connections; refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function tcpProxy(targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) { client.destroy(); return; }
    const upstream = new (client.constructor as typeof Socket)();
    upstream.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    cut() { refusing = true; for (const s of sockets) s.destroy(); },
    restore() { refusing = false; },
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
