// Amazon through a registered app device (shared/vendors/alexa.md, "Signing in as the Alexa app"): a person
// signs in once on Amazon's OAuth page for the Alexa app (PKCE), Amazon hands an authorization code to
// /ap/maplanding, `/auth/register` turns it into a refresh token (`Atnr|…`) for a device named voicewipe, and
// each night `/ap/exchangetoken/cookies` turns that token into fresh web cookies. The token lasts until the
// device is removed in the Alexa app; the device serial is kept so signing in again does not add devices.
// Tokens and codes never reach a log line or an error message.
import { createHash, randomBytes } from 'node:crypto';
import type { AccountConfig } from '../config/types.ts';
import { PurgeError } from '../errors.ts';

/** The Alexa iOS app's device type: what every maintained library registers as. */
export const DEVICE_TYPE = 'A2IVLV5VM2W81';
export const APP_NAME = 'voicewipe';
const REQUEST_TIMEOUT_MS = 30_000;

export interface AppDevice {
  /** Made once per account and reused by every later registration (one device in the Alexa app, not many). */
  serial: string;
  refresh_token?: string;
  registered_at?: number;
}

export interface Pkce { verifier: string; challenge: string }

export function newSerial(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The OAuth client id Amazon expects for a device: hex of "<serial>#<device type>". */
export function clientId(serial: string): string {
  return Buffer.from(`${serial}#${DEVICE_TYPE}`).toString('hex');
}

/** Where the account's Amazon lives: the real hosts, or `base_url` for everything (simulator, tests). */
export interface AmazonHosts {
  /** The marketplace site: sign-in, maplanding, cookie exchange. */
  www: string;
  /** Device registration (api.amazon.com on the real site, for every marketplace). */
  api: string;
  /** The cookie domain of the marketplace, `.amazon.<tld>`. */
  cookieDomain: string;
  /** The identity auth domain header of the marketplace, `api.amazon.<tld>`. */
  authDomain: string;
}

export function amazonHosts(account: Pick<AccountConfig, 'marketplace' | 'base_url'>): AmazonHosts {
  const tld = account.marketplace;
  const base = account.base_url ? new URL(account.base_url).origin : undefined;
  return {
    www: base ?? `https://www.amazon.${tld}`,
    api: base ?? 'https://api.amazon.com',
    cookieDomain: `.amazon.${tld}`,
    authDomain: `api.amazon.${tld}`,
  };
}

/** Amazon's OAuth page for the Alexa app. `assoc_handle` carries the country for marketplaces other than .com. */
export function oauthSignInUrl(account: Pick<AccountConfig, 'marketplace' | 'base_url'>, serial: string, pkce: Pkce): string {
  const hosts = amazonHosts(account);
  const cc = account.marketplace === 'com' ? '' : `_${account.marketplace.split('.').pop()}`;
  const handle = `amzn_dp_project_dee_ios${cc}`;
  const params = new URLSearchParams({
    'openid.return_to': `https://www.amazon.${account.marketplace}/ap/maplanding`,
    'openid.assoc_handle': handle,
    'openid.identity': 'http://specs.openid.net/auth/2.0/identifier_select',
    pageId: handle,
    accountStatusPolicy: 'P1',
    'openid.claimed_id': 'http://specs.openid.net/auth/2.0/identifier_select',
    'openid.mode': 'checkid_setup',
    'openid.ns.oa2': 'http://www.amazon.com/ap/ext/oauth/2',
    'openid.oa2.client_id': `device:${clientId(serial)}`,
    'openid.ns.pape': 'http://specs.openid.net/extensions/pape/1.0',
    'openid.oa2.response_type': 'code',
    'openid.ns': 'http://specs.openid.net/auth/2.0',
    'openid.pape.max_auth_age': '0',
    'openid.oa2.scope': 'device_auth_access',
    'openid.oa2.code_challenge_method': 'S256',
    'openid.oa2.code_challenge': pkce.challenge,
  });
  return `${hosts.www}/ap/signin?${params}`;
}

/** The authorization code when `url` is Amazon's landing page after the OAuth sign-in, else undefined. */
export function authorizationCode(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.pathname !== '/ap/maplanding') return undefined;
    return u.searchParams.get('openid.oa2.authorization_code') ?? undefined;
  } catch {
    return undefined;
  }
}

type AmazonReply = { response?: { success?: { tokens?: { bearer?: { refresh_token?: unknown } } }; tokens?: { cookies?: Record<string, unknown> }; error?: { code?: unknown; message?: unknown } } };

async function post(url: string, init: { headers: Record<string, string>; body: string }, what: string, signal?: AbortSignal): Promise<{ status: number; body: AmazonReply }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST', headers: { accept: 'application/json', ...init.headers }, body: init.body, redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    if (signal?.aborted) throw new PurgeError('cancelled', 'the run was cancelled');
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new PurgeError((err as Error).name === 'TimeoutError' ? 'timeout' : 'network', `${what}: Amazon did not answer (${cause})`);
  }
  const text = await res.text();
  let body: AmazonReply = {};
  try { body = JSON.parse(text) as AmazonReply; } catch { /* not JSON: judged by status below */ }
  return { status: res.status, body };
}

function vendorMessage(body: AmazonReply): string {
  const e = body.response?.error;
  return [e?.code, e?.message].filter((v) => typeof v === 'string').join(': ').slice(0, 200) || 'no reason given';
}

export class RegisterRefused extends Error {
  constructor(message: string) { super(message); this.name = 'RegisterRefused'; }
}

/** Registers the device with the code from /ap/maplanding and returns the refresh token. */
export async function registerDevice(account: Pick<AccountConfig, 'marketplace' | 'base_url'>, serial: string, code: string, pkce: Pkce): Promise<string> {
  const hosts = amazonHosts(account);
  const body = {
    requested_extensions: ['device_info', 'customer_info'],
    cookies: { website_cookies: [], domain: hosts.cookieDomain },
    registration_data: {
      domain: 'Device', app_version: '2.2.651540.0', device_type: DEVICE_TYPE,
      // Shown in the Alexa app's device list as "<first name>'s voicewipe".
      device_name: `%FIRST_NAME%\u0027s%DUPE_STRATEGY_1ST%${APP_NAME}`,
      os_version: '18.3.1', device_serial: serial, device_model: 'iPhone', app_name: APP_NAME, software_version: '1',
    },
    auth_data: { client_id: clientId(serial), authorization_code: code, code_verifier: pkce.verifier, code_algorithm: 'SHA-256', client_domain: 'DeviceLegacy' },
    user_context_map: { frc: randomBytes(32).toString('base64') },
    requested_token_type: ['bearer', 'mac_dms', 'website_cookies'],
  };
  const { status, body: reply } = await post(`${hosts.api}/auth/register`, {
    headers: { 'content-type': 'application/json', 'x-amzn-identity-auth-domain': hosts.authDomain }, body: JSON.stringify(body),
  }, 'registering voicewipe as a device').catch((err: Error) => { throw new RegisterRefused(err.message); });
  const token = reply.response?.success?.tokens?.bearer?.refresh_token;
  if (status !== 200 || typeof token !== 'string' || !token.startsWith('Atnr|')) {
    throw new RegisterRefused(`Amazon refused to register voicewipe as a device (HTTP ${status}: ${vendorMessage(reply)})`);
  }
  return token;
}

/** A cookie as Playwright's addCookies takes it. */
export interface WebCookie { name: string; value: string; domain: string; path: string; expires: number; httpOnly: boolean; secure: boolean; sameSite: 'Lax' | 'None' | 'Strict' }

/** Why an exchange did not give cookies: the device is gone (a person must sign in again), or something else. */
export type ExchangeFailure = 'revoked' | 'refused';
export class ExchangeFailed extends Error {
  readonly why: ExchangeFailure;
  constructor(why: ExchangeFailure, message: string) { super(message); this.name = 'ExchangeFailed'; this.why = why; }
}

/** Fresh web cookies for the account's marketplace from the refresh token. With `base_url` the cookies are
 *  set on that host (the simulator issues them for the marketplace domain, as Amazon does). */
export async function exchangeForCookies(account: Pick<AccountConfig, 'marketplace' | 'base_url'>, refreshToken: string, signal?: AbortSignal): Promise<WebCookie[]> {
  const hosts = amazonHosts(account);
  const form = new URLSearchParams({
    app_name: APP_NAME, app_version: '2.2.651540.0', 'di.sdk.version': '6.12.4', source_token: refreshToken,
    requested_token_type: 'auth_cookies', source_token_type: 'refresh_token', 'di.hw.version': 'iPhone', 'di.os.name': 'iOS',
    domain: hosts.cookieDomain, 'di.os.version': '18.3.1',
  });
  const { status, body } = await post(`${hosts.www}/ap/exchangetoken/cookies`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amzn-identity-auth-domain': hosts.authDomain }, body: form.toString(),
  }, 'exchanging the app-device token for cookies', signal);
  if (status === 429) throw new PurgeError('rate_limited', 'Amazon asked voicewipe to slow down while minting cookies');
  if (status >= 500) throw new PurgeError('vendor_error', `Amazon's cookie exchange failed (HTTP ${status})`);
  const code = body.response?.error?.code;
  if (status === 401 || status === 403 || code === 'InvalidToken' || code === 'InvalidGrant' || code === 'Unauthorized') {
    throw new ExchangeFailed('revoked', `Amazon no longer accepts voicewipe's app device (${vendorMessage(body)}): it was removed in the Alexa app or signed out`);
  }
  const raw = body.response?.tokens?.cookies?.[hosts.cookieDomain];
  if (status !== 200 || !Array.isArray(raw) || raw.length === 0) {
    throw new ExchangeFailed('refused', `Amazon gave no cookies for amazon.${account.marketplace} (HTTP ${status}: ${vendorMessage(body)}); ` +
      'is the account\'s marketplace right?');
  }
  const host = account.base_url ? new URL(account.base_url).hostname : undefined;
  const secure = account.base_url ? new URL(account.base_url).protocol === 'https:' : true;
  return raw.map((c) => {
    const cookie = c as { Name?: unknown; Value?: unknown; Path?: unknown; HttpOnly?: unknown; Expires?: unknown };
    if (typeof cookie.Name !== 'string' || typeof cookie.Value !== 'string') throw new ExchangeFailed('refused', 'Amazon\'s cookie exchange answered cookies without name or value');
    const expires = typeof cookie.Expires === 'string' ? Date.parse(cookie.Expires) : NaN;
    return {
      name: cookie.Name, value: cookie.Value.replace(/^"|"$/g, ''), domain: host ?? hosts.cookieDomain,
      path: typeof cookie.Path === 'string' ? cookie.Path : '/', expires: Number.isFinite(expires) ? Math.floor(expires / 1000) : -1,
      httpOnly: cookie.HttpOnly === true, secure, sameSite: 'Lax' as const,
    };
  });
}
