// MQTT for the daemon: the link to the broker (src/mqtt/link.ts) with Home Assistant on top of it
// (src/mqtt/homeassistant.ts). Without an `mqtt` block in the config there is neither.
import type { DaemonContext, MqttHealth } from '../context.ts';
import type { Topics } from './discovery.ts';
import { topics } from './discovery.ts';
import { startHomeAssistant } from './homeassistant.ts';
import type { HomeAssistantOptions } from './homeassistant.ts';
import { connectLink } from './link.ts';
import type { LinkOptions } from './link.ts';

export { installClientId } from './link.ts';

export interface MqttLink {
  health(): MqttHealth;
  stop(): Promise<void>;
}

export type MqttOptions = LinkOptions & HomeAssistantOptions;

export function startMqtt(context: DaemonContext, opts: MqttOptions = {}): MqttLink {
  const config = context.config.mqtt;
  if (!config) return { health: () => 'disabled', stop: async () => {} };
  const log = context.log.child({ module: 'mqtt' });
  const t: Topics = { base: config.base_topic, prefix: config.discovery_prefix };
  const link = connectLink(context, config, topics.status(t), log, opts);
  if (!link) return { health: () => 'disconnected', stop: async () => {} };
  const homeAssistant = startHomeAssistant(context, link, t, log, opts);
  let stopped: Promise<void> | undefined;
  return {
    health: () => link.health(),
    stop() {
      stopped ??= (async () => {
        homeAssistant.stop();
        await link.stop();
      })();
      return stopped;
    },
  };
}
