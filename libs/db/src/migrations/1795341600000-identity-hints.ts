import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { cascade, id, ref, str } from './schema-helpers';

// Commit emails per GitHub login, to suggest which roster person a login belongs to.
// Never edit once committed.
export class IdentityHints1795341600000 implements MigrationInterface {
  name = 'IdentityHints1795341600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'identity_hints',
        columns: [id, ref('engagement_id'), str('source', 16), str('external_id', 200), str('email', 320)],
        indices: [
          new TableIndex({
            name: 'uq_identity_hints_natural',
            columnNames: ['engagement_id', 'source', 'external_id', 'email'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('identity_hints');
  }
}
