import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';
import { bool, cascade, count, id, ms, real, ref, str, text } from './schema-helpers';

// The collectors' normalized records and the rollup's kpi_values. Natural-key unique
// indexes make every write an idempotent upsert. Never edit once committed.

const engagementId = ref('engagement_id');

function table(name: string, columns: TableColumnOptions[], indices: TableIndex[]): Table {
  return new Table({
    name,
    columns: [id, engagementId, ...columns],
    indices,
    foreignKeys: [cascade('engagement_id', 'engagements')],
  });
}
const unique = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames, isUnique: true });
const index = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames });

const TABLES: Table[] = [
  table(
    'pull_requests',
    [
      str('repo', 200),
      count('number'),
      str('author_login', 200),
      bool('author_is_bot'),
      ms('created_at'),
      ms('updated_at'),
      ms('first_commit_at', true),
      ms('ready_at', true),
      ms('merged_at', true),
      ms('closed_at', true),
      bool('draft'),
      count('additions'),
      count('deletions'),
      str('merge_commit_sha', 64, true),
      str('url', 500),
    ],
    [
      unique('uq_pull_requests_natural', ['engagement_id', 'repo', 'number']),
      index('ix_pull_requests_merged', ['engagement_id', 'merged_at']),
    ],
  ),
  table(
    'reviews',
    [
      str('kind', 16),
      str('source_id', 40),
      str('repo', 200),
      count('pull_number'),
      str('reviewer_login', 200),
      bool('reviewer_is_bot'),
      ms('submitted_at'),
      str('state', 24),
    ],
    [
      unique('uq_reviews_natural', ['engagement_id', 'kind', 'source_id']),
      index('ix_reviews_pull_request', ['engagement_id', 'repo', 'pull_number']),
    ],
  ),
  table(
    'deployments',
    [
      str('repo', 200),
      str('source_id', 40),
      str('environment', 200),
      str('sha', 64),
      ms('created_at'),
      str('state', 16),
      ms('finished_at', true),
    ],
    [unique('uq_deployments_natural', ['engagement_id', 'repo', 'source_id'])],
  ),
  table(
    'releases',
    [
      str('repo', 200),
      str('source_id', 40),
      str('tag_name', 200),
      ms('published_at', true),
      bool('draft'),
      bool('prerelease'),
      str('target_sha', 64, true),
    ],
    [unique('uq_releases_natural', ['engagement_id', 'repo', 'source_id'])],
  ),
  table(
    'coverage_samples',
    [
      str('repo', 200),
      str('branch', 200),
      bool('is_default_branch'),
      str('sha', 64),
      ms('committed_at'),
      count('lines_covered'),
      count('lines_valid'),
      count('branches_covered', true),
      count('branches_valid', true),
      str('source', 16),
    ],
    [
      unique('uq_coverage_samples_natural', ['engagement_id', 'repo', 'sha', 'source']),
      index('ix_coverage_samples_time', ['engagement_id', 'committed_at']),
    ],
  ),
  table(
    'work_items',
    [
      str('key', 250),
      str('source', 16),
      str('type', 100),
      bool('is_subtask'),
      str('priority', 60, true),
      str('status_category', 16),
      ms('created_at'),
      ms('updated_at'),
      ms('resolved_at', true),
      str('resolution', 100, true),
      str('reporter_id', 200, true),
      str('assignee_id', 200, true),
      real('story_points'),
      text('labels'),
      str('environment', 200, true),
      bool('is_bug', true),
      bool('is_escaped', true),
      text('transitions'),
      text('comments'),
      str('url', 500, true),
    ],
    [unique('uq_work_items_natural', ['engagement_id', 'key'])],
  ),
  table(
    'sprints',
    [
      str('source_id', 40),
      str('name', 200, true),
      ms('start_at'),
      ms('end_at'),
      ms('completed_at', true),
      text('issue_keys_at_start'),
      text('issue_keys_added'),
    ],
    [unique('uq_sprints_natural', ['engagement_id', 'source_id'])],
  ),
  table(
    'chat_messages',
    [
      str('channel', 40),
      str('ts', 24),
      ms('at'),
      str('thread_ts', 24, true),
      str('author_id', 40, true),
      str('subtype', 60, true),
      str('bot_id', 40, true),
    ],
    [
      unique('uq_chat_messages_natural', ['engagement_id', 'channel', 'ts']),
      index('ix_chat_messages_time', ['engagement_id', 'at']),
    ],
  ),
  table(
    'kpi_values',
    [
      str('period', 16),
      str('kpi_key', 80),
      ms('bucket_start'),
      ms('bucket_end'),
      real('value'),
      count('n'),
      count('dropped'),
      str('status', 16),
      ms('computed_at'),
    ],
    [
      unique('uq_kpi_values_bucket', ['engagement_id', 'period', 'kpi_key', 'bucket_start']),
      index('ix_kpi_values_series', ['engagement_id', 'period', 'bucket_start']),
    ],
  ),
];

export class NormalizedRecords1795334400000 implements MigrationInterface {
  name = 'NormalizedRecords1795334400000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.createTable(t);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [...TABLES].reverse()) await q.dropTable(t.name);
  }
}
