// Real databases for integration tests: a fresh SQLite file or a fresh PostgreSQL
// database per call, migrated with the production migrations.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource, migrate, type DatabaseConfig } from '@pulse/db';
import type { DataSource } from 'typeorm';

export const DATABASE_KINDS = ['sqlite', 'postgres'] as const;
export type TestDatabaseKind = (typeof DATABASE_KINDS)[number];

export interface TestDatabase {
  kind: TestDatabaseKind;
  config: DatabaseConfig;
  dataSource: DataSource;
  close(): Promise<void>;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest's integration project`);
  return value;
}

/** A config for a brand-new empty database of the given kind (not yet migrated). */
export async function newDatabaseConfig(kind: TestDatabaseKind): Promise<DatabaseConfig> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(process.env.PULSE_TEST_TMP ?? tmpdir(), 'sqlite-'));
    return { sqlitePath: join(dir, 'pulse.sqlite') };
  }
  const admin = requireEnv('PULSE_TEST_POSTGRES_URL');
  const name = `pulse_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return { databaseUrl: admin.replace(/\/[^/]*$/, `/${name}`) };
}

export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  const config = await newDatabaseConfig(kind);
  const dataSource = createDataSource(config);
  await migrate(dataSource);
  return {
    kind,
    config,
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
