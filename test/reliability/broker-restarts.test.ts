// The broker restarts again and again during one long purge (Mosquitto upgraded, Home Assistant rebooting):
// the purge is never held up or broken, the link comes back after each restart, and once the purge is over
// the broker's retained states tell the truth.
import t from 'tap';
import { cutoffFor } from '../../src/purge/cutoff.ts';
import { captureLog, until } from '../mqtt/env.ts';
import { startBroker, watch } from '../helpers/mosquitto.ts';
import { loadSimConfig } from '../helpers/purge.ts';
import { simAccount, simDaemon, testSimulator } from '../helpers/sim-daemon.ts';
import { Figures, prng, SEED, size, sleep } from '../helpers/reliability.ts';

const figures = new Figures();
figures.announce(t, 'broker restarts mid-run');
const RESTARTS = size(3, 8);
const rng = prng(SEED ^ 0xb70);

await t.test(`${RESTARTS} broker restarts during one purge of two accounts`, async (t) => {
  const sim = await testSimulator(t, 41, [
    simAccount('amazon', 'echo', 41, { mfa: 'totp', recordings: 300, spanDays: 90 }),
    simAccount('amazon', 'dot', 41, { recordings: 200, spanDays: 60 }),
  ]);
  const broker = await startBroker();
  t.teardown(() => broker.close());
  const { config } = loadSimConfig(sim, {
    dir: t.testdir(), accounts: [{ sim: 'echo', keep_days: 30 }, { sim: 'dot', keep_days: 14 }], stepTimeoutSeconds: 15, logLevel: 'debug',
    extra: ['schedule: {catch_up: false}', `mqtt: {url: "${broker.url}"}`],
  });
  const captured = captureLog();
  const daemon = await simDaemon(t, sim, config, captured.log);
  const older = (id: string, days: number) => sim.control.remaining(id, { to: cutoffFor(days, sim.control.now(), 'UTC') - 1 });
  const expected = { echo: older('echo', 30), dot: older('dot', 14) };

  const ha = await watch(broker.url, ['voicewipe/#']);
  t.teardown(() => ha.close());
  await ha.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'online');
  // Slow pages while the broker is bounced, so the purge is surely still going; fast again afterwards.
  for (const id of ['echo', 'dot']) sim.control.setFaults(id, { latencyMs: 700 });
  const { events } = daemon.context.purge;
  let running = false;
  const finished = new Promise<{ status: string; deleted: number; run_id: number }>((resolve) => events.on('run_finished', (e) => { running = false; resolve(e); }));
  events.on('run_started', () => { running = true; });
  await ha.publish('voicewipe/purge/set', 'PRESS');
  await until('the purge to start', () => running, 10_000);

  let duringRun = 0;
  for (let i = 1; i <= RESTARTS; i++) {
    await broker.stop();
    figures.faults_injected++;
    if (running) duringRun++;
    await sleep(rng.int(100, 1_500));
    await broker.start();
    try {
      // The link retries with a growing pause (1 s, 2 s, …): back within a few seconds of the broker.
      await until(`the link to reconnect after restart ${i}`, () => daemon.context.mqttHealth() === 'connected', 15_000);
      figures.survived++;
    } catch (err) {
      t.fail((err as Error).message);
    }
  }
  t.equal(duringRun, RESTARTS, 'every restart happened while the purge was running');
  for (const id of ['echo', 'dot']) sim.control.clearFaults(id);

  const run = await finished;
  t.equal(run.status, 'ok', 'the purge completed');
  t.equal(run.deleted, expected.echo + expected.dot, 'everything in scope was deleted');
  t.same({ echo: older('echo', 30), dot: older('dot', 14) }, { echo: 0, dot: 0 }, 'the vendor agrees');
  await until('the link to be up at the end', () => daemon.context.mqttHealth() === 'connected', 15_000);

  // What Home Assistant reads after all that: the retained truth.
  const fresh = await watch(broker.url, ['voicewipe/#']);
  t.teardown(() => fresh.close());
  for (const id of ['echo', 'dot'] as const) {
    const state = await fresh.waitFor((m) => m.topic === `voicewipe/${id}/state` && m.retain && JSON.parse(m.payload).last_run_id === run.run_id, 10_000);
    t.match(JSON.parse(state.payload), { status: 'ok', problem: false, found: expected[id], deleted: expected[id], remaining: 0, total_deleted: expected[id] }, `${id}: retained state`);
  }
  const appliance = await fresh.waitFor((m) => m.topic === 'voicewipe/state' && m.retain && JSON.parse(m.payload).last_run_id === run.run_id, 10_000);
  t.match(JSON.parse(appliance.payload), { running: false, last_run_status: 'ok', last_run_deleted: expected.echo + expected.dot });
  await fresh.waitFor((m) => m.topic === 'voicewipe/status' && m.retain && m.payload === 'online', 5_000);
  t.ok(captured.logged(/MQTT reconnected/).length >= RESTARTS, `reconnected after every restart (${captured.logged(/MQTT reconnected/).length} times)`);
  t.same(captured.logged(/failed|could not/).filter((l) => l.level >= 50), [], 'no error logged');
});

t.equal(figures.survived, figures.faults_injected, 'the link survived every restart');
figures.report(t);
