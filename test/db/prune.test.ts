import t from 'tap';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/db/open.ts';
import { pruneHistory } from '../../src/db/prune.ts';
import { pauseAccount, pausingRunIds, resumeAccount } from '../../src/db/queries.ts';
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

t.test('the run that paused an account (over_deleted) keeps its evidence while the account is paused', async (t) => {
  const state = t.testdir();
  const { db } = openDatabase(join(state, 'v.db'));
  seedNights(db, state, 200);
  // The oldest failed night becomes the one that deleted recordings meant to be kept, and paused the bedroom.
  const { run_id: runId, evidence_dir: evidence } = db.prepare(
    'SELECT run_id, evidence_dir FROM account_results WHERE evidence_dir IS NOT NULL ORDER BY run_id LIMIT 1').get() as { run_id: number; evidence_dir: string };
  db.prepare("UPDATE account_results SET error_kind = 'over_deleted' WHERE run_id = ? AND account_id = 'bedroom'").run(runId);
  pauseAccount(db, { id: 'bedroom', provider: 'alexa' }, 'over_deleted', Date.now() - 190 * 86_400_000);
  const runs = () => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

  const first = pruneHistory(db, state, 90);
  t.ok(first.runs >= 100, `${first.runs} old runs pruned`);
  t.ok(db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId), 'the run that paused the account is kept');
  t.ok(existsSync(join(state, evidence)), 'and its evidence');
  const recent = (db.prepare('SELECT count(*) AS n FROM runs WHERE started_at >= ?').get(Date.now() - 90 * 86_400_000) as { n: number }).n;
  t.equal(runs(), recent + 1, 'the last 90 days, plus that run');
  t.same(pausingRunIds(db), [runId], 'the evidence pruner is told to keep it too');

  t.equal(resumeAccount(db, 'bedroom'), true, 'a person acknowledges the pause');
  t.equal(pruneHistory(db, state, 90).runs, 1, 'the next prune takes it');
  t.notOk(existsSync(join(state, evidence)), 'with its evidence');
  db.close();
});
