// The shipped blueprint is valid YAML with Home Assistant's !input tag, ignores restarts (not_from unavailable
// and unknown), uses only the inputs it declares, and reads what the MQTT state really carries.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ScalarTag } from 'yaml';
import { accountDiscovery } from '../../src/mqtt/discovery.ts';

const FILE = new URL('../../homeassistant/blueprints/automation/voicewipe/needs_you.yaml', import.meta.url);
const input: ScalarTag = { tag: '!input', resolve: (value: string) => ({ input: value }) };

t.test('needs_you blueprint', async (t) => {
  // biome-ignore lint/suspicious/noExplicitAny: a parsed YAML document, read at the paths Home Assistant defines
  const doc = parse(readFileSync(FILE, 'utf8'), { customTags: [input] }) as Record<string, any>;
  t.match(doc.blueprint, { domain: 'automation', name: /voicewipe/ });
  const declared = Object.keys(doc.blueprint.input);
  const used = JSON.stringify(doc).match(/"input":"(\w+)"/g)!.map((m) => m.slice(9, -1));
  t.ok(used.length > 0 && used.every((name) => declared.includes(name)), `inputs used are declared (${used.join(', ')})`);
  t.same(doc.triggers[0].not_from, ['unavailable', 'unknown'], 'a restart is not news');
  t.equal(doc.triggers[0].to, 'on');
  const data = doc.actions[0].data.data;
  t.match(data, { url: /link/, clickAction: /link/ }, 'tap to open the fix');
  // The attributes the blueprint reads are on the sensors it lets you pick (json_attributes_topic = the state).
  const components = JSON.parse(accountDiscovery({ base: 'voicewipe', prefix: 'homeassistant', version: '1', configurationUrl: 'http://x/' },
    { id: 'k', name: 'K', provider: 'alexa', enabled: true }).payload).components;
  for (const key of ['needs_person', 'overdue']) t.equal(components[key].json_attributes_topic, 'voicewipe/k/state', key);
});
