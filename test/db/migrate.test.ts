import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DatabaseTooNew, openDatabase } from '../../src/db/open.ts';
import { listMigrations, migrate, schemaVersion } from '../../src/db/migrate.ts';

const migrations = listMigrations();
const latest = migrations.length;

t.test('every migration applies to an empty database', async (t) => {
  const path = join(t.testdir(), 'voicewipe.db');
  const { db, migrated, backup } = openDatabase(path);
  t.equal(schemaVersion(db), latest);
  t.same(migrated, migrations.map((m) => m.name));
  t.equal(backup, undefined, 'no backup of a new database');
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(db.pragma('synchronous', { simple: true }), 1, 'synchronous=NORMAL');
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  t.same(tables, ['account_results', 'accounts', 'pending_deletes', 'runs', 'sessions', 'settings']);
  db.close();
  const again = openDatabase(path);
  t.same(again.migrated, [], 'reopening a current database applies nothing');
  again.db.close();
});

// Each earlier schema version, with data in it, upgrades to the latest and keeps its rows.
for (let from = 1; from < latest; from++) {
  t.test(`upgrade from schema ${from} keeps data and makes a backup`, async (t) => {
    const path = join(t.testdir(), 'voicewipe.db');
    const old = new BetterSqlite3(path);
    migrate(old, migrations.slice(0, from));
    old.prepare("INSERT INTO runs (trigger, status, started_at) VALUES ('cli', 'ok', 1)").run();
    old.close();
    const { db, backup } = openDatabase(path);
    t.equal(schemaVersion(db), latest);
    t.ok(backup && existsSync(backup), 'backup copy exists');
    t.equal((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n, 1);
    db.close();
  });
}

t.test('a failing migration leaves the database as it was', async (t) => {
  const path = join(t.testdir(), 'voicewipe.db');
  const db = new BetterSqlite3(path);
  const broken = [...migrations, { version: latest + 1, name: 'broken.sql', sql: 'CREATE TABLE x (a); SELECT * FROM nowhere;' }];
  t.throws(() => migrate(db, broken));
  t.equal(schemaVersion(db), 0, 'user_version untouched');
  t.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n, 0, 'no table left behind');
  db.close();
});

t.test('a database from a newer voicewipe is refused, untouched', async (t) => {
  const path = join(t.testdir(), 'voicewipe.db');
  const db = new BetterSqlite3(path);
  db.pragma(`user_version = ${latest + 1}`);
  db.close();
  t.throws(() => openDatabase(path), DatabaseTooNew);
  t.throws(() => openDatabase(path), /newer voicewipe/);
  const check = new BetterSqlite3(path);
  t.equal(schemaVersion(check), latest + 1);
  check.close();
});

t.test('the schema enforces the closed list of error kinds', async (t) => {
  const { db } = openDatabase(':memory:');
  db.prepare("INSERT INTO runs (id, trigger, status, started_at) VALUES (1, 'cli', 'failed', 1)").run();
  const insert = db.prepare("INSERT INTO account_results (run_id, account_id, provider, status, error_kind) VALUES (1, ?, 'alexa', 'failed', ?)");
  t.doesNotThrow(() => insert.run('a', 'captcha'));
  t.throws(() => insert.run('b', 'oops'), /CHECK constraint/);
  db.close();
});
