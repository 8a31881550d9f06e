// Property-based fuzzing of the MQTT commands against a real broker and a real daemon process: random bytes
// and strings on every command topic (and on topics that look like them), retained and not. The daemon stays
// up, its link stays connected, garbage starts no purge and moves no switch; a real PRESS still works after.
import t from 'tap';
import { join } from 'node:path';
import fc from 'fast-check';
import { spawnDaemon, waitFor } from '../helpers/daemon.ts';
import { startBroker, watch } from '../helpers/mosquitto.ts';
import { writeNoBrowserConfig } from '../helpers/no-browser.ts';
import { TEST_RUNNER } from '../helpers/purge.ts';
import { Figures, SEED, size, withDb } from '../helpers/reliability.ts';

const figures = new Figures();
figures.announce(t, 'MQTT command fuzzing');
const RUNS = size(300, 3_000);

const broker = await startBroker();
t.teardown(() => broker.close());
const dir = t.testdir();
const { path, config } = writeNoBrowserConfig(dir, [`mqtt: {url: "${broker.url}"}`]);
const db = join(config.state_dir, 'voicewipe.db');
const ha = await watch(broker.url, ['voicewipe/#']);
t.teardown(() => ha.close());
const daemon = spawnDaemon(path, { runner: TEST_RUNNER });
t.teardown(() => { daemon.child.kill('SIGKILL'); });
await waitFor('the daemon to come online', () => ha.messages.some((m) => m.topic === 'voicewipe/status' && m.payload === 'online'), 30_000);
await waitFor('the daemon\'s state', () => ha.latest('voicewipe/state') !== undefined, 10_000);
const runs = () => withDb(db, (h) => (h.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n);
const scheduleEnabled = () => {
  const state = ha.latest('voicewipe/state');
  return state ? JSON.parse(state.payload).schedule_enabled as boolean : undefined;
};

const TOPICS = [
  'voicewipe/purge/set', 'voicewipe/kitchen/purge/set', 'voicewipe/office/purge/set', 'voicewipe/parked/purge/set',
  'voicewipe/schedule/set', 'voicewipe/nope/purge/set', 'voicewipe/KITCHEN/purge/set', 'voicewipe//purge/set', 'voicewipe/kitchen /purge/set', 'voicewipe/kitchen/purge',
  'voicewipe/a/b/purge/set', 'voicewipe/purge/set/x', 'homeassistant/status',
];
/** A command that would act: these are what the fuzzer must not send (they are tested as the control below). */
const acts = (topic: string, payload: Buffer) => {
  const text = payload.length <= 32 ? payload.toString('utf8').trim() : '';
  return /^(PRESS|press|Press|ON|on|On|OFF|off|Off)$/.test(text) || (topic === 'homeassistant/status' && payload.toString('utf8').trim() === 'online');
};
const payload: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('', ' ', 'PRESS ', 'PRESSS', 'pRESS', 'PRES', 'ON\u0000', 'TRUE', '1', 'true', 'null', '{}', '{"press":true}', '"PRESS"', 'P\u0000RESS',
    '\uFEFFPRESS', 'PRESS\u202e', 'OFFF', 'on off', 'PRESS'.repeat(7), ' '.repeat(40) + 'PRESS').map((s) => Buffer.from(s)),
  fc.string({ maxLength: 64 }).map((s) => Buffer.from(s)),
  fc.string({ unit: 'binary', maxLength: 64 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from([0xff, 0xfe, 0x50, 0x52]), Buffer.from([0xc3, 0x28]), Buffer.from('PRESS', 'utf16le')),
  fc.integer({ min: 33, max: size(100_000, 1_000_000) }).map((n) => Buffer.alloc(n, 'PRESS')),
);
const message = fc.record({ topic: fc.constantFrom(...TOPICS), payload, retain: fc.boolean() })
  .filter((m) => !acts(m.topic, m.payload));

await t.test('garbage on the command topics: the daemon stays up and connected, nothing starts', async (t) => {
  const before = { runs: runs(), schedule: scheduleEnabled() };
  t.equal(before.schedule, true, 'the schedule is on to begin with');
  const published: { topic: string; retain: boolean }[] = [];
  const result = await fc.check(fc.asyncProperty(message, async (m) => {
    figures.inputs_tried++;
    // Bounded: a publish the broker does not acknowledge must fail the property, not hang the suite.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ha.publish(m.topic, m.payload, { retain: m.retain }),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no PUBACK for ${m.topic} within 5 s`)), 5_000); })])
      .finally(() => clearTimeout(timer));
    published.push(m);
    if (daemon.child.exitCode !== null) { figures.crashes++; throw new Error(`the daemon exited (${daemon.child.exitCode})`); }
  }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  t.comment(`fast-check seed=${result.seed} runs=${result.numRuns}; ${published.filter((m) => m.retain).length} retained`);
  if (result.failed) t.fail(`counterexample (replay: VOICEWIPE_RELIABILITY_SEED=${SEED}): ${JSON.stringify(result.counterexample)?.slice(0, 400)}\n${String(result.errorInstance).slice(0, 600)}\n${daemon.output().slice(-3_000)}`);

  // A switch command behind the garbage, on the same connection: once it is answered, everything before it
  // has been handled.
  const mark = ha.messages.length;
  await ha.publish('voicewipe/schedule/set', 'OFF');
  await ha.waitFor((m) => m.topic === 'voicewipe/state' && JSON.parse(m.payload).schedule_enabled === false, 20_000, mark)
    .then(() => t.pass('the link still takes commands after the garbage'), (err) => t.fail(`${err.message}\n${daemon.output().slice(-3_000)}`));
  t.equal(runs(), before.runs, 'no purge was started by garbage');
  t.equal(daemon.child.exitCode, null, 'the daemon process is still running');
  const health = await (await fetch(`${await daemonUrl()}/healthz`)).json() as { mqtt: string };
  t.equal(health.mqtt, 'connected', 'the link is connected');
  t.notMatch(daemon.output(), /"level":(50|60)/, 'no error or fatal logged');
  t.match(daemon.output(), /ignored an invalid MQTT command/, 'garbage is logged as ignored');

  // Retained garbage is served again on every reconnect: a restart of the broker must not turn it into a purge.
  await broker.stop();
  await broker.start();
  await waitFor('the link to reconnect', async () => (await (await fetch(`${await daemonUrl()}/healthz`)).json() as { mqtt: string }).mqtt === 'connected', 20_000);
  t.equal(runs(), before.runs, 'no purge after reconnecting to a broker full of retained garbage');

  // The control: a real press still purges (this daemon's browser is /bin/false, so the run fails fast).
  await ha.publish('voicewipe/kitchen/purge/set', 'PRESS');
  await waitFor('a run to start from a real PRESS', () => runs() === before.runs + 1, 10_000)
    .then(() => t.pass('a real PRESS starts a run'), (err) => t.fail(err.message));
  for (const topic of new Set(published.filter((m) => m.retain).map((m) => m.topic))) await ha.publish(topic, '', { retain: true });
});

async function daemonUrl(): Promise<string> {
  const line = daemon.output().split('\n').find((l) => l.includes('voicewipe is running'));
  return JSON.parse(line!).listening as string; // where it listens (`url` is the address people use)
}

await t.test('the daemon stops cleanly after all that', async (t) => {
  daemon.child.kill('SIGTERM');
  const exit = await daemon.exited;
  t.equal(exit.code, 0, 'exit 0 on SIGTERM');
  t.equal(figures.crashes, 0, 'no crash');
});
figures.report(t);
