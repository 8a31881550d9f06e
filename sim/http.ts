// The small HTTP vocabulary the simulator's handlers share: a request context, cookies, bodies, replies.
// node:http rather than Fastify: every byte of a reply (framing, status, headers, stalls) is the point here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountState, Session, SimState } from './state.ts';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  cookies: Record<string, string>;
  body: string;
  state: SimState;
  /** The signed-in account, when the route needs one (set by the server before the handler runs). */
  account?: AccountState;
  session?: Session;
  /** Set by handlers: what this request was, and the body worth keeping in the request log. */
  kind?: string;
  logBody?: unknown;
  /** Cookies to send with the reply. */
  setCookies: string[];
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !(name in out)) out[name] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function form(ctx: Ctx): URLSearchParams { return new URLSearchParams(ctx.body); }

export function jsonBody(ctx: Ctx): unknown {
  if (!ctx.body) return undefined;
  try { return JSON.parse(ctx.body); } catch { return undefined; }
}

export interface CookieOptions { maxAgeSeconds?: number; path?: string; httpOnly?: boolean }

export function setCookie(ctx: Ctx, name: string, value: string, o: CookieOptions = {}): void {
  let c = `${name}=${encodeURIComponent(value)}; Path=${o.path ?? '/'}; SameSite=Lax`;
  if (o.maxAgeSeconds !== undefined) c += `; Max-Age=${o.maxAgeSeconds}`;
  if (o.httpOnly !== false) c += '; HttpOnly';
  ctx.setCookies.push(c);
}

export function clearCookie(ctx: Ctx, name: string, path = '/'): void {
  ctx.setCookies.push(`${name}=; Path=${path}; Max-Age=0`);
}

function send(ctx: Ctx, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  const h: Record<string, string | string[]> = { 'content-type': type, 'cache-control': 'no-store', ...headers };
  if (ctx.setCookies.length) h['set-cookie'] = ctx.setCookies;
  ctx.res.writeHead(status, h);
  ctx.res.end(body);
}

export function html(ctx: Ctx, body: string, status = 200): void { send(ctx, status, 'text/html; charset=utf-8', body); }
export function json(ctx: Ctx, value: unknown, status = 200): void {
  send(ctx, status, 'application/json;charset=UTF-8', JSON.stringify(value));
}
export function text(ctx: Ctx, body: string, status = 200, headers: Record<string, string> = {}): void {
  send(ctx, status, 'text/plain; charset=utf-8', body, headers);
}
export function raw(ctx: Ctx, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  send(ctx, status, type, body, headers);
}
export function redirect(ctx: Ctx, location: string, status = 302): void {
  send(ctx, status, 'text/html; charset=utf-8', `<a href="${escapeHtml(location)}">Moved</a>`, { location });
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A `return_to`/`continue` target we are willing to redirect to: a path on this origin only. */
export function localPath(target: string | null | undefined, fallback: string): string {
  if (!target) return fallback;
  try {
    const u = new URL(target, 'http://sim.invalid');
    if (u.origin !== 'http://sim.invalid' && !/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(u.origin)) return fallback;
    return u.pathname + u.search;
  } catch { return fallback; }
}

/** One route of the simulator. The server resolves the account (session, or `identify`), applies that
 *  account's faults (latency, 429, 503, session expiry), then calls `handle`. */
export interface Route {
  method: 'GET' | 'POST' | 'ANY';
  path: string | RegExp;
  vendor: 'amazon' | 'google' | 'control';
  /** Needs a live session; without one `signedOut` answers (a redirect to sign-in, or a 401). */
  signedIn?: boolean;
  signedOut?: (ctx: Ctx) => void;
  /** For routes without a session (sign-in steps): which account the request is about, if known. */
  identify?: (ctx: Ctx) => AccountState | undefined;
  /** Skip 429/503/latency faults (the control API, static bits). */
  noFaults?: boolean;
  handle: (ctx: Ctx) => void | Promise<void>;
}

/** Holds a list request open: the "lazy-load that stalls" fault. Resolves early if the client goes away. */
export function stall(ctx: Ctx, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); ctx.res.off('close', done); resolve(); }
    ctx.res.on('close', done);
  });
}
