// The MQTT link itself, knowing nothing of Home Assistant (zigbee2mqtt's lib/mqtt.ts): one client, connected in
// the background with a growing pause between attempts (a broker that is down or refuses the password never
// blocks or slows a purge), availability (retained `online`, `offline` as the last will and before a clean
// stop), subscriptions renewed on every connect, publishing that drops what cannot go now.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { MqttConfig } from '../config/types.ts';
import type { DaemonContext, MqttHealth } from '../context.ts';
import { getSetting, setSetting } from '../db/queries.ts';
import { withDeadline } from '../async.ts';
import type { Logger } from '../log.ts';

export interface LinkOptions {
  /** First pause between connection attempts; doubles after each failure up to reconnectMaxMs. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  connectTimeoutMs?: number;
}

export interface Link {
  health(): MqttHealth;
  /** Sent at qos 1; dropped at once when not connected (`done(false)`): whoever publishes rebuilds on connect. */
  publish(topic: string, payload: string, retain: boolean, done?: (ok: boolean) => void): void;
  /** Subscribed now if connected, and again on every connect (the session is clean). */
  subscribe(topics: string[]): void;
  /** After each (re)connect, once `online` is sent and the subscriptions are renewed. */
  onConnect(listener: () => void): void;
  onMessage(listener: (topic: string, payload: Buffer, retained: boolean) => void): void;
  stop(): Promise<void>;
}

const CLIENT_ID_KEY = 'mqtt.client_id';
const STOP_DEADLINE_MS = 2_000;

/** `voicewipe_<8 hex>`, made once per install and kept in the database. */
export function installClientId(context: Pick<DaemonContext, 'db'>): string {
  const saved = getSetting<string>(context.db, CLIENT_ID_KEY);
  if (typeof saved === 'string' && /^voicewipe_[0-9a-f]{8}$/.test(saved)) return saved;
  const id = `voicewipe_${randomBytes(4).toString('hex')}`;
  setSetting(context.db, CLIENT_ID_KEY, id);
  return id;
}

/** Wraps a timer or client callback: it must never throw into mqtt.js or the event loop; a failure is logged. */
export function safely(log: Logger, what: string, fn: () => void): () => void {
  return () => {
    try { fn(); } catch (err) { log.error({ err }, `MQTT: ${what} failed`); }
  };
}

/** Starts connecting in the background; undefined (the reason logged) when the configuration cannot be used. */
export function connectLink(context: Pick<DaemonContext, 'db'>, config: MqttConfig, statusTopic: string, log: Logger, opts: LinkOptions = {}): Link | undefined {
  const reconnectMin = opts.reconnectMinMs ?? 1_000;
  const reconnectMax = opts.reconnectMaxMs ?? 60_000;

  let options: IClientOptions;
  try {
    options = {
      clientId: installClientId(context),
      username: config.username,
      password: config.password,
      clean: true,
      protocolVersion: 4,
      keepalive: 30,
      connectTimeout: opts.connectTimeoutMs ?? 10_000,
      // We reconnect ourselves, with a pause that grows: mqtt.js only knows a fixed period.
      reconnectPeriod: 0,
      will: { topic: statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(config.ca_file ? { ca: readFileSync(config.ca_file) } : {}),
    };
  } catch (err) {
    log.error({ err, ca_file: config.ca_file }, 'MQTT not started: cannot read the CA certificate');
    return undefined;
  }

  let client: MqttClient;
  try {
    client = mqtt.connect(config.url, options);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'MQTT not started: the client refused the configuration');
    return undefined;
  }

  let stopping = false;
  let everConnected = false;
  let up = false;
  let reconnectDelay = reconnectMin;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let lastError: string | undefined;
  const subscriptions: string[] = [];
  const connectListeners: (() => void)[] = [];
  const messageListeners: ((topic: string, payload: Buffer, retained: boolean) => void)[] = [];

  function publish(topic: string, payload: string, retain: boolean, done?: (ok: boolean) => void): void {
    if (!client.connected) {
      // Nothing is queued while away: states are rebuilt from the database on the next connect.
      done?.(false);
      return;
    }
    client.publish(topic, payload, { qos: 1, retain }, (err) => {
      if (err) log.debug({ topic, err: err.message }, 'publish not delivered');
      done?.(!err);
    });
  }

  function subscribeNow(topics: string[]): void {
    if (topics.length === 0) return;
    client.subscribe(topics, { qos: 1 }, (err) => {
      if (err && !stopping) log.warn({ err: err.message, topics }, 'MQTT subscription failed: those messages will not arrive');
    });
  }

  client.on('connect', safely(log, 'publishing on connect', () => {
    reconnectDelay = reconnectMin;
    lastError = undefined;
    log.info({ url: config.url, client_id: options.clientId }, everConnected ? 'MQTT reconnected' : 'MQTT connected');
    everConnected = true;
    up = true;
    subscribeNow(subscriptions);
    publish(statusTopic, 'online', true);
    for (const listener of connectListeners) listener();
  }));

  client.on('close', () => {
    if (stopping) return;
    if (up) {
      up = false;
      log.warn('MQTT connection lost; reconnecting in the background');
    }
    if (reconnectTimer) return;
    const delay = reconnectDelay;
    reconnectDelay = Math.min(reconnectDelay * 2, reconnectMax);
    log.debug({ in_ms: delay }, 'MQTT reconnect scheduled');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (!stopping) client.reconnect();
    }, delay);
    reconnectTimer.unref();
  });

  client.on('error', (err) => {
    // The same refusal every minute is one line, not a flood.
    const message = err.message;
    if (message === lastError) { log.debug({ err: message }, 'MQTT error'); return; }
    lastError = message;
    const code = (err as { code?: unknown }).code;
    const hint = code === 4 || code === 5 || code === 134 || code === 135
      ? 'the broker refused the user name or password (mqtt.username, mqtt.password_file)'
      : 'the broker cannot be reached; retrying with a growing pause';
    log.warn({ err: message, url: config.url }, `MQTT: ${hint}`);
  });

  client.on('message', (topic, payload, packet) => {
    for (const listener of messageListeners) {
      try {
        listener(topic, payload, packet.retain);
      } catch (err) {
        log.error({ err, topic: topic.slice(0, 200) }, 'an MQTT message could not be handled');
      }
    }
  });

  let stopped: Promise<void> | undefined;
  return {
    health: () => (client.connected ? 'connected' : 'disconnected'),
    publish,
    subscribe(topics) {
      subscriptions.push(...topics);
      if (client.connected) subscribeNow(topics);
    },
    onConnect: (listener) => { connectListeners.push(listener); },
    onMessage: (listener) => { messageListeners.push(listener); },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearTimeout(reconnectTimer);
        if (client.connected) {
          // A clean disconnect does not fire the will: say goodbye ourselves.
          await brokerAnswer(new Promise<void>((resolve) => client.publish(statusTopic, 'offline', { qos: 1, retain: true }, () => resolve())));
          const ended = await brokerAnswer(new Promise<boolean>((resolve) => client.end(false, {}, () => resolve(true))));
          if (!ended) client.end(true);
        } else {
          client.end(true);
        }
        log.info('MQTT stopped');
      })();
      return stopped;
    },
  };
}

/** Waits at most STOP_DEADLINE_MS: a broker that stopped answering must not hold a shutdown. */
function brokerAnswer<T>(work: Promise<T>): Promise<T | undefined> {
  return withDeadline(work, STOP_DEADLINE_MS);
}
