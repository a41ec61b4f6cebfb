import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

// Slack messages edited or deleted upstream: a deleted request stops counting, an edit is
// never a response. Both default to false for the rows stored before. Never edit once committed.
export class ChatMessageFlags1795700000000 implements MigrationInterface {
  name = 'ChatMessageFlags1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('chat_messages', [
      new TableColumn({ name: 'edited', type: 'boolean', isNullable: false, default: false }),
      new TableColumn({ name: 'deleted', type: 'boolean', isNullable: false, default: false }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('chat_messages', 'deleted');
    await q.dropColumn('chat_messages', 'edited');
  }
}
