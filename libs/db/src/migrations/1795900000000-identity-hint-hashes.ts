import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { hashEmail } from '../identity-hash';
import { str } from './schema-helpers';

// Issue 16 "commit e-mails are kept only as hashes": identity_hints.email (clear text)
// becomes email_hash. Existing rows are hashed in place, so roster suggestions keep
// working; the clear column and its index go. Never edit once committed.
export class IdentityHintHashes1795900000000 implements MigrationInterface {
  name = 'IdentityHintHashes1795900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('identity_hints', new TableColumn(str('email_hash', 64, true)));
    const rows = (await q.query('SELECT id, email FROM identity_hints')) as { id: string; email: string }[];
    const param = q.connection.options.type === 'postgres' ? (i: number) => `$${i}` : () => '?';
    for (const row of rows)
      await q.query(`UPDATE identity_hints SET email_hash = ${param(1)} WHERE id = ${param(2)}`, [
        hashEmail(row.email),
        row.id,
      ]);
    await q.dropIndex('identity_hints', 'uq_identity_hints_natural');
    await q.dropColumn('identity_hints', 'email');
    // Two emails of one login may hash apart but never collide; duplicates of one hash
    // (the same email twice in different case) are dropped before the unique index.
    await q.query(
      `DELETE FROM identity_hints WHERE id NOT IN (SELECT MIN(id) FROM identity_hints GROUP BY engagement_id, source, external_id, email_hash)`,
    );
    await q.createIndex(
      'identity_hints',
      new TableIndex({
        name: 'uq_identity_hints_natural',
        columnNames: ['engagement_id', 'source', 'external_id', 'email_hash'],
        isUnique: true,
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // The clear addresses are gone: down keeps the hashes in a column named like before.
    await q.dropIndex('identity_hints', 'uq_identity_hints_natural');
    await q.renameColumn('identity_hints', 'email_hash', 'email');
    await q.createIndex(
      'identity_hints',
      new TableIndex({
        name: 'uq_identity_hints_natural',
        columnNames: ['engagement_id', 'source', 'external_id', 'email'],
        isUnique: true,
      }),
    );
  }
}
