import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { text } from './schema-helpers';

// Issue 15: a sync that worked but took another path (GitHub over REST because GraphQL was
// refused) says so on the connection. Null for the rows stored before: nothing was noted.
// Never edit once committed.
export class ConnectionStatusNote1795600000000 implements MigrationInterface {
  name = 'ConnectionStatusNote1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('connections', new TableColumn(text('status_note', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('connections', 'status_note');
  }
}
