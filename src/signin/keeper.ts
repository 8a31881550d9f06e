// Keeps each account's sign-in alive between runs, around the provider's own sign-in:
//  - never signed in (Google, or Amazon with no password and no app device) → `needs_login` at once, before
//    any browser or network step, with where to sign in;
//  - Amazon with an app device → fresh web cookies from the refresh token every run; a removed device is
//    `needs_login` ("sign in again"), never a retry loop; the web sign-in is only the fallback when a
//    password is on file;
//  - Amazon on the web → the saved cookies are dropped shortly before they expire, so the provider signs in
//    afresh with the password while it still can;
//  - afterwards, how the account signed in and when, for the status page and Home Assistant.
import type { BrowserContext } from 'playwright-core';
import type { SessionVault, StorageState } from '../browser/vault.ts';
import type { AccountConfig } from '../config/types.ts';
import { PurgeError } from '../errors.ts';
import { ExchangeFailed, exchangeForCookies } from './app-device.ts';
import { defaultMethod } from './record.ts';
import type { SignInRecords } from './record.ts';

const DAY_MS = 86_400_000;
/** Amazon's web cookies last about 14 days (alexa.md); renew from day 12, or 2 days before a cookie says. */
export const AMAZON_WEB_LIFETIME_MS = 14 * DAY_MS;
export const RENEW_BEFORE_MS = 2 * DAY_MS;

/** Where a person signs in: the status page's button, or the CLI on a machine with a screen. */
export function signInHint(account: Pick<AccountConfig, 'id'>): string {
  return `sign in once: the status page's "Sign in" button on this account's card (POST /api/signin/${account.id}), or \`voicewipe login ${account.id}\``;
}

/** When the session's sign-in cookies expire (the earliest of the vendor's auth cookies), if they say. */
export function sessionExpiry(state: StorageState | undefined, provider: AccountConfig['provider']): number | undefined {
  const auth = provider === 'alexa' ? /^(at|sess-at)-/ : /^(SID|OSID|__Secure-\dPSID)$/;
  let earliest: number | undefined;
  for (const c of (state?.cookies ?? []) as { name?: string; expires?: number }[]) {
    if (!c.name || !auth.test(c.name) || !c.expires || c.expires <= 0) continue;
    const at = c.expires * 1000;
    if (earliest === undefined || at < earliest) earliest = at;
  }
  return earliest;
}

export interface BeforeSignIn {
  /** What the keeper did, for the result's notes. */
  notes: string[];
}

export class SignInKeeper {
  private readonly vault: SessionVault;
  private readonly records: SignInRecords;
  private readonly now: () => number;
  constructor(vault: SessionVault, records: SignInRecords, now: () => number) {
    this.vault = vault;
    this.records = records;
    this.now = now;
  }

  /** Refuses at once an account that has never been signed in and cannot sign itself in. */
  checkSignedInOnce(account: AccountConfig, saved: StorageState | undefined): void {
    if (saved && saved.cookies.length > 0) return;
    if (account.provider === 'google') {
      throw new PurgeError('needs_login', `never signed in to Google (it refuses automated sign-in): ${signInHint(account)}`);
    }
    if (!account.password && !this.records.load(account.id)?.device?.refresh_token) {
      throw new PurgeError('needs_login', `never signed in to Amazon and no password on file: ${signInHint(account)}`);
    }
  }

  /** Before the provider signs in: app-device cookies into the context, or stale web cookies out of it. */
  async before(account: AccountConfig, context: BrowserContext, saved: StorageState | undefined, signal: AbortSignal): Promise<BeforeSignIn> {
    const notes: string[] = [];
    if (account.provider !== 'alexa') return { notes };
    const record = this.records.load(account.id);
    const token = record?.device?.refresh_token;
    if (token) {
      try {
        const cookies = await exchangeForCookies(account, token, signal);
        // The minted cookies replace whatever the saved session held for Amazon.
        await context.clearCookies();
        await context.addCookies(cookies);
        const expiries = cookies.filter((c) => c.expires > 0).map((c) => c.expires * 1000);
        this.records.update(account.id, { method: 'app_device', renewed_at: this.now(), expires_at: expiries.length ? Math.min(...expiries) : null });
        notes.push('fresh cookies from the app device');
        return { notes };
      } catch (err) {
        if (!(err instanceof ExchangeFailed)) throw err;
        if (err.why === 'revoked') {
          // The token is dead for good: forget it (the serial stays, so the next registration reuses the device).
          this.records.update(account.id, { method: defaultMethod(account), device: { serial: record!.device!.serial } });
        }
        if (!account.password) {
          // Cookies minted for a removed device are not worth another night: the account waits for a person.
          if (err.why === 'revoked') this.vault.drop(account.id);
          throw new PurgeError(err.why === 'revoked' ? 'needs_login' : 'bad_credentials',
            err.why === 'revoked' ? `${err.message}; ${signInHint(account).replace(/^sign in once/, 'sign in again')}` : err.message);
        }
        notes.push(`${err.message}; signing in on the web with the password instead`);
      }
    }
    if (!saved || !account.password) return { notes };
    const renewedAt = record?.method === 'web' ? record.renewed_at : null;
    const due = Math.min(sessionExpiry(saved, 'alexa') ?? Infinity, renewedAt !== null ? renewedAt + AMAZON_WEB_LIFETIME_MS : Infinity);
    if (due - RENEW_BEFORE_MS <= this.now()) {
      await context.clearCookies();
      notes.push('the saved session was near its expiry: signed in afresh with the password');
    }
    return { notes };
  }

  /** After the provider signed in: records how, and when it was last renewed. */
  after(account: AccountConfig, how: 'session_reused' | 'signed_in', state: StorageState | undefined): void {
    const record = this.records.load(account.id);
    if (record?.method === 'app_device' && record.device?.refresh_token) return; // recorded in before()
    if (how === 'signed_in') {
      const expires = sessionExpiry(state, account.provider);
      this.records.update(account.id, { method: 'web', renewed_at: this.now(), expires_at: expires ?? this.now() + AMAZON_WEB_LIFETIME_MS });
    } else if (!record) {
      this.records.update(account.id, { method: defaultMethod(account), renewed_at: null, expires_at: sessionExpiry(state, account.provider) ?? null });
    }
  }
}
