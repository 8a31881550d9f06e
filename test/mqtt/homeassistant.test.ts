// The Home Assistant extension against a fake link, as zigbee2mqtt tests its extensions with a mocked client: what
// a connect publishes, states following the shared live projection during a run, commands reaching the runner and
// the recorder, and a stop that detaches everything. No broker: the transport is src/mqtt/link.ts's business
// (test/mqtt/link.test.ts runs both against Mosquitto).
import t from 'tap';
import type { Test } from 'tap';
import type { MqttHealth } from '../../src/context.ts';
import { startHomeAssistant } from '../../src/mqtt/homeassistant.ts';
import type { Link } from '../../src/mqtt/link.ts';
import type { RunRequest, RunSummary } from '../../src/purge/run.ts';
import { driveRun, mqttContext } from './env.ts';

interface Sent { topic: string; payload: string; retain: boolean }

function fakeLink() {
  const sent: Sent[] = [];
  const subscribed: string[] = [];
  const connects: (() => void)[] = [];
  const handlers: ((topic: string, payload: Buffer, retained: boolean) => void)[] = [];
  let health: MqttHealth = 'disconnected';
  const link: Link = {
    health: () => health,
    publish(topic, payload, retain, done) {
      if (health !== 'connected') { done?.(false); return; }
      sent.push({ topic, payload, retain });
      done?.(true);
    },
    subscribe: (topics) => { subscribed.push(...topics); },
    onConnect: (listener) => { connects.push(listener); },
    onMessage: (listener) => { handlers.push(listener); },
    stop: async () => {},
  };
  return {
    link, sent, subscribed,
    connect() { health = 'connected'; for (const c of connects) c(); },
    message(topic: string, payload: string, retained = false) { for (const h of handlers) h(topic, Buffer.from(payload), retained); },
    latest: (topic: string) => sent.filter((m) => m.topic === topic).at(-1),
  };
}

function setup(t: Test) {
  const env = mqttContext(t, { url: 'mqtt://127.0.0.1:1' });
  const fake = fakeLink();
  const ha = startHomeAssistant(env.context, fake.link, { base: 'voicewipe', prefix: 'homeassistant' }, env.log, { birthDelayMs: [0, 0], progressIntervalMs: 60_000 });
  t.teardown(() => ha.stop());
  return { env, fake, ha };
}

const json = (m: Sent | undefined) => (m ? JSON.parse(m.payload) : undefined);

t.test('a connect publishes discovery, then the appliance state, then each account state, all retained', async (t) => {
  const { fake } = setup(t);
  t.same(fake.subscribed, ['voicewipe/purge/set', 'voicewipe/schedule/set', 'voicewipe/+/purge/set', 'voicewipe/+/acknowledge/set', 'homeassistant/status']);
  t.same(fake.sent, [], 'nothing before the link is up');
  fake.connect();
  t.same(fake.sent.map((m) => m.topic), [
    'homeassistant/device/voicewipe/config', 'homeassistant/device/voicewipe_kitchen/config', 'homeassistant/device/voicewipe_office/config',
    'voicewipe/state', 'voicewipe/kitchen/state', 'voicewipe/office/state',
  ]);
  t.ok(fake.sent.every((m) => m.retain));
  t.match(json(fake.latest('voicewipe/kitchen/state')), { status: 'never_run', signin_method: 'web', signin_renewed_at: null, run_id: null });
  t.match(json(fake.latest('voicewipe/office/state')), { signin_method: 'person' });
});

t.test('during a run the states read the shared live projection; events are not retained', async (t) => {
  const { env, fake } = setup(t);
  fake.connect();
  const from = fake.sent.length;
  let during: Record<string, unknown> | undefined;
  let appliance: Record<string, unknown> | undefined;
  await driveRun(env.context, [{ account_id: 'kitchen', found: 30, deleted: 30, remaining: 0 }], {
    progressSteps: 3,
    between: async () => {
      during = json(fake.latest('voicewipe/kitchen/state'));
      appliance = json(fake.latest('voicewipe/state'));
    },
  });
  t.match(during, { status: 'running', run_id: Number, dry_run: false });
  t.match(appliance, { running: true, run_trigger: 'cli' });
  t.equal(env.context.purge.live.current, null, 'the projection is empty again');
  t.match(json(fake.latest('voicewipe/kitchen/state')), { status: 'ok', deleted: 30, run_id: null, phase: null });
  t.match(json(fake.latest('voicewipe/state')), { running: false, last_run_status: 'ok' });
  const events = fake.sent.slice(from).filter((m) => m.topic.endsWith('/event'));
  t.same(events.map((m) => [m.topic, json(m).event_type, m.retain]), [
    ['voicewipe/event', 'run_started', false], ['voicewipe/kitchen/event', 'purged', false], ['voicewipe/event', 'run_finished', false],
  ]);
});

t.test('commands reach the runner and the scheduler; retained ones and garbage do nothing', async (t) => {
  const { env, fake } = setup(t);
  const calls: RunRequest[] = [];
  env.context.purge.runner.start = (request: RunRequest) => {
    calls.push(request);
    return { runId: calls.length, done: Promise.resolve({} as RunSummary) };
  };
  fake.connect();
  fake.message('voicewipe/kitchen/purge/set', 'PRESS', true);
  fake.message('voicewipe/kitchen/purge/set', 'NOW');
  t.same(calls, []);
  fake.message('voicewipe/kitchen/purge/set', 'PRESS');
  t.same(calls, [{ trigger: 'mqtt', accountId: 'kitchen' }]);
  fake.message('voicewipe/schedule/set', 'OFF');
  t.equal(env.context.scheduler.enabled, false);
  t.match(json(fake.latest('voicewipe/state')), { schedule_enabled: false }, 'the switch\'s echo');
  fake.message('voicewipe/kitchen/acknowledge/set', 'PRESS');
  t.equal(env.logged(/was not paused/).length, 1, 'Resume purges on an account that is not paused: said, nothing done');
  t.equal(env.logged(/ignored a retained command/).length, 1);
  t.equal(env.logged(/ignored an invalid MQTT command/).length, 1);
});

t.test('stop: no more states from the run\'s events', async (t) => {
  const { env, fake, ha } = setup(t);
  fake.connect();
  ha.stop();
  const from = fake.sent.length;
  await driveRun(env.context, [{ account_id: 'office', found: 1, deleted: 1, remaining: 0 }]);
  t.same(fake.sent.slice(from), []);
});
