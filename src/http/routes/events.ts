// GET /api/events: the run's events as server-sent events, for the status page's live view. A comment line
// every heartbeat keeps proxies and phones from dropping an idle stream; the streams end when the app
// closes, so a shutdown is never held by an open page. A visitor (public_status: true) gets states only; the
// streams are capped per address, and the last slots are kept for the admin, so no one client can hold them all.
import type { ServerResponse } from 'node:http';
import type { PurgeEventMap, PurgeEventName } from '../../purge/events.ts';
import { redactUrls } from '../../purge/redact.ts';
import type { ApiDeps } from '../app.ts';
import { audit, OncePer } from '../audit.ts';
import { publicEventPayload } from '../public-view.ts';
import { errorResponse, iso } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';

/** Enough for every screen in a house; more is a leak or an attack. */
export const MAX_CLIENTS = 64;
/** Slots only the admin may take: a LAN full of visitors' streams never locks the admin out of the live view. */
export const ADMIN_SLOTS = 16;
/** Streams one address may hold (a phone with a few tabs); visitors fewer than the admin. */
export const PER_ADDRESS = { visitor: 4, admin: 8 } as const;
/** A client this far behind (a phone that went to sleep mid-stream) is dropped; it reconnects when it wakes. */
const MAX_BUFFERED_BYTES = 256 * 1024;
const TIMES = new Set(['at', 'started_at', 'finished_at', 'oldest_at', 'newest_at']);

/** Event payloads as the API shows times (ISO), without the diagnostics and paths kept for the admin. */
export function eventPayload<E extends PurgeEventName>(name: E, payload: PurgeEventMap[E]): Record<string, unknown> {
  const out = isoTimes(payload);
  if (name === 'account_finished') {
    const { details: _d, evidence_dir: _e, ...result } = (payload as PurgeEventMap['account_finished']).result;
    out.result = isoTimes({ ...result, error_message: redactUrls(result.error_message) });
  }
  if (typeof out.message === 'string') out.message = redactUrls(out.message);
  return out;
}

function isoTimes(values: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) out[key] = TIMES.has(key) && typeof value === 'number' ? iso(value) : value;
  return out;
}

export async function eventRoutes(app: RouteApp, { context, heartbeatSeconds }: ApiDeps): Promise<void> {
  /** Each open stream: whose it is and from where. */
  const clients = new Map<ServerResponse, { admin: boolean; address: string }>();
  const refusalLogged = new OncePer(60_000);
  let heartbeat: NodeJS.Timeout | undefined;

  const drop = (res: ServerResponse) => {
    clients.delete(res);
    if (!res.writableEnded) res.end();
    if (clients.size === 0 && heartbeat) { clearInterval(heartbeat); heartbeat = undefined; }
  };
  const write = (res: ServerResponse, chunk: string) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) return drop(res);
    res.write(chunk);
  };

  const off = context.purge.events.onAny((name, payload) => {
    if (clients.size === 0) return;
    const full = `event: ${name}\ndata: ${JSON.stringify(eventPayload(name, payload))}\n\n`;
    const states = publicEventPayload(name, payload);
    const visitor = states && `event: ${name}\ndata: ${JSON.stringify(states)}\n\n`;
    for (const [res, who] of clients) {
      if (who.admin) write(res, full);
      else if (visitor) write(res, visitor);
    }
  });
  // preClose: before the server stops accepting, so its close does not wait for the open streams.
  app.addHook('preClose', async () => {
    for (const res of [...clients.keys()]) drop(res);
  });

  /** Why this client may not open one more stream, or undefined when it may. */
  const refusal = (admin: boolean, address: string): string | undefined => {
    let fromAddress = 0;
    for (const who of clients.values()) if (who.address === address) fromAddress++;
    if (fromAddress >= PER_ADDRESS[admin ? 'admin' : 'visitor']) return `too many open event streams from this address (${fromAddress})`;
    if (clients.size >= (admin ? MAX_CLIENTS : MAX_CLIENTS - ADMIN_SLOTS)) return 'too many open event streams';
    return undefined;
  };
  app.addHook('onClose', async () => off());

  app.get('/api/events', {
    config: { access: 'read' },
    schema: { response: { 200: { type: 'string', description: 'text/event-stream' }, 503: errorResponse } },
  }, async (req, reply) => {
    const refused = refusal(req.admin, req.ip);
    if (refused) {
      // Once a minute per address, a warning without a stack: a client in a reconnect loop must not fill the log.
      if (refusalLogged.first(req.ip)) audit(req, 'too_many_streams', refused);
      return reply.code(503).header('retry-after', '30').send({ error: refused, status: 503 });
    }
    const res = reply.raw;
    // The server's idle timeout is for requests, not for a stream that is quiet between nights.
    req.raw.socket.setTimeout(0);
    reply.hijack();
    res.writeHead(200, {
      ...reply.getHeaders() as Record<string, string>,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 5000\n: voicewipe ${context.version}\n\n`);
    clients.set(res, { admin: req.admin, address: req.ip });
    heartbeat ??= setInterval(() => { for (const c of clients.keys()) write(c, ': heartbeat\n\n'); }, heartbeatSeconds * 1000);
    heartbeat.unref();
    res.on('close', () => drop(res));
    res.on('error', () => drop(res));
  });
}
