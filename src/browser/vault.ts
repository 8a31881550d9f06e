// The session vault: each account's signed-in browser state (cookies and local storage of every origin, as
// Playwright's storageState) kept encrypted at rest with AES-256-GCM. The key is <state_dir>/secret.key (0600),
// which protects the sessions only from someone who gets the session files alone: a copied SD card holds the key
// too. $VOICEWIPE_SECRET_KEY (64 hex characters or base64 of 32 bytes), kept off the card, makes a copied card
// useless (README, "Security on a shared network"). Evidence files use the same key (evidence.ts).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type StorageState = { cookies: unknown[]; origins: unknown[] };

export class SessionVault {
  private readonly dir: string;
  private readonly key: Buffer;

  constructor(stateDir: string, env: NodeJS.ProcessEnv = process.env) {
    this.dir = join(stateDir, 'sessions');
    this.key = loadKey(stateDir, env);
  }

  private file(accountId: string, entry = 'session'): string {
    return join(this.dir, `${accountId}.${entry}`);
  }

  /** The saved state, or undefined when there is none or it cannot be read (wrong key, damaged file). */
  load(accountId: string): { state?: StorageState; problem?: string } {
    const { value, problem } = this.loadEntry<StorageState>(accountId, 'session');
    return { state: value, problem };
  }

  save(accountId: string, state: StorageState): void {
    this.saveEntry(accountId, 'session', state);
  }

  /** Another encrypted entry of the account next to its session (`signin`: how it signs in, the app-device
   *  refresh token). The entry's name is authenticated with the account id: files cannot be swapped. */
  loadEntry<T>(accountId: string, entry: string): { value?: T; problem?: string } {
    let blob: Buffer;
    try { blob = readFileSync(this.file(accountId, entry)); } catch { return {}; }
    try {
      if (blob[0] !== FORMAT) throw new Error(`unknown format ${blob[0]}`);
      const iv = blob.subarray(1, 1 + IV_BYTES);
      const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      // The account id is authenticated too: a session file copied onto another account does not decrypt.
      decipher.setAAD(aad(accountId, entry));
      decipher.setAuthTag(tag);
      const clear = Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      return { value: JSON.parse(clear.toString('utf8')) as T };
    } catch (err) {
      return { problem: `saved ${entry} of ${accountId} cannot be decrypted (${(err as Error).message}); signing in afresh` };
    }
  }

  saveEntry(accountId: string, entry: string, value: unknown): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(accountId, entry));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const blob = Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
    // Write then rename: a power cut mid-write must not destroy the previous good session.
    const tmp = `${this.file(accountId, entry)}.tmp`;
    writeFileSync(tmp, blob, { mode: 0o600 });
    renameSync(tmp, this.file(accountId, entry));
  }

  /** Forgets the saved session (the `signin` entry stays: a refused password says nothing of the app device). */
  drop(accountId: string, entry = 'session'): void {
    rmSync(this.file(accountId, entry), { force: true });
  }
}

/** The session keeps its original binding (the account id alone), so vaults written before still open. */
function aad(accountId: string, entry: string): Buffer {
  return Buffer.from(entry === 'session' ? accountId : `${accountId}/${entry}`);
}

/** The vault key (also the evidence files' key): $VOICEWIPE_SECRET_KEY when set, else <state_dir>/secret.key,
 *  made on first use. */
export function loadVaultKey(stateDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  return loadKey(stateDir, env);
}

function loadKey(stateDir: string, env: NodeJS.ProcessEnv): Buffer {
  const fromEnv = env.VOICEWIPE_SECRET_KEY?.trim();
  if (fromEnv) {
    const key = /^[0-9a-f]{64}$/i.test(fromEnv) ? Buffer.from(fromEnv, 'hex') : Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('VOICEWIPE_SECRET_KEY must be 32 bytes: 64 hex characters or base64');
    return key;
  }
  const path = join(stateDir, 'secret.key');
  try {
    const key = readFileSync(path);
    if (key.length !== 32) throw new Error(`${path} must hold exactly 32 bytes; move it away to make a new one (saved sessions are then lost)`);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, key, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}
