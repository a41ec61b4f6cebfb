import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { bool, cascade, count, id, ms, ref, str, text } from './schema-helpers';

// The weekly Slack digest: settings per engagement (channel per audience, day and time in
// the reporting zone, the vendor's share link) and one row per message sent, which makes a
// digest exactly-once per engagement, audience and ISO week. Never edit once committed.
export class SlackDigests1795750000000 implements MigrationInterface {
  name = 'SlackDigests1795750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'digest_settings',
        columns: [
          { ...ref('engagement_id'), isPrimary: true },
          str('client_channel_id', 32, true),
          str('vendor_channel_id', 32, true),
          count('weekday'),
          str('time_of_day', 5),
          text('vendor_share_token_ciphertext', true),
          ms('updated_at'),
        ],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'digests',
        columns: [
          id,
          ref('engagement_id'),
          str('audience', 8),
          str('iso_week', 10),
          bool('manual'),
          str('channel_id', 32),
          str('ts', 32, true),
          str('status', 16),
          str('error_code', 40, true),
          text('error_message', true),
          count('attempts'),
          ms('posted_at', true),
          ms('created_at'),
          ms('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_digests_engagement_audience_week',
            columnNames: ['engagement_id', 'audience', 'iso_week', 'manual'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('digests');
    await q.dropTable('digest_settings');
  }
}
