import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

// Issue 9 (read path): every /kpis and share-view request asks whether its kept answer still
// holds, which includes MAX(computed_at) and COUNT(*) of the engagement's kpi_values. Without
// this index PostgreSQL read every value row from the heap to find the newest computation;
// with it both come from the index. Never edit once committed.
export class KpiValuesVersionIndex1796000000000 implements MigrationInterface {
  name = 'KpiValuesVersionIndex1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'kpi_values',
      new TableIndex({ name: 'ix_kpi_values_computed', columnNames: ['engagement_id', 'computed_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('kpi_values', 'ix_kpi_values_computed');
  }
}
