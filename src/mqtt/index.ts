// The MQTT link to Home Assistant: one client, connected in the background with a growing pause between
// attempts (a broker that is down or refuses the password never blocks or slows a purge), availability with a
// retained last will, discovery and states re-published on every connect and after Home Assistant's birth,
// states and events from the run's event stream, commands from the broker.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { AccountConfig } from '../config/types.ts';
import type { DaemonContext, MqttHealth } from '../context.ts';
import { getSetting, setSetting } from '../db/queries.ts';
import { withDeadline } from '../async.ts';
import { PurgeLocked, RunBusy, UnknownAccount } from '../errors.ts';
import { commandSubscriptions, parseCommand, preview } from './commands.ts';
import type { Command } from './commands.ts';
import { accountDiscovery, applianceDiscovery, removedAccountDiscovery, stableJson, topics } from './discovery.ts';
import type { Topics } from './discovery.ts';
import {
  accountEvent, accountState, applianceState, busyEvent, runFinishedEvent, runStartedEvent,
} from './state.ts';
import type { LiveAccount, LiveRun } from './state.ts';

export interface MqttLink {
  health(): MqttHealth;
  stop(): Promise<void>;
}

export interface MqttOptions {
  /** Pause after Home Assistant's birth message before re-publishing, picked at random in [min, max]. */
  birthDelayMs?: [number, number];
  /** First pause between connection attempts; doubles after each failure up to reconnectMaxMs. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** At most one progress state per account per this many milliseconds. */
  progressIntervalMs?: number;
  /** How often account states are checked for a change the clock makes (overdue); only changes are sent. */
  recheckMs?: number;
  connectTimeoutMs?: number;
  random?: () => number;
}

const CLIENT_ID_KEY = 'mqtt.client_id';
const PUBLISHED_ACCOUNTS_KEY = 'mqtt.published_accounts';
const STOP_DEADLINE_MS = 2_000;

/** `voicewipe_<8 hex>`, made once per install and kept in the database. */
export function installClientId(context: Pick<DaemonContext, 'db'>): string {
  const saved = getSetting<string>(context.db, CLIENT_ID_KEY);
  if (typeof saved === 'string' && /^voicewipe_[0-9a-f]{8}$/.test(saved)) return saved;
  const id = `voicewipe_${randomBytes(4).toString('hex')}`;
  setSetting(context.db, CLIENT_ID_KEY, id);
  return id;
}

export function startMqtt(context: DaemonContext, opts: MqttOptions = {}): MqttLink {
  const config = context.config.mqtt;
  if (!config) return { health: () => 'disabled', stop: async () => {} };
  const log = context.log.child({ module: 'mqtt' });
  const t: Topics = { base: config.base_topic, prefix: config.discovery_prefix };
  const random = opts.random ?? Math.random;
  const [birthMin, birthMax] = opts.birthDelayMs ?? [1_000, 5_000];
  const reconnectMin = opts.reconnectMinMs ?? 1_000;
  const reconnectMax = opts.reconnectMaxMs ?? 60_000;
  const progressInterval = opts.progressIntervalMs ?? 1_000;
  const recheckMs = opts.recheckMs ?? 10 * 60_000;
  const { db, purge, scheduler } = context;
  const accounts = context.config.accounts;

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
      will: { topic: topics.status(t), payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(config.ca_file ? { ca: readFileSync(config.ca_file) } : {}),
    };
  } catch (err) {
    log.error({ err, ca_file: config.ca_file }, 'MQTT not started: cannot read the CA certificate');
    return { health: () => 'disconnected', stop: async () => {} };
  }

  let client: MqttClient;
  try {
    client = mqtt.connect(config.url, options);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'MQTT not started: the client refused the configuration');
    return { health: () => 'disconnected', stop: async () => {} };
  }

  let stopping = false;
  let everConnected = false;
  let up = false;
  let reconnectDelay = reconnectMin;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let birthTimer: NodeJS.Timeout | undefined;
  let lastError: string | undefined;
  let liveRun: LiveRun | undefined;
  const live = new Map<string, LiveAccount>();
  const throttle = new Map<string, { at: number; timer?: NodeJS.Timeout }>();
  const running = purge.runner.running;
  if (running) liveRun = { run_id: running.runId, trigger: null, dry_run: false };

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

  /** Timers and client callbacks must never throw into mqtt.js or the event loop: a failure is logged. */
  const safely = (what: string, fn: () => void) => () => {
    try { fn(); } catch (err) { log.error({ err }, `MQTT: ${what} failed`); }
  };

  const publishJson = (topic: string, value: unknown, retain: boolean) => publish(topic, stableJson(value), retain);
  const findAccount = (id: string): AccountConfig | undefined => accounts.find((a) => a.id === id);

  function publishApplianceState(): void {
    publishJson(topics.state(t), applianceState(db, scheduler.state(), context.version, liveRun), true);
  }

  const stateEnv = () => ({ publicUrl: context.publicUrl, startedAt: context.startedAt, now: Date.now() });
  /** The last state sent per account, so the clock's re-check sends only what changed. */
  const sentStates = new Map<string, string>();

  function publishAccountState(account: AccountConfig): void {
    const slot = throttle.get(account.id);
    if (slot?.timer) clearTimeout(slot.timer);
    throttle.set(account.id, { at: Date.now() });
    const payload = stableJson(accountState(db, account, live.get(account.id), stateEnv()));
    sentStates.set(account.id, payload);
    publish(topics.accountState(t, account.id), payload, true);
  }

  /** `overdue` turns on with time alone, with no run to announce it. */
  function recheckStates(): void {
    if (!client.connected) return;
    for (const account of accounts) {
      const payload = stableJson(accountState(db, account, live.get(account.id), stateEnv()));
      if (sentStates.get(account.id) !== payload) publishAccountState(account);
    }
  }
  const recheckTimer = setInterval(safely('re-checking the account states', recheckStates), recheckMs);
  recheckTimer.unref();

  /** Progress comes many times a second while deleting: at most one state per interval, the last one always. */
  function publishAccountStateSoon(account: AccountConfig): void {
    const slot = throttle.get(account.id);
    const wait = slot ? slot.at + progressInterval - Date.now() : 0;
    if (wait <= 0) return publishAccountState(account);
    if (slot && !slot.timer) {
      slot.timer = setTimeout(safely('publishing a state', () => { slot.timer = undefined; publishAccountState(account); }), wait);
      slot.timer.unref();
    }
  }

  function publishDiscovery(): void {
    const input = { ...t, version: context.version, configurationUrl: context.publicUrl };
    const appliance = applianceDiscovery(input);
    publish(appliance.topic, appliance.payload, true);
    for (const account of accounts) {
      const message = accountDiscovery(input, account);
      publish(message.topic, message.payload, true);
    }
    removeStaleAccounts();
  }

  /** Devices of accounts no longer in the config go away (an empty retained config), and their retained state. */
  function removeStaleAccounts(): void {
    const current = accounts.map((a) => a.id).sort();
    const saved = getSetting<unknown>(db, PUBLISHED_ACCOUNTS_KEY);
    const before = Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string') : [];
    const stale = before.filter((id) => !current.includes(id));
    const remember = () => {
      if (stableJson(before) !== stableJson(current)) setSetting(db, PUBLISHED_ACCOUNTS_KEY, current);
    };
    if (stale.length === 0) return remember();
    let pending = stale.length * 2;
    let allDelivered = true;
    const delivered = (ok: boolean) => {
      allDelivered &&= ok;
      if (--pending === 0 && allDelivered) {
        remember();
        log.info({ accounts: stale }, 'removed the Home Assistant devices of accounts no longer in the config');
      }
    };
    for (const id of stale) {
      const removal = removedAccountDiscovery(t, id);
      publish(removal.topic, removal.payload, true, delivered);
      publish(topics.accountState(t, id), '', true, delivered);
    }
  }

  function publishEverything(): void {
    publishDiscovery();
    publishApplianceState();
    for (const account of accounts) publishAccountState(account);
  }

  function onBirth(payload: Buffer): void {
    if (payload.toString('utf8').trim() !== 'online' || birthTimer) return;
    const delay = Math.round(birthMin + random() * Math.max(0, birthMax - birthMin));
    log.info({ in_ms: delay }, 'Home Assistant (re)started: publishing discovery and states again shortly');
    birthTimer = setTimeout(safely('publishing after the birth message', () => { birthTimer = undefined; publishEverything(); }), delay);
    birthTimer.unref();
  }

  function runCommand(command: Command): void {
    if (command.kind === 'schedule') {
      // The scheduler tells its listeners, which publish the new state (the switch's echo).
      if (command.enabled !== scheduler.enabled) scheduler.setEnabled(command.enabled);
      else publishApplianceState();
      return;
    }
    if (command.kind === 'acknowledge') {
      if (purge.recorder.acknowledge(command.accountId)) {
        log.warn({ account: command.accountId }, 'over_deleted acknowledged from Home Assistant: purges of this account resume');
        purge.events.emit('account_resumed', { account_id: command.accountId, at: Date.now() });
      } else {
        log.info({ account: command.accountId }, 'Resume purges pressed in Home Assistant, but the account was not paused');
      }
      return;
    }
    const requested = command.accountId ?? 'all';
    try {
      const { runId, done } = purge.runner.start({ trigger: 'mqtt', accountId: command.accountId });
      log.info({ run_id: runId, account: requested }, 'purge started from Home Assistant');
      done.catch((err) => log.error({ err, run_id: runId }, 'purge started from MQTT failed unexpectedly'));
    } catch (err) {
      if (err instanceof RunBusy || err instanceof PurgeLocked) {
        log.warn({ account: requested, reason: err.message }, 'purge from Home Assistant refused: a purge is already running');
        const runId = err instanceof RunBusy ? err.runId : null;
        const event = busyEvent(runId, requested, Date.now());
        publishJson(command.accountId ? topics.accountEvent(t, command.accountId) : topics.event(t), event, false);
      } else if (err instanceof UnknownAccount) {
        log.warn({ account: requested, reason: err.message }, 'purge from Home Assistant refused');
      } else {
        log.error({ err, account: requested }, 'purge from Home Assistant could not start');
      }
    }
  }

  function onCommand(topic: string, payload: Buffer, retained: boolean): void {
    if (retained) {
      log.warn({ topic }, `ignored a retained command (a stale one would act on every reconnect); clear it with: mosquitto_pub -r -n -t '${topic}'`);
      return;
    }
    const parsed = parseCommand(t, accounts.map((a) => a.id), topic, payload, accounts.filter((a) => !a.enabled).map((a) => a.id));
    if ('problem' in parsed) {
      log.warn({ topic: topic.slice(0, 200), payload: preview(payload), problem: parsed.problem }, 'ignored an invalid MQTT command');
      return;
    }
    runCommand(parsed.command);
  }

  client.on('connect', safely('publishing on connect', () => {
    reconnectDelay = reconnectMin;
    lastError = undefined;
    log.info({ url: config.url, client_id: options.clientId }, everConnected ? 'MQTT reconnected' : 'MQTT connected');
    everConnected = true;
    up = true;
    client.subscribe([...commandSubscriptions(t), topics.birth(t)], { qos: 1 }, (err) => {
      if (err && !stopping) log.warn({ err: err.message }, 'MQTT subscription failed: commands from Home Assistant will not arrive');
    });
    publish(topics.status(t), 'online', true);
    publishEverything();
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
    try {
      if (topic === topics.birth(t)) onBirth(payload);
      else onCommand(topic, payload, packet.retain);
    } catch (err) {
      log.error({ err, topic: topic.slice(0, 200) }, 'an MQTT message could not be handled');
    }
  });

  const { events } = purge;
  const offs = [
    events.on('run_started', (e) => {
      liveRun = { run_id: e.run_id, trigger: e.trigger, dry_run: e.dry_run };
      publishApplianceState();
      publishJson(topics.event(t), runStartedEvent(e), false);
    }),
    events.on('account_started', (e) => {
      const account = findAccount(e.account_id);
      if (!account) return;
      live.set(e.account_id, { run_id: e.run_id, dry_run: liveRun?.dry_run ?? false, phase: null, found: null, deleted: null });
      publishAccountState(account);
    }),
    events.on('account_progress', (e) => {
      const account = findAccount(e.account_id);
      const current = live.get(e.account_id);
      if (!account || !current) return;
      current.phase = e.phase;
      if (e.found !== undefined) current.found = e.found;
      if (e.deleted !== undefined) current.deleted = e.deleted;
      publishAccountStateSoon(account);
    }),
    events.on('account_finished', (e) => {
      live.delete(e.result.account_id);
      const account = findAccount(e.result.account_id);
      if (account) publishAccountState(account); // the recorder wrote the result first: it listens first
      const event = accountEvent(e, liveRun?.dry_run ?? false, context.publicUrl);
      if (event) publishJson(topics.accountEvent(t, e.result.account_id), event, false);
    }),
    // A pause and its acknowledgement change the account's state (`paused`, the problem sensor) at once.
    ...(['account_paused', 'account_resumed'] as const).map((name) => events.on(name, (e) => {
      const account = findAccount(e.account_id);
      if (account) publishAccountState(account);
    })),
    events.on('run_finished', (e) => {
      liveRun = undefined;
      live.clear();
      publishApplianceState();
      publishJson(topics.event(t), runFinishedEvent(e), false);
    }),
    scheduler.onChange(() => publishApplianceState()),
  ];

  let stopped: Promise<void> | undefined;
  return {
    health: () => (client.connected ? 'connected' : 'disconnected'),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        offs.forEach((off) => off());
        clearTimeout(reconnectTimer);
        clearTimeout(birthTimer);
        clearInterval(recheckTimer);
        for (const slot of throttle.values()) clearTimeout(slot.timer);
        if (client.connected) {
          // A clean disconnect does not fire the will: say goodbye ourselves.
          await brokerAnswer(new Promise<void>((resolve) => client.publish(topics.status(t), 'offline', { qos: 1, retain: true }, () => resolve())));
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
