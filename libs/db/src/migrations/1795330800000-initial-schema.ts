import { type MigrationInterface, type QueryRunner, Table, TableIndex, TableForeignKey } from 'typeorm';
import { cascade, id, int, ms, ref, str, text } from './schema-helpers';

// Written with TypeORM's schema API (not raw SQL) so one migration serves SQLite and
// PostgreSQL alike. Never edit once committed: add a new migration instead.

export class InitialSchema1795330800000 implements MigrationInterface {
  name = 'InitialSchema1795330800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          str('email', 320),
          str('display_name', 200),
          str('password_hash', 512),
          str('role', 16),
          { name: 'disabled', type: 'boolean', default: false },
          ms('created_at'),
          ms('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_users_email', columnNames: ['email'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          ref('user_id'),
          ms('created_at'),
          ms('expires_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_sessions_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_sessions_expires', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_sessions_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'engagements',
        columns: [
          id,
          str('name', 200),
          str('vendor_name', 200),
          str('reporting_time_zone', 64),
          text('client_calendar'),
          text('vendor_calendar'),
          str('sync_cron', 64),
          text('settings'),
          ref('owner_id'),
          ms('created_at'),
          ms('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_engagements_owner', columnNames: ['owner_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'connections',
        columns: [
          id,
          ref('engagement_id'),
          str('kind', 16),
          text('settings'),
          text('secret_ciphertext', true),
          text('cursor', true),
          ms('last_success_at', true),
          ms('last_attempt_at', true),
          str('last_error_class', 32, true),
          text('last_error_message', true),
          ms('last_error_at', true),
          ms('retry_after_at', true),
          int('failure_count'),
          ms('created_at'),
          ms('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_connections_engagement_kind',
            columnNames: ['engagement_id', 'kind'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'people',
        columns: [
          id,
          ref('engagement_id'),
          str('display_name', 200),
          str('email', 320, true),
          str('side', 16),
          { name: 'is_bot', type: 'boolean', default: false },
          text('identities'),
        ],
        indices: [new TableIndex({ name: 'ix_people_engagement', columnNames: ['engagement_id'] })],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'thresholds',
        columns: [
          id,
          ref('engagement_id'),
          str('kpi_key', 80),
          { name: 'warn', type: 'double precision', isNullable: true },
          { name: 'breach', type: 'double precision', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_thresholds_engagement_kpi',
            columnNames: ['engagement_id', 'kpi_key'],
            isUnique: true,
          }),
        ],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sync_runs',
        columns: [
          id,
          ref('engagement_id'),
          str('job_id', 200),
          str('trigger', 16),
          str('status', 16),
          int('progress'),
          str('phase', 200, true),
          ms('created_at'),
          ms('started_at', true),
          ms('finished_at', true),
          text('counts'),
          int('api_calls'),
          int('api_calls_not_modified'),
          text('error', true),
          str('worker_id', 200, true),
        ],
        indices: [
          new TableIndex({ name: 'uq_sync_runs_job', columnNames: ['job_id'], isUnique: true }),
          new TableIndex({
            name: 'ix_sync_runs_engagement_started',
            columnNames: ['engagement_id', 'created_at'],
          }),
        ],
        foreignKeys: [cascade('engagement_id', 'engagements')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'sync_runs',
      'thresholds',
      'people',
      'connections',
      'engagements',
      'sessions',
      'users',
    ]) {
      await q.dropTable(table);
    }
  }
}
