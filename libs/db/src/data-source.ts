import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, type DataSourceOptions, type LoggerOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { retryWhenBusy, SQLITE_BUSY_TIMEOUT_MS, useImmediateTransactions } from './sqlite-write-lock';

export interface DatabaseConfig {
  /** postgres://… selects PostgreSQL; otherwise the embedded SQLite file is used. */
  databaseUrl?: string;
  /** Path of the SQLite file when no URL is given (default `.data/pulse.sqlite`). */
  sqlitePath?: string;
  logging?: boolean;
}

export type DatabaseKind = 'postgres' | 'sqlite';

export function databaseKind(config: DatabaseConfig): DatabaseKind {
  return config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl) ? 'postgres' : 'sqlite';
}

export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: (config.logging ? ['error', 'warn', 'migration'] : false) as LoggerOptions,
  };
  if (databaseKind(config) === 'postgres') {
    return { ...common, type: 'postgres', url: config.databaseUrl, extra: { max: 10 } };
  }
  const file = resolve(config.sqlitePath ?? '.data/pulse.sqlite');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    // A short synchronous wait only: better-sqlite3 waits on the event loop. Longer waits are
    // asynchronous retries (see sqlite-write-lock.ts).
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    // WAL lets the API read while the worker writes; IMMEDIATE write transactions take the
    // write lock up front, where waiting for the other writer is safe.
    prepareDatabase: (db: { pragma(sql: string): unknown; prepare(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      db.pragma('foreign_keys = ON');
      // Deleted content is overwritten with zeros, not just unlinked: an erased person's
      // identifiers must be gone from the file too (docs/privacy.md).
      db.pragma('secure_delete = ON');
      useImmediateTransactions(db);
    },
  };
}

export function createDataSource(config: DatabaseConfig): DataSource {
  const dataSource = new DataSource(dataSourceOptions(config));
  if (databaseKind(config) === 'sqlite') retryWhenBusy(dataSource);
  return dataSource;
}

/** Open the database and bring its schema up to date. Returns the names of migrations run. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}

/** Drop everything and migrate from scratch (db:reset, tests). */
export async function resetDatabase(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.dropDatabase();
  return migrate(dataSource);
}
