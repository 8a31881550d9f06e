import t from 'tap';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/db/open.ts';
import { pruneHistory } from '../../src/db/prune.ts';
import { createContext } from '../../src/context.ts';
import { createLogger } from '../../src/log.ts';
import { loadConfig } from '../../src/config/load.ts';
import { seedNights } from '../helpers/history.ts';
import { writeFileSync } from 'node:fs';

t.test('three years of nightly history: start-up prunes to the retained window, fast, and the file shrinks', async (t) => {
  const dir = t.testdir();
  const state = join(dir, 'state');
  const dbPath = join(state, 'voicewipe.db');
  const { db } = openDatabase(dbPath);
  seedNights(db, state, 3 * 365);
  const totalBefore = (db.prepare("SELECT total_deleted FROM accounts WHERE id = 'kitchen'").get() as { total_deleted: number }).total_deleted;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const sizeBefore = statSync(dbPath).size;
  t.equal(readdirSync(join(state, 'evidence')).length, 109, 'evidence of 109 failed nights');

  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, `version: 1\nstate_dir: ${state}\nhistory: {keep_days: 90}\naccounts: []\n`);
  const { config } = loadConfig(configPath);
  const started = performance.now();
  const context = createContext(config!, createLogger({ level: 'fatal', destination: new Writable({ write(_c, _e, cb) { cb(); } }) }));
  const took = performance.now() - started;
  t.ok(took < 2_000, `start-up with pruning took ${Math.round(took)} ms`);
  const runs = context.db.prepare('SELECT count(*) AS n, min(started_at) AS oldest FROM runs').get() as { n: number; oldest: number };
  t.ok(runs.n >= 89 && runs.n <= 90, `${runs.n} runs kept (90 days)`);
  t.ok(Date.now() - runs.oldest <= 90 * 86_400_000, 'nothing older than keep_days');
  t.equal((context.db.prepare('SELECT count(*) AS n FROM account_results WHERE run_id NOT IN (SELECT id FROM runs)').get() as { n: number }).n, 0, 'results went with their runs');
  t.equal((context.db.prepare("SELECT total_deleted FROM accounts WHERE id = 'kitchen'").get() as { total_deleted: number }).total_deleted, totalBefore, 'lifetime totals kept');
  const kept = (context.db.prepare('SELECT count(DISTINCT run_id) AS n FROM account_results WHERE evidence_dir IS NOT NULL').get() as { n: number }).n;
  t.ok(kept > 0, 'some failed nights are within the window');
  t.equal(readdirSync(join(state, 'evidence')).length, kept, 'evidence of pruned runs removed, of kept runs kept');
  context.db.pragma('wal_checkpoint(TRUNCATE)');
  context.db.close();
  const sizeAfter = statSync(dbPath).size;
  t.ok(sizeAfter < sizeBefore / 4, `database shrank from ${sizeBefore} to ${sizeAfter} bytes`);
});

t.test('pruning leaves a running run alone and is a no-op when nothing is old', async (t) => {
  const dir = t.testdir();
  const { db } = openDatabase(join(dir, 'v.db'));
  db.prepare("INSERT INTO runs (trigger, status, started_at) VALUES ('schedule', 'running', 1)").run();
  t.same(pruneHistory(db, dir, 30), { runs: 0, vacuumed: false });
  t.equal((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n, 1);
  t.notOk(existsSync(join(dir, 'evidence')));
  db.close();
});
