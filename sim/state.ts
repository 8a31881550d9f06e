// Everything the simulator knows: accounts, their recordings and faults, sessions, the request log and the
// clock. Vendor pages, the control API and the in-process `control` object all work on this one object.
import { createHash, randomBytes } from 'node:crypto';
import { encodeBase32 } from '../src/providers/totp.ts';
import { RecordStore, generateRecordings, hashString } from './data.ts';
import type { SimFaults } from './faults.ts';
import { DEFAULT_SIGNIN, DEFAULT_VARIANT, parseVariant } from './amazon/variants.ts';
import type { AmazonVariant, SigninVariant } from './amazon/variants.ts';
import { markSeeded, otherActivity } from './google/products.ts';
import type { OtherProduct } from './google/products.ts';

export type Vendor = 'amazon' | 'google';
/** How the second sign-in step works: `totp` is automatable; `sms`, `push` and `email` (a code e-mailed, asked
 *  for on `/ap/cvf`) need a person. */
export type MfaKind = 'none' | 'totp' | 'sms' | 'push' | 'email';

export interface SimAccountOptions {
  /** Stable id used by the control API (default: the email). */
  id?: string;
  vendor?: Vendor;
  email: string;
  password?: string;
  mfa?: MfaKind;
  /** Base32 authenticator secret; default: derived from the seed when `mfa` is `totp`. */
  totpSecret?: string | null;
  /** Amazon marketplace domain suffix: com, co.uk, de, fr, it, es, ca, com.au, co.jp, com.br, in. */
  marketplace?: string;
  recordings?: number;
  spanDays?: number;
  /** Amazon: show the passkey upsell (`/webauthn/nudge`) after sign-in. */
  passkeyNudge?: boolean;
  faults?: SimFaults;
  /** Amazon: the form of the voice history page (see sim/amazon/variants.ts); unset fields take DEFAULT_VARIANT. */
  variant?: Partial<AmazonVariant>;
}

export interface SimAccount {
  id: string;
  vendor: Vendor;
  email: string;
  password: string;
  mfa: MfaKind;
  totpSecret: string | null;
  marketplace: string;
  recordings: number;
  spanDays: number;
  passkeyNudge: boolean;
  customerId: string;
}

export interface AccountState {
  account: SimAccount;
  /** Amazon voice history, or Google's Assistant activity. */
  store: RecordStore;
  /** Google's Gemini activity (empty for Amazon). */
  gemini: RecordStore;
  /** Google's Search, YouTube and Maps activity (empty for Amazon): what a wrong delete would take. */
  others: Record<OtherProduct, RecordStore>;
  faults: SimFaults;
  /** Amazon "Choose how long to save recordings" setting. */
  retention: 'forever' | '18m' | '3m' | 'none';
  /** The code a person would receive by SMS (shown by the control API). */
  smsCode: string;
  /** The code a person would receive by e-mail (`mfa: email`, asked for on `/ap/cvf`). */
  emailCode: string;
  /** Amazon page variant (complete; resolved against the marketplace when a page is served). */
  variant: AmazonVariant;
  /** Every recording a delete request removed (or scheduled to remove), oldest request first. */
  deleted: DeletedEntry[];
  /** Set by the control API: the person tapped "Approve" on their phone. */
  pushApproved: boolean;
  /** The characters of the captcha currently shown to this account's sign-in (for a person or a test). */
  captchaAnswer: string;
  csrfToken: string;
  /** Google per-account page tokens (WIZ_global_data). */
  at: string;
  fsid: string;
}

export interface Session {
  id: string;
  accountId: string;
  vendor: Vendor;
  expiresAt: number;
  /** Google: the OSID cookie value minted for the My Activity origin. */
  osid?: string;
}

export interface LogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  account?: string;
  /** What the request was, in the simulator's words: `amazon.list`, `amazon.delete`, `google.rpc.y3VFHd`, … */
  kind?: string;
  ms: number;
  /** JSON body of mutating API calls (deletes), for tests that assert what a provider sent. */
  body?: unknown;
}

/** One deleted recording: its own timestamp, when and through which kind of request it was deleted. */
export interface DeletedEntry {
  /** The recording's timestamp (ms). */
  ts: number;
  /** Simulator time of the delete request. */
  at: number;
  /** `item`: a per-item delete; `range`: a range delete (the filtered range, or All History). */
  via: 'item' | 'range';
}

/** Amazon session cookie suffix per marketplace: `at-main` on .com, `at-acbuk` on .co.uk, … */
export function cookieSuffix(marketplace: string): string {
  if (marketplace === 'com') return 'main';
  const cc: Record<string, string> = { 'co.uk': 'uk', 'com.au': 'au', 'co.jp': 'jp', 'com.br': 'br' };
  return `acb${cc[marketplace] ?? marketplace.replace(/\W/g, '')}`;
}

const MARKETPLACES = ['com', 'co.uk', 'de', 'fr', 'it', 'es', 'ca', 'com.au', 'co.jp', 'com.br', 'in'];

export function token(bytes = 18): string { return randomBytes(bytes).toString('base64url'); }

export class SimState {
  readonly accounts = new Map<string, AccountState>();
  readonly sessions = new Map<string, Session>();
  readonly log: LogEntry[] = [];
  readonly seed: number;
  sessionLifetimeMs: number;
  deletePath: string;
  /** Amazon sign-in page form, for every account (the email page comes before the account is known). */
  signin: SigninVariant = { ...DEFAULT_SIGNIN };
  private clockOffset = 0;
  private readonly baseNow: () => number;

  constructor(opts: { seed: number; sessionLifetimeMs: number; deletePath: string; now?: () => number }) {
    this.seed = opts.seed;
    this.sessionLifetimeMs = opts.sessionLifetimeMs;
    this.deletePath = opts.deletePath;
    this.baseNow = opts.now ?? Date.now;
  }

  now(): number { return this.baseNow() + this.clockOffset; }
  advanceClock(ms: number): void { this.clockOffset += ms; }

  addAccount(o: SimAccountOptions): AccountState {
    const vendor = o.vendor ?? 'amazon';
    const id = o.id ?? o.email;
    if (!/^[\w.@+-]+$/.test(id)) throw new Error(`account id "${id}" must be letters, digits and . @ + - _`);
    const marketplace = o.marketplace ?? 'com';
    if (vendor === 'amazon' && !MARKETPLACES.includes(marketplace)) throw new Error(`unknown marketplace "${marketplace}"`);
    const mfa = o.mfa ?? (o.totpSecret ? 'totp' : 'none');
    const accountSeed = hashString(`${this.seed}:${id}`);
    // 32 bytes → 52 base32 characters, as Amazon shows the authenticator secret.
    const derived = encodeBase32(createHash('sha256').update(`totp:${accountSeed}`).digest());
    const account: SimAccount = {
      id,
      vendor,
      email: o.email,
      password: o.password ?? 'correct horse battery staple',
      mfa,
      totpSecret: o.totpSecret === null ? null : o.totpSecret ?? (mfa === 'totp' ? derived : null),
      marketplace,
      recordings: o.recordings ?? 1000,
      spanDays: o.spanDays ?? 400,
      passkeyNudge: o.passkeyNudge ?? false,
      customerId: `A${(accountSeed.toString(36).toUpperCase() + 'Q7X2KD9PLM4').slice(0, 13)}`,
    };
    if (mfa === 'totp' && !account.totpSecret) throw new Error(`account ${id}: mfa totp needs a totpSecret`);
    const state: AccountState = {
      account,
      store: new RecordStore([]),
      gemini: new RecordStore([]),
      others: { search: new RecordStore([]), youtube: new RecordStore([]), maps: new RecordStore([]) },
      faults: structuredClone(o.faults ?? {}),
      retention: 'forever',
      smsCode: '',
      emailCode: '',
      variant: { ...DEFAULT_VARIANT, ...parseVariant(o.variant ?? {}) },
      deleted: [],
      pushApproved: false,
      captchaAnswer: '',
      csrfToken: token(),
      at: '',
      fsid: '',
    };
    this.accounts.set(id, state);
    this.reseed(id);
    return state;
  }

  /** Regenerates an account's recordings (same seed → same data), clears its faults and sessions. */
  reseed(id: string, change: { recordings?: number; spanDays?: number } = {}): AccountState {
    const s = this.account(id);
    if (change.recordings !== undefined) s.account.recordings = change.recordings;
    if (change.spanDays !== undefined) s.account.spanDays = change.spanDays;
    const a = s.account;
    const seed = hashString(`${this.seed}:${a.id}`);
    const nowMs = this.now();
    s.store = new RecordStore(generateRecordings({
      seed, count: a.recordings, spanDays: a.spanDays, nowMs, customerId: a.customerId,
      keyStyle: a.vendor === 'amazon' ? 'amazon' : 'google',
    }));
    s.gemini = new RecordStore(a.vendor === 'google' ? generateRecordings({
      seed: seed ^ 0x5bd1e995, count: Math.ceil(a.recordings / 5), spanDays: Math.min(a.spanDays, 120), nowMs,
      customerId: a.customerId, keyStyle: 'google',
    }) : []);
    s.others = otherActivity(a, seed, nowMs);
    markSeeded(s);
    s.smsCode = String(100000 + (seed % 900000));
    s.emailCode = String(100000 + ((seed >>> 7) % 900000));
    s.deleted = [];
    // Page tokens survive a reset, so a test can reseed while a browser stays signed in.
    s.at ||= `AOeR${token(24)}:${nowMs}`;
    s.fsid ||= String(-(BigInt(seed) * 1000003n));
    return s;
  }

  account(id: string): AccountState {
    const s = this.accounts.get(id);
    if (!s) throw new Error(`no simulated account "${id}"`);
    return s;
  }

  findByEmail(vendor: Vendor, email: string): AccountState | undefined {
    const want = email.trim().toLowerCase();
    for (const s of this.accounts.values()) if (s.account.vendor === vendor && s.account.email.toLowerCase() === want) return s;
    return undefined;
  }

  newSession(accountId: string, vendor: Vendor): Session {
    const session: Session = { id: token(24), accountId, vendor, expiresAt: this.now() + this.sessionLifetimeMs };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, or undefined (expired sessions are dropped). */
  liveSession(id: string | undefined, vendor: Vendor): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s || s.vendor !== vendor) return undefined;
    if (s.expiresAt <= this.now() || !this.accounts.has(s.accountId)) { this.sessions.delete(id); return undefined; }
    return s;
  }

  /** Ends every session of an account (the "session expiry" fault, or a reset). */
  expireSessions(accountId: string): number {
    let n = 0;
    for (const [id, s] of this.sessions) if (s.accountId === accountId) { this.sessions.delete(id); n++; }
    return n;
  }

  /** Counts a signed-in request against the `expireSessionAfter` fault; true when the session just died. */
  countSessionUse(state: AccountState): boolean {
    const f = state.faults;
    if (f.expireSessionAfter === undefined) return false;
    f.expireSessionAfter--;
    if (f.expireSessionAfter >= 0) return false;
    delete f.expireSessionAfter;
    this.expireSessions(state.account.id);
    return true;
  }

  /** Notes recordings a delete request removed; bounded like the request log. */
  noteDeleted(s: AccountState, timestamps: Iterable<number>, via: DeletedEntry['via']): void {
    const at = this.now();
    for (const ts of timestamps) s.deleted.push({ ts, at, via });
    if (s.deleted.length > 200_000) s.deleted.splice(0, s.deleted.length - 100_000);
  }

  record(entry: LogEntry): void {
    this.log.push(entry);
    // Bounded: a long benchmark must not grow memory without end.
    if (this.log.length > 20_000) this.log.splice(0, this.log.length - 10_000);
  }
}
