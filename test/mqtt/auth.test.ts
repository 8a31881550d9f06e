// Brokers that ask for more than a connection: a password (right and wrong: a refused password is retried with
// a growing pause, not hammered, and /healthz says so) and TLS with a certificate made by the test.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { startDaemon } from '../../src/main.ts';
import { startMqtt } from '../../src/mqtt/index.ts';
import { startBroker, watch } from '../helpers/mosquitto.ts';
import { captureLog, mqttContext, sleep, until, writeMqttConfig } from './env.ts';

t.test('a password-protected broker: the right password connects, a wrong one is retried slowly and shows on /healthz', async (t) => {
  const broker = await startBroker({ users: { voicewipe: 'right-horse-battery', watcher: 'watcher-pw' } });
  t.teardown(() => broker.close());

  const good = mqttContext(t, { url: broker.url, username: 'voicewipe', password: 'right-horse-battery' });
  const link = startMqtt(good.context);
  t.teardown(() => link.stop());
  await until('the link to connect', () => link.health() === 'connected');
  const ha = await watch(broker.url, ['homeassistant/device/+/config', 'voicewipe/status'], { username: 'watcher', password: 'watcher-pw' });
  t.teardown(() => ha.close());
  await ha.waitFor((m) => m.topic === 'homeassistant/device/voicewipe_kitchen/config');
  t.equal(ha.latest('voicewipe/status')?.payload ?? (await ha.waitFor((m) => m.topic === 'voicewipe/status')).payload, 'online');
  t.notOk(good.logs.join('').includes('right-horse-battery'), 'the password is never logged');
  await link.stop();

  const dir = t.testdir();
  const config = writeMqttConfig({ url: broker.url, username: 'voicewipe', password: 'wrong' }, undefined, dir);
  const captured = captureLog();
  const before = broker.connections();
  const daemon = await startDaemon(config, captured.log);
  t.teardown(() => daemon.close());
  const started = Date.now();
  await sleep(6_500);
  const attempts = broker.connections() - before;
  // 1 s, 2 s, 4 s between attempts: 3 (or 4 on a slow machine) in 6.5 s, where a fixed 1 s would make 7.
  t.ok(attempts >= 2 && attempts <= 4, `${attempts} connection attempts in ${Date.now() - started} ms`);
  t.match(broker.log(), /not authori[sz]ed/);
  const health = await (await fetch(`${daemon.url}/healthz`)).json();
  t.match(health, { mqtt: 'disconnected', status: 'degraded', db: 'ok' });
  const refusals = captured.logged(/refused the user name or password/);
  t.equal(refusals.length, 1, 'one warning, not one per attempt');
  t.notOk(captured.logs.join('').includes('"wrong"'), 'the wrong password is not logged either');
  const closing = Date.now();
  await daemon.close();
  t.ok(Date.now() - closing < 3_000, 'a daemon that never connected stops at once');
});

t.test('TLS with a private CA: trusted through ca_file, refused without it', async (t) => {
  const broker = await startBroker({ tls: true });
  t.teardown(() => broker.close());
  t.match(broker.url, /^mqtts:\/\/127\.0\.0\.1:/);

  const trusted = mqttContext(t, { url: broker.url, ca_file: broker.caFile });
  const link = startMqtt(trusted.context);
  t.teardown(() => link.stop());
  await until('the TLS link to connect', () => link.health() === 'connected');
  const ha = await watch(broker.url, ['voicewipe/status'], { ca: readFileSync(broker.caFile!) });
  t.teardown(() => ha.close());
  t.equal((await ha.waitFor((m) => m.topic === 'voicewipe/status')).payload, 'online');

  const untrusted = mqttContext(t, { url: broker.url });
  const refused = startMqtt(untrusted.context);
  t.teardown(() => refused.stop());
  await until('the certificate to be refused', () => untrusted.logged(/MQTT: /).length > 0, 5_000);
  t.equal(refused.health(), 'disconnected');
  t.match(String(untrusted.logged(/MQTT: /)[0].err), /certificate|self.signed/i);
});
