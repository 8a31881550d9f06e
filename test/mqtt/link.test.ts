// The MQTT link against a real Mosquitto, watched by a plain client as Home Assistant would: discovery,
// availability, states and events from a run, Home Assistant's birth, commands (retained, garbage, busy),
// the link dropping mid-run (last will, then the truth again on reconnect), and each account's sign-in method.
import t from 'tap';
import type { Test } from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getSetting, setSetting } from '../../src/db/queries.ts';
import { installClientId, startMqtt } from '../../src/mqtt/index.ts';
import type { MqttLink, MqttOptions } from '../../src/mqtt/index.ts';
import type { RunRequest, RunSummary } from '../../src/purge/run.ts';
import { RunBusy } from '../../src/errors.ts';
import { SignInRecords, signInStatus } from '../../src/signin/record.ts';
import { startBroker, watch } from '../helpers/mosquitto.ts';
import type { Broker, Seen, Watcher } from '../helpers/mosquitto.ts';
import { driveRun, mqttContext, sleep, tcpProxy, until } from './env.ts';
import type { TestContext } from './env.ts';
import { duplicateUniqueIds, ISO_WITH_OFFSET, validateDiscovery } from './ha-rules.ts';

const FAST: MqttOptions = { birthDelayMs: [150, 300], reconnectMinMs: 100, reconnectMaxMs: 400 };

async function setup(t: Test, opts: MqttOptions = FAST, before?: (env: TestContext, broker: Broker) => Promise<void>) {
  const broker = await startBroker();
  t.teardown(() => broker.close());
  const env = mqttContext(t, { url: broker.url });
  await before?.(env, broker);
  const link = startMqtt(env.context, opts);
  t.teardown(() => link.stop());
  await until('the link to connect', () => link.health() === 'connected');
  // The last thing a connect publishes: once it is on the broker, everything before it is too.
  const probe = await watch(broker.url, ['voicewipe/office/state']);
  await probe.waitFor(() => true, 5_000);
  await probe.close();
  return { broker, env, link };
}

const json = (m: Seen | undefined) => (m?.payload ? JSON.parse(m.payload) : undefined);
/** A fresh subscriber: what a Home Assistant that starts now would read (retained messages only). */
async function retained(t: Test, url: string, topics: string[], expect: string[]): Promise<Watcher> {
  const w = await watch(url, topics);
  t.teardown(() => w.close());
  for (const topic of expect) await w.waitFor((m) => m.topic === topic && m.retain, 5_000);
  return w;
}

t.test('on connect: online, valid discovery for the appliance and each account, states; a removed account is cleared', async (t) => {
  const { broker, env } = await setup(t, FAST, async (env, broker) => {
    // A previous start published an account that is gone from the config now.
    const old = await watch(broker.url, ['none']);
    await old.publish('homeassistant/device/voicewipe_gone/config', '{"device":{}}', { retain: true });
    await old.publish('voicewipe/gone/state', '{"status":"ok"}', { retain: true });
    await old.close();
    setSetting(env.context.db, 'mqtt.published_accounts', ['gone', 'kitchen']);
    await driveRun(env.context, [{ account_id: 'kitchen', found: 120, deleted: 120, remaining: 0 }]);
  });
  const w = await retained(t, broker.url, ['homeassistant/#', 'voicewipe/#'], [
    'voicewipe/status', 'homeassistant/device/voicewipe/config', 'homeassistant/device/voicewipe_kitchen/config',
    'homeassistant/device/voicewipe_office/config', 'voicewipe/state', 'voicewipe/kitchen/state', 'voicewipe/office/state',
  ]);
  t.equal(w.latest('voicewipe/status')?.payload, 'online');
  const configs = w.messages.filter((m) => m.topic.startsWith('homeassistant/device/'));
  t.same(configs.map((m) => m.topic).sort(), ['homeassistant/device/voicewipe/config', 'homeassistant/device/voicewipe_kitchen/config',
    'homeassistant/device/voicewipe_office/config'], 'the removed account\'s device is gone from the broker');
  for (const m of configs) t.same(validateDiscovery(m.topic, m.payload), [], `${m.topic} passes the rules`);
  t.same(duplicateUniqueIds(configs.map((m) => m.payload)), []);
  t.equal(json(configs[0]).device.configuration_url, env.context.publicUrl, 'the status page as people reach it');
  t.notOk(w.latest('voicewipe/gone/state'), 'its retained state is cleared too');
  await until('the published accounts to be remembered', () => JSON.stringify(getSetting(env.context.db, 'mqtt.published_accounts')) === '["kitchen","office"]');

  const kitchen = json(w.latest('voicewipe/kitchen/state'));
  t.match(kitchen, { status: 'ok', problem: false, found: 120, deleted: 120, remaining: 0, total_deleted: 120, error_kind: null });
  t.match(kitchen.last_success_at, ISO_WITH_OFFSET);
  t.match(kitchen.last_run_at, ISO_WITH_OFFSET);
  t.match(json(w.latest('voicewipe/office/state')), { status: 'never_run', problem: false, last_run_at: null, total_deleted: 0, deleted: null });
  const appliance = json(w.latest('voicewipe/state'));
  t.match(appliance, { schedule_enabled: true, running: false, last_run_status: 'ok', last_run_deleted: 120, version: env.context.version });
  t.match(appliance.last_run_at, ISO_WITH_OFFSET);
  // One device payload per account carries all its entities; a few KB each keeps the retained set small on a Pi.
  for (const m of w.messages) t.ok(m.payload.length < 6144, `${m.topic} is small (${m.payload.length} bytes)`);

  const clientId = getSetting<string>(env.context.db, 'mqtt.client_id');
  t.match(clientId, /^voicewipe_[0-9a-f]{8}$/, 'a client id per install, kept in the database');
  t.match(broker.log(), new RegExp(`as ${clientId} `));
  t.equal(installClientId(env.context), clientId, 'the same on the next start');
});

t.test('no mqtt block: no MQTT, no errors', async (t) => {
  const env = mqttContext(t, { url: 'mqtt://127.0.0.1:1' });
  const link = startMqtt({ ...env.context, config: { ...env.context.config, mqtt: undefined } });
  t.equal(link.health(), 'disabled');
  await link.stop();
  t.same(env.logged(/MQTT/), []);
});

t.test('Home Assistant\'s birth message: discovery and states again, after a short random delay', async (t) => {
  const { broker, env } = await setup(t);
  const ha = await watch(broker.url, ['homeassistant/device/+/config', 'voicewipe/state', 'voicewipe/+/state']);
  t.teardown(() => ha.close());
  await ha.waitFor((m) => m.topic === 'voicewipe/office/state');
  const from = ha.messages.length;
  const sent = Date.now();
  await ha.publish('homeassistant/status', 'online');
  await ha.publish('homeassistant/status', 'online'); // HA restarting twice in a row: one re-publish
  const again = await ha.waitFor((m) => m.topic === 'homeassistant/device/voicewipe/config', 5_000, from);
  t.ok(again.at - sent >= 140, `re-published after the delay (${again.at - sent} ms)`);
  await ha.waitFor((m) => m.topic === 'voicewipe/kitchen/state', 5_000, from);
  await sleep(500);
  const republished = ha.messages.slice(from);
  t.equal(republished.filter((m) => m.topic === 'homeassistant/device/voicewipe/config').length, 1, 'once for two births');
  t.equal(republished.filter((m) => m.topic === 'voicewipe/state').length, 1);
  t.equal(env.logged(/Home Assistant \(re\)started/).length, 1);
  await ha.publish('homeassistant/status', 'offline');
  await sleep(500);
  t.equal(ha.messages.length, from + republished.length, 'HA going offline triggers nothing');
});

t.test('a run: states follow the events (progress throttled), events are not retained, a problem shows', async (t) => {
  const { broker, env } = await setup(t);
  const ha = await watch(broker.url, ['voicewipe/#']);
  t.teardown(() => ha.close());
  await ha.waitFor((m) => m.topic === 'voicewipe/office/state');
  const from = ha.messages.length;
  await driveRun(env.context, [
    { account_id: 'kitchen', found: 500, deleted: 500, remaining: 0 },
    { account_id: 'office', status: 'failed', found: null, deleted: null, remaining: null, error_kind: 'captcha', error_message: 'x'.repeat(5000) },
  ], { progressSteps: 200, between: () => sleep(50) });
  const purged = await ha.waitFor((m) => m.topic === 'voicewipe/kitchen/event', 5_000, from);
  t.match(json(purged), { event_type: 'purged', deleted: 500, remaining: 0, account_id: 'kitchen' });
  t.equal(purged.retain, false, 'events are not retained');
  const failed = await ha.waitFor((m) => m.topic === 'voicewipe/office/event', 5_000, from);
  t.match(json(failed), { event_type: 'needs_login', error_kind: 'captcha' });
  t.ok(json(failed).message.length <= 200, 'long messages are clipped');
  await ha.waitFor((m) => m.topic === 'voicewipe/event' && json(m).event_type === 'run_finished', 5_000, from);
  await sleep(200);
  const seen = ha.messages.slice(from);
  const kitchenStates = seen.filter((m) => m.topic === 'voicewipe/kitchen/state').map(json);
  t.ok(kitchenStates.length >= 2 && kitchenStates.length <= 4, `200 progress events → ${kitchenStates.length} states`);
  t.match(kitchenStates[0], { status: 'running', run_id: Number });
  t.match(kitchenStates.at(-1), { status: 'ok', deleted: 500, total_deleted: 500, problem: false, phase: null });
  const office = json(seen.filter((m) => m.topic === 'voicewipe/office/state').at(-1));
  t.match(office, { status: 'needs_person', problem: true, error_kind: 'captcha' });
  t.ok(office.error_message.length <= 200);
  const appliance = seen.filter((m) => m.topic === 'voicewipe/state').map(json);
  t.match(appliance[0], { running: true, run_trigger: 'cli' });
  t.match(appliance.at(-1), { running: false, run_id: null, last_run_status: 'failed' });
  t.same(seen.filter((m) => m.topic === 'voicewipe/event').map((m) => json(m).event_type), ['run_started', 'run_finished']);

  const late = await watch(broker.url, ['voicewipe/+/event', 'voicewipe/event']);
  t.teardown(() => late.close());
  await sleep(300);
  t.equal(late.messages.length, 0, 'a late subscriber gets no old events');
});

t.test('commands: a retained PRESS never purges, garbage is survived, busy is told, the schedule switches', async (t) => {
  const calls: RunRequest[] = [];
  let busy = false;
  const stubRunner = (env: TestContext) => {
    env.context.purge.runner.start = (request: RunRequest) => {
      if (busy) throw new RunBusy(42);
      calls.push(request);
      return { runId: calls.length, done: Promise.resolve({} as RunSummary) };
    };
  };
  const { broker, env, link } = await setup(t, FAST, async (env, broker) => {
    stubRunner(env);
    const stale = await watch(broker.url, ['none']);
    await stale.publish('voicewipe/purge/set', 'PRESS', { retain: true });
    await stale.publish('voicewipe/kitchen/purge/set', 'PRESS', { retain: true });
    await stale.publish('voicewipe/schedule/set', 'OFF', { retain: true });
    await stale.close();
  });
  await until('the retained commands to be ignored', () => env.logged(/ignored a retained command/).length === 3, 5_000);
  t.same(calls, [], 'no purge from retained commands on connect');
  t.equal(env.context.scheduler.enabled, true, 'a retained OFF does not switch the schedule');

  // The link comes back after an outage: the retained commands are delivered again, and ignored again.
  await broker.stop();
  await until('the link to notice', () => link.health() === 'disconnected');
  await broker.start();
  await until('the link to reconnect', () => link.health() === 'connected', 10_000);
  await until('the retained commands to be ignored again', () => env.logged(/ignored a retained command/).length === 6, 5_000);
  t.same(calls, [], 'no purge on reconnect either');

  const ha = await watch(broker.url, ['voicewipe/#']);
  t.teardown(() => ha.close());
  const garbage: (string | Buffer)[] = ['pReSs', '', 'PRESS!', 'x'.repeat(300_000), Buffer.from([0xc3, 0x28, 0xff, 0x00]), '{"state":"ON"}', 'TRUE', '\u0000PRESS'];
  const commandTopics = ['voicewipe/purge/set', 'voicewipe/kitchen/purge/set', 'voicewipe/schedule/set', 'voicewipe/nobody/purge/set', 'voicewipe/kitchen/purge/set/extra'];
  for (const topic of commandTopics) for (const payload of garbage) await ha.publish(topic, payload);
  // The last topic is not a command topic at all: it never reaches the link (4 topics × garbage + 2 below).
  await ha.publish('voicewipe/schedule/set', 'PRESS');
  await ha.publish('voicewipe/nobody/purge/set', 'PRESS');
  await until('every invalid command to be logged', () => env.logged(/ignored an invalid MQTT command/).length >= 4 * garbage.length + 2, 10_000);
  const warnings = env.logged(/ignored an invalid MQTT command/);
  t.ok(warnings.every((l) => l.level === 40), 'logged at warn');
  t.ok(warnings.every((l) => String(l.payload).length < 80), 'payloads are shown short');
  t.same(calls, [], 'garbage started nothing');
  t.equal(link.health(), 'connected', 'still connected');

  await ha.publish('voicewipe/purge/set', 'PRESS');
  await ha.publish('voicewipe/kitchen/purge/set', 'press');
  await until('two purges', () => calls.length === 2);
  t.same(calls, [{ trigger: 'mqtt', accountId: undefined }, { trigger: 'mqtt', accountId: 'kitchen' }]);

  busy = true;
  const from = ha.messages.length;
  await ha.publish('voicewipe/purge/set', 'PRESS');
  await ha.publish('voicewipe/office/purge/set', 'PRESS');
  const all = await ha.waitFor((m) => m.topic === 'voicewipe/event', 5_000, from);
  t.match(json(all), { event_type: 'busy', run_id: 42, requested: 'all' });
  t.equal(all.retain, false);
  t.match(json(await ha.waitFor((m) => m.topic === 'voicewipe/office/event', 5_000, from)), { event_type: 'busy', requested: 'office' });
  t.equal(env.logged(/refused: a purge is already running/).length, 2);

  const before = ha.messages.length;
  await ha.publish('voicewipe/schedule/set', 'OFF');
  const off = await ha.waitFor((m) => m.topic === 'voicewipe/state', 5_000, before);
  t.match(json(off), { schedule_enabled: false, next_run_at: null });
  t.equal(env.context.scheduler.enabled, false);
  const fresh = await retained(t, broker.url, ['voicewipe/state'], ['voicewipe/state']);
  t.match(json(fresh.latest('voicewipe/state')), { schedule_enabled: false }, 'the echo is retained');
  const mid = ha.messages.length;
  await ha.publish('voicewipe/schedule/set', 'on');
  t.match(json(await ha.waitFor((m) => m.topic === 'voicewipe/state', 5_000, mid)), { schedule_enabled: true });
  t.equal(env.context.scheduler.enabled, true);
});

t.test('the link drops mid-run: the will says offline, the run finishes, the truth is back on reconnect', async (t) => {
  const broker = await startBroker();
  t.teardown(() => broker.close());
  const proxy = await tcpProxy(broker.port);
  t.teardown(() => proxy.close());
  const env = mqttContext(t, { url: proxy.url });
  let link: MqttLink | undefined = startMqtt(env.context, FAST);
  t.teardown(() => link?.stop());
  const ha = await watch(broker.url, ['voicewipe/#']);
  t.teardown(() => ha.close());
  await ha.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'online');
  await ha.waitFor((m) => m.topic === 'voicewipe/office/state');

  let cutAt = 0;
  const runId = await driveRun(env.context, [
    { account_id: 'kitchen', found: 40, deleted: 40, remaining: 0 },
    { account_id: 'office', found: 10, deleted: 10, remaining: 0 },
  ], {
    progressSteps: 5,
    between: async () => {
      if (cutAt) return;
      // Mid-run, the network goes: no DISCONNECT reaches the broker, which publishes the will.
      await ha.waitFor((m) => m.topic === 'voicewipe/kitchen/state' && json(m).status === 'running');
      cutAt = ha.messages.length;
      proxy.cut();
      await ha.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'offline', 5_000, cutAt);
      await until('the link to notice', () => link!.health() === 'disconnected');
    },
  });
  t.pass(`run ${runId} finished while the broker was unreachable`);
  t.equal(ha.messages.slice(cutAt).filter((m) => m.topic !== 'voicewipe/status').length, 0, 'nothing got through while away');
  const back = ha.messages.length;
  proxy.restore();
  await ha.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'online', 10_000, back);
  const kitchen = await ha.waitFor((m) => m.topic === 'voicewipe/kitchen/state', 5_000, back);
  t.match(json(kitchen), { status: 'ok', deleted: 40, total_deleted: 40, run_id: null });
  t.match(json(await ha.waitFor((m) => m.topic === 'voicewipe/office/state', 5_000, back)), { status: 'ok', deleted: 10 });
  t.match(json(await ha.waitFor((m) => m.topic === 'voicewipe/state', 5_000, back)), { running: false, last_run_id: runId, last_run_status: 'ok' });
  t.equal(env.logged(/MQTT connection lost/).length, 1, 'one warning for the outage');

  // A clean stop says offline itself (a clean disconnect does not fire the will).
  const end = ha.messages.length;
  await link!.stop();
  link = undefined;
  await ha.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'offline', 5_000, end);
  const after = await retained(t, broker.url, ['voicewipe/status'], ['voicewipe/status']);
  t.equal(after.latest('voicewipe/status')?.payload, 'offline', 'offline is retained');
});

t.test('how each account signs in and when it was renewed: in its state, from the sign-in record; a damaged record breaks nothing', async (t) => {
  const renewedAt = Date.UTC(2026, 10, 20, 4, 15, 0);
  const { broker, env } = await setup(t, FAST, async (env) => {
    new SignInRecords(env.context.purge.vault).update('kitchen', { method: 'app_device', renewed_at: renewedAt });
    // The office's record is not even ciphertext: it reads as "nothing recorded".
    mkdirSync(join(env.context.config.state_dir, 'sessions'), { recursive: true });
    writeFileSync(join(env.context.config.state_dir, 'sessions', 'office.signin'), 'not a vault entry');
  });
  const w = await retained(t, broker.url, ['voicewipe/+/state'], ['voicewipe/kitchen/state', 'voicewipe/office/state']);
  const kitchen = json(w.latest('voicewipe/kitchen/state'));
  t.match(kitchen, { signin_method: 'app_device', signin_renewed_at: '2026-11-20T04:15:00+00:00' });
  t.match(kitchen.signin_renewed_at, ISO_WITH_OFFSET, 'a timestamp Home Assistant accepts');
  t.match(json(w.latest('voicewipe/office/state')), { signin_method: 'person', signin_renewed_at: null }, 'Google: a person signs in');
  t.same(signInStatus(env.context.config.state_dir, env.context.config.accounts[0]), {
    signin_method: kitchen.signin_method, signin_renewed_at: new Date(renewedAt).toISOString(),
  }, 'the same record the status page reads');
  const text = JSON.stringify(kitchen);
  t.notOk(/refresh|token|serial/.test(text), 'nothing of the app device but its method');

  // A record whose time is out of Date's range: unknown, and every state still goes out (Home Assistant's birth).
  new SignInRecords(env.context.purge.vault).update('kitchen', { method: 'web', renewed_at: 1e20 });
  const from = w.messages.length;
  const ha = await watch(broker.url, ['none']);
  t.teardown(() => ha.close());
  await ha.publish('homeassistant/status', 'online');
  t.match(json(await w.waitFor((m) => m.topic === 'voicewipe/kitchen/state', 5_000, from)), { signin_method: 'web', signin_renewed_at: null });
  t.match(json(await w.waitFor((m) => m.topic === 'voicewipe/office/state', 5_000, from)), { status: 'never_run' });
  t.same(env.logged(/failed/), [], 'nothing failed on the way');
});
