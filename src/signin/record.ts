// How each account signs in and when that was last renewed, kept in the session vault (encrypted, the
// `signin` entry next to the session) because it holds the app device's refresh token. The status page and
// Home Assistant show the method and the renewal time; the token never leaves this file's callers.
import { SessionVault } from '../browser/vault.ts';
import type { AccountConfig } from '../config/types.ts';
import type { AppDevice } from './app-device.ts';

/** app_device: Amazon cookies minted from the Alexa-app refresh token each night. web: password (+ TOTP)
 *  sign-in on the site. person: a person signed in (Google always; Amazon without a password or device). */
export const SIGNIN_METHODS = ['app_device', 'web', 'person'] as const;
export type SignInMethod = typeof SIGNIN_METHODS[number];

export interface SignInRecord {
  method: SignInMethod;
  /** When the sign-in was last made or renewed (ms), null before the first. */
  renewed_at: number | null;
  /** When the saved session is due to expire (ms), when known. */
  expires_at?: number | null;
  device?: AppDevice;
}

const ENTRY = 'signin';

export class SignInRecords {
  private readonly vault: SessionVault;
  constructor(vault: SessionVault) { this.vault = vault; }

  load(accountId: string): SignInRecord | undefined {
    return this.vault.loadEntry<SignInRecord>(accountId, ENTRY).value;
  }

  /** Merges `change` into the account's record (creating it). */
  update(accountId: string, change: Partial<SignInRecord> & Pick<SignInRecord, 'method'>): SignInRecord {
    const record: SignInRecord = { renewed_at: null, ...this.load(accountId), ...change };
    this.vault.saveEntry(accountId, ENTRY, record);
    return record;
  }

}

/** The method an account uses when nothing is recorded yet. */
export function defaultMethod(account: Pick<AccountConfig, 'provider' | 'password'>): SignInMethod {
  return account.provider === 'google' || !account.password ? 'person' : 'web';
}

export interface SignInStatus { signin_method: SignInMethod; signin_renewed_at: string | null }

const opened = new Map<string, SignInRecords>();

/** The public part (no token, no serial) for the status page, the API and MQTT. Never throws: a vault that
 *  cannot be read shows the account's default method. */
export function signInStatus(stateDir: string, account: Pick<AccountConfig, 'id' | 'provider' | 'password'>): SignInStatus {
  let record: SignInRecord | undefined;
  try {
    let records = opened.get(stateDir);
    if (!records) { records = new SignInRecords(new SessionVault(stateDir)); opened.set(stateDir, records); }
    record = records.load(account.id);
  } catch { /* no key yet, unreadable entry: nothing recorded */ }
  // A damaged record's time (not a number, out of Date's range) is unknown, never a RangeError in a reader.
  const renewed = typeof record?.renewed_at === 'number' ? new Date(record.renewed_at) : undefined;
  const renewedAt = renewed && Number.isFinite(renewed.getTime()) && renewed.getTime() > 0 ? renewed.toISOString() : null;
  return { signin_method: record?.method ?? defaultMethod(account), signin_renewed_at: renewedAt };
}
