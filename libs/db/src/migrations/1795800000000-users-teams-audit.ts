import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { cascade, id, ms, ref, str, text } from './schema-helpers';

// Issue 14 "Users, teams and an audit trail": engagement members, invitations and reset
// links (token hash only), and the append-only audit trail. The new `viewer` user role fits
// the existing users.role varchar(16), so users is unchanged. Audit events keep no foreign
// key: they must outlive the engagement or user they name. Never edit once committed.
export class UsersTeamsAudit1795800000000 implements MigrationInterface {
  name = 'UsersTeamsAudit1795800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'engagement_members',
        columns: [
          { ...ref('engagement_id'), isPrimary: true },
          { ...ref('user_id'), isPrimary: true },
          str('rights', 16),
          ms('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_engagement_members_user', columnNames: ['user_id'] })],
        foreignKeys: [cascade('engagement_id', 'engagements'), cascade('user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'invitations',
        columns: [
          id,
          str('kind', 16),
          str('email', 320),
          str('role', 16),
          str('display_name', 200, true),
          ref('user_id', true),
          str('token_hash', 64),
          ref('created_by', true),
          ms('created_at'),
          ms('expires_at'),
          ms('accepted_at', true),
          ms('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_invitations_token', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_invitations_email', columnNames: ['email'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          id,
          ms('at'),
          ref('actor_id', true),
          str('actor_email', 320, true),
          str('ip', 64, true),
          str('action', 64),
          ref('engagement_id', true),
          str('target_type', 32, true),
          str('target_id', 100, true),
          text('summary'),
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_events_at', columnNames: ['at'] }),
          new TableIndex({ name: 'ix_audit_events_engagement', columnNames: ['engagement_id', 'at'] }),
          new TableIndex({ name: 'ix_audit_events_actor', columnNames: ['actor_id', 'at'] }),
          new TableIndex({ name: 'ix_audit_events_action', columnNames: ['action', 'at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_events');
    await q.dropTable('invitations');
    await q.dropTable('engagement_members');
  }
}
