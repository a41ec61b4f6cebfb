import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { text } from './schema-helpers';

// Why an engagement's stored sync schedule could not be registered (null = it runs), so a
// bad row is reported through the API instead of stopping start-up. Never edit once committed.
export class EngagementScheduleError1795400000000 implements MigrationInterface {
  name = 'EngagementScheduleError1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('engagements', new TableColumn(text('schedule_error', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('engagements', 'schedule_error');
  }
}
