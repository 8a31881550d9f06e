// A daemon bound to 0.0.0.0 (the default) links Home Assistant to the status page by the host's name, never to
// the loopback address Fastify lists first; the same address is in the start-up log, the account states and
// the events. A switched-off account shows as `disabled` with no "Purge now".
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { formatProblem, loadConfig } from '../../src/config/load.ts';
import { startDaemon } from '../../src/main.ts';
import { startBroker, watch } from '../helpers/mosquitto.ts';
import { captureLog, driveRun } from './env.ts';
import { validateDiscovery } from './ha-rules.ts';

t.test('bound to 0.0.0.0: configuration_url, log and links use <hostname>.local', async (t) => {
  const broker = await startBroker();
  t.teardown(() => broker.close());
  const dir = t.testdir();
  const path = join(dir, 'config.yaml');
  writeFileSync(path, [
    'version: 1', 'timezone: UTC', `state_dir: ${join(dir, 'state')}`, 'http: {host: 0.0.0.0, port: 0}',
    'schedule: {catch_up: false}', `mqtt: {url: "${broker.url}"}`, 'accounts:',
    '  - {id: office, name: Office, provider: google}',
    '  - {id: attic, name: Attic Echo, provider: alexa, email: a@example.com, password_file: nowhere, enabled: false}', '',
  ].join('\n'));
  const { config, problems } = loadConfig(path);
  if (!config) throw new Error(problems.map(formatProblem).join('\n'));
  const captured = captureLog();
  const daemon = await startDaemon(config, captured.log);
  t.teardown(() => daemon.close());
  const port = new URL(daemon.url).port;
  const expected = `https://${hostname().toLowerCase()}.local:${port}/`; // tls: auto on every interface
  t.equal(daemon.context.publicUrl, expected);

  const ha = await watch(broker.url, ['homeassistant/#', 'voicewipe/#']);
  t.teardown(() => ha.close());
  const appliance = await ha.waitFor((m) => m.topic === 'homeassistant/device/voicewipe/config');
  const attic = await ha.waitFor((m) => m.topic === 'homeassistant/device/voicewipe_attic/config');
  for (const m of [appliance, attic]) t.same(validateDiscovery(m.topic, m.payload), [], m.topic);
  t.equal(JSON.parse(appliance.payload).device.configuration_url, expected);
  t.notMatch(appliance.payload, /127\.0\.0\.1|0\.0\.0\.0/);
  t.same(JSON.parse(attic.payload).components.purge_now, { platform: 'button' }, 'no purge button for a switched-off account');
  const atticState = await ha.waitFor((m) => m.topic === 'voicewipe/attic/state');
  t.match(JSON.parse(atticState.payload), { status: 'disabled', problem: false, needs_person: false, overdue: false });

  const running = captured.logged(/voicewipe is running/)[0];
  t.equal(running?.url, expected, 'the log names the address people use');
  t.match(running?.msg, /voicewipe token/, 'and how to get the admin token');

  const from = ha.messages.length;
  await driveRun(daemon.context, [{ account_id: 'office', status: 'failed', error_kind: 'needs_login', error_message: 'sign in', found: null, deleted: null, remaining: null }]);
  const event = await ha.waitFor((m) => m.topic === 'voicewipe/office/event', 5_000, from);
  t.match(JSON.parse(event.payload), { event_type: 'needs_login', action_url: `${expected}#signin=office`, help: /sign in/ });
  const state = await ha.waitFor((m) => m.topic === 'voicewipe/office/state' && JSON.parse(m.payload).needs_person === true, 5_000, from);
  t.match(JSON.parse(state.payload), { status: 'needs_person', problem: true, action_url: `${expected}#signin=office` });

  // A pause (over_deleted) and its acknowledgement reach Home Assistant at once, through the one state decision.
  const { recorder, events } = daemon.context.purge;
  const beforePause = ha.messages.length;
  recorder.pause({ id: 'office', provider: 'google' }, '40 recordings meant to be kept are gone', Date.now());
  events.emit('account_paused', { run_id: 1, account_id: 'office', message: 'over_deleted', at: Date.now() });
  const paused = await ha.waitFor((m) => m.topic === 'voicewipe/office/state' && JSON.parse(m.payload).status === 'paused', 5_000, beforePause);
  t.match(JSON.parse(paused.payload), { problem: true, help: /paused \(40 recordings meant to be kept are gone\).*acknowledge/ });
  recorder.acknowledge('office');
  events.emit('account_resumed', { account_id: 'office', at: Date.now() });
  await ha.waitFor((m) => m.topic === 'voicewipe/office/state' && JSON.parse(m.payload).status === 'needs_person', 5_000, beforePause + 1);
  const admin = { authorization: `Bearer ${daemon.context.adminToken}` }; // the status is private by default
  const api = await (await fetch(`http://127.0.0.1:${port}/api/status`, { headers: admin })).json() as { accounts: { id: string; action_url: string; state: string }[] };
  t.match(api.accounts.find((a) => a.id === 'office'), { state: 'needs_person', action_url: `${expected}#signin=office` });
});
