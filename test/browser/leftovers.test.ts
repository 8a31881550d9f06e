// Sign-in browsers left by a SIGKILLed voicewipe: a real Chromium (the headless shell) started detached by a
// stand-in "old daemon" that is then killed, as person.ts starts it. A daemon starting on the same state
// directory ends it, wipes its profile's signed-in state and says so in one log line; it leaves alone a Chromium
// of another state directory, a sign-in browser whose voicewipe still runs (`voicewipe login`), and a process
// that only carries the flag.
import t from 'tap';
import type { Test } from 'tap';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../../src/browser/chromium.ts';
import { OWNER_ENV, isSignInProfile, ownerMark, sweepSignInBrowsers } from '../../src/browser/leftovers.ts';
import { profileDir } from '../../src/browser/person.ts';
import { alive, killTree, processTree } from '../../src/browser/processes.ts';
import { sleep } from '../../src/async.ts';
import { spawnDaemon } from '../helpers/daemon.ts';
import type { DaemonProcess } from '../helpers/daemon.ts';
import { freePort } from '../helpers/net.ts';

const LEFTOVERS_TS = new URL('../../src/browser/leftovers.ts', import.meta.url).pathname;
const MARKER = join('Default', 'IndexedDB', 'voicewipe-test-marker');

function chromiumArgs(profile: string): string[] {
  return [...CHROMIUM_ARGS, '--no-sandbox', `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'];
}

/** A profile as a sign-in leaves it: a piece of signed-in state (the marker) in it. */
function makeProfile(dir: string): string {
  mkdirSync(join(dir, 'Default', 'IndexedDB'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, MARKER), 'signed-in state');
  return dir;
}

async function until(what: string, ok: () => boolean, ms = 45_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(100);
  }
}

/** A Chromium started detached, as person.ts does, with `env` added; resolves once it listens for CDP. */
async function detachedChromium(t: Test, profile: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn(findChromium().path, chromiumArgs(profile), { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
  child.unref();
  const pid = child.pid!;
  t.teardown(() => killTree(pid));
  await until('Chromium start', () => existsSync(join(profile, 'DevToolsActivePort')));
  return pid;
}

/** A daemon (no accounts) on `state`, once it says it runs. */
async function startDaemon(t: Test, state: string): Promise<DaemonProcess> {
  const config = join(state, '..', 'config.yaml');
  writeFileSync(config, `version: 1\nstate_dir: ${state}\nhttp: {host: 127.0.0.1, port: ${await freePort()}}\naccounts: []\n`);
  const daemon = spawnDaemon(config);
  t.teardown(() => { daemon.child.kill('SIGKILL'); });
  await until('the daemon up', () => daemon.output().includes('voicewipe is running'), 60_000);
  return daemon;
}

t.test('the profile check goes by path, not by string prefix', async (t) => {
  const dir = t.testdir();
  const state = join(dir, 'state');
  mkdirSync(join(state, 'browser-profiles', 'kitchen'), { recursive: true });
  symlinkSync(state, join(dir, 'linked-state'));
  t.ok(isSignInProfile(state, join(state, 'browser-profiles', 'kitchen')));
  t.ok(isSignInProfile(join(dir, 'linked-state'), join(state, 'browser-profiles', 'kitchen')), 'a state_dir reached through a symlink');
  t.ok(isSignInProfile(state, join(dir, 'linked-state', 'browser-profiles', 'kitchen')));
  t.notOk(isSignInProfile(state, join(state, 'browser-profiles')), 'the folder itself is no profile');
  t.notOk(isSignInProfile(state, join(state, 'browser-profiles-old', 'kitchen')), 'a sibling with the same start');
  t.notOk(isSignInProfile(state, join(state, 'browser-profiles', '..', 'evidence')), 'a path that climbs out');
  t.notOk(isSignInProfile(state, join(`${state}2`, 'browser-profiles', 'kitchen')), 'another state directory');
  t.notOk(isSignInProfile(state, '/home/someone/.config/chromium'));
});

t.test('a daemon starting ends the sign-in browser a SIGKILLed one left, and only that', async (t) => {
  const dir = t.testdir();
  const state = join(dir, 'state');
  const orphanProfile = makeProfile(profileDir(state, 'kitchen'));
  const inUseProfile = makeProfile(profileDir(state, 'office'));
  const otherProfile = makeProfile(profileDir(join(dir, 'other-voicewipe', 'state'), 'kitchen'));

  // The old daemon: starts the browser as person.ts does (detached, its owner mark in the environment), then is SIGKILLed.
  const script = `import { spawn } from 'node:child_process';
    import { OWNER_ENV, ownerMark } from ${JSON.stringify(LEFTOVERS_TS)};
    const c = spawn(process.argv[1], process.argv.slice(2), { detached: true, stdio: 'ignore', env: { ...process.env, [OWNER_ENV]: ownerMark() } });
    c.unref(); process.stdout.write(c.pid + '\\n'); setInterval(() => {}, 1000);`;
  const oldDaemon: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script, findChromium().path, ...chromiumArgs(orphanProfile)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => { oldDaemon.kill('SIGKILL'); });
  const orphan = await new Promise<number>((resolve, reject) => {
    oldDaemon.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
    oldDaemon.once('exit', () => reject(new Error('the stand-in daemon ended early')));
  });
  t.teardown(() => killTree(orphan));
  await until('the orphan browser start', () => existsSync(join(orphanProfile, 'DevToolsActivePort')));
  // Chromium starts its helpers (GPU, network, renderer) around the time it listens for CDP, not always before.
  await until('the orphan browser\'s helper processes', () => processTree(orphan).length > 1);
  const orphanTree = processTree(orphan);
  t.ok(orphanTree.length > 1, `the browser has helper processes (${orphanTree.length} in all)`);
  oldDaemon.kill('SIGKILL');
  await until('the old daemon gone', () => !alive(oldDaemon.pid!));
  t.ok(alive(orphan), 'the browser outlived its daemon');

  // Left alone: another voicewipe's browser, a `voicewipe login` window whose process (this test) still runs,
  // and a shell that only carries the flag.
  const other = await detachedChromium(t, otherProfile);
  const inUse = await detachedChromium(t, inUseProfile, { [OWNER_ENV]: ownerMark() });
  const impostor = spawn('/bin/sh', ['-c', 'sleep 120; true', `--user-data-dir=${orphanProfile}`], { detached: true, stdio: 'ignore' });
  impostor.unref();
  t.teardown(() => killTree(impostor.pid!));

  const daemon = await startDaemon(t, state);
  const lines = daemon.output().trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; ended?: number; wiped?: number; in_use?: number });
  const said = lines.filter((l) => l.msg.includes('sign-in browser'));
  t.equal(said.length, 1, 'one log line');
  t.match(said[0], { msg: /ended 1 sign-in browser, wiped the signed-in state of 1 profile/, ended: 1, wiped: 1, in_use: 1 });

  t.ok(orphanTree.every((pid) => !alive(pid)), 'the left browser and all its helpers are gone');
  t.notOk(existsSync(join(orphanProfile, MARKER)), 'its profile no longer holds the signed-in state');
  t.notOk(existsSync(join(orphanProfile, 'SingletonLock')), 'nor its lock');
  t.ok(alive(other), 'another state directory\'s browser runs on');
  t.ok(existsSync(join(otherProfile, MARKER)), 'and keeps its profile');
  t.ok(alive(inUse), 'a sign-in browser whose voicewipe still runs is left alone');
  t.ok(existsSync(join(inUseProfile, MARKER)), 'and keeps its profile');
  t.ok(alive(impostor.pid!), 'a process that is not Chromium is never touched');

  daemon.child.kill('SIGTERM');
  t.match(await daemon.exited, { code: 0 }, 'the daemon stops cleanly');
});

t.test('nothing left: the daemon starts without a word about sign-in browsers', async (t) => {
  const daemon = await startDaemon(t, join(t.testdir(), 'state'));
  t.notMatch(daemon.output(), /sign-in browser/);
  daemon.child.kill('SIGTERM');
  t.match(await daemon.exited, { code: 0 });
});

t.test('before a sign-in: only the leftover browser of that account\'s profile is ended', async (t) => {
  const state = join(t.testdir(), 'state');
  const kitchen = makeProfile(profileDir(state, 'kitchen'));
  const office = makeProfile(profileDir(state, 'office'));
  // Both left by a voicewipe that is gone: their owner mark names this pid with another start time (a reused pid).
  const gone = { [OWNER_ENV]: `${process.pid}:0` };
  const kitchenBrowser = await detachedChromium(t, kitchen, gone);
  const kitchenTree = processTree(kitchenBrowser);
  const officeBrowser = await detachedChromium(t, office, gone);
  t.match(await sweepSignInBrowsers(state, kitchen), { ended: 1, wiped: 1, inUse: 0 });
  t.ok(kitchenTree.every((pid) => !alive(pid)), 'the kitchen profile\'s browser is gone, helpers too');
  t.notOk(existsSync(join(kitchen, MARKER)));
  t.ok(alive(officeBrowser), 'the office profile\'s browser is another sign-in\'s business');
  t.ok(existsSync(join(office, MARKER)));
  t.match(await sweepSignInBrowsers(state), { ended: 1, wiped: 1 }, 'a start-up sweep takes the rest');
  t.notOk(alive(officeBrowser));
});

t.test('a state directory with no browser-profiles folder: nothing to end or wipe, no process scan needed', async (t) => {
  const dir = t.testdir();
  t.same(await sweepSignInBrowsers(dir), { ended: 0, wiped: 0, inUse: 0 });
  t.notOk(existsSync(join(dir, 'browser-profiles')), 'and it makes none');
});
