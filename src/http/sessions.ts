// Sessions of the status page kept in SQLite (migrations/0003_sessions.sql), hashed: an admin stays signed in
// across restarts, and a one-time sign-in link (src/http/invite.ts) survives them too.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/open.ts';

export type SessionKind = 'admin' | 'invite' | 'invite_session';

export interface StoredSession {
  kind: SessionKind;
  account_id: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Enough for every phone and laptop in a house; the oldest of a kind goes when a new one would exceed it. */
const MAX_PER_KIND = 200;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** 32 random bytes, URL-safe: a cookie value or a link token. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionStore {
  private readonly db: Database;
  private readonly now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /** Makes a session and returns its secret (the only copy: the database keeps the hash). */
  create(kind: SessionKind, lifetimeMs: number, accountId: string | null = null): { secret: string; expiresAt: number } {
    const now = this.now();
    const secret = newSecret();
    const expiresAt = now + lifetimeMs;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
      this.db.prepare(`DELETE FROM sessions WHERE kind = ? AND id_hash IN
        (SELECT id_hash FROM sessions WHERE kind = ? ORDER BY created_at DESC LIMIT -1 OFFSET ?)`).run(kind, kind, MAX_PER_KIND - 1);
      this.db.prepare('INSERT INTO sessions (id_hash, kind, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(hashSecret(secret), kind, accountId, now, expiresAt);
    })();
    return { secret, expiresAt };
  }

  /** The session behind a secret, if it exists, is of this kind and has not expired. */
  find(secret: string | undefined, kind: SessionKind): StoredSession | undefined {
    if (!secret || secret.length > 100) return undefined;
    const row = this.db.prepare('SELECT kind, account_id, created_at, expires_at, used_at FROM sessions WHERE id_hash = ?')
      .get(hashSecret(secret)) as StoredSession | undefined;
    if (!row || row.kind !== kind || row.expires_at <= this.now()) return undefined;
    return row;
  }

  /** Marks a one-time secret used; false when it already was (two tabs opening the same link). */
  use(secret: string): boolean {
    return this.db.prepare('UPDATE sessions SET used_at = ? WHERE id_hash = ? AND used_at IS NULL').run(this.now(), hashSecret(secret)).changes === 1;
  }

  end(secret: string | undefined): void {
    if (secret) this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashSecret(secret));
  }

  /** Every session and sign-in link ends (the admin token was rotated). */
  endAll(): void {
    this.db.prepare('DELETE FROM sessions').run();
  }
}
