// A real Mosquitto for the tests: its own config in a temp directory, a free loopback port, optional password
// file and TLS (a certificate made here with openssl), stop/start on the same port with persistence; and a
// plain MQTT client that watches topics the way Home Assistant would.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { freePort } from './net.ts';

export const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

export interface BrokerOptions {
  /** user name → password; anonymous clients are refused when given. */
  users?: Record<string, string>;
  /** TLS listener with a self-signed certificate for 127.0.0.1 (its PEM at `caFile`). */
  tls?: boolean;
}

export interface Broker {
  port: number;
  /** mqtt://127.0.0.1:PORT or mqtts://127.0.0.1:PORT */
  url: string;
  caFile?: string;
  /** Everything the broker logged (connections included). */
  log(): string;
  /** TCP connections the broker accepted so far ("New connection from"). */
  connections(): number;
  running(): boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startBroker(opts: BrokerOptions = {}): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-mosquitto-'));
  const port = await freePort();
  const lines = [
    `listener ${port} 127.0.0.1`,
    'log_dest stderr',
    'log_type error', 'log_type warning', 'log_type notice', 'log_type information',
    'connection_messages true',
    'persistence true',
    `persistence_location ${dir}/`,
  ];
  if (process.getuid?.() === 0) lines.push('user root'); // else mosquitto drops to a user that cannot read dir
  if (opts.users) {
    const file = join(dir, 'passwords');
    for (const [i, [user, password]] of Object.entries(opts.users).entries()) {
      const r = spawnSync(MOSQUITTO_PASSWD, ['-b', ...(i === 0 ? ['-c'] : []), file, user, password], { encoding: 'utf8', timeout: 10_000 });
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
    }
    lines.push('allow_anonymous false', `password_file ${file}`);
  } else {
    lines.push('allow_anonymous true');
  }
  let caFile: string | undefined;
  if (opts.tls) {
    caFile = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=voicewipe test broker', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', caFile],
    { encoding: 'utf8', timeout: 20_000 });
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    lines.push(`certfile ${caFile}`, `keyfile ${key}`);
  }
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);

  let log = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  async function start(): Promise<void> {
    if (child) return;
    const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => { if (child === proc) child = undefined; resolve(); }));
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mosquitto did not start within 10 s:\n${log}`)), 10_000);
      const onData = (d: Buffer) => {
        log += d;
        if (/ running$/m.test(log.slice(-2000))) { clearTimeout(timer); resolve(); }
      };
      proc.stderr!.on('data', onData);
      proc.stdout!.on('data', (d: Buffer) => { log += d; });
      proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`mosquitto exited (${code}):\n${log}`)); });
      proc.once('error', (err) => { clearTimeout(timer); reject(err); });
    });
    await ready;
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  }

  await start();
  return {
    port,
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    caFile,
    log: () => log,
    connections: () => (log.match(/New connection from /g) ?? []).length,
    running: () => child !== undefined,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Seen {
  topic: string;
  payload: string;
  retain: boolean;
  at: number;
}

export interface Watcher {
  client: MqttClient;
  messages: Seen[];
  /** The newest message on a topic (retained or live), if any. */
  latest(topic: string): Seen | undefined;
  /** Resolves with the first message (from `from` on) that matches; rejects after timeoutMs. */
  waitFor(match: (m: Seen) => boolean, timeoutMs?: number, from?: number): Promise<Seen>;
  publish(topic: string, payload: string | Buffer, opts?: { retain?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** A plain MQTT client subscribed to `topics` (default everything), as Home Assistant would be. */
export async function watch(url: string, topics: string[] = ['#'], options: IClientOptions = {}): Promise<Watcher> {
  const client = mqtt.connect(url, { reconnectPeriod: 200, connectTimeout: 5_000, clientId: `watcher_${Math.random().toString(16).slice(2, 10)}`, ...options });
  const messages: Seen[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain, at: Date.now() });
    for (const w of waiters) w();
  });
  client.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`watcher could not connect to ${url}`)), 10_000);
    client.once('connect', () => { clearTimeout(timer); resolve(); });
  });
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    messages,
    latest(topic) {
      for (let i = messages.length - 1; i >= 0; i--) if (messages[i].topic === topic) return messages[i];
      return undefined;
    },
    waitFor(match, timeoutMs = 10_000, from = 0) {
      return new Promise((resolve, reject) => {
        let index = from;
        const check = () => {
          for (; index < messages.length; index++) {
            if (match(messages[index])) { cleanup(); resolve(messages[index]); return; }
          }
        };
        const timer = setTimeout(() => { cleanup(); reject(new Error(`no matching MQTT message within ${timeoutMs} ms`)); }, timeoutMs);
        const cleanup = () => { clearTimeout(timer); waiters.delete(check); };
        waiters.add(check);
        check();
      });
    },
    async publish(topic, payload, opts = {}) {
      await client.publishAsync(topic, payload, { qos: 1, retain: opts.retain ?? false });
    },
    async close() {
      await client.endAsync(true).catch(() => {});
    },
  };
}
