// A validator for device-based discovery payloads, written from shared/vendors/home-assistant.md (and the
// schemas of Home Assistant's MQTT integration it summarises). Strict where Home Assistant is strict (root,
// device, origin, availability) and stricter where it is silent (unknown component keys are typos here).

const ID = /^[a-zA-Z0-9_-]+$/;
const ENTITY_ID = /^[a-z_]+\.[a-z0-9_]+$/;
const AVAILABILITY_KEYS = ['availability', 'availability_topic', 'availability_mode', 'availability_template', 'payload_available', 'payload_not_available'];
const ROOT_KEYS = new Set(['device', 'origin', 'components', 'state_topic', 'command_topic', 'qos', 'encoding', ...AVAILABILITY_KEYS]);
const DEVICE_KEYS = new Set(['identifiers', 'connections', 'name', 'manufacturer', 'model', 'model_id', 'hw_version', 'sw_version',
  'serial_number', 'suggested_area', 'via_device', 'configuration_url']);
const ORIGIN_KEYS = new Set(['name', 'sw_version', 'support_url']);
const AVAILABILITY_ITEM_KEYS = new Set(['topic', 'payload_available', 'payload_not_available', 'value_template']);

const COMMON = ['platform', 'name', 'unique_id', 'default_entity_id', 'icon', 'entity_category', 'enabled_by_default', 'device_class',
  'json_attributes_topic', 'json_attributes_template', 'qos', 'encoding', 'entity_picture', ...AVAILABILITY_KEYS];
const PLATFORM_KEYS: Record<string, { keys: Set<string>; required: string[] }> = {
  sensor: {
    keys: new Set([...COMMON, 'state_topic', 'value_template', 'unit_of_measurement', 'state_class', 'options', 'suggested_display_precision',
      'expire_after', 'force_update', 'last_reset_value_template']),
    required: ['state_topic'],
  },
  binary_sensor: {
    keys: new Set([...COMMON, 'state_topic', 'value_template', 'payload_on', 'payload_off', 'expire_after', 'force_update', 'off_delay']),
    required: ['state_topic'],
  },
  button: { keys: new Set([...COMMON, 'command_topic', 'command_template', 'payload_press', 'retain']), required: ['command_topic'] },
  switch: {
    keys: new Set([...COMMON, 'command_topic', 'command_template', 'state_topic', 'value_template', 'payload_on', 'payload_off',
      'state_on', 'state_off', 'optimistic', 'retain']),
    required: ['command_topic'],
  },
  event: { keys: new Set([...COMMON, 'state_topic', 'value_template', 'event_types']), required: ['state_topic', 'event_types'] },
};
const STATE_CLASSES = new Set(['measurement', 'measurement_angle', 'total', 'total_increasing']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTopic(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0 && !/[+#]/.test(v);
}

/** Problems with one retained discovery message (an empty payload is a removal and always valid). */
export function validateDiscovery(topic: string, raw: string, prefix = 'homeassistant'): string[] {
  const problems: string[] = [];
  const p = (message: string) => problems.push(`${topic}: ${message}`);
  const m = new RegExp(`^${prefix}/device/([^/]+)/config$`).exec(topic);
  if (!m) p('not a device-based discovery topic');
  else if (!ID.test(m[1])) p(`object id "${m[1]}" has characters outside [a-zA-Z0-9_-]`);
  if (raw === '') return problems;
  let payload: unknown;
  try { payload = JSON.parse(raw); } catch { p('payload is not JSON'); return problems; }
  if (!isObject(payload)) { p('payload is not an object'); return problems; }

  for (const key of Object.keys(payload)) if (!ROOT_KEYS.has(key)) p(`root key "${key}" is not allowed (the whole payload would be refused)`);

  const device = payload.device;
  if (!isObject(device)) p('device block missing');
  else {
    for (const key of Object.keys(device)) if (!DEVICE_KEYS.has(key)) p(`device key "${key}" is not allowed`);
    const ids = device.identifiers;
    if ((!Array.isArray(ids) || ids.length === 0) && !Array.isArray(device.connections)) p('device needs identifiers or connections');
    if (Array.isArray(ids)) for (const id of ids) if (typeof id !== 'string' || !ID.test(id)) p(`device identifier ${JSON.stringify(id)} is not a plain id`);
    if (typeof device.name !== 'string' || device.name === '') p('device.name missing');
    if (device.configuration_url !== undefined && !/^https?:\/\/[^/\s]+/.test(String(device.configuration_url))) p('device.configuration_url must be http(s)');
    if (device.via_device !== undefined && (typeof device.via_device !== 'string' || !ID.test(device.via_device))) p('device.via_device is not a plain id');
  }

  const origin = payload.origin;
  if (!isObject(origin)) p('origin block missing');
  else {
    for (const key of Object.keys(origin)) if (!ORIGIN_KEYS.has(key)) p(`origin key "${key}" is not allowed`);
    if (typeof origin.name !== 'string' || origin.name === '') p('origin.name is required');
  }

  checkAvailability(payload, 'root', p);
  if (payload.qos !== undefined && ![0, 1, 2].includes(payload.qos as number)) p('qos must be 0, 1 or 2');

  const components = payload.components;
  if (!isObject(components) || Object.keys(components).length === 0) { p('components missing or empty'); return problems; }
  for (const [key, raw] of Object.entries(components)) {
    const c = (message: string) => p(`component "${key}": ${message}`);
    if (!ID.test(key)) c('key has characters outside [a-zA-Z0-9_-]');
    if (!isObject(raw)) { c('is not an object'); continue; }
    const platform = String(raw.platform);
    const rules = PLATFORM_KEYS[platform];
    if (!rules) { c(`unknown platform "${platform}"`); continue; }
    if (Object.keys(raw).length === 1) continue; // {platform} alone removes the component
    for (const k of Object.keys(raw)) if (!rules.keys.has(k)) c(`key "${k}" is not a ${platform} option (Home Assistant would drop it silently)`);
    if ('object_id' in raw) c('object_id is gone: use default_entity_id');
    for (const req of rules.required) {
      const value = raw[req] ?? (req === 'state_topic' || req === 'command_topic' ? payload[req] : undefined);
      if (value === undefined) c(`${req} is required for ${platform}`);
    }
    for (const k of ['state_topic', 'command_topic', 'json_attributes_topic']) if (raw[k] !== undefined && !isTopic(raw[k])) c(`${k} is not a publishable topic`);
    if (typeof raw.unique_id !== 'string' || !ID.test(raw.unique_id)) c('unique_id missing or not a plain id');
    else if (!raw.unique_id.startsWith('voicewipe_')) c('unique_id must start with the product id (voicewipe_)');
    if (raw.default_entity_id !== undefined) {
      const id = String(raw.default_entity_id);
      if (!ENTITY_ID.test(id) || !id.startsWith(`${platform}.`)) c(`default_entity_id "${id}" is not "${platform}.<lower_case_id>"`);
    }
    if (typeof raw.name !== 'string' && raw.name !== null) c('name missing');
    if (raw.icon !== undefined && !/^mdi:[a-z0-9-]+$/.test(String(raw.icon))) c('icon is not mdi:<name>');
    if (raw.entity_category !== undefined) {
      if (!['diagnostic', 'config'].includes(String(raw.entity_category))) c('entity_category must be diagnostic or config');
      if (raw.entity_category === 'config' && (platform === 'sensor' || platform === 'binary_sensor')) c('entity_category config is refused on sensors');
    }
    checkAvailability(raw, `component "${key}"`, p);
    if (platform === 'sensor') {
      if (raw.state_class !== undefined && !STATE_CLASSES.has(String(raw.state_class))) c(`state_class "${raw.state_class}" unknown`);
      if (raw.device_class === 'timestamp' && (raw.unit_of_measurement !== undefined || raw.state_class !== undefined)) c('a timestamp sensor takes no unit and no state_class');
      if (raw.device_class === 'enum') {
        if (!Array.isArray(raw.options) || raw.options.length === 0 || raw.options.some((o) => typeof o !== 'string')) c('an enum sensor needs options (strings)');
        if (raw.unit_of_measurement !== undefined || raw.state_class !== undefined) c('an enum sensor takes no unit and no state_class');
      } else if (raw.options !== undefined) c('options only go with device_class enum');
    }
    if (platform === 'binary_sensor' && raw.device_class !== undefined && !['problem', 'running', 'connectivity', 'update', 'safety'].includes(String(raw.device_class))) {
      c(`binary_sensor device_class "${raw.device_class}" is not one voicewipe means to use`);
    }
    if (platform === 'button' && raw.device_class !== undefined && !['identify', 'restart', 'update'].includes(String(raw.device_class))) c('button device_class invalid');
    if (platform === 'event') {
      const types = raw.event_types;
      if (!Array.isArray(types) || types.length === 0 || types.some((x) => typeof x !== 'string' || x === '')) c('event_types must be a non-empty list of strings');
    }
  }
  return problems;
}

function checkAvailability(block: Record<string, unknown>, where: string, p: (m: string) => void): void {
  if (block.availability !== undefined) {
    if (!Array.isArray(block.availability)) p(`${where}: availability must be a list`);
    else for (const item of block.availability) {
      if (!isObject(item)) { p(`${where}: availability item is not an object`); continue; }
      for (const key of Object.keys(item)) if (!AVAILABILITY_ITEM_KEYS.has(key)) p(`${where}: availability key "${key}" is not allowed`);
      if (!isTopic(item.topic)) p(`${where}: availability item needs a topic`);
    }
  }
  if (block.availability_topic !== undefined && !isTopic(block.availability_topic)) p(`${where}: availability_topic is not a topic`);
}

/** Every unique_id across a set of payloads, and the ones used twice. */
export function duplicateUniqueIds(payloads: string[]): string[] {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const raw of payloads) {
    if (raw === '') continue;
    const components = (JSON.parse(raw) as { components?: Record<string, { unique_id?: string }> }).components ?? {};
    for (const c of Object.values(components)) {
      if (!c.unique_id) continue;
      if (seen.has(c.unique_id)) dupes.push(c.unique_id);
      seen.add(c.unique_id);
    }
  }
  return dupes;
}

/** A state value Home Assistant accepts for a timestamp sensor: ISO 8601 with an offset. */
export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;
