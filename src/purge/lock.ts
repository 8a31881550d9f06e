// One purge at a time per state directory, across processes: the daemon and a `voicewipe purge` typed by a
// person must not drive the same account in two browsers at once. The lock file holds the owner's pid; a
// lock whose owner is dead (power cut, SIGKILL) is taken over.
import { PurgeLocked } from '../errors.ts';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';


function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Takes the lock or throws PurgeLocked; returns the release function. */
export function takePurgeLock(stateDir: string): () => void {
  const path = join(stateDir, 'purge.lock');
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (owner && owner !== process.pid && alive(owner)) throw new PurgeLocked(owner);
      rmSync(path, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`cannot take ${path}`);
}
