// List calls sent from Node with the browser context's cookies and the browser's identity (User-Agent, language,
// client hints, origin, referer): what the page's own call carries, without a browser round trip per call. At
// about 10 records per call a big account needs thousands of them; through the context's request API each one
// also fetched the cookies from Chromium (about twice the cost, bench/results/purge.md). Cookies Amazon sets on
// an answer go back into the context, so the session saved after the run is the one Amazon last gave.
import type { BrowserContext } from 'playwright-core';
import { identityFor, localeFor } from '../../browser/identity.ts';
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
    const headers: Record<string, string> = { ...this.headers(), accept: method === 'POST' ? 'application/json' : '*/*', cookie: await this.cookieHeader() };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.csrf !== undefined) headers['anti-csrftoken-a2z'] = opts.csrf;
    // Not the run's signal: fetch leaves a listener on it until the request is garbage-collected, so thousands of
    // list calls made adding one (and the step's own) slower and slower. The step around each call bounds it.
    const res = await fetch(`${this.s.origin}${path}`, { method, headers, body: opts.body, redirect: 'manual' });
    const set = res.headers.getSetCookie();
    if (set.length > 0) {
      const cookies = set.map((line) => parseSetCookie(line, this.s.origin)).filter((c): c is NewCookie => Boolean(c));
      this.cookie = this.s.context.addCookies(cookies).catch(() => {}).then(() => this.readCookies());
    }
    return { status: res.status, location: res.headers.get('location') ?? '', retryAfter: res.headers.get('retry-after'), text: await res.text() };
  }
}
