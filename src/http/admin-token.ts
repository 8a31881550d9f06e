// The admin token: made once on first start, kept in <state_dir>/admin-token readable by the service user only;
// `voicewipe token --rotate` replaces it, and the running daemon follows (ending every session).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function adminTokenPath(stateDir: string): string {
  return join(stateDir, 'admin-token');
}

/** Reads the token, creating it (0600) when missing. Tightens the mode when someone loosened it. */
export function ensureAdminToken(stateDir: string): string {
  const path = adminTokenPath(stateDir);
  try {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 32) {
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
      return token;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
}

/** `voicewipe token --rotate`: a new token replaces the old one at once (written aside, then renamed). The
 *  running daemon sees the file change, takes the new token and ends every session (AdminTokenFile). */
export function rotateAdminToken(stateDir: string): string {
  const path = adminTokenPath(stateDir);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return token;
}

/** The daemon's view of the token file: re-read when it changes (at most one stat a second), calling
 *  `onRotated` so every session made with the old token ends. */
export class AdminTokenFile {
  private readonly path: string;
  private readonly stateDir: string;
  private readonly onRotated: () => void;
  private token: string;
  private stamp: string;
  private checkedAt = 0;

  constructor(stateDir: string, onRotated: () => void, initial?: string) {
    this.stateDir = stateDir;
    this.path = adminTokenPath(stateDir);
    this.onRotated = onRotated;
    this.token = initial ?? ensureAdminToken(stateDir);
    this.stamp = this.fileStamp();
  }

  private fileStamp(): string {
    try { const s = statSync(this.path); return `${s.ino}:${s.mtimeMs}:${s.size}`; } catch { return 'missing'; }
  }

  current(now = Date.now()): string {
    if (now - this.checkedAt < 1000) return this.token;
    this.checkedAt = now;
    const stamp = this.fileStamp();
    if (stamp === this.stamp) return this.token;
    this.stamp = stamp;
    let next: string;
    // A deleted or damaged file is remade (a new token): never fall back to an empty or guessable one.
    try { next = ensureAdminToken(this.stateDir); } catch { return this.token; }
    this.stamp = this.fileStamp();
    if (next !== this.token) {
      this.token = next;
      this.onRotated();
    }
    return this.token;
  }
}

/** Constant-time comparison, so the time taken says nothing about how much of a guess was right. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
