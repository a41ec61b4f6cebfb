import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

// Issue 10 "one rating": kpi_values no longer stores a status (the API rates on read with
// @pulse/kpi's rateKpi, so a threshold change can never leave a stale colour behind), and
// a threshold row may carry the engagement's minimum sample for that KPI.
// Never edit once committed.
export class HonestHealth1795440000000 implements MigrationInterface {
  name = 'HonestHealth1795440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropColumn('kpi_values', 'status');
    await q.addColumn('thresholds', new TableColumn({ name: 'min_n', type: 'integer', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('thresholds', 'min_n');
    await q.addColumn(
      'kpi_values',
      new TableColumn({ name: 'status', type: 'varchar', length: '16', default: "'no_data'" }),
    );
  }
}
