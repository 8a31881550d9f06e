// Commands from Home Assistant: `PRESS` on `<base>/purge/set` and `<base>/<account>/purge/set`, `ON`/`OFF` on
// `<base>/schedule/set`, `PRESS` on `<base>/<account>/acknowledge/set` (resume an account paused after over_deleted). Anyone on the broker can publish anything: every payload is checked, nothing throws.
import type { Topics } from './discovery.ts';
import { topics } from './discovery.ts';

export type Command = { kind: 'purge'; accountId?: string } | { kind: 'schedule'; enabled: boolean } | { kind: 'acknowledge'; accountId: string };

export type Parsed = { command: Command } | { problem: string };

/** Longer payloads are not a command (a button sends 5 bytes): refused before any decoding. */
const MAX_PAYLOAD_BYTES = 32;
const PRESS = new Set(['PRESS', 'press', 'Press']);
const ON = new Set(['ON', 'on', 'On']);
const OFF = new Set(['OFF', 'off', 'Off']);

/** What the link subscribes to for commands. */
export function commandSubscriptions(t: Topics): string[] {
  return [topics.purgeAll(t), topics.schedule(t), `${t.base}/+/purge/set`, `${t.base}/+/acknowledge/set`];
}

/** A short, printable rendering of a payload for a log line. */
export function preview(payload: Buffer): string {
  const text = payload.subarray(0, 40).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return payload.length > 40 ? `${text}… (${payload.length} bytes)` : text;
}

function decode(payload: Buffer): string | undefined {
  if (payload.length > MAX_PAYLOAD_BYTES) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(payload).trim();
  } catch {
    return undefined;
  }
}

export function parseCommand(t: Topics, accountIds: readonly string[], topic: string, payload: Buffer, disabledIds: readonly string[] = []): Parsed {
  const text = decode(payload);
  if (topic === topics.purgeAll(t) || (topic.startsWith(`${t.base}/`) && topic.endsWith('/purge/set'))) {
    let accountId: string | undefined;
    if (topic !== topics.purgeAll(t)) {
      accountId = topic.slice(t.base.length + 1, -'/purge/set'.length);
      if (!accountIds.includes(accountId)) return { problem: `no account "${accountId.slice(0, 40)}" in the config` };
      if (disabledIds.includes(accountId)) return { problem: `account "${accountId}" is switched off in the config (enabled: false)` };
    }
    if (text === undefined || !PRESS.has(text)) return { problem: 'expected PRESS' };
    return { command: accountId === undefined ? { kind: 'purge' } : { kind: 'purge', accountId } };
  }
  if (topic.startsWith(`${t.base}/`) && topic.endsWith('/acknowledge/set')) {
    const accountId = topic.slice(t.base.length + 1, -'/acknowledge/set'.length);
    if (!accountIds.includes(accountId)) return { problem: `no account "${accountId.slice(0, 40)}" in the config` };
    if (text === undefined || !PRESS.has(text)) return { problem: 'expected PRESS' };
    return { command: { kind: 'acknowledge', accountId } };
  }
  if (topic === topics.schedule(t)) {
    if (text !== undefined && ON.has(text)) return { command: { kind: 'schedule', enabled: true } };
    if (text !== undefined && OFF.has(text)) return { command: { kind: 'schedule', enabled: false } };
    return { problem: 'expected ON or OFF' };
  }
  return { problem: 'not a command topic' };
}
