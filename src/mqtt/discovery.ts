// Home Assistant discovery payloads (shared/vendors/home-assistant.md): one device-based config per device,
// the appliance and one per account linked to it with via_device. Pure functions: same input, same bytes.
import type { ProviderName } from '../config/types.ts';
import { SIGNIN_METHODS } from '../signin/record.ts';
import { ACCOUNT_STATES } from '../purge/status.ts';

export interface Topics {
  base: string;
  prefix: string;
}

export interface DiscoveryAccount {
  id: string;
  name: string;
  provider: ProviderName;
  /** Switched off in the config: shown as `disabled`, and no "Purge now" button. */
  enabled: boolean;
}

export interface DiscoveryInput extends Topics {
  version: string;
  /** The status page (http.public_url), linked from every device. */
  configurationUrl: string;
}

export interface Message {
  topic: string;
  payload: string;
}

/** Account status values: the enum sensor's options and the `status` key of `<base>/<account>/state`. */
export const ACCOUNT_STATUSES = ACCOUNT_STATES;

/** event_type values of `<base>/<account>/event`. A dry run that went well is `counted`, never `purged`. */
export const ACCOUNT_EVENT_TYPES = ['purged', 'counted', 'failed', 'needs_login', 'page_changed', 'verification_failed', 'busy'] as const;
export type AccountEventType = typeof ACCOUNT_EVENT_TYPES[number];

/** event_type values of `<base>/event` (the appliance: whole runs and refused presses). */
export const RUN_EVENT_TYPES = ['run_started', 'run_finished', 'busy'] as const;

const DEFAULT_BASE = 'voicewipe';
const PROVIDER_MODELS: Record<ProviderName, string> = { alexa: 'Amazon Alexa account', google: 'Google Assistant account' };

export const topics = {
  status: (t: Topics) => `${t.base}/status`,
  state: (t: Topics) => `${t.base}/state`,
  event: (t: Topics) => `${t.base}/event`,
  purgeAll: (t: Topics) => `${t.base}/purge/set`,
  schedule: (t: Topics) => `${t.base}/schedule/set`,
  accountState: (t: Topics, id: string) => `${t.base}/${id}/state`,
  accountEvent: (t: Topics, id: string) => `${t.base}/${id}/event`,
  accountPurge: (t: Topics, id: string) => `${t.base}/${id}/purge/set`,
  accountAcknowledge: (t: Topics, id: string) => `${t.base}/${id}/acknowledge/set`,
  birth: (t: Topics) => `${t.prefix}/status`,
  applianceConfig: (t: Topics) => `${t.prefix}/device/${applianceId(t)}/config`,
  accountConfig: (t: Topics, id: string) => `${t.prefix}/device/${accountDeviceId(t, id)}/config`,
};

/** The appliance's device id, and the start of every id it publishes: `voicewipe`, or with a base topic other
 *  than the default `voicewipe_<base>`, so two installs on one broker keep their own devices and entities. */
export function applianceId(t: Pick<Topics, 'base'>): string {
  return t.base === DEFAULT_BASE ? 'voicewipe' : `voicewipe_${t.base.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}

export function accountDeviceId(t: Pick<Topics, 'base'>, accountId: string): string {
  return `${applianceId(t)}_${accountId}`;
}

/** JSON with object keys sorted at every level, so an unchanged payload is byte for byte the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** `sensor.voicewipe_kitchen_status`: entity ids allow only [a-z0-9_]. */
function entityId(platform: string, ...parts: string[]): string {
  return `${platform}.${parts.join('_').toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

function origin(input: DiscoveryInput): Record<string, unknown> {
  // No public project page yet: the status page is where help for this install starts (its README link, logs).
  return { name: 'voicewipe', sw_version: input.version, support_url: input.configurationUrl };
}

// Component keys are chosen so that no key ends in `_<another key>`: `voicewipe_<account>_<key>` stays unique
// whatever the account ids are (an account called `next` cannot collide with `next_purge`).
export function applianceDiscovery(input: DiscoveryInput): Message {
  const state = topics.state(input);
  const uid = (key: string) => `${applianceId(input)}_${key}`;
  const components: Record<string, Record<string, unknown>> = {
    schedule: {
      platform: 'switch', name: 'Nightly schedule', unique_id: uid('schedule'), default_entity_id: entityId('switch', uid('schedule')),
      command_topic: topics.schedule(input), state_topic: state, payload_on: 'ON', payload_off: 'OFF',
      value_template: "{{ 'ON' if value_json.schedule_enabled else 'OFF' }}", icon: 'mdi:calendar-clock',
    },
    next_purge: {
      platform: 'sensor', name: 'Next purge', unique_id: uid('next_purge'), default_entity_id: entityId('sensor', uid('next_purge')),
      device_class: 'timestamp', state_topic: state, value_template: '{{ value_json.next_run_at }}',
    },
    last_run: {
      platform: 'sensor', name: 'Last run', unique_id: uid('last_run'), default_entity_id: entityId('sensor', uid('last_run')),
      device_class: 'timestamp', state_topic: state, value_template: '{{ value_json.last_run_at }}',
      json_attributes_topic: state, icon: 'mdi:history',
    },
    running: {
      platform: 'binary_sensor', name: 'Purging', unique_id: uid('running'), default_entity_id: entityId('binary_sensor', uid('running')),
      device_class: 'running', state_topic: state, value_template: "{{ 'ON' if value_json.running else 'OFF' }}",
      payload_on: 'ON', payload_off: 'OFF',
    },
    purge_all: {
      platform: 'button', name: 'Purge all now', unique_id: uid('purge_all'), default_entity_id: entityId('button', uid('purge_all')),
      command_topic: topics.purgeAll(input), payload_press: 'PRESS', icon: 'mdi:delete-sweep',
    },
    runs: {
      platform: 'event', name: 'Run', unique_id: uid('runs'), default_entity_id: entityId('event', uid('run')),
      state_topic: topics.event(input), event_types: [...RUN_EVENT_TYPES], icon: 'mdi:broom',
    },
    version: {
      platform: 'sensor', name: 'Version', unique_id: uid('version'), default_entity_id: entityId('sensor', uid('version')),
      state_topic: state, value_template: '{{ value_json.version }}', entity_category: 'diagnostic', icon: 'mdi:information-outline',
    },
  };
  const payload = {
    device: {
      identifiers: [applianceId(input)], name: input.base === DEFAULT_BASE ? 'voicewipe' : `voicewipe (${input.base})`, manufacturer: 'voicewipe', model: 'Voice recording purge appliance',
      sw_version: input.version, configuration_url: input.configurationUrl,
    },
    origin: origin(input),
    availability_topic: topics.status(input),
    qos: 1,
    components,
  };
  return { topic: topics.applianceConfig(input), payload: stableJson(payload) };
}

export function accountDiscovery(input: DiscoveryInput, account: DiscoveryAccount): Message {
  const device = accountDeviceId(input, account.id);
  const state = topics.accountState(input, account.id);
  const uid = (key: string) => `${device}_${key}`;
  // Binary sensors rely on Home Assistant's default payloads (ON/OFF): the payload stays under 4 KB.
  const components: Record<string, Record<string, unknown>> = {
    status: {
      platform: 'sensor', name: 'Status', unique_id: uid('status'), default_entity_id: entityId('sensor', uid('status')),
      device_class: 'enum', options: [...ACCOUNT_STATUSES], state_topic: state, value_template: '{{ value_json.status }}',
      json_attributes_topic: state, icon: 'mdi:account-voice',
    },
    problem: {
      platform: 'binary_sensor', name: 'Problem', unique_id: uid('problem'), default_entity_id: entityId('binary_sensor', uid('problem')),
      device_class: 'problem', state_topic: state, value_template: "{{ 'ON' if value_json.problem else 'OFF' }}",
      json_attributes_topic: state,
    },
    // Apart from `problem`: a failure that the next night may clear is not a reason to wake a person.
    needs_person: {
      platform: 'binary_sensor', name: 'Needs a person', unique_id: uid('needs_person'),
      default_entity_id: entityId('binary_sensor', uid('needs_person')), device_class: 'problem', state_topic: state,
      value_template: "{{ 'ON' if value_json.needs_person else 'OFF' }}", json_attributes_topic: state, icon: 'mdi:account-alert',
    },
    overdue: {
      platform: 'binary_sensor', name: 'Overdue', unique_id: uid('overdue'), default_entity_id: entityId('binary_sensor', uid('overdue')),
      device_class: 'problem', state_topic: state, value_template: "{{ 'ON' if value_json.overdue else 'OFF' }}",
      json_attributes_topic: state,
    },
    last_success: {
      platform: 'sensor', name: 'Last successful purge', unique_id: uid('last_success'),
      default_entity_id: entityId('sensor', uid('last_success')), device_class: 'timestamp', state_topic: state,
      value_template: '{{ value_json.last_success_at }}',
    },
    last_deleted: {
      platform: 'sensor', name: 'Deleted in the last run', unique_id: uid('last_deleted'),
      default_entity_id: entityId('sensor', uid('last_deleted')), state_class: 'measurement', state_topic: state,
      value_template: '{{ value_json.deleted }}', icon: 'mdi:delete-clock',
    },
    total_deleted: {
      platform: 'sensor', name: 'Deleted in total', unique_id: uid('total_deleted'),
      default_entity_id: entityId('sensor', uid('total_deleted')), state_class: 'total_increasing', state_topic: state,
      value_template: '{{ value_json.total_deleted }}', icon: 'mdi:delete-circle',
    },
    remaining: {
      platform: 'sensor', name: 'Remaining', unique_id: uid('remaining'), default_entity_id: entityId('sensor', uid('remaining')),
      state_class: 'measurement', state_topic: state, value_template: '{{ value_json.remaining }}', icon: 'mdi:microphone-message',
    },
    last_run_duration: {
      platform: 'sensor', name: 'Last run duration', unique_id: uid('last_run_duration'),
      default_entity_id: entityId('sensor', uid('last_run_duration')), device_class: 'duration', unit_of_measurement: 's',
      state_class: 'measurement', state_topic: state, value_template: '{{ value_json.last_run_duration_s }}', entity_category: 'diagnostic',
    },
    // How the account signs in and when that was last renewed (src/signin/record.ts): for a person looking into
    // why an account needs a sign-in, not for dashboards.
    signin_method: {
      platform: 'sensor', name: 'Signs in', unique_id: uid('signin_method'), default_entity_id: entityId('sensor', uid('signin_method')),
      device_class: 'enum', options: [...SIGNIN_METHODS], state_topic: state, value_template: '{{ value_json.signin_method }}',
      entity_category: 'diagnostic', icon: 'mdi:account-key',
    },
    signin_renewed: {
      platform: 'sensor', name: 'Sign-in renewed', unique_id: uid('signin_renewed'), default_entity_id: entityId('sensor', uid('signin_renewed')),
      device_class: 'timestamp', state_topic: state, value_template: '{{ value_json.signin_renewed_at }}', entity_category: 'diagnostic',
    },
    // A switched-off account has nothing to purge: `{platform}` alone removes a button published before.
    purge_now: account.enabled ? {
      platform: 'button', name: 'Purge now', unique_id: uid('purge_now'), default_entity_id: entityId('button', uid('purge_now')),
      command_topic: topics.accountPurge(input, account.id), payload_press: 'PRESS', icon: 'mdi:delete-sweep',
    } : { platform: 'button' },
    // Pressed once a person has looked at an over_deleted account's evidence: its purges resume.
    resume: account.enabled ? {
      platform: 'button', name: 'Resume purges', unique_id: uid('resume'), default_entity_id: entityId('button', uid('resume')),
      command_topic: topics.accountAcknowledge(input, account.id), payload_press: 'PRESS', icon: 'mdi:check-decagram', entity_category: 'config',
    } : { platform: 'button' },
    event: {
      platform: 'event', name: 'Purge', unique_id: uid('event'), default_entity_id: entityId('event', uid('purge')),
      state_topic: topics.accountEvent(input, account.id), event_types: [...ACCOUNT_EVENT_TYPES], icon: 'mdi:account-alert',
    },
  };
  const payload = {
    device: {
      identifiers: [device], name: account.name, manufacturer: 'voicewipe', model: PROVIDER_MODELS[account.provider] ?? account.provider,
      via_device: applianceId(input), configuration_url: input.configurationUrl,
    },
    origin: origin(input),
    availability_topic: topics.status(input),
    qos: 1,
    components,
  };
  return { topic: topics.accountConfig(input, account.id), payload: stableJson(payload) };
}

/** An empty retained config removes the device and its entities from Home Assistant. */
export function removedAccountDiscovery(t: Topics, accountId: string): Message {
  return { topic: topics.accountConfig(t, accountId), payload: '' };
}
