// Numbered SQL files in migrations/ (0001_init.sql, 0002_….sql), applied in order inside one transaction and
// tracked with PRAGMA user_version, so a half-applied upgrade can never be left behind.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

export const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url).pathname;

export interface Migration { version: number; name: string; sql: string }

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
    .map((name) => ({ version: Number(name.slice(0, 4)), name, sql: readFileSync(join(dir, name), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations: expected ${String(i + 1).padStart(4, '0')}_*.sql, found ${m.name}`);
  });
  return migrations;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the migrations newer than the database's version; returns the ones applied. */
export function migrate(db: Database, migrations = listMigrations()): Migration[] {
  const current = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    db.pragma(`user_version = ${pending[pending.length - 1].version}`);
  })();
  return pending;
}
