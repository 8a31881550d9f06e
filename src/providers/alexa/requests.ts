// List calls sent from Node with the browser context's cookies and the browser's identity (User-Agent, language,
// client hints, origin, referer): what the page's own call carries, without a browser round trip per call. At
// about 10 records per call a big account needs thousands of them; through the context's request API each one
// also fetched the cookies from Chromium (about twice the cost, bench/results/purge.md). Cookies Amazon sets on
// an answer go back into the context, so the session saved after the run is the one Amazon last gave.
// Sent with node:http(s), not fetch: fetch (undici, WHATWG streams) allocates about twice as much per call and is
// about twice as slow, and with the CLI's 1 MB young generation those allocations survived into the old one: at
// 50,000 recordings a heap of 100–170 MB where 50 MB was alive (bench/results/purge.md). The same request as fetch's.
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { identityFor, localeFor } from '../../browser/identity.ts';
import { PurgeError } from '../../errors.ts';
import type { ProviderSession } from '../types.ts';
import { PATHS } from './selectors.ts';

export interface Answer { status: number; location: string; retryAfter: string | null; text: string }

type NewCookie = Parameters<BrowserContext['addCookies']>[0][number];

/** One Set-Cookie header as a cookie for the context (domain and path defaulting to the request's). */
export function parseSetCookie(line: string, origin: string, nowMs = Date.now()): NewCookie | undefined {
  const [pair, ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const url = new URL(origin);
  const cookie: NewCookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), domain: url.hostname, path: '/' };
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (key === 'domain' && value) cookie.domain = value.startsWith('.') ? value : `.${value}`;
    else if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'expires' && cookie.expires === undefined && Number.isFinite(Date.parse(value))) cookie.expires = Math.floor(Date.parse(value) / 1000);
    else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.expires = Math.floor(nowMs / 1000) + Number(value);
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'samesite' && /^(strict|lax|none)$/i.test(value)) cookie.sameSite = (value[0].toUpperCase() + value.slice(1).toLowerCase()) as NewCookie['sameSite'];
  }
  return cookie;
}

/** Sends the history page's JSON calls for one provider session. */
export class PageRequests {
  private readonly s: ProviderSession;
  private cookie: Promise<string> | undefined;
  private identity: Record<string, string> | undefined;

  constructor(s: ProviderSession) { this.s = s; }

  /** Reads the cookies again (after a sign-in, or when Amazon set some). */
  forgetCookies(): void { this.cookie = undefined; }

  private headers(): Record<string, string> {
    if (!this.identity) {
      const id = identityFor(this.s.context.browser()?.version() ?? '', localeFor(this.s.account));
      const brands = id.metadata.brands.map((b) => `"${b.brand}";v="${b.version}"`).join(', ');
      this.identity = {
        'user-agent': id.userAgent, 'accept-language': id.acceptLanguage,
        'sec-ch-ua': brands, 'sec-ch-ua-mobile': '?0', 'sec-ch-ua-platform': `"${id.metadata.platform}"`,
        origin: this.s.origin, referer: `${this.s.origin}${PATHS.rvh}`,
      };
    }
    return this.identity;
  }

  private readCookies(): Promise<string> {
    return this.s.context.cookies(this.s.origin).then((all) => all.map((c) => `${c.name}=${c.value}`).join('; '));
  }

  private cookieHeader(): Promise<string> {
    this.cookie ??= this.readCookies();
    return this.cookie;
  }

  /** One request (no redirects followed: a sign-in redirect means the session is gone). */
  async send(method: 'GET' | 'POST', path: string, opts: { body?: string; csrf?: string } = {}): Promise<Answer> {
    const url = new URL(`${this.s.origin}${path}`);
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    // What fetch sent, in its order: its host and connection first, its fetch mode and encodings last.
    const headers: OutgoingHttpHeaders = {
      host: url.host, connection: 'keep-alive', ...this.headers(), accept: method === 'POST' ? 'application/json' : '*/*', cookie: await this.cookieHeader(),
    };
    if (body) headers['content-type'] = 'application/json';
    if (opts.csrf !== undefined) headers['anti-csrftoken-a2z'] = opts.csrf;
    headers['sec-fetch-mode'] = 'cors';
    headers['accept-encoding'] = 'gzip, deflate';
    if (body) headers['content-length'] = body.length;
    // Not the run's signal: the step around each call bounds it (and a listener per call on one signal made
    // thousands of calls slower and slower with fetch).
    const res = await exchange(url, method, headers, body);
    const set = res.headers['set-cookie'] ?? [];
    if (set.length > 0) {
      const cookies = set.map((line) => parseSetCookie(line, this.s.origin)).filter((c): c is NewCookie => Boolean(c));
      this.cookie = this.s.context.addCookies(cookies).catch(() => {}).then(() => this.readCookies());
    }
    return { status: res.status, location: one(res.headers.location) ?? '', retryAfter: one(res.headers['retry-after']) ?? null, text: res.text };
  }
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** fetch's own bound on a server that stops sending (undici's headers and body timeouts): the step around the
 *  call fails first; this only lets a call abandoned by a step free its socket. */
const SILENT_MS = 300_000;

/** One decoder for every answer (a call per list page is a hot path); it drops a BOM, as fetch's text() did. */
const UTF8 = new TextDecoder();

/** The body as text, undone from the content codings the server applied (last applied, first undone), as fetch
 *  did; a UTF-8 byte order mark dropped as fetch's text() does. */
export function decodeBody(body: Buffer, contentEncoding: string | undefined): string {
  let bytes: Buffer = body;
  const codings = (contentEncoding ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  for (const coding of codings.reverse()) {
    if (bytes.length === 0) break;
    if (coding === 'gzip' || coding === 'x-gzip') bytes = gunzipSync(bytes);
    // "deflate" is meant to be zlib-wrapped, but some servers send it raw (fetch accepts both).
    else if (coding === 'deflate') bytes = (bytes[0] & 0x0f) === 8 ? inflateSync(bytes) : inflateRawSync(bytes);
    else if (coding === 'br') bytes = brotliDecompressSync(bytes);
    else throw new PurgeError('vendor_error', `Amazon answered in an encoding we did not ask for (${coding})`);
  }
  return UTF8.decode(bytes);
}

/** One HTTP/1.1 exchange over the shared keep-alive agent (as fetch's pool did). A connection that fails is a
 *  network error, whatever Node calls it (a connection reset mid-answer is "aborted", which is not a cancel). */
function exchange(url: URL, method: string, headers: OutgoingHttpHeaders, body: Buffer | undefined): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(new PurgeError('network', `${method} ${url.pathname}: ${err.message}`, { cause: err }));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: decodeBody(Buffer.concat(chunks), one(res.headers['content-encoding'])) });
        } catch (err) {
          reject(err instanceof PurgeError ? err : new PurgeError('vendor_error', `the answer to ${method} ${url.pathname} could not be decoded: ${(err as Error).message}`, { cause: err }));
        }
      });
    });
    req.setTimeout(SILENT_MS, () => req.destroy(new Error(`nothing received for ${SILENT_MS / 1000} s`)));
    req.on('error', fail);
    req.end(body);
  });
}
