// voicewipe in Home Assistant over the MQTT link (zigbee2mqtt's Home Assistant extension): discovery and states
// published on every connect and again after Home Assistant's birth, states and events from the run's event
// stream, commands from Home Assistant's buttons and switch. Nothing here connects or reconnects: src/mqtt/link.ts.
import type { AccountConfig } from '../config/types.ts';
import type { DaemonContext } from '../context.ts';
import { getSetting, setSetting } from '../db/queries.ts';
import { PurgeLocked, RunBusy, UnknownAccount } from '../errors.ts';
import type { Logger } from '../log.ts';
import { commandSubscriptions, parseCommand, preview } from './commands.ts';
import type { Command } from './commands.ts';
import { accountDiscovery, applianceDiscovery, removedAccountDiscovery, stableJson, topics } from './discovery.ts';
import type { Topics } from './discovery.ts';
import type { Link } from './link.ts';
import { safely } from './link.ts';
import { accountEvent, accountState, applianceState, busyEvent, runFinishedEvent, runStartedEvent } from './state.ts';

export interface HomeAssistantOptions {
  /** Pause after Home Assistant's birth message before re-publishing, picked at random in [min, max]. */
  birthDelayMs?: [number, number];
  /** At most one progress state per account per this many milliseconds. */
  progressIntervalMs?: number;
  /** How often account states are checked for a change the clock makes (overdue); only changes are sent. */
  recheckMs?: number;
  random?: () => number;
}

const PUBLISHED_ACCOUNTS_KEY = 'mqtt.published_accounts';

/** Listens to the run's events and the link; `stop()` detaches everything and clears the timers. */
export function startHomeAssistant(context: DaemonContext, link: Link, t: Topics, log: Logger, opts: HomeAssistantOptions = {}): { stop(): void } {
  const random = opts.random ?? Math.random;
  const [birthMin, birthMax] = opts.birthDelayMs ?? [1_000, 5_000];
  const progressInterval = opts.progressIntervalMs ?? 1_000;
  const recheckMs = opts.recheckMs ?? 10 * 60_000;
  const { db, purge, scheduler } = context;
  const accounts = context.config.accounts;
  const { live } = purge;

  let birthTimer: NodeJS.Timeout | undefined;
  const throttle = new Map<string, { at: number; timer?: NodeJS.Timeout }>();
  const publish = link.publish;
  const publishJson = (topic: string, value: unknown, retain: boolean) => publish(topic, stableJson(value), retain);
  const findAccount = (id: string): AccountConfig | undefined => accounts.find((a) => a.id === id);

  function publishApplianceState(): void {
    publishJson(topics.state(t), applianceState(db, scheduler.state(), context.version, live.current), true);
  }

  const stateEnv = () => ({ publicUrl: context.publicUrl, startedAt: context.startedAt, now: Date.now(), stateDir: context.config.state_dir });
  const accountPayload = (account: AccountConfig) => stableJson(accountState(db, account, live.current, stateEnv()));
  /** The last state sent per account, so the clock's re-check sends only what changed. */
  const sentStates = new Map<string, string>();

  function publishAccountState(account: AccountConfig): void {
    const slot = throttle.get(account.id);
    if (slot?.timer) clearTimeout(slot.timer);
    throttle.set(account.id, { at: Date.now() });
    const payload = accountPayload(account);
    sentStates.set(account.id, payload);
    publish(topics.accountState(t, account.id), payload, true);
  }

  /** `overdue` turns on with time alone, with no run to announce it. */
  function recheckStates(): void {
    if (link.health() !== 'connected') return;
    for (const account of accounts) {
      if (sentStates.get(account.id) !== accountPayload(account)) publishAccountState(account);
    }
  }
  const recheckTimer = setInterval(safely(log, 're-checking the account states', recheckStates), recheckMs);
  recheckTimer.unref();

  /** Progress comes many times a second while deleting: at most one state per interval, the last one always. */
  function publishAccountStateSoon(account: AccountConfig): void {
    const slot = throttle.get(account.id);
    const wait = slot ? slot.at + progressInterval - Date.now() : 0;
    if (wait <= 0) return publishAccountState(account);
    if (slot && !slot.timer) {
      slot.timer = setTimeout(safely(log, 'publishing a state', () => { slot.timer = undefined; publishAccountState(account); }), wait);
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
    // One account whose state cannot be built (a damaged record) must not keep the others' states from the broker.
    for (const account of accounts) safely(log, `publishing the state of ${account.id}`, () => publishAccountState(account))();
  }

  function onBirth(payload: Buffer): void {
    if (payload.toString('utf8').trim() !== 'online' || birthTimer) return;
    const delay = Math.round(birthMin + random() * Math.max(0, birthMax - birthMin));
    log.info({ in_ms: delay }, 'Home Assistant (re)started: publishing discovery and states again shortly');
    birthTimer = setTimeout(safely(log, 'publishing after the birth message', () => { birthTimer = undefined; publishEverything(); }), delay);
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

  link.subscribe([...commandSubscriptions(t), topics.birth(t)]);
  link.onConnect(publishEverything);
  link.onMessage((topic, payload, retained) => {
    if (topic === topics.birth(t)) onBirth(payload);
    else onCommand(topic, payload, retained);
  });

  const { events } = purge;
  // The live projection (purge.live) has applied each event before these listeners run: it listens first.
  const offs = [
    events.on('run_started', (e) => {
      publishApplianceState();
      publishJson(topics.event(t), runStartedEvent(e), false);
    }),
    events.on('account_started', (e) => {
      const account = findAccount(e.account_id);
      if (account) publishAccountState(account);
    }),
    events.on('account_progress', (e) => {
      const account = findAccount(e.account_id);
      if (account) publishAccountStateSoon(account);
    }),
    events.on('account_finished', (e) => {
      const account = findAccount(e.result.account_id);
      if (account) publishAccountState(account); // the recorder wrote the result first: it listens first
      const event = accountEvent(e, live.current?.dry_run ?? false, context.publicUrl);
      if (event) publishJson(topics.accountEvent(t, e.result.account_id), event, false);
    }),
    // A pause and its acknowledgement change the account's state (`paused`, the problem sensor) at once.
    ...(['account_paused', 'account_resumed'] as const).map((name) => events.on(name, (e) => {
      const account = findAccount(e.account_id);
      if (account) publishAccountState(account);
    })),
    events.on('run_finished', (e) => {
      publishApplianceState();
      publishJson(topics.event(t), runFinishedEvent(e), false);
    }),
    scheduler.onChange(() => publishApplianceState()),
  ];

  return {
    stop() {
      offs.forEach((off) => off());
      clearTimeout(birthTimer);
      clearInterval(recheckTimer);
      for (const slot of throttle.values()) clearTimeout(slot.timer);
    },
  };
}
