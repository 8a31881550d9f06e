// GET /api/events: the run's events as server-sent events, for the status page's live view. A comment line
// every heartbeat keeps proxies and phones from dropping an idle stream; the streams end when the app
// closes, so a shutdown is never held by an open page.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { PurgeEventMap, PurgeEventName } from '../../purge/events.ts';
import type { ApiDeps } from '../app.ts';
import { HttpRefusal } from '../auth.ts';
import { iso } from '../schemas.ts';

/** Enough for every screen in a house; more is a leak or an attack. */
const MAX_CLIENTS = 64;
/** A client this far behind (a phone that went to sleep mid-stream) is dropped; it reconnects when it wakes. */
const MAX_BUFFERED_BYTES = 256 * 1024;
const TIMES = new Set(['at', 'started_at', 'finished_at', 'oldest_at', 'newest_at']);

/** Event payloads as the API shows times (ISO), without the diagnostics and paths kept for the admin. */
export function eventPayload<E extends PurgeEventName>(name: E, payload: PurgeEventMap[E]): Record<string, unknown> {
  const out = isoTimes(payload);
  if (name === 'account_finished') {
    const { details: _d, evidence_dir: _e, ...result } = (payload as PurgeEventMap['account_finished']).result;
    out.result = isoTimes(result);
  }
  return out;
}

function isoTimes(values: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) out[key] = TIMES.has(key) && typeof value === 'number' ? iso(value) : value;
  return out;
}

export async function eventRoutes(app: FastifyInstance, { context, heartbeatSeconds }: ApiDeps): Promise<void> {
  const clients = new Set<ServerResponse>();
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
    const chunk = `event: ${name}\ndata: ${JSON.stringify(eventPayload(name, payload))}\n\n`;
    for (const res of clients) write(res, chunk);
  });
  // preClose: before the server stops accepting, so its close does not wait for the open streams.
  app.addHook('preClose', async () => {
    for (const res of [...clients]) drop(res);
  });
  app.addHook('onClose', async () => off());

  app.get('/api/events', {
    config: { access: 'read' },
    schema: { response: { 200: { type: 'string', description: 'text/event-stream' } } },
  }, async (req, reply) => {
    if (clients.size >= MAX_CLIENTS) throw new HttpRefusal(503, 'too many open event streams');
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
    clients.add(res);
    heartbeat ??= setInterval(() => { for (const c of clients) write(c, ': heartbeat\n\n'); }, heartbeatSeconds * 1000);
    heartbeat.unref();
    res.on('close', () => drop(res));
    res.on('error', () => drop(res));
  });
}
