// The schedule: cron ticks start purges, no overlap, jitter within bounds, the switch persists, catch-up
// detection. Real node-cron, a real database, the real runner against the simulator.
import t from 'tap';
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/db/open.ts';
import { createLogger } from '../../src/log.ts';
import { DAY_MS } from '../../src/purge/cutoff.ts';
import { Scheduler } from '../../src/schedule/index.ts';
import { startSimulator } from '../../sim/server.ts';
import { purgeEnv } from '../helpers/purge.ts';
import { waitFor } from '../helpers/daemon.ts';

const sim = await startSimulator({
  seed: 9,
  accounts: [{ id: 'den', vendor: 'amazon', email: 'den@example.com', password: 'pw-den-1', mfa: 'none', recordings: 200, spanDays: 60 }],
});
t.teardown(() => sim.close());

function quiet() {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: 'debug', destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }) }) };
}

t.test('a schedule every 2 seconds runs purges, never two at once, skipping ticks while busy', async (t) => {
  sim.control.setFaults('den', { latencyMs: 40 }); // a purge takes longer than the tick interval
  const env = purgeEnv(t, sim, [{ sim: 'den', keep_days: 30 }]);
  const { lines, log } = quiet();
  const scheduler = new Scheduler({ config: { ...env.config, schedule: { ...env.config.schedule, cron: '*/2 * * * * *', jitter_minutes: 0, catch_up: false } }, db: env.db, runner: env.runner, log });
  scheduler.start();
  t.teardown(async () => { await scheduler.stop(); await env.runner.cancel(); sim.control.clearFaults('den'); });
  await waitFor('three scheduled runs', () => (env.db.prepare("SELECT count(*) AS n FROM runs WHERE status <> 'running'").get() as { n: number }).n >= 3, 60_000);
  await scheduler.stop();
  await env.runner.cancel();
  const runs = env.db.prepare('SELECT trigger, status, started_at, finished_at FROM runs ORDER BY id').all() as { trigger: string; status: string; started_at: number; finished_at: number | null }[];
  t.ok(runs.every((r) => r.trigger === 'schedule'), 'trigger is schedule');
  for (let i = 1; i < runs.length; i++) {
    t.ok(runs[i].started_at >= (runs[i - 1].finished_at ?? Infinity), `run ${i + 1} started after run ${i} finished`);
  }
  t.ok(lines.some((l) => l.includes('scheduled purge skipped: a purge is already running')), 'a tick during a run was skipped and logged');
});

t.test('jitter: the next run is the cron time plus a random delay within jitter_minutes', async (t) => {
  const { db } = openDatabase(':memory:');
  t.teardown(() => db.close());
  const { log } = quiet();
  const env = purgeEnv(t, sim, []);
  for (const random of [0, 0.5, 0.999999]) {
    const config = { ...env.config, schedule: { cron: '30 3 * * *', jitter_minutes: 20, catch_up: false, enabled: true } };
    const scheduler = new Scheduler({ config, db, runner: env.runner, log, random: () => random });
    scheduler.start();
    const next = scheduler.nextRunAt()!;
    const at = new Date(next);
    const cronTime = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), 3, 30);
    t.ok(next - cronTime >= 0 && next - cronTime < 20 * 60_000, `random ${random}: ${(next - cronTime) / 60_000} min after 03:30`);
    t.equal(next - cronTime, Math.floor(random * 20 * 60_000));
    await scheduler.stop();
  }
});

t.test('the switch is persisted and overrides the config default', async (t) => {
  const env = purgeEnv(t, sim, []);
  const { log } = quiet();
  const changes: boolean[] = [];
  const make = () => new Scheduler({ config: env.config, db: env.db, runner: env.runner, log });
  const first = make();
  first.start();
  first.onChange((s) => changes.push(s.enabled));
  t.equal(first.enabled, true);
  t.ok(first.nextRunAt(), 'a next run while on');
  first.setEnabled(false);
  t.equal(first.nextRunAt(), null, 'no next run while off');
  await first.stop();
  const second = make();
  second.start();
  t.equal(second.enabled, false, 'still off after a restart');
  t.same(changes, [false]);
  await second.stop();
});

t.test('catch-up: owed after a missed night or an interrupted run, not otherwise', async (t) => {
  const env = purgeEnv(t, sim, []);
  const { log } = quiet();
  const now = Date.now();
  const scheduler = new Scheduler({ config: { ...env.config, schedule: { ...env.config.schedule, cron: '30 3 * * *' } }, db: env.db, runner: env.runner, log, catchUpDelayMs: 60_000 });
  scheduler.start();
  t.teardown(() => scheduler.stop());
  t.equal(scheduler.missedNight(), false, 'a fresh install owes nothing');
  const insert = env.db.prepare('INSERT INTO runs (trigger, status, started_at) VALUES (?, ?, ?)');
  insert.run('schedule', 'ok', now - 2 * DAY_MS);
  t.equal(scheduler.missedNight(), true, 'last finished two nights ago: missed');
  insert.run('manual', 'failed', now - 60_000);
  t.equal(scheduler.missedNight(), now - 60_000 < lastCron(now), 'a run a minute ago settles it unless 03:30 passed since');
  insert.run('schedule', 'interrupted', now - 30_000);
  t.equal(scheduler.missedNight(), now - 60_000 < lastCron(now), 'an interrupted run does not count as finished');
});

/** The last 03:30 in the test process's zone (the config's timezone is UTC). */
function lastCron(now: number): number {
  const d = new Date(now);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 3, 30);
  return today <= now ? today : today - DAY_MS;
}

t.test('one catch-up run at start when a night was missed', async (t) => {
  const env = purgeEnv(t, sim, [{ sim: 'den', keep_days: 30 }]);
  env.db.prepare("INSERT INTO runs (trigger, status, started_at) VALUES ('schedule', 'ok', ?)").run(Date.now() - 2 * DAY_MS);
  const { log } = quiet();
  const scheduler = new Scheduler({ config: { ...env.config, schedule: { ...env.config.schedule, cron: '30 3 * * *', catch_up: true } }, db: env.db, runner: env.runner, log, catchUpDelayMs: 100 });
  scheduler.start();
  t.teardown(async () => { await scheduler.stop(); await env.runner.cancel(); });
  await waitFor('the catch-up run', () => (env.db.prepare("SELECT count(*) AS n FROM runs WHERE trigger = 'catch_up' AND status <> 'running'").get() as { n: number }).n === 1, 30_000);
  await new Promise((r) => setTimeout(r, 500));
  t.equal((env.db.prepare("SELECT count(*) AS n FROM runs WHERE trigger = 'catch_up'").get() as { n: number }).n, 1, 'exactly one');
  t.match(env.db.prepare("SELECT status FROM runs WHERE trigger = 'catch_up'").get(), { status: 'ok' });
});
