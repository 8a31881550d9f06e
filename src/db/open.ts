// Opens the one SQLite connection of the daemon: WAL (readers never block the writer), synchronous=NORMAL
// (safe with WAL, far fewer fsyncs on an SD card), a busy timeout for the CLI reading while the daemon writes.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { listMigrations, migrate, schemaVersion } from './migrate.ts';

export type { Database };

export class DatabaseTooNew extends Error {
  constructor(path: string, found: number, known: number) {
    super(`database ${path} has schema version ${found}, but this voicewipe only knows up to ${known}: ` +
      'it was written by a newer voicewipe. Upgrade voicewipe, or restore the backup made before that upgrade.');
    this.name = 'DatabaseTooNew';
  }
}

export interface OpenedDatabase {
  db: Database;
  /** Migrations applied while opening (empty when the schema was current). */
  migrated: string[];
  /** Copy made before migrating an existing database, if any. */
  backup?: string;
}

export function openDatabase(path: string, opts: { readonly?: boolean } = {}): OpenedDatabase {
  const migrations = listMigrations();
  const latest = migrations.length;
  const existed = path !== ':memory:' && existsSync(path);
  if (!existed && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
  try {
    db.pragma('busy_timeout = 5000');
    const found = schemaVersion(db);
    if (found > latest) throw new DatabaseTooNew(path, found, latest);
    if (opts.readonly) return { db, migrated: [] };
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    let backup: string | undefined;
    if (existed && found > 0 && found < latest) {
      // Fold the WAL into the main file first, so the copy is the whole database.
      db.pragma('wal_checkpoint(TRUNCATE)');
      backup = `${path}.v${found}.bak`;
      copyFileSync(path, backup);
    }
    const applied = migrate(db, migrations);
    return { db, migrated: applied.map((m) => m.name), backup };
  } catch (err) {
    db.close();
    throw err;
  }
}
