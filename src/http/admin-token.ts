// The admin token: made once on first start, kept in <state_dir>/admin-token readable by the service user only.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** Constant-time comparison, so the time taken says nothing about how much of a guess was right. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
