// Sign-in browsers left behind by a voicewipe that was killed (SIGKILL, the OOM killer) outside systemd, whose
// cgroup would otherwise have ended them: the person's Chromium runs as an ordinary detached process
// (person.ts) and outlives its parent, keeping the account's session in its profile. At start-up the daemon ends
// every Chromium whose profile is under its own <state_dir>/browser-profiles and whose voicewipe is gone, then
// wipes the signed-in state the profiles kept; a sign-in does the same for its own profile before it opens it.
// Nothing else is touched: other state directories' browsers, a `voicewipe login` window still in use,
// processes that are not Chromium. The profile's signed-in state is wiped here too when a sign-in closes.
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { sleep } from '../async.ts';
import { alive, killTree, processTree, startTime } from './processes.ts';

/** How long Chromium gets to save its profile and exit on SIGTERM before the rest is killed. */
const TERM_GRACE_MS = 3_000;
/** After SIGKILL, how long the sweep waits for the helpers to go before wiping their profile. */
const KILL_WAIT_MS = 5_000;

export interface Leftovers {
  /** Sign-in browsers ended (main processes; their helpers went with them). */
  ended: number;
  /** Profiles that still held a signed-in state and were wiped. */
  wiped: number;
  /** Sign-in browsers left alone because the voicewipe that opened them still runs (`voicewipe login`). */
  inUse: number;
}

export interface LeftoverBrowser { pid: number; profile: string }

function profilesRoot(stateDir: string): string {
  return join(stateDir, 'browser-profiles');
}

/** The path and, where it exists, its real path (a state_dir reached through a symlink). */
function spellings(path: string): string[] {
  const out = [resolve(path)];
  try { const real = realpathSync(path); if (!out.includes(real)) out.push(real); } catch { /* not there */ }
  return out;
}

function inside(dir: string, roots: string[]): boolean {
  return spellings(dir).some((d) => roots.some((root) => {
    const rel = relative(root, d);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  }));
}

/** True when `dir` is a profile under this state directory's browser-profiles (by path, not by string prefix). */
export function isSignInProfile(stateDir: string, dir: string): boolean {
  return inside(dir, spellings(profilesRoot(stateDir)));
}

function argv(pid: number): string[] {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; }
}

/** Chromium's own binary (the headless shell, Debian's chromium, Chrome), by what the kernel runs, not its name. */
function isChromium(pid: number): boolean {
  try { return /chrom|headless_shell/i.test(basename(readlinkSync(`/proc/${pid}/exe`))); } catch { return false; }
}

/** The voicewipe process that started this browser, when it still runs (same pid and start time). */
function ownerRunning(pid: number): boolean {
  let environ: string;
  try { environ = readFileSync(`/proc/${pid}/environ`, 'utf8'); } catch { return false; }
  const mark = environ.split('\0').find((v) => v.startsWith(`${OWNER_ENV}=`))?.slice(OWNER_ENV.length + 1);
  if (!mark) return false;
  const [owner, started] = mark.split(':');
  const ownerPid = Number(owner);
  return Number.isInteger(ownerPid) && ownerPid > 0 && alive(ownerPid) && startTime(ownerPid) === started;
}

/** Chromium main processes whose --user-data-dir lies under this state directory's browser-profiles. */
export function findSignInBrowsers(stateDir: string): LeftoverBrowser[] {
  const roots = spellings(profilesRoot(stateDir));
  const found: LeftoverBrowser[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const flag = argv(pid).find((a) => a.startsWith('--user-data-dir='));
    if (!flag) continue;
    let profile = flag.slice('--user-data-dir='.length);
    if (!isAbsolute(profile)) {
      try { profile = resolve(readlinkSync(`/proc/${pid}/cwd`), profile); } catch { continue; }
    }
    if (inside(profile, roots) && isChromium(pid)) found.push({ pid, profile });
  }
  return found;
}

/** Ends leftover sign-in browsers (SIGTERM to the group, SIGKILL after a bound) and wipes stale profiles;
 *  with `onlyProfile`, those of that one profile (a sign-in about to start in it). */
export async function sweepSignInBrowsers(stateDir: string, onlyProfile?: string): Promise<Leftovers> {
  const result: Leftovers = { ended: 0, wiped: 0, inUse: 0 };
  // Every sign-in browser's profile lives under this folder: without it there is nothing to look for in /proc,
  // and most starts (no sign-in ever, or one that closed cleanly and left its folder) skip the process scan.
  if (!existsSync(profilesRoot(stateDir))) return result;
  const keep = new Set<string>();
  const ending: number[] = [];
  const only = onlyProfile === undefined ? undefined : spellings(onlyProfile);
  for (const browser of findSignInBrowsers(stateDir)) {
    if (only && !spellings(browser.profile).some((p) => only.includes(p))) continue;
    if (ownerRunning(browser.pid)) { result.inUse++; for (const p of spellings(browser.profile)) keep.add(p); continue; }
    ending.push(browser.pid);
  }
  // The trees are read before the first signal: once a main process is gone its helpers are no longer its children.
  const tree = ending.flatMap((pid) => processTree(pid));
  for (const pid of ending) {
    // Started detached, so each is its own process group with its helpers; SIGTERM lets Chromium save and exit.
    try { process.kill(-pid, 'SIGTERM'); } catch { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
  }
  const until = performance.now() + TERM_GRACE_MS;
  while (ending.some(alive) && performance.now() < until) await sleep(50);
  for (const pid of ending) killTree(pid);
  for (const pid of tree) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  // Helpers may still be writing into the profile: wipe only once every one is gone (or the bound has passed).
  const killedBy = performance.now() + KILL_WAIT_MS;
  while (tree.some(alive) && performance.now() < killedBy) await sleep(50);
  result.ended = ending.length;

  const root = profilesRoot(stateDir);
  let profiles: string[] = [];
  try { profiles = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(root, e.name)); } catch { /* none yet */ }
  for (const dir of profiles) {
    if (spellings(dir).some((p) => keep.has(p)) || (only && !spellings(dir).some((p) => only.includes(p)))) continue;
    if (forgetSignedInState(dir)) result.wiped++;
    // A killed Chromium leaves its profile lock behind; with a reused pid the next one could think it taken.
    for (const lock of ['SingletonLock', 'SingletonSocket', 'SingletonCookie', 'DevToolsActivePort']) rmSync(join(dir, lock), { force: true });
  }
  return result;
}

export function describeLeftovers(l: Leftovers): string | undefined {
  if (l.ended === 0 && l.wiped === 0) return undefined;
  const browsers = `${l.ended} sign-in browser${l.ended === 1 ? '' : 's'}`;
  const profiles = `${l.wiped} profile${l.wiped === 1 ? '' : 's'}`;
  return `left by an earlier voicewipe that did not shut down: ended ${browsers}, wiped the signed-in state of ${profiles}`;
}

/** The signed-in state lives encrypted in the vault; the profile keeps no copy of it on disk (Chromium's
 *  cookie store is only obfuscated with --password-store=basic). Preferences and the like stay. True when
 *  there was something to forget. */
export function forgetSignedInState(dir: string): boolean {
  let found = false;
  for (const name of ['Cookies', 'Cookies-journal', 'Local Storage', 'Session Storage', 'IndexedDB', 'Service Worker', 'Login Data', 'Login Data-journal', 'Web Data', 'Web Data-journal']) {
    const path = join(dir, 'Default', name);
    if (existsSync(path)) found = true;
    rmSync(path, { recursive: true, force: true });
  }
  return found;
}

/** Set in the sign-in browser's environment: which voicewipe process (pid:start time) started it, so that a
 *  daemon starting later (or the next sign-in of the account) ends it only once that process is gone. */
export const OWNER_ENV = 'VOICEWIPE_SIGNIN_OWNER';

export function ownerMark(pid = process.pid): string {
  return `${pid}:${startTime(pid) ?? '?'}`;
}
