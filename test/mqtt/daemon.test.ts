// End to end: the daemon (startDaemon, a config with an mqtt block), the simulator and real Chromium. Home
// Assistant presses "purge all now"; mid-purge the network to the broker goes (the will says offline) and the
// broker itself restarts (without the will's author noticing); the purge completes, and once the daemon is
// back the broker holds the truth.
import t from 'tap';
import { cutoffFor } from '../../src/purge/cutoff.ts';
import { startBroker, watch } from '../helpers/mosquitto.ts';
import { loadSimConfig } from '../helpers/purge.ts';
import { simAccount, simDaemon, testSimulator } from '../helpers/sim-daemon.ts';
import { captureLog, tcpProxy, until } from './env.ts';
import { ISO_WITH_OFFSET, validateDiscovery } from './ha-rules.ts';

t.test('purge all now from Home Assistant, with the broker lost and restarted during the purge', async (t) => {
  const sim = await testSimulator(t, 23, [simAccount('amazon', 'echo', 1, { recordings: 150, spanDays: 60 })]);
  const broker = await startBroker();
  t.teardown(() => broker.close());
  const proxy = await tcpProxy(broker.port);
  t.teardown(() => proxy.close());

  const { config } = loadSimConfig(sim, {
    dir: t.testdir(), accounts: [{ sim: 'echo', keep_days: 30 }], stepTimeoutSeconds: 10, logLevel: 'debug',
    extra: ['schedule: {catch_up: false}', `mqtt: {url: "${proxy.url}"}`],
  });
  const captured = captureLog();
  const daemon = await simDaemon(t, sim, config, captured.log);

  const ha = await watch(broker.url, ['homeassistant/#', 'voicewipe/#']);
  t.teardown(() => ha.close());
  const discovery = await ha.waitFor((m) => m.topic === 'homeassistant/device/voicewipe_echo/config');
  t.same(validateDiscovery(discovery.topic, discovery.payload), []);
  await ha.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'online');
  const before = await ha.waitFor((m) => m.topic === 'voicewipe/echo/state' && JSON.parse(m.payload).status === 'never_run');
  t.match(JSON.parse(before.payload), { signin_method: 'web', signin_renewed_at: null }, 'a password on file, never signed in yet');
  t.match(await (await fetch(`${daemon.url}/healthz`)).json(), { mqtt: 'connected' });

  const inScope = sim.control.remaining('echo', { to: cutoffFor(30, sim.control.now(), 'UTC') - 1 });
  const { events } = daemon.context.purge;
  let finishedWhile: string | undefined;
  const finished = new Promise<{ status: string; deleted: number; run_id: number }>((resolve) => events.on('run_finished', (e) => {
    finishedWhile = daemon.context.mqttHealth();
    resolve(e);
  }));
  const started = new Promise<void>((resolve) => events.on('account_started', () => resolve()));

  await ha.publish('voicewipe/purge/set', 'PRESS');
  await started;
  await ha.waitFor((m) => m.topic === 'voicewipe/echo/state' && JSON.parse(m.payload).status === 'running');
  // The network goes first (the broker sees the link die and publishes the will), then the broker restarts.
  const cutAt = ha.messages.length;
  proxy.cut();
  await ha.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'offline', 5_000, cutAt);
  await broker.stop();
  t.equal(daemon.context.mqttHealth(), 'disconnected');
  await new Promise((r) => setTimeout(r, 500));
  await broker.start();
  proxy.restore();

  const run = await finished;
  t.equal(run.status, 'ok', `the purge completed (MQTT was ${finishedWhile} at its end)`);
  t.equal(run.deleted, inScope);
  t.equal(sim.control.remaining('echo', { to: cutoffFor(30, sim.control.now(), 'UTC') - 1 }), 0);
  t.match(daemon.context.db.prepare('SELECT trigger FROM runs WHERE id = ?').get(run.run_id), { trigger: 'mqtt' });
  await until('the daemon to reconnect', () => daemon.context.mqttHealth() === 'connected', 20_000);
  const fresh = await watch(broker.url, ['voicewipe/#']);
  t.teardown(() => fresh.close());
  const state = await fresh.waitFor((m) => m.topic === 'voicewipe/echo/state' && JSON.parse(m.payload).status === 'ok', 5_000);
  const s = JSON.parse(state.payload);
  t.match(s, { status: 'ok', problem: false, found: inScope, deleted: inScope, remaining: 0, total_deleted: inScope, last_run_id: run.run_id });
  t.match(s.last_success_at, ISO_WITH_OFFSET);
  // The purge signed in with the password: Home Assistant's "Signs in" and "Sign-in renewed" say so.
  t.match(s, { signin_method: 'web' });
  t.match(s.signin_renewed_at, ISO_WITH_OFFSET);
  t.ok(Math.abs(Date.parse(s.signin_renewed_at) - sim.control.now()) < 10 * 60_000, 'renewed during this purge');
  const appliance = await fresh.waitFor((m) => m.topic === 'voicewipe/state' && JSON.parse(m.payload).last_run_id === run.run_id, 5_000);
  t.match(JSON.parse(appliance.payload), { running: false, last_run_status: 'ok', last_run_deleted: inScope });
  await fresh.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'online', 5_000);
  if (finishedWhile === 'connected') {
    // Back before the end of the purge: Home Assistant saw the result as it happened.
    const purged = await ha.waitFor((m) => m.topic === 'voicewipe/echo/event', 5_000);
    t.match(JSON.parse(purged.payload), { event_type: 'purged', deleted: inScope, run_id: run.run_id });
  }
  t.match(await (await fetch(`${daemon.url}/healthz`)).json(), { mqtt: 'connected', status: 'ok' });

  const end = fresh.messages.length;
  await daemon.close();
  await fresh.waitFor((m) => m.topic === 'voicewipe/status' && m.payload === 'offline', 5_000, end);
  t.ok(captured.logged(/MQTT reconnected/).length >= 1);
});
