// Headers every response carries (a strict Content-Security-Policy: the page runs only its own files), and
// gzip for the page's text assets (a phone on a weak Wi-Fi loads a third of the bytes).
import { createGzip, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** `frameAncestors`: origins allowed to show the page in a frame (a Home Assistant iframe card); empty = none. */
export function securityHeaders(frameAncestors: string[]): Record<string, string> {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  const headers: Record<string, string> = {
    'content-security-policy': [
      "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
      "object-src 'none'", "base-uri 'none'", "form-action 'self'", `frame-ancestors ${ancestors}`,
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  // X-Frame-Options cannot name origins: only without an allow-list does it add anything (old browsers).
  if (frameAncestors.length === 0) headers['x-frame-options'] = 'DENY';
  return headers;
}

/** A vendor's page saved as evidence: shown as a document with no scripts, no requests, an origin of its own. */
export const EVIDENCE_HTML_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const COMPRESSIBLE = /^(text\/(html|css|javascript)|application\/javascript|image\/svg\+xml)/;
const MIN_BYTES = 1024;

/** onSend hook: gzips the page's text assets (streams from @fastify/static, strings, buffers) when the client
 *  accepts it. API JSON is small and polled: it is left alone to spare the Pi's CPU. */
export async function compressAssets(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const type = String(reply.getHeader('content-type') ?? '');
  if (!COMPRESSIBLE.test(type) || type.startsWith('application/json') || reply.getHeader('content-encoding')) return payload;
  if (type.startsWith('text/event-stream')) return payload;
  reply.header('vary', 'accept-encoding');
  if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return payload;
  if (payload === null || payload === undefined || reply.statusCode === 204 || reply.statusCode === 304 || req.method === 'HEAD') return payload;
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    if (Buffer.byteLength(payload) < MIN_BYTES) return payload;
    reply.header('content-encoding', 'gzip');
    return gzipSync(payload);
  }
  if (payload instanceof Readable) {
    reply.removeHeader('content-length');
    reply.header('content-encoding', 'gzip');
    return payload.pipe(createGzip());
  }
  return payload;
}
