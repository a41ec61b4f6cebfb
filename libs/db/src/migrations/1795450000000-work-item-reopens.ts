import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { text } from './schema-helpers';

// When the source says a work item was reopened (Jira: its resolution cleared after being
// set), as a JSON list of epoch ms; null when the source has no such notion and the KPI
// engine replays status categories instead. Never edit once committed.
export class WorkItemReopens1795450000000 implements MigrationInterface {
  name = 'WorkItemReopens1795450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('work_items', new TableColumn(text('reopened_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('work_items', 'reopened_at');
  }
}
