import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Insert rows, or update the existing row with the same natural key, on SQLite and
 * PostgreSQL alike (`ON CONFLICT (…) DO UPDATE`). The primary key of an existing row is
 * kept. Chunked, because SQLite limits bound parameters per statement.
 */
export async function upsertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: T[],
  conflictColumns: string[],
  chunkSize = 200,
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const update = metadata.columns
    .filter((c) => !c.isPrimary && !conflictColumns.includes(c.databaseName))
    .map((c) => c.databaseName);
  for (let i = 0; i < rows.length; i += chunkSize) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(target)
      .values(rows.slice(i, i + chunkSize))
      .orUpdate(update, conflictColumns)
      .execute();
  }
}
