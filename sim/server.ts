// The vendor simulator: one loopback origin serving Amazon's and Google's paths, plus the control API under
// /__sim. `startSimulator()` is what tests, the demo and the benchmark call; sim/cli.ts wraps it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRoutes, DEFAULT_DELETE_PATH } from './amazon/api.ts';
import { appDeviceRoutes, createAppDeviceControl } from './amazon/app-device.ts';
import type { AppDeviceControl } from './amazon/app-device.ts';
import { setAmazonAutomationCheck } from './automation.ts';
import { rvhRoutes } from './amazon/rvh.ts';
import { amazonSession, signinRoutes } from './amazon/signin.ts';
import { parseSignin } from './amazon/variants.ts';
import type { SigninVariant } from './amazon/variants.ts';
import { createControl, controlRoutes } from './control.ts';
import type { SimControl } from './control.ts';
import { takeRefusal } from './faults.ts';
import { activityRoutes } from './google/activity.ts';
import { batchexecuteRoutes } from './google/batchexecute.ts';
import { googleSession, googleSigninRoutes } from './google/signin.ts';
import { html, parseCookies, readBody, text } from './http.ts';
import type { Ctx, Route } from './http.ts';
import { SimState } from './state.ts';
import type { AccountState, Session, SimAccount, SimAccountOptions } from './state.ts';

export type { SimAccount, SimAccountOptions } from './state.ts';
export type { SimFaults } from './faults.ts';
export type { SimControl, AccountSummary, RequestFilter } from './control.ts';
export type { LogEntry } from './state.ts';
export { DEFAULT_DELETE_PATH } from './amazon/api.ts';
export type { AmazonVariant, ResolvedVariant, SigninVariant, VariantCase } from './amazon/variants.ts';
export { allVariants, sampledVariants, randomVariantCase, DEFAULT_VARIANT, LEGACY_VARIANT } from './amazon/variants.ts';

export interface SimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only by default; the simulator is never meant for a network. */
  host?: string;
  /** Seeds every account's recordings and secrets (default 1). */
  seed?: number;
  /** Default: DEFAULT_ACCOUNTS. */
  accounts?: SimAccountOptions[];
  /** Server-side session lifetime (default 14 days, like Amazon's cookies). */
  sessionLifetimeMs?: number;
  /** Where the RVH page sends deletes (the real path is unknown). Default DEFAULT_DELETE_PATH. */
  deletePath?: string;
  /** Amazon `/ap/signin`: email-first (default) or the combined email + password form (same as `signin.style`). */
  signinStyle?: 'email-first' | 'combined';
  /** Amazon sign-in page form (sim-wide; `control.setSignin` changes it later). */
  signin?: Partial<SigninVariant>;
  /** Clock override; the control API can also move the clock forward. */
  now?: () => number;
  /** Called for every request (after the reply), e.g. to print a log line in the CLI. */
  onRequest?: (line: string) => void;
  /** Amazon answers a password sign-in from a browser that gives itself away (HeadlessChrome, webdriver)
   *  with a captcha, as the real site tends to. Google always refuses such a browser. */
  detectAutomation?: boolean;
}

export interface Simulator {
  /** Origin, e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  /** The accounts as configured (with their derived TOTP secrets and defaults filled in). */
  readonly accounts: SimAccount[];
  control: SimControl;
  /** Amazon's registered app devices: list, remove (revoke), make registration fail. */
  appDevices: AppDeviceControl;
  /** Turns Amazon's automation check on or off. */
  detectAutomation(on: boolean): void;
  deletePath: string;
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNTS: SimAccountOptions[] = [
  { id: 'alexa', vendor: 'amazon', email: 'alexa@example.com', password: 'alexa-password', mfa: 'totp', marketplace: 'com', recordings: 2000, spanDays: 400 },
  { id: 'alexa-uk', vendor: 'amazon', email: 'alexa-uk@example.co.uk', password: 'alexa-uk-password', mfa: 'none', marketplace: 'co.uk', recordings: 500, spanDays: 200 },
  { id: 'alexa-sms', vendor: 'amazon', email: 'alexa-sms@example.com', password: 'alexa-sms-password', mfa: 'sms', marketplace: 'com', recordings: 300, spanDays: 120 },
  { id: 'google', vendor: 'google', email: 'google@example.com', password: 'google-password', mfa: 'none', recordings: 1500, spanDays: 300 },
];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

function homePage(ctx: Ctx): void {
  html(ctx, `<!doctype html><meta charset="utf-8"><title>Simulated vendors</title><body style="font:14px Arial,sans-serif;margin:30px">
<h1>Simulated vendor sites</h1><ul><li><a href="/alexa-privacy/apd/rvh">Amazon · Review Voice History</a></li>
<li><a href="/ap/signin">Amazon · Sign in</a></li><li><a href="/product/assistant">Google · My Activity (Assistant)</a></li>
<li><a href="/product/gemini">Google · My Activity (Gemini)</a></li><li><a href="/__sim">Simulator control</a></li></ul></body>`);
}

/** Google needs both: a live SID and the OSID minted for My Activity. */
function googleActivitySession(ctx: Ctx): Session | undefined {
  const s = googleSession(ctx);
  return s?.osid && ctx.cookies.OSID === s.osid ? s : undefined;
}

function refuse(ctx: Ctx, status: 429 | 503, retryAfterSeconds?: number): void {
  ctx.kind = `${status === 429 ? 'fault.rate_limited' : 'fault.unavailable'}`;
  const headers: Record<string, string> = retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {};
  const body = status === 429 ? 'Too Many Requests' : 'Service Unavailable: Sorry! Something went wrong on our end.';
  text(ctx, body, status, headers);
}

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const deletePath = opts.deletePath ?? DEFAULT_DELETE_PATH;
  if (!deletePath.startsWith('/')) throw new Error('deletePath must start with /');
  const state = new SimState({
    seed: opts.seed ?? 1,
    sessionLifetimeMs: opts.sessionLifetimeMs ?? 14 * 86_400_000,
    deletePath,
    now: opts.now,
  });
  state.signin = { ...state.signin, ...parseSignin({ style: opts.signinStyle, ...opts.signin }) };
  for (const a of opts.accounts ?? DEFAULT_ACCOUNTS) state.addAccount(a);
  const control = createControl(state);
  const appDevices = createAppDeviceControl(state);
  setAmazonAutomationCheck(state, opts.detectAutomation === true);

  const routes: Route[] = [
    ...signinRoutes(), ...rvhRoutes(), ...apiRoutes(deletePath),
    ...googleSigninRoutes(), ...activityRoutes(), ...batchexecuteRoutes(),
    ...appDeviceRoutes(appDevices), ...controlRoutes(control),
    { method: 'GET', path: '/', vendor: 'control', noFaults: true, handle: homePage },
  ];
  const exact = new Map<string, Route>();
  const patterns: Route[] = [];
  for (const r of routes) {
    if (typeof r.path === 'string') exact.set(`${r.method} ${r.path}`, r);
    else patterns.push(r);
  }
  const find = (method: string, path: string): Route | undefined =>
    exact.get(`${method} ${path}`) ?? exact.get(`ANY ${path}`) ?? patterns.find((r) => (r.method === 'ANY' || r.method === method) && (r.path as RegExp).test(path));

  const server = createServer(async (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ctx: Ctx = { req, res, url, method: req.method ?? 'GET', cookies: parseCookies(req.headers.cookie), body: '', state, setCookies: [] };
    let faultAccount: AccountState | undefined;
    let route: Route | undefined;
    res.once('close', () => {
      if (route?.vendor === 'control') return;
      const line = {
        at: state.now(), method: ctx.method, path: url.pathname + url.search, status: res.statusCode,
        account: ctx.account?.account.id ?? faultAccount?.account.id, kind: ctx.kind,
        ms: Math.round((performance.now() - started) * 100) / 100, body: ctx.logBody,
      };
      state.record(line);
      opts.onRequest?.(`${line.method} ${line.path} ${res.writableFinished ? line.status : 'aborted'} ${line.ms}ms${line.account ? ` [${line.account}]` : ''}${line.kind ? ` ${line.kind}` : ''}`);
    });
    try {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') ctx.body = await readBody(req);
      route = find(ctx.method, url.pathname);
      if (!route) { ctx.kind = 'not_found'; html(ctx, '<!doctype html><title>Page Not Found</title><h1>Looking for something?</h1><p>We\'re sorry. The Web address you entered is not a functioning page on our site.</p>', 404); return; }
      if (route.vendor !== 'control') {
        const session = route.vendor === 'amazon' ? amazonSession(ctx) : googleActivitySession(ctx);
        if (session) { ctx.session = session; ctx.account = state.accounts.get(session.accountId); }
        faultAccount = ctx.account ?? route.identify?.(ctx);
        if (faultAccount && !route.noFaults) {
          const f = faultAccount.faults;
          if (f.latencyMs) await sleep(f.latencyMs);
          const refusal = takeRefusal(f, `${url.pathname}${url.search}`);
          if (refusal) { refuse(ctx, refusal.status, refusal.status === 429 ? refusal.retryAfterSeconds : undefined); return; }
        }
        if (route.signedIn) {
          if (ctx.account && state.countSessionUse(ctx.account)) { ctx.account = undefined; ctx.session = undefined; }
          if (!ctx.account) { route.signedOut!(ctx); return; }
        }
      }
      await route.handle(ctx);
    } catch (e) {
      ctx.kind = 'error';
      if (!res.headersSent && !res.destroyed) text(ctx, `simulator error: ${(e as Error).message}`, 500);
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get accounts() { return [...state.accounts.values()].map((s) => ({ ...s.account })); },
    control,
    appDevices,
    detectAutomation: (on) => setAmazonAutomationCheck(state, on),
    deletePath,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Stalled requests (lazyLoadStall) and idle keep-alive sockets must not hold the close.
      server.closeAllConnections();
    }),
  };
}
