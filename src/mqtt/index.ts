// The MQTT link to Home Assistant. The full client (discovery, state, events, commands) is issue 6's work;
// until then a configured `mqtt` block is reported as disconnected rather than silently ignored.
import type { DaemonContext, MqttHealth } from '../context.ts';

export interface MqttLink {
  health(): MqttHealth;
  stop(): Promise<void>;
}

export function startMqtt(context: DaemonContext, _statusUrl: string): MqttLink {
  context.log.warn('MQTT is configured but this version does not publish to Home Assistant yet');
  return { health: () => 'disconnected', stop: async () => {} };
}
