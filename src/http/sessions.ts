// Sessions of the status page kept in SQLite (migrations/0003_sessions.sql), hashed: an admin stays signed in
// across restarts, and a one-time sign-in link (src/http/invite.ts) survives them too.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/open.ts';
import { deleteAllSessions, deleteSession, getSession, insertSession, markSessionUsed } from '../db/queries.ts';
import type { SessionKind, SessionRow } from '../db/queries.ts';

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
    insertSession(this.db, hashSecret(secret), kind, accountId, now, expiresAt, MAX_PER_KIND);
    return { secret, expiresAt };
  }

  /** The session behind a secret, if it exists, is of this kind and has not expired. */
  find(secret: string | undefined, kind: SessionKind): SessionRow | undefined {
    if (!secret || secret.length > 100) return undefined;
    const row = getSession(this.db, hashSecret(secret));
    if (!row || row.kind !== kind || row.expires_at <= this.now()) return undefined;
    return row;
  }

  /** Marks a one-time secret used; false when it already was (two tabs opening the same link). */
  use(secret: string): boolean {
    return markSessionUsed(this.db, hashSecret(secret), this.now());
  }

  end(secret: string | undefined): void {
    if (secret) deleteSession(this.db, hashSecret(secret));
  }

  /** Every session and sign-in link ends (the admin token was rotated). */
  endAll(): void {
    deleteAllSessions(this.db);
  }
}
