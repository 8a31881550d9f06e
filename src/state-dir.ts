// The state directory holds the database, the session vault, the admin token, the TLS key and the evidence:
// readable by voicewipe's user only (0700, files 0600), however voicewipe was started (systemd sets UMask=0077
// and StateDirectoryMode=0700; a manual start, Docker or the CLI do not).
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files voicewipe makes from now on are 0600 and folders 0700 (SQLite's db, -wal, -shm and backups included). */
export function privateFileMode(): void {
  process.umask(0o077);
}

/** Makes the state directory (0700) or tightens it, and tightens the files voicewipe keeps at its top (an
 *  install from before this rule, or a copy restored with a loose mode). Returns the paths it changed. */
export function secureStateDir(stateDir: string): string[] {
  privateFileMode();
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const changed: string[] = [];
  const tighten = (path: string, mode: number) => {
    try {
      const st = statSync(path);
      if ((st.mode & 0o777 & ~mode) !== 0) { chmodSync(path, mode); changed.push(path); }
    } catch { /* gone meanwhile, or not ours to change */ }
  };
  tighten(stateDir, 0o700);
  for (const entry of readdirSync(stateDir, { withFileTypes: true })) {
    const path = join(stateDir, entry.name);
    if (entry.isDirectory()) tighten(path, 0o700);
    else if (entry.isFile()) tighten(path, 0o600);
  }
  return changed;
}
