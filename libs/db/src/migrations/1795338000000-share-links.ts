import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { bool, cascade, id, ms, ref, str, text } from './schema-helpers';

// Vendor share links and coverage upload tokens. Never edit once committed.
export class ShareLinks1795338000000 implements MigrationInterface {
  name = 'ShareLinks1795338000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'share_links',
        columns: [
          id,
          ref('engagement_id'),
          str('token_hash', 64),
          text('families'),
          bool('allow_drill_down'),
          ms('expires_at', true),
          ms('revoked_at', true),
          ref('created_by'),
          ms('created_at'),
          ms('last_used_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_share_links_token', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_share_links_engagement', columnNames: ['engagement_id'] }),
        ],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'upload_tokens',
        columns: [{ ...ref('engagement_id'), isPrimary: true }, str('token_hash', 64), ms('created_at')],
        indices: [
          new TableIndex({ name: 'uq_upload_tokens_token', columnNames: ['token_hash'], isUnique: true }),
        ],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('upload_tokens');
    await q.dropTable('share_links');
  }
}
