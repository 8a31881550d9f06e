// Set and forget: a daemon killed mid-purge recovers by itself; SIGTERM cancels cleanly.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../src/db/open.ts';
import { DAY_MS, cutoffFor } from '../../src/purge/cutoff.ts';
import { writeSimConfig } from '../../sim/config.ts';
import { startSimulator } from '../../sim/server.ts';
import { spawnDaemon, waitFor } from '../helpers/daemon.ts';
import { TEST_RUNNER } from '../helpers/purge.ts';

// 150 recordings, about 90 of them older than 30 days: a listing of several pages, so every kill point below is reached.
const sim = await startSimulator({
  seed: 5,
  accounts: [{ id: 'home', vendor: 'amazon', email: 'home@example.com', password: 'pw-home-1', mfa: 'totp', recordings: 150, spanDays: 90 }],
});
t.teardown(() => sim.close());
const FAST = { runner: TEST_RUNNER, catchUpDelayMs: 100, now: undefined };
// Seven daemon processes started and killed, each with its Chromium: about a minute alone, several on a loaded
// 2-core box (past the suite's 120 s per file, package.json).
t.setTimeout(360_000);

/** A state directory whose last finished run was two nights ago, so the daemon owes a catch-up. */
function setup(dir: string): { config: string; db: string } {
  const config = writeSimConfig(sim, { dir, accounts: [{ sim: 'home', keep_days: 30 }], extra: ['schedule: {cron: "30 3 * * *", jitter_minutes: 0}'], logLevel: 'info' });
  const db = join(dir, 'state', 'voicewipe.db');
  const { db: handle } = openDatabase(db);
  handle.prepare("INSERT INTO runs (trigger, status, started_at, finished_at) VALUES ('schedule', 'ok', ?, ?)").run(Date.now() - 2 * DAY_MS, Date.now() - 2 * DAY_MS + 60_000);
  handle.close();
  return { config, db };
}

/** Chromium processes launched by the daemon with this pid (the launch marker carries it). */
function browsersOf(pid: number | undefined): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`--voicewipe-browser=${pid}-`));
}

function runs(db: string): { id: number; trigger: string; status: string; deleted: number }[] {
  const handle = new BetterSqlite3(db, { readonly: true });
  try { return handle.prepare('SELECT id, trigger, status, deleted FROM runs ORDER BY id').all() as never; } finally { handle.close(); }
}

// Points of the run at which the power goes: right after signing in, while listing, right after the delete.
const POINTS: [string, () => boolean][] = [
  ['after sign-in', () => sim.control.requests({ account: 'home', kind: 'amazon.signin.done' }).length > 0],
  ['while listing', () => sim.control.requests({ account: 'home', kind: 'amazon.list' }).length >= 1],
  ['after the delete request', () => sim.control.requests({ account: 'home', kind: 'amazon.delete' }).length >= 1],
];

for (const [point, reached] of POINTS) {
  t.test(`SIGKILL ${point}: the run is marked interrupted, a catch-up completes, the database is intact`, async (t) => {
    sim.control.reset('home');
    sim.control.clearRequests();
    sim.control.setFaults('home', { latencyMs: 60 });
    const { config, db } = setup(t.testdir());
    const first = spawnDaemon(config, FAST);
    t.teardown(() => { first.child.kill('SIGKILL'); });
    await waitFor(`the purge to get ${point}`, reached, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    // Its browser notices the closed pipe and exits: no orphan eating the Pi's memory.
    await waitFor('the killed daemon\'s browser to exit', () => browsersOf(first.child.pid).length === 0, 10_000);
    t.match(runs(db).at(-1), { trigger: 'catch_up', status: 'running' }, 'the killed run was left running');

    sim.control.clearFaults('home');
    const second = spawnDaemon(config, FAST);
    t.teardown(() => { second.child.kill('SIGKILL'); });
    await waitFor('the catch-up run to finish', () => {
      const all = runs(db);
      return all.length === 3 && all[2].status !== 'running';
    }, 40_000);
    const all = runs(db);
    t.match(all[1], { trigger: 'catch_up', status: 'interrupted' });
    t.match(all[2], { trigger: 'catch_up', status: 'ok' });
    t.equal(sim.control.remaining('home', { to: cutoffFor(30, sim.control.now(), 'UTC') - 1 }), 0, 'the catch-up finished the job');
    second.child.kill('SIGTERM');
    t.equal((await second.exited).code, 0);

    const handle = new BetterSqlite3(db, { readonly: true });
    t.equal(handle.pragma('integrity_check', { simple: true }), 'ok');
    const interrupted = handle.prepare('SELECT status FROM account_results WHERE run_id = ?').get(all[1].id) as { status: string };
    t.equal(interrupted.status, 'interrupted', 'the unfinished account is marked interrupted');
    const total = (handle.prepare("SELECT total_deleted FROM accounts WHERE id = 'home'").get() as { total_deleted: number }).total_deleted;
    const counted = (handle.prepare('SELECT sum(deleted) AS n FROM account_results').get() as { n: number }).n;
    t.equal(total, counted, 'nothing double-counted: the lifetime total is the sum of recorded results');
    handle.close();
  });
}

t.test('SIGTERM during a purge: exit within 10 s, the run recorded as cancelled, the browser gone', async (t) => {
  sim.control.reset('home');
  sim.control.clearRequests();
  sim.control.setFaults('home', { latencyMs: 200 });
  const { config, db } = setup(t.testdir());
  const daemon = spawnDaemon(config, FAST);
  t.teardown(() => { daemon.child.kill('SIGKILL'); sim.control.clearFaults('home'); });
  await waitFor('the purge to start listing', () => sim.control.requests({ account: 'home', kind: 'amazon.list' }).length > 0, 30_000);
  const asked = Date.now();
  daemon.child.kill('SIGTERM');
  const { code } = await daemon.exited;
  const took = Date.now() - asked;
  t.equal(code, 0);
  t.ok(took < 10_000, `stopped in ${took} ms`);
  t.match(runs(db).at(-1), { trigger: 'catch_up', status: 'cancelled' });
  t.same(browsersOf(daemon.child.pid), [], 'no Chromium process left behind');
});
