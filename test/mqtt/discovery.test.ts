// The payload builders on their own: every discovery payload passes the Home Assistant rules, ids stay unique
// whatever the account ids, JSON is stable; commands are parsed strictly; states map the database faithfully.
import t from 'tap';
import { parseCommand, preview } from '../../src/mqtt/commands.ts';
import {
  ACCOUNT_EVENT_TYPES, ACCOUNT_STATUSES, accountDiscovery, applianceDiscovery, removedAccountDiscovery, stableJson,
} from '../../src/mqtt/discovery.ts';
import type { DiscoveryAccount } from '../../src/mqtt/discovery.ts';
import { accountEvent, accountEventType, isoTime } from '../../src/mqtt/state.ts';
import { ERROR_KINDS } from '../../src/errors.ts';
import { duplicateUniqueIds, validateDiscovery } from './ha-rules.ts';

const input = { base: 'voicewipe', prefix: 'homeassistant', version: '1.2.3', configurationUrl: 'http://pi.local:8733/' };
// Ids picked to collide if keys were joined carelessly: `next` + `purge`, `x_total` + `deleted`, `run` + `event`.
const accounts: DiscoveryAccount[] = ['kitchen', 'next', 'x', 'x_total', 'run', 'last', 'a-b', 'purge', 'schedule', 'state']
  .map((id) => ({ id, name: `${id}@example.com (Echo)`, provider: id === 'x' ? 'google' : 'alexa', enabled: id !== 'last' }));

t.test('every discovery payload passes the Home Assistant rules; unique ids are unique', async (t) => {
  const messages = [applianceDiscovery(input), ...accounts.map((a) => accountDiscovery(input, a))];
  for (const m of messages) t.same(validateDiscovery(m.topic, m.payload), [], m.topic);
  t.same(duplicateUniqueIds(messages.map((m) => m.payload)), []);
  t.equal(messages[0].topic, 'homeassistant/device/voicewipe/config');
  t.equal(messages[1].topic, 'homeassistant/device/voicewipe_kitchen/config');

  const appliance = JSON.parse(messages[0].payload);
  t.same(Object.keys(appliance.components).sort(), ['last_run', 'next_purge', 'purge_all', 'running', 'runs', 'schedule', 'version']);
  t.match(appliance.components.version, { entity_category: 'diagnostic', platform: 'sensor' });
  t.match(appliance.origin, { name: 'voicewipe', sw_version: '1.2.3', support_url: 'http://pi.local:8733/' });
  t.equal(appliance.availability_topic, 'voicewipe/status');

  const kitchen = JSON.parse(messages[1].payload);
  t.match(kitchen.device, { identifiers: ['voicewipe_kitchen'], via_device: 'voicewipe', configuration_url: 'http://pi.local:8733/' });
  t.match(kitchen.components.total_deleted, { state_class: 'total_increasing', state_topic: 'voicewipe/kitchen/state' });
  t.match(kitchen.components.status, { device_class: 'enum', options: [...ACCOUNT_STATUSES] });
  t.match(kitchen.components.problem, { platform: 'binary_sensor', device_class: 'problem' });
  t.match(kitchen.components.needs_person, { platform: 'binary_sensor', device_class: 'problem', unique_id: 'voicewipe_kitchen_needs_person' });
  t.match(kitchen.components.overdue, { platform: 'binary_sensor', device_class: 'problem', value_template: /overdue/ });
  t.match(kitchen.components.last_run_duration, { platform: 'sensor', device_class: 'duration', unit_of_measurement: 's', entity_category: 'diagnostic' });
  t.ok(kitchen.components.status.options.includes('disabled') && kitchen.components.status.options.includes('paused'), 'every state is an option');
  t.match(kitchen.components.signin_method, {
    platform: 'sensor', device_class: 'enum', options: ['app_device', 'web', 'person'], entity_category: 'diagnostic',
    unique_id: 'voicewipe_kitchen_signin_method', state_topic: 'voicewipe/kitchen/state', value_template: '{{ value_json.signin_method }}',
  });
  t.match(kitchen.components.signin_renewed, {
    platform: 'sensor', device_class: 'timestamp', entity_category: 'diagnostic', unique_id: 'voicewipe_kitchen_signin_renewed',
    value_template: '{{ value_json.signin_renewed_at }}',
  });
  t.notOk('json_attributes_topic' in kitchen.components.signin_method, 'the status sensor alone carries the account\'s attributes (the card finds it so)');
  t.match(kitchen.components.purge_now, { platform: 'button', command_topic: 'voicewipe/kitchen/purge/set', icon: 'mdi:delete-sweep' });
  t.match(kitchen.components.event, { platform: 'event', state_topic: 'voicewipe/kitchen/event', event_types: [...ACCOUNT_EVENT_TYPES] });
  t.notOk(JSON.stringify(kitchen.components).includes('@'), 'no e-mail address in any id');
  const last = JSON.parse(accountDiscovery(input, accounts.find((a) => a.id === 'last')!).payload);
  t.same(last.components.purge_now, { platform: 'button' }, 'a switched-off account: its button is removed, not offered');
  const ab = JSON.parse(accountDiscovery(input, accounts.find((a) => a.id === 'a-b')!).payload);
  t.equal(ab.components.status.default_entity_id, 'sensor.voicewipe_a_b_status', 'entity ids only [a-z0-9_]');
});

t.test('the validator itself catches what Home Assistant refuses', async (t) => {
  const good = JSON.parse(accountDiscovery(input, accounts[0]).payload);
  // biome-ignore lint/suspicious/noExplicitAny: a parsed discovery payload, changed at the paths each case names
  const bad = (mutate: (p: Record<string, any>) => void) => {
    const copy = structuredClone(good);
    mutate(copy);
    return validateDiscovery('homeassistant/device/voicewipe_kitchen/config', JSON.stringify(copy));
  };
  t.match(bad((p) => { p['~'] = 'voicewipe'; }), [/root key "~"/]);
  t.match(bad((p) => { p.device.colour = 'red'; }), [/device key "colour"/]);
  t.match(bad((p) => { delete p.origin.name; }), [/origin.name/]);
  t.match(bad((p) => { p.components.last_success.state_class = 'measurement'; }), [/timestamp sensor/]);
  t.match(bad((p) => { p.components.status.unit_of_measurement = 'x'; }), [/enum sensor/]);
  t.match(bad((p) => { p.components.problem.entity_category = 'config'; }), [/config is refused/]);
  t.match(bad((p) => { p.components.remaining.object_id = 'x'; }), [/not a sensor option/, /object_id is gone/]);
  t.match(bad((p) => { p.components.remaining.unique_id = 'kitchen.remaining'; }), [/unique_id/]);
  t.match(bad((p) => { delete p.components.event.event_types; }), [/event_types is required/, /event_types must be/]);
  t.match(bad((p) => { delete p.components.purge_now.command_topic; }), [/command_topic is required/]);
  t.match(validateDiscovery('homeassistant/device/a.b/config', '{}'), [/object id/]);
  t.same(validateDiscovery('homeassistant/device/voicewipe_gone/config', ''), [], 'an empty payload is a removal');
});

t.test('stable JSON; configuration_url; removal; timestamps with an offset', async (t) => {
  t.equal(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  t.equal(applianceDiscovery(input).payload, applianceDiscovery({ ...input }).payload);
  t.same(removedAccountDiscovery(input, 'gone'), { topic: 'homeassistant/device/voicewipe_gone/config', payload: '' });
  t.equal(isoTime(Date.UTC(2026, 10, 24, 3, 30, 0, 123)), '2026-11-24T03:30:00+00:00');
  t.equal(isoTime(null), null);
});

t.test('two installs on one broker: a base topic other than the default is in every id', async (t) => {
  const upstairs = { ...input, base: 'upstairs/voicewipe' };
  const messages = [applianceDiscovery(upstairs), accountDiscovery(upstairs, accounts[0])];
  for (const m of messages) t.same(validateDiscovery(m.topic, m.payload), [], m.topic);
  t.equal(messages[0].topic, 'homeassistant/device/voicewipe_upstairs_voicewipe/config');
  t.equal(messages[1].topic, 'homeassistant/device/voicewipe_upstairs_voicewipe_kitchen/config');
  const ours = [applianceDiscovery(input), accountDiscovery(input, accounts[0])];
  t.same(duplicateUniqueIds([...messages, ...ours].map((m) => m.payload)), [], 'no unique id shared with the default install');
  const kitchen = JSON.parse(messages[1].payload);
  t.match(kitchen.device, { identifiers: ['voicewipe_upstairs_voicewipe_kitchen'], via_device: 'voicewipe_upstairs_voicewipe' });
  t.equal(kitchen.components.status.state_topic, 'upstairs/voicewipe/kitchen/state');
});

t.test('events: a dry run is never a purge; a needs-person event links to the sign-in', async (t) => {
  t.equal(accountEventType({ status: 'ok', error_kind: null }, true), 'counted');
  const result = {
    account_id: 'kitchen', provider: 'alexa', status: 'ok' as const, found: 12, deleted: null, remaining: 12, oldest_at: null, newest_at: null,
    error_kind: null, error_message: null, attempts: 1, started_at: 0, finished_at: 1, evidence_dir: null, details: {},
  };
  t.match(accountEvent({ run_id: 3, result, at: 1 }, true, 'http://pi.local:8733/'), { event_type: 'counted', dry_run: true, deleted: 0 });
  const needs = accountEvent({ run_id: 4, result: { ...result, status: 'failed', error_kind: 'captcha', error_message: 'captcha' }, at: 1 }, false, 'http://pi.local:8733/');
  t.match(needs, { event_type: 'needs_login', action_url: 'http://pi.local:8733/#signin=kitchen', help: /captcha/ });
});

t.test('event mapping covers every error kind', async (t) => {
  t.equal(accountEventType({ status: 'ok', error_kind: null }), 'purged');
  t.equal(accountEventType({ status: 'cancelled', error_kind: 'cancelled' }), undefined);
  const expected: Record<string, string> = {
    needs_login: 'needs_login', captcha: 'needs_login', mfa_required: 'needs_login', bad_credentials: 'needs_login',
    page_changed: 'page_changed', verification_failed: 'verification_failed',
  };
  for (const kind of ERROR_KINDS) {
    const type = accountEventType({ status: 'failed', error_kind: kind });
    t.equal(type, expected[kind] ?? 'failed', kind);
    t.ok((ACCOUNT_EVENT_TYPES as readonly string[]).includes(type!), `${kind} maps to a declared event type`);
  }
});

t.test('commands: strict payloads, sensible case variants, unknown accounts', async (t) => {
  const topics = { base: 'voicewipe', prefix: 'homeassistant' };
  const ids = ['kitchen', 'purge', 'attic'];
  const parse = (topic: string, payload: string | Buffer) => parseCommand(topics, ids, topic, Buffer.isBuffer(payload) ? payload : Buffer.from(payload), ['attic']);
  t.same(parse('voicewipe/purge/set', 'PRESS'), { command: { kind: 'purge' } });
  t.same(parse('voicewipe/purge/set', 'press\n'), { command: { kind: 'purge' } });
  t.same(parse('voicewipe/kitchen/purge/set', 'Press'), { command: { kind: 'purge', accountId: 'kitchen' } });
  t.same(parse('voicewipe/purge/purge/set', 'PRESS'), { command: { kind: 'purge', accountId: 'purge' } }, 'an account called purge');
  t.same(parse('voicewipe/schedule/set', 'ON'), { command: { kind: 'schedule', enabled: true } });
  t.same(parse('voicewipe/schedule/set', 'off'), { command: { kind: 'schedule', enabled: false } });
  for (const garbage of ['pReSs', '', 'PRESS PRESS', '{"press":true}', 'x'.repeat(100_000)]) {
    t.ok('problem' in parse('voicewipe/purge/set', garbage), `refused: ${garbage.slice(0, 20)}`);
  }
  t.ok('problem' in parse('voicewipe/purge/set', Buffer.from([0xff, 0xfe, 0x50])), 'binary refused');
  t.ok('problem' in parse('voicewipe/schedule/set', 'TRUE'));
  t.ok('problem' in parse('voicewipe/schedule/set', 'oN'));
  t.match(parse('voicewipe/nobody/purge/set', 'PRESS'), { problem: /no account "nobody"/ });
  t.match(parse('voicewipe/attic/purge/set', 'PRESS'), { problem: /switched off/ });
  t.equal(preview(Buffer.from([0, 1, 65])), '..A');
  t.match(preview(Buffer.alloc(1000, 65)), /… \(1000 bytes\)$/);
});

t.test('Resume purges: a button per enabled account, and the command it sends', async (t) => {
  const { parseCommand } = await import('../../src/mqtt/commands.ts');
  const tp = { base: 'voicewipe', prefix: 'homeassistant' };
  t.same(parseCommand(tp, ['kitchen'], 'voicewipe/kitchen/acknowledge/set', Buffer.from('PRESS')), { command: { kind: 'acknowledge', accountId: 'kitchen' } });
  t.match(parseCommand(tp, ['kitchen'], 'voicewipe/garage/acknowledge/set', Buffer.from('PRESS')), { problem: /no account "garage"/ });
  t.match(parseCommand(tp, ['kitchen'], 'voicewipe/kitchen/acknowledge/set', Buffer.from('yes')), { problem: 'expected PRESS' });
});
