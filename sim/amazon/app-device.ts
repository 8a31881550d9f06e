// Amazon's Alexa-app device sign-in, as public clients describe it (vendors/alexa.md, "Signing in as the Alexa
// app"): the `/ap/signin` OAuth variant (openid.oa2.* with a PKCE S256 challenge) ends on `/ap/maplanding` with
// an authorization code; `POST /auth/register` checks the code and its verifier and registers a device (same
// serial = same device); `POST /ap/exchangetoken/cookies` mints web cookies for the account's marketplace
// domain from the refresh token, and refuses another marketplace's. The control side removes a device (as a
// person does in the Alexa app), makes registration fail, and lists the devices.
import { createHash, randomInt } from 'node:crypto';
import { escapeHtml, form, html, json, jsonBody, redirect } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import { cookieSuffix, token } from '../state.ts';
import type { AccountState, SimState } from '../state.ts';

export interface OAuthRequest { clientId: string; challenge: string; method: string }

export interface SimAppDevice { serial: string; name: string; registeredAt: number; revoked: boolean }

export interface AppDeviceControl {
  /** The devices registered on the account (a removed one stays listed with revoked: true). */
  devices(accountId: string): SimAppDevice[];
  /** The person removes the device(s) in the Alexa app: their refresh tokens stop working. */
  revoke(accountId: string, serial?: string): number;
  /** The next registrations of the account fail with this message (null: they work again). */
  failRegister(accountId: string, message: string | null): void;
}

interface Code { accountId: string; clientId: string; challenge: string; expiresAt: number }
interface Device extends SimAppDevice { accountId: string; refreshTokens: Set<string> }
interface Store {
  codes: Map<string, Code>;
  devices: Map<string, Device>; // by accountId + serial
  tokens: Map<string, Device>;
  registerFailures: Map<string, string>;
}

const stores = new WeakMap<SimState, Store>();
function storeOf(state: SimState): Store {
  let s = stores.get(state);
  if (!s) { s = { codes: new Map(), devices: new Map(), tokens: new Map(), registerFailures: new Map() }; stores.set(state, s); }
  return s;
}

const DEVICE_TYPE = 'A2IVLV5VM2W81';

/** The OAuth parameters of a sign-in request, when it is the Alexa app's. */
export function oauthRequest(ctx: Ctx): OAuthRequest | undefined {
  const q = ctx.url.searchParams;
  const clientId = q.get('openid.oa2.client_id');
  const challenge = q.get('openid.oa2.code_challenge');
  if (!clientId?.startsWith('device:') || !challenge || q.get('openid.oa2.response_type') !== 'code') return undefined;
  return { clientId: clientId.slice('device:'.length), challenge, method: q.get('openid.oa2.code_challenge_method') ?? 'plain' };
}

/** The person signed in on the OAuth page: a one-use code (5 minutes) to the app's landing page. */
export function finishOAuth(ctx: Ctx, oauth: OAuthRequest, acct: AccountState): void {
  const code = `ANAG${token(18)}`;
  const store = storeOf(ctx.state);
  store.codes.set(code, { accountId: acct.account.id, clientId: oauth.clientId, challenge: oauth.challenge, expiresAt: ctx.state.now() + 5 * 60_000 });
  if (store.codes.size > 1000) store.codes.delete(store.codes.keys().next().value!);
  ctx.kind = 'amazon.oauth.code';
  redirect(ctx, `/ap/maplanding?openid.assoc_handle=amzn_dp_project_dee_ios&openid.mode=id_res&openid.oa2.authorization_code=${encodeURIComponent(code)}`, 302);
}

function error(ctx: Ctx, status: number, code: string, message: string): void {
  json(ctx, { response: { error: { code, message, index: '0' } }, request_id: token(8) }, status);
}

function register(ctx: Ctx): void {
  ctx.kind = 'amazon.register';
  const body = jsonBody(ctx) as { registration_data?: Record<string, unknown>; auth_data?: Record<string, unknown> } | undefined;
  const reg = body?.registration_data;
  const auth = body?.auth_data;
  if (!reg || !auth) { error(ctx, 400, 'InvalidValue', 'registration_data and auth_data are required'); return; }
  const store = storeOf(ctx.state);
  const code = store.codes.get(String(auth.authorization_code ?? ''));
  if (!code || code.expiresAt <= ctx.state.now()) { error(ctx, 400, 'InvalidToken', 'Auth time of the token is expired.'); return; }
  store.codes.delete(String(auth.authorization_code));
  const verifier = String(auth.code_verifier ?? '');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (auth.code_algorithm !== 'SHA-256' || challenge !== code.challenge) { error(ctx, 400, 'InvalidValue', 'The code_verifier does not match the code_challenge.'); return; }
  const serial = String(reg.device_serial ?? '');
  if (auth.client_id !== code.clientId || Buffer.from(code.clientId, 'hex').toString() !== `${serial}#${DEVICE_TYPE}` || reg.device_type !== DEVICE_TYPE) {
    error(ctx, 400, 'InvalidValue', 'client_id does not match the device serial and type.');
    return;
  }
  const failure = store.registerFailures.get(code.accountId);
  if (failure) { ctx.kind = 'amazon.register.refused'; error(ctx, 400, 'InvalidValue', failure); return; }
  const acct = ctx.state.account(code.accountId);
  const key = `${code.accountId}#${serial}`;
  // The same serial is the same device: registering again replaces its tokens instead of adding a device.
  let device = store.devices.get(key);
  if (!device) {
    const first = acct.account.email.split('@')[0];
    device = { accountId: code.accountId, serial, name: `${first}'s ${String(reg.app_name ?? 'device')}`, registeredAt: ctx.state.now(), revoked: false, refreshTokens: new Set() };
    store.devices.set(key, device);
  }
  for (const t of device.refreshTokens) store.tokens.delete(t);
  device.refreshTokens.clear();
  device.revoked = false;
  device.registeredAt = ctx.state.now();
  const refreshToken = `Atnr|${token(48)}`;
  device.refreshTokens.add(refreshToken);
  store.tokens.set(refreshToken, device);
  ctx.account = acct;
  json(ctx, { response: { success: {
    tokens: { bearer: { access_token: `Atna|${token(32)}`, refresh_token: refreshToken, token_type: 'bearer', expires_in: '3600' } },
    extensions: { device_info: { device_name: device.name, device_serial_number: serial, device_type: DEVICE_TYPE }, customer_info: { account_pool: 'Amazon', user_id: acct.account.customerId } },
    customer_id: acct.account.customerId,
  } }, request_id: token(8) });
}

function exchange(ctx: Ctx): void {
  ctx.kind = 'amazon.exchange';
  const f = form(ctx);
  const store = storeOf(ctx.state);
  const device = store.tokens.get(f.get('source_token') ?? '');
  if (f.get('source_token_type') !== 'refresh_token' || f.get('requested_token_type') !== 'auth_cookies') {
    error(ctx, 400, 'InvalidValue', 'source_token_type must be refresh_token and requested_token_type auth_cookies'); return;
  }
  if (!device || device.revoked) { ctx.kind = 'amazon.exchange.revoked'; error(ctx, 400, 'InvalidToken', 'The request has an invalid parameter : source_token'); return; }
  const acct = ctx.state.account(device.accountId);
  ctx.account = acct;
  const domain = `.amazon.${acct.account.marketplace}`;
  if (f.get('domain') !== domain || ctx.req.headers['x-amzn-identity-auth-domain'] !== `api.amazon.${acct.account.marketplace}`) {
    ctx.kind = 'amazon.exchange.wrong_domain';
    error(ctx, 400, 'InvalidValue', `The request has an invalid parameter : domain (this account belongs to amazon.${acct.account.marketplace})`);
    return;
  }
  const session = ctx.state.newSession(acct.account.id, 'amazon');
  const suffix = cookieSuffix(acct.account.marketplace);
  const expires = new Date(session.expiresAt).toUTCString();
  const id = () => `${randomInt(100, 999)}-${randomInt(1e6, 1e7 - 1)}-${randomInt(1e6, 1e7 - 1)}`;
  const cookie = (Name: string, Value: string, HttpOnly = true) => ({ Name, Value, Path: '/', Secure: true, HttpOnly, Expires: expires });
  json(ctx, { response: { tokens: { cookies: { [domain]: [
    cookie('session-id', id(), false), cookie(`ubid-${suffix}`, id(), false), cookie(`at-${suffix}`, session.id),
    cookie(`sess-at-${suffix}`, session.id), cookie(`x-${suffix}`, token(8), false),
  ] } } }, request_id: token(8) });
}

function maplanding(ctx: Ctx): void {
  ctx.kind = 'amazon.maplanding';
  html(ctx, '<!doctype html><meta charset="utf-8"><title>Amazon</title><body><p>Signed in.</p></body>');
}

export function createAppDeviceControl(state: SimState): AppDeviceControl {
  const of = (accountId: string) => { state.account(accountId); return [...storeOf(state).devices.values()].filter((d) => d.accountId === accountId); };
  return {
    devices: (accountId) => of(accountId).map(({ serial, name, registeredAt, revoked }) => ({ serial, name, registeredAt, revoked })),
    revoke(accountId, serial) {
      let n = 0;
      for (const d of of(accountId)) {
        if (serial !== undefined && d.serial !== serial) continue;
        d.revoked = true;
        for (const t of d.refreshTokens) storeOf(state).tokens.delete(t);
        d.refreshTokens.clear();
        n++;
      }
      return n;
    },
    failRegister(accountId, message) {
      state.account(accountId);
      if (message === null) storeOf(state).registerFailures.delete(accountId);
      else storeOf(state).registerFailures.set(accountId, message);
    },
  };
}

/** The vendor routes, and `/__sim/app-devices/<account>[/revoke|/fail-register]` on the control side. */
export function appDeviceRoutes(control: AppDeviceControl): Route[] {
  const identifyByToken = (ctx: Ctx) => {
    const store = stores.get(ctx.state);
    const device = store?.tokens.get(form(ctx).get('source_token') ?? '');
    return device ? ctx.state.accounts.get(device.accountId) : undefined;
  };
  const controlHandle = (ctx: Ctx) => {
    const [, , accountId, action] = ctx.url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    try {
      if (!action && ctx.method === 'GET') return json(ctx, control.devices(accountId));
      if (action === 'revoke' && ctx.method === 'POST') {
        const serial = (jsonBody(ctx) as { serial?: string } | undefined)?.serial;
        return json(ctx, { revoked: control.revoke(accountId, serial) });
      }
      if (action === 'fail-register' && ctx.method === 'POST') {
        const message = (jsonBody(ctx) as { message?: string | null } | undefined)?.message ?? null;
        control.failRegister(accountId, message);
        return json(ctx, { ok: true });
      }
      json(ctx, { error: `no control route ${ctx.method} ${escapeHtml(ctx.url.pathname)}` }, 404);
    } catch (e) {
      json(ctx, { error: (e as Error).message }, 404);
    }
  };
  return [
    { method: 'GET', path: '/ap/maplanding', vendor: 'amazon', handle: maplanding },
    { method: 'POST', path: '/auth/register', vendor: 'amazon', handle: register },
    { method: 'POST', path: '/ap/exchangetoken/cookies', vendor: 'amazon', identify: identifyByToken, handle: exchange },
    { method: 'ANY', path: /^\/__sim\/app-devices\/[^/]+(\/(revoke|fail-register))?$/, vendor: 'control', noFaults: true, handle: controlHandle },
  ];
}
