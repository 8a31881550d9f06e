// The runner's decisions with a fake provider and a stubbed browser: whole-day cut-offs, exact and "at least"
// counts, the survivor check (over_deleted and the pause), pending items aged across runs. No Chromium: each
// case runs in milliseconds.
import t from 'tap';
import type { Test } from 'tap';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/db/open.ts';
import { createLogger } from '../../src/log.ts';
import { SessionVault } from '../../src/browser/vault.ts';
import type { RunBrowser } from '../../src/browser/launch.ts';
import { PurgeEvents } from '../../src/purge/events.ts';
import { Recorder } from '../../src/purge/recorder.ts';
import { PurgeRunner } from '../../src/purge/run.ts';
import { cutoffFor, DAY_MS } from '../../src/purge/cutoff.ts';
import type { Inventory, KeptList, Provider, ProviderSession } from '../../src/providers/types.ts';
import { writeNoBrowserConfig } from '../helpers/no-browser.ts';
import type { Config } from '../../src/config/types.ts';

/** A vendor in memory: items (key → timestamp) of the account, optionally of other products. */
interface FakeVendor {
  items: Map<string, number>;
  /** What delete() really removes: by default everything before the cut-off. */
  remove?: (cutoff: number) => void;
  /** Items that stay listed whatever is deleted (Google's "up to a day", or never). */
  sticky?: Set<string>;
  countExact?: boolean;
  eventual?: boolean;
  deletes: number;
}

function fakeProvider(vendor: FakeVendor): Provider {
  const inventory = async (_s: ProviderSession, cutoff: number): Promise<Inventory> => {
    const items = new Map([...vendor.items].filter(([, at]) => at < cutoff));
    const times = [...items.values()];
    return {
      count: items.size, exact: vendor.countExact ?? true, items,
      oldest_at: times.length ? Math.min(...times) : null, newest_at: times.length ? Math.max(...times) : null,
    };
  };
  return {
    name: 'fake', origin: () => 'http://127.0.0.1:9', personSignInUrl: () => 'http://127.0.0.1:9/', isSignedIn: async () => true,
    settleMs: 50, eventual: vendor.eventual,
    signIn: async () => 'session_reused',
    inventory,
    async kept(_s, cutoff): Promise<KeptList> {
      return { items: new Map([...vendor.items].filter(([, at]) => at >= cutoff)), complete: true };
    },
    async delete(_s, cutoff, _found, onProgress) {
      vendor.deletes++;
      if (vendor.remove) vendor.remove(cutoff);
      else for (const [key, at] of vendor.items) if (at < cutoff && !vendor.sticky?.has(key)) vendor.items.delete(key);
      onProgress(1);
    },
  };
}

function stubBrowser(): RunBrowser {
  const page = {
    url: () => 'http://127.0.0.1:9/', screenshot: async () => Buffer.from('png'), evaluate: async () => '<html></html>',
    locator: () => ({ evaluateAll: async () => undefined }),
  };
  const context = { newPage: async () => page, storageState: async () => ({ cookies: [], origins: [] }), cookies: async () => [], close: async () => {} };
  return {
    binary: '/bin/false', pid: undefined, kill: () => {}, close: async () => {},
    browser: { isConnected: () => true },
    newContext: async () => context,
  } as unknown as RunBrowser;
}

function setup(t: Test, vendor: FakeVendor, clock: { now: number }, configure: (config: Config) => void = () => {}) {
  const dir = t.testdir();
  const { config } = writeNoBrowserConfig(dir, [], { password: 'pw' });
  config.accounts = config.accounts.filter((a) => a.id === 'kitchen');
  config.accounts[0].keep_days = 7;
  configure(config);
  const { db } = openDatabase(join(config.state_dir, 'voicewipe.db'));
  t.teardown(() => db.close());
  const events = new PurgeEvents();
  const recorder = new Recorder(db);
  recorder.attach(events);
  const logs: string[] = [];
  const log = createLogger({ level: 'debug', destination: new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }) });
  const runner = new PurgeRunner({
    config, recorder, events, log, vault: new SessionVault(config.state_dir), providers: { alexa: fakeProvider(vendor) },
    launch: async () => stubBrowser(), now: () => clock.now, options: { settleMs: 50, verifyIntervalMs: 10, retryDelayMs: 1 },
  });
  return { runner, db, recorder, config, logs, run: (dryRun = false) => runner.start({ trigger: 'cli', dryRun }).done };
}

const NOW = Date.UTC(2026, 11, 1, 3, 30); // 03:30 UTC: 04:30 in Berlin, 22:30 the day before in New York

/** Items every 6 hours for 30 days before NOW. */
function items(): Map<string, number> {
  const m = new Map<string, number>();
  for (let at = NOW - 30 * DAY_MS; at < NOW; at += 6 * 3_600_000) m.set(`r#${at}`, at);
  return m;
}

t.test('whole days: keep_days 7 deletes before the start of the day 7 days ago in the configured zone', async (t) => {
  for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York']) {
    const vendor: FakeVendor = { items: items(), deletes: 0 };
    const env = setup(t, vendor, { now: NOW }, (c) => { c.timezone = zone; });
    const summary = await env.run();
    const cutoff = cutoffFor(7, NOW, zone);
    t.equal(summary.status, 'ok', zone);
    t.ok([...vendor.items.values()].every((at) => at >= cutoff), `${zone}: nothing before the cut-off is left`);
    t.equal([...items().values()].filter((at) => at >= cutoff).length, vendor.items.size, `${zone}: everything from the cut-off on is kept`);
    const r = summary.results[0];
    t.equal(r.deleted, r.found, `${zone}: deleted = found`);
    t.equal(r.found_exact, true);
    t.equal(new Date(cutoff).toISOString(), r.details.cutoff);
  }
  t.equal(new Date(cutoffFor(7, NOW, 'America/New_York')).toISOString(), '2026-11-23T05:00:00.000Z', 'New York: Nov 30 is today, so Nov 23 00:00 EST');
  t.equal(new Date(cutoffFor(7, NOW, 'Europe/Berlin')).toISOString(), '2026-11-23T23:00:00.000Z', 'Berlin: Dec 1 is today, so Nov 24 00:00 CET');
  t.equal(cutoffFor(0, NOW, 'UTC'), NOW, 'keep_days 0: everything up to the start of the run');
});

t.test('a count cut short ("at least N") still deletes, and says so', async (t) => {
  const vendor: FakeVendor = { items: items(), deletes: 0, countExact: false };
  const env = setup(t, vendor, { now: NOW });
  // The fake's count stays "not exact" even at 0: the runner waits out the settle time, then goes by what it sees.
  const summary = await env.run();
  const r = summary.results[0];
  t.equal(vendor.deletes, 1, 'deleted');
  t.equal(r.found_exact, false);
  t.ok(r.details.found_at_least);
  const row = env.db.prepare('SELECT found_exact FROM account_results').get() as { found_exact: number };
  t.equal(row.found_exact, 0, 'stored as at least');
});

t.test('the survivor check: a delete that took recordings the run meant to keep is over_deleted and pauses the account', async (t) => {
  const vendor: FakeVendor = { items: items(), deletes: 0 };
  // A delete that also takes the first two days after the cut-off (the wrong range).
  vendor.remove = (cutoff) => { for (const [key, at] of vendor.items) if (at < cutoff + 2 * DAY_MS) vendor.items.delete(key); };
  const env = setup(t, vendor, { now: NOW });
  const first = await env.run();
  const r = first.results[0];
  t.equal(r.status, 'failed');
  t.equal(r.error_kind, 'over_deleted');
  t.match(r.error_message, /^8 recordings the run meant to keep are gone \(2026-11-24: 4, 2026-11-25: 4\)/);
  t.equal(first.status, 'failed');
  t.equal(r.attempts, 1, 'never retried');
  t.ok(env.recorder.pausedAccount('kitchen'), 'paused');

  // The next run does not touch the account at all.
  const second = await env.run();
  t.equal(vendor.deletes, 1, 'no further delete while paused');
  t.equal(second.results[0].status, 'skipped');
  t.equal(second.results[0].error_kind, 'over_deleted');
  t.match(second.results[0].error_message, /paused since .*voicewipe acknowledge kitchen/);
  t.equal(second.status, 'failed', 'a paused account keeps the run red');

  t.equal(env.recorder.acknowledge('kitchen'), true, 'a person acknowledges');
  t.equal(env.recorder.acknowledge('kitchen'), false, 'once');
  vendor.remove = undefined;
  const third = await env.run();
  t.equal(third.results[0].status, 'ok', 'purges resume');
});

t.test('a new recording arriving during the run is not over_deleted; only keys that vanish count', async (t) => {
  const vendor: FakeVendor = { items: items(), deletes: 0 };
  vendor.remove = (cutoff) => {
    for (const [key, at] of vendor.items) if (at < cutoff) vendor.items.delete(key);
    vendor.items.set('new#1', NOW + 1_000);
  };
  const env = setup(t, vendor, { now: NOW });
  const summary = await env.run();
  t.equal(summary.results[0].status, 'ok');
  t.ok((summary.results[0].details.notes as string[]).some((n) => /survivor check: all \d+ recordings listed at or after the cut-off are still there/.test(n)));
});

t.test('pending items (eventual vendor): kept apart from deleted, aged across runs, verification_failed after 36 h', async (t) => {
  const clock = { now: NOW };
  const vendor: FakeVendor = { items: items(), deletes: 0, eventual: true };
  const cutoff = cutoffFor(7, NOW, 'UTC');
  const stuck = [...vendor.items].filter(([, at]) => at < cutoff).slice(0, 3).map(([k]) => k);
  vendor.sticky = new Set(stuck);
  const env = setup(t, vendor, clock);
  const first = await env.run();
  const r = first.results[0];
  t.equal(r.status, 'ok', 'still listed soon after deleting is not a failure');
  t.equal(r.pending, 3);
  t.equal(r.deleted, (r.found ?? 0) - 3, 'pending items are not counted as deleted');
  t.equal(r.remaining, 0);
  t.equal(r.pending_oldest_at, NOW);
  const row = env.db.prepare('SELECT pending, deleted FROM account_results').get() as { pending: number; deleted: number };
  t.same(row, { pending: 3, deleted: r.deleted }, 'stored apart');

  clock.now = NOW + 24 * 3_600_000;
  const second = await env.run();
  t.equal(second.results[0].status, 'ok', 'a day later: still pending, not yet a failure');
  t.equal(second.results[0].pending_oldest_at, NOW, 'aged from the first delete');

  clock.now = NOW + 37 * 3_600_000;
  const third = await env.run();
  t.equal(third.results[0].error_kind, 'verification_failed', '36 h later: the delete did not take');
  t.match(third.results[0].error_message, /3 items still listed more than 36 h after voicewipe deleted them \(the oldest first deleted 2026-12-01T03:30:00.000Z\)/);

  vendor.sticky = undefined;
  const fourth = await env.run();
  t.equal(fourth.results[0].status, 'ok', 'once they go, all is well');
  t.equal((env.db.prepare('SELECT count(*) AS n FROM pending_deletes').get() as { n: number }).n, 0, 'nothing left pending');
});

t.test('dry run: counts, deletes nothing, lists nothing as kept', async (t) => {
  const vendor: FakeVendor = { items: items(), deletes: 0 };
  const env = setup(t, vendor, { now: NOW });
  const summary = await env.run(true);
  t.equal(vendor.deletes, 0);
  t.equal(summary.results[0].deleted, 0);
  t.ok((summary.results[0].found ?? 0) > 0);
});
