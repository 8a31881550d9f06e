// Who may do what: the admin token (`Authorization: Bearer …`, for scripts) or the page's session cookie (the
// token exchanged once at the sign-in form), wrong tokens rate-limited per client address (the right token is
// never refused, so a page elsewhere cannot lock the admin out), and the rule that a state-changing request
// must come from the page's own origin (one of its allowed names, not merely whatever Host says).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { tokenMatches } from './admin-token.ts';
import { audit } from './audit.ts';
import type { HostAllowList } from './hosts.ts';
import type { SessionStore } from './sessions.ts';

/** Who a route is for: `open` (health, assets), `read` (status; closed when public_status is off), `admin`,
 *  `signin` (admin, or a browser that opened a one-time sign-in link for the route's :account). */
export type Access = 'open' | 'read' | 'admin' | 'signin';

export const SESSION_COOKIE = 'voicewipe_session';
export const SESSION_LIFETIME_MS = 30 * 86_400_000;
/** Enough for every phone and laptop in a house; the oldest session goes when a new one would exceed it. */
const MAX_SESSIONS = 200;

export interface AuthOptions {
  /** The token, or a function giving the current one (the daemon follows `voicewipe token --rotate`). */
  adminToken: string | (() => string);
  publicStatus: boolean;
  /** Failed attempts allowed per client address per window (default 5 a minute). */
  maxFailures?: number;
  failureWindowMs?: number;
  now?: () => number;
  /** Where admin sessions are kept (SQLite, so they survive restarts); in memory without it. */
  sessions?: SessionStore;
  /** Whether the request carries a sign-in link's session for its :account (src/http/invite.ts). */
  inviteAllows?: (req: FastifyRequest) => boolean;
}

/** Refusals carry the HTTP status; the app's error handler turns them into JSON. */
export class HttpRefusal extends Error {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  constructor(statusCode: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.statusCode = statusCode;
    this.headers = headers;
  }
}

/** Session ids are kept hashed: a dump of the process memory (or a timing probe of the Map) gives nothing usable. */
function hashId(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try { out[name] ??= decodeURIComponent(value); } catch { /* a malformed cookie is ignored */ }
  }
  return out;
}

export class AdminAuth {
  readonly publicStatus: boolean;
  private readonly adminToken: () => string;
  private readonly sessions = new Map<string, number>();
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly store?: SessionStore;
  private readonly inviteAllows?: (req: FastifyRequest) => boolean;

  constructor(opts: AuthOptions) {
    this.publicStatus = opts.publicStatus;
    const token = opts.adminToken;
    this.adminToken = typeof token === 'string' ? () => token : token;
    this.store = opts.sessions;
    this.inviteAllows = opts.inviteAllows;
    this.maxFailures = opts.maxFailures ?? 5;
    this.windowMs = opts.failureWindowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Seconds the client must wait, or 0 when it may try. */
  private lockedFor(ip: string): number {
    const entry = this.failures.get(ip);
    if (!entry) return 0;
    const left = entry.since + this.windowMs - this.now();
    if (left <= 0) { this.failures.delete(ip); return 0; }
    return entry.count >= this.maxFailures ? Math.ceil(left / 1000) : 0;
  }

  private recordFailure(ip: string): void {
    const now = this.now();
    const entry = this.failures.get(ip);
    if (entry && entry.since + this.windowMs > now) entry.count++;
    else this.failures.set(ip, { count: 1, since: now });
    // A scan from many addresses must not grow the map without bound: expired entries go first.
    if (this.failures.size > 10_000) {
      for (const [key, e] of this.failures) if (e.since + this.windowMs <= now) this.failures.delete(key);
      if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
    }
  }

  /** Checks a token a person or script gave (sign-in form, Bearer header). The right token always passes: the
   *  lockout only stops an address's wrong tries (five a minute), so a web page that makes a visitor's browser
   *  send wrong tokens cannot lock the admin out. `req` is for the audit line. */
  checkToken(ip: string, given: string | undefined, req?: FastifyRequest): void {
    // The count is not reset by the right token: a page hammering wrong ones from the admin's own browser keeps
    // its lockout while the admin works.
    if (tokenMatches(this.adminToken(), given)) return;
    const wait = this.lockedFor(ip);
    if (wait > 0) {
      if (req) audit(req, 'locked_out');
      throw new HttpRefusal(429, `too many wrong tokens from this address: try again in ${wait} s`, { 'retry-after': String(wait) });
    }
    this.recordFailure(ip);
    if (req) audit(req, 'wrong_token');
    throw new HttpRefusal(401, 'wrong admin token (see `voicewipe token` on the voicewipe machine)', { 'www-authenticate': 'Bearer realm="voicewipe"' });
  }

  createSession(): { id: string; maxAgeSeconds: number } {
    if (this.store) return { id: this.store.create('admin', SESSION_LIFETIME_MS).secret, maxAgeSeconds: SESSION_LIFETIME_MS / 1000 };
    const now = this.now();
    for (const [key, expires] of this.sessions) if (expires <= now) this.sessions.delete(key);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(hashId(id), now + SESSION_LIFETIME_MS);
    return { id, maxAgeSeconds: SESSION_LIFETIME_MS / 1000 };
  }

  endSession(id: string | undefined): void {
    this.store?.end(id);
    if (id) this.sessions.delete(hashId(id));
  }

  /** Signs every browser out (the token was rotated: whoever signed in with the old one is out too). */
  endAllSessions(): void {
    this.sessions.clear();
    this.store?.endAll();
  }

  private sessionValid(id: string | undefined): boolean {
    if (!id || id.length > 100) return false;
    if (this.store) return this.store.find(id, 'admin') !== undefined;
    const key = hashId(id);
    const expires = this.sessions.get(key);
    if (expires === undefined) return false;
    if (expires <= this.now()) { this.sessions.delete(key); return false; }
    return true;
  }

  /** True for the admin (valid Bearer token or session cookie). A wrong Bearer token is refused outright (401,
   *  counted), whatever the route: a script with a stale token should hear so, not get the public view. */
  identify(req: FastifyRequest): boolean {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      this.checkToken(req.ip, match?.[1], req);
      return true;
    }
    return this.sessionValid(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
  }

  /** Enforces a route's access rule; returns whether the caller is the admin. */
  authorize(req: FastifyRequest, access: Access): boolean {
    if (access === 'open') {
      // Assets and health: never refused; a valid session still shows as admin.
      try { return this.identify(req); } catch { return false; }
    }
    const admin = this.identify(req);
    if (admin) return true;
    if (access === 'signin' && this.inviteAllows?.(req)) return false;
    if (access === 'admin' || access === 'signin') {
      throw new HttpRefusal(401, 'admin only: sign in on the status page, or send Authorization: Bearer <token> (see `voicewipe token`)',
        { 'www-authenticate': 'Bearer realm="voicewipe"' });
    }
    if (!this.publicStatus) {
      throw new HttpRefusal(401, 'the status is private on this voicewipe (http.public_status: false): sign in first',
        { 'www-authenticate': 'Bearer realm="voicewipe"' });
    }
    return false;
  }
}

export function sessionCookie(req: FastifyRequest, id: string, maxAgeSeconds: number): string {
  // Secure only when the page really came over HTTPS (a reverse proxy); on the plain-HTTP LAN it would never be sent.
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`;
}

export function sessionIdOf(req: FastifyRequest): string | undefined {
  return parseCookies(req.headers.cookie)[SESSION_COOKIE];
}

/** Refuses a state-changing request sent by another site's page (CSRF): its Origin, or failing that its
 *  Sec-Fetch-Site, must say it came from this origin. Scripts (curl) send neither and pass. The Origin's name is
 *  checked against the allow-list, not against Host: under DNS rebinding both carry the attacker's name. Its
 *  port must be the one the request reached (behind a trusted proxy the proxy's port is not ours to know). */
export function checkSameOrigin(req: FastifyRequest, hosts: HostAllowList, trustProxy = false): void {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (origin !== undefined) {
    let same = false;
    try {
      const from = new URL(origin);
      // The Host header through the same URL parser, so a default port (":80") compares equal to none.
      same = Boolean(host) && (from.protocol === 'http:' || from.protocol === 'https:') && hosts.allows(from.host) &&
        (trustProxy || new URL(`${from.protocol}//${host}`).port === from.port);
    } catch { same = false; }
    if (!same) {
      audit(req, 'cross_site', `Origin ${origin}`);
      throw new HttpRefusal(403, `cross-origin request refused (Origin ${origin} is not this voicewipe)`);
    }
    return;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    audit(req, 'cross_site', `Sec-Fetch-Site ${String(site)}`);
    throw new HttpRefusal(403, `cross-origin request refused (Sec-Fetch-Site: ${String(site)})`);
  }
}

export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}
