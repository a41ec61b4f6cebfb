import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

// Indexes for the dashboard's read routes, found with the API load benchmark
// (scripts/bench/api-load.bench.ts). The pull-request drill-down reads an engagement's
// reviews submitted since a time; without this index it walks every review of the
// engagement. Never edit once committed.
export class ReadPathIndexes1795460000000 implements MigrationInterface {
  name = 'ReadPathIndexes1795460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'reviews',
      new TableIndex({ name: 'ix_reviews_submitted', columnNames: ['engagement_id', 'submitted_at'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('reviews', 'ix_reviews_submitted');
  }
}
