// The simulator's control surface: the same operations in-process (`Simulator.control`) and over HTTP under
// `/__sim/...`, a path no real site has. Tests use it to seed accounts, set faults, read codes a person would
// get on their phone, and assert what a provider really did (remaining recordings, request log).
import { totpCode } from '../src/providers/totp.ts';
import { escapeHtml, html, json, jsonBody } from './http.ts';
import type { Ctx, Route } from './http.ts';
import { parseFaults } from './faults.ts';
import type { SimFaults } from './faults.ts';
import { PRODUCTS, isProduct, seededCount, storeOf } from './google/products.ts';
import type { Product } from './google/products.ts';
import { cookieSuffix, token } from './state.ts';
import type { DeletedEntry, LogEntry, SimAccount, SimAccountOptions, SimState } from './state.ts';
import { DEFAULT_VARIANT, parseSignin, parseVariant, resolveVariant } from './amazon/variants.ts';
import type { AmazonVariant, ResolvedVariant, SigninVariant } from './amazon/variants.ts';

export interface AccountSummary extends SimAccount {
  remaining: number;
  /** Google only: remaining Gemini items. */
  remainingGemini: number;
  /** Deletions accepted but not applied yet (eventual-consistency fault). */
  pending: number;
  oldest: number | null;
  newest: number | null;
  faults: SimFaults;
  retention: string;
  /** Amazon session cookie names for this account's marketplace. */
  cookieNames: string[];
  /** Amazon: the page variant as served (marketplace choices made). */
  variant: ResolvedVariant;
}

/** Google: one product's activity as the simulator holds it (what the product's own page may not show). */
export interface ProductActivity { remaining: number; deleted: number; pending: number }

export interface RequestFilter { account?: string; kind?: string; since?: number; pathPrefix?: string }

export interface SimControl {
  accounts(): AccountSummary[];
  account(id: string): AccountSummary;
  addAccount(opts: SimAccountOptions): SimAccount;
  /** Recordings left, optionally only those with from <= timestamp <= to (ms). */
  remaining(id: string, range?: { from?: number; to?: number; product?: Product }): number;
  /** Google: per product, how many items remain, were deleted since the last (re)seed, and are pending. */
  activity(id: string): Record<Product, ProductActivity>;
  /** Recordings deleted since the last (re)seed, optionally only those with from <= timestamp <= to (ms). */
  deleted(id: string, range?: { from?: number; to?: number; product?: Product }): number;
  /** Regenerates the account's recordings (deterministic), clears its faults. */
  reset(id: string, change?: { recordings?: number; spanDays?: number }): void;
  /** Merges faults into the account's current ones (a key set to null/undefined removes it). */
  setFaults(id: string, faults: SimFaults): SimFaults;
  clearFaults(id: string): void;
  faults(id: string): SimFaults;
  expireSessions(id: string): number;
  rotateCsrf(id: string): void;
  /** The person tapped "Approve" on the push notification. */
  approvePush(id: string): void;
  /** What a person would read: the current authenticator code, the SMS or e-mailed code, the captcha characters. */
  codes(id: string): { totp: string | null; sms: string | null; email: string | null; captcha: string | null };
  /** Amazon: the account's page variant as served (marketplace choices made). */
  variant(id: string): ResolvedVariant;
  /** Amazon: merges into the account's page variant (a key set to null goes back to the default); the next page
   *  load shows it. Unknown keys or values throw. */
  setVariant(id: string, change: Partial<AmazonVariant>): ResolvedVariant;
  /** Recordings deleted through the vendor's delete requests (per item or range), optionally only those whose own
   *  timestamp is in [from, to] (ms, inclusive): the ground truth for "nothing newer than the cut-off was deleted". */
  deletedLog(id: string, range?: { from?: number; to?: number }): DeletedEntry[];
  /** Amazon sign-in page form (sim-wide). */
  signin(): SigninVariant;
  setSignin(change: Partial<SigninVariant>): SigninVariant;
  requests(filter?: RequestFilter): LogEntry[];
  clearRequests(): void;
  now(): number;
  advanceClock(ms: number): void;
}

export function createControl(state: SimState): SimControl {
  const summary = (id: string): AccountSummary => {
    const s = state.account(id);
    s.store.settle(state.now());
    s.gemini.settle(state.now());
    const suffix = cookieSuffix(s.account.marketplace);
    return {
      ...s.account,
      remaining: s.store.size,
      remainingGemini: s.gemini.size,
      pending: s.store.pendingCount + s.gemini.pendingCount,
      oldest: s.store.oldest()?.ts ?? null,
      newest: s.store.newest()?.ts ?? null,
      faults: structuredClone(s.faults),
      retention: s.retention,
      cookieNames: s.account.vendor === 'amazon' ? [`at-${suffix}`, `sess-at-${suffix}`] : ['SID', 'OSID'],
      variant: resolveVariant(s.variant, s.account.marketplace),
    };
  };
  return {
    accounts: () => [...state.accounts.keys()].map(summary),
    account: summary,
    addAccount: (opts) => state.addAccount(opts).account,
    remaining(id, range = {}) {
      const s = state.account(id);
      const store = storeOf(s, range.product ?? 'assistant');
      store.settle(state.now());
      return store.count(range.from ?? -Infinity, range.to ?? Infinity);
    },
    activity(id) {
      const s = state.account(id);
      const out = {} as Record<Product, ProductActivity>;
      for (const p of PRODUCTS) {
        const store = storeOf(s, p);
        store.settle(state.now());
        out[p] = { remaining: store.size, deleted: seededCount(store) - store.size, pending: store.pendingCount };
      }
      return out;
    },
    deleted(id, range = {}) {
      const store = storeOf(state.account(id), range.product ?? 'assistant');
      store.settle(state.now());
      const from = range.from ?? -Infinity;
      const to = range.to ?? Infinity;
      return seededCount(store, from, to) - store.count(from, to);
    },
    reset(id, change) {
      state.reseed(id, change);
      state.account(id).faults = {};
    },
    setFaults(id, faults) {
      const s = state.account(id);
      for (const [k, v] of Object.entries(parseFaults(faults))) {
        if (v === null || v === undefined || v === false) delete (s.faults as Record<string, unknown>)[k];
        else (s.faults as Record<string, unknown>)[k] = structuredClone(v);
      }
      return structuredClone(s.faults);
    },
    clearFaults(id) { state.account(id).faults = {}; },
    faults: (id) => structuredClone(state.account(id).faults),
    expireSessions: (id) => { state.account(id); return state.expireSessions(id); },
    rotateCsrf(id) {
      const s = state.account(id);
      s.csrfToken = token();
      s.at = `AOeR${token(24)}:${state.now()}`;
    },
    approvePush(id) { state.account(id).pushApproved = true; },
    codes(id) {
      const s = state.account(id);
      return {
        totp: s.account.totpSecret ? totpCode(s.account.totpSecret, state.now()) : null,
        sms: s.account.mfa === 'sms' ? s.smsCode : null,
        email: s.account.mfa === 'email' ? s.emailCode : null,
        captcha: s.captchaAnswer || null,
      };
    },
    variant(id) {
      const s = state.account(id);
      return resolveVariant(s.variant, s.account.marketplace);
    },
    setVariant(id, change) {
      const s = state.account(id);
      const parsed = parseVariant(change);
      const next = { ...s.variant, ...parsed };
      for (const [k, v] of Object.entries(change)) if (v === null || v === undefined) delete (next as Record<string, unknown>)[k];
      s.variant = { ...DEFAULT_VARIANT, ...next };
      return resolveVariant(s.variant, s.account.marketplace);
    },
    deletedLog(id, range = {}) {
      const from = range.from ?? -Infinity;
      const to = range.to ?? Infinity;
      return state.account(id).deleted.filter((e) => e.ts >= from && e.ts <= to).map((e) => ({ ...e }));
    },
    signin: () => ({ ...state.signin }),
    setSignin(change) {
      state.signin = { ...state.signin, ...parseSignin(change) };
      return { ...state.signin };
    },
    requests(filter = {}) {
      return state.log.filter((e) => (filter.account === undefined || e.account === filter.account)
        && (filter.kind === undefined || (e.kind ?? '').startsWith(filter.kind))
        && (filter.since === undefined || e.at >= filter.since)
        && (filter.pathPrefix === undefined || e.path.startsWith(filter.pathPrefix)));
    },
    clearRequests() { state.log.length = 0; },
    now: () => state.now(),
    advanceClock: (ms) => state.advanceClock(ms),
  };
}

function num(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`"${v}" is not a number`);
  return n;
}

/** A human page at `/__sim`: accounts, passwords, current codes. Handy in the demo and for a remote sign-in. */
function indexPage(ctx: Ctx, control: SimControl): void {
  const rows = control.accounts().map((a) => {
    const c = control.codes(a.id);
    return `<tr><td>${escapeHtml(a.id)}</td><td>${a.vendor}${a.vendor === 'amazon' ? ` (.${escapeHtml(a.marketplace)})` : ''}</td><td>${escapeHtml(a.email)}</td>
<td><code>${escapeHtml(a.password)}</code></td><td>${a.mfa}</td><td><code>${c.totp ?? c.sms ?? c.email ?? ''}</code></td><td><code>${c.captcha ?? ''}</code></td>
<td>${a.remaining}</td><td><code>${escapeHtml(JSON.stringify(a.faults))}</code></td>
<td>${a.vendor === 'amazon' ? `<code>${a.variant.page} depth ${a.variant.filterDepth} ${a.variant.dateInput} ${a.variant.datePattern}${a.variant.apply ? ' apply' : ''}</code>` : ''}</td></tr>`;
  }).join('');
  html(ctx, `<!doctype html><meta charset="utf-8"><title>voicewipe simulator</title>
<style>body{font:14px system-ui,sans-serif;margin:24px}td,th{border-bottom:1px solid #ddd;padding:6px 10px;text-align:left}</style>
<h1>voicewipe vendor simulator</h1><p>Amazon: <a href="/alexa-privacy/apd/rvh">/alexa-privacy/apd/rvh</a> · Google: <a href="/product/assistant">/product/assistant</a> · API: <code>/__sim/accounts</code>, <code>/__sim/requests</code></p>
<table><tr><th>id</th><th>vendor</th><th>email</th><th>password</th><th>2-step</th><th>code now</th><th>captcha</th><th>remaining</th><th>faults</th><th>page variant</th></tr>${rows}</table>`);
}

export function controlRoutes(control: SimControl): Route[] {
  const handle = (ctx: Ctx): void => {
    const parts = ctx.url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent); // after "__sim"
    const q = ctx.url.searchParams;
    const m = ctx.method;
    const body = () => (jsonBody(ctx) ?? {}) as Record<string, unknown>;
    try {
      if (parts.length === 0) return indexPage(ctx, control);
      if (parts[0] === 'accounts' && parts.length === 1) {
        if (m === 'GET') return json(ctx, control.accounts());
        if (m === 'POST') return json(ctx, control.addAccount(body() as unknown as SimAccountOptions), 201);
      }
      if (parts[0] === 'accounts' && parts.length >= 2) {
        const id = parts[1];
        const action = parts[2] ?? '';
        if (action === '' && m === 'GET') return json(ctx, control.account(id));
        if (action === 'remaining' && m === 'GET') {
          const asked = q.get('product') ?? 'assistant';
          if (!isProduct(asked)) throw new Error(`unknown product "${asked}" (known: ${PRODUCTS.join(', ')})`);
          const product = asked;
          return json(ctx, { remaining: control.remaining(id, { from: num(q.get('from')), to: num(q.get('to')), product }) });
        }
        if (action === 'activity' && m === 'GET') return json(ctx, control.activity(id));
        // Amazon accounts answer with their deleted log (below), Google ones with a count per product.
        if (action === 'deleted' && m === 'GET' && control.account(id).vendor !== 'amazon') {
          const product = q.get('product') ?? 'assistant';
          if (!isProduct(product)) throw new Error(`unknown product "${product}" (known: ${PRODUCTS.join(', ')})`);
          return json(ctx, { deleted: control.deleted(id, { from: num(q.get('from')), to: num(q.get('to')), product }) });
        }
        if (action === 'reset' && m === 'POST') {
          const b = body();
          control.reset(id, { recordings: b.recordings as number | undefined, spanDays: b.spanDays as number | undefined });
          return json(ctx, control.account(id));
        }
        if (action === 'faults') {
          if (m === 'GET') return json(ctx, control.faults(id));
          if (m === 'PUT' || m === 'POST' || m === 'PATCH') return json(ctx, control.setFaults(id, body() as SimFaults));
          if (m === 'DELETE') { control.clearFaults(id); return json(ctx, {}); }
        }
        if (action === 'expire-session' && m === 'POST') return json(ctx, { expired: control.expireSessions(id) });
        if (action === 'rotate-csrf' && m === 'POST') { control.rotateCsrf(id); return json(ctx, { ok: true }); }
        if (action === 'approve-push' && m === 'POST') { control.approvePush(id); return json(ctx, { ok: true }); }
        if (action === 'codes' && m === 'GET') return json(ctx, control.codes(id));
        if (action === 'variant') {
          if (m === 'GET') return json(ctx, control.variant(id));
          if (m === 'PUT' || m === 'POST' || m === 'PATCH') return json(ctx, control.setVariant(id, body() as Partial<AmazonVariant>));
        }
        if (action === 'deleted' && m === 'GET') return json(ctx, control.deletedLog(id, { from: num(q.get('from')), to: num(q.get('to')) }));
      }
      if (parts[0] === 'requests' && parts.length === 1) {
        if (m === 'DELETE') { control.clearRequests(); return json(ctx, { ok: true }); }
        if (m === 'GET') {
          return json(ctx, control.requests({ account: q.get('account') ?? undefined, kind: q.get('kind') ?? undefined,
            since: num(q.get('since')), pathPrefix: q.get('path') ?? undefined }));
        }
      }
      if (parts[0] === 'signin' && parts.length === 1) {
        if (m === 'GET') return json(ctx, control.signin());
        if (m === 'PUT' || m === 'POST' || m === 'PATCH') return json(ctx, control.setSignin(body() as Partial<SigninVariant>));
      }
      if (parts[0] === 'clock' && parts.length === 1) {
        if (m === 'POST') control.advanceClock(Number(body().advanceMs ?? 0));
        return json(ctx, { now: control.now() });
      }
      json(ctx, { error: `no control route ${m} ${ctx.url.pathname}` }, 404);
    } catch (e) {
      json(ctx, { error: (e as Error).message }, /^no simulated account/.test((e as Error).message) ? 404 : 400);
    }
  };
  return [{ method: 'ANY', path: /^\/__sim(\/|$)/, vendor: 'control', noFaults: true, handle }];
}
