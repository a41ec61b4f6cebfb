import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type {
  DeploymentState,
  ReviewState,
  StatusCategory,
  StatusTransitionRecord,
  WorkItemCommentRecord,
} from '@pulse/contracts';
import { epochMs } from '../columns';

// Normalized records written by the collectors (never raw payloads, never message text).
// Each table has a natural key per engagement, so re-syncing a page is an idempotent upsert.

@Entity({ name: 'pull_requests' })
@Index('uq_pull_requests_natural', ['engagementId', 'repo', 'number'], { unique: true })
@Index('ix_pull_requests_merged', ['engagementId', 'mergedAt'])
export class PullRequestEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 200 }) repo!: string;
  @Column('integer') number!: number;
  @Column('varchar', { name: 'author_login', length: 200 }) authorLogin!: string;
  @Column('boolean', { name: 'author_is_bot' }) authorIsBot!: boolean;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt!: number;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt!: number;
  @Column('bigint', { name: 'first_commit_at', nullable: true, transformer: epochMs }) firstCommitAt!:
    number | null;
  @Column('bigint', { name: 'ready_at', nullable: true, transformer: epochMs }) readyAt!: number | null;
  @Column('bigint', { name: 'merged_at', nullable: true, transformer: epochMs }) mergedAt!: number | null;
  @Column('bigint', { name: 'closed_at', nullable: true, transformer: epochMs }) closedAt!: number | null;
  @Column('boolean') draft!: boolean;
  @Column('integer') additions!: number;
  @Column('integer') deletions!: number;
  @Column('varchar', { name: 'merge_commit_sha', length: 64, nullable: true }) mergeCommitSha!: string | null;
  @Column('varchar', { length: 500 }) url!: string;
}

@Entity({ name: 'reviews' })
@Index('uq_reviews_natural', ['engagementId', 'kind', 'sourceId'], { unique: true })
@Index('ix_reviews_pull_request', ['engagementId', 'repo', 'pullNumber'])
@Index('ix_reviews_submitted', ['engagementId', 'submittedAt'])
export class ReviewEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 16 }) kind!: 'review' | 'review_comment';
  /** GitHub's numeric id of the review or review comment, as text. */
  @Column('varchar', { name: 'source_id', length: 40 }) sourceId!: string;
  @Column('varchar', { length: 200 }) repo!: string;
  @Column('integer', { name: 'pull_number' }) pullNumber!: number;
  @Column('varchar', { name: 'reviewer_login', length: 200 }) reviewerLogin!: string;
  @Column('boolean', { name: 'reviewer_is_bot' }) reviewerIsBot!: boolean;
  @Column('bigint', { name: 'submitted_at', transformer: epochMs }) submittedAt!: number;
  @Column('varchar', { length: 24 }) state!: ReviewState;
}

@Entity({ name: 'deployments' })
@Index('uq_deployments_natural', ['engagementId', 'repo', 'sourceId'], { unique: true })
export class DeploymentEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 200 }) repo!: string;
  @Column('varchar', { name: 'source_id', length: 40 }) sourceId!: string;
  @Column('varchar', { length: 200 }) environment!: string;
  @Column('varchar', { length: 64 }) sha!: string;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt!: number;
  @Column('varchar', { length: 16 }) state!: DeploymentState;
  @Column('bigint', { name: 'finished_at', nullable: true, transformer: epochMs }) finishedAt!: number | null;
}

@Entity({ name: 'releases' })
@Index('uq_releases_natural', ['engagementId', 'repo', 'sourceId'], { unique: true })
export class ReleaseEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 200 }) repo!: string;
  @Column('varchar', { name: 'source_id', length: 40 }) sourceId!: string;
  @Column('varchar', { name: 'tag_name', length: 200 }) tagName!: string;
  @Column('bigint', { name: 'published_at', nullable: true, transformer: epochMs }) publishedAt!:
    number | null;
  @Column('boolean') draft!: boolean;
  @Column('boolean') prerelease!: boolean;
  @Column('varchar', { name: 'target_sha', length: 64, nullable: true }) targetSha!: string | null;
}

@Entity({ name: 'coverage_samples' })
@Index('uq_coverage_samples_natural', ['engagementId', 'repo', 'sha', 'source'], { unique: true })
@Index('ix_coverage_samples_time', ['engagementId', 'committedAt'])
export class CoverageSampleEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 200 }) repo!: string;
  @Column('varchar', { length: 200 }) branch!: string;
  @Column('boolean', { name: 'is_default_branch' }) isDefaultBranch!: boolean;
  @Column('varchar', { length: 64 }) sha!: string;
  @Column('bigint', { name: 'committed_at', transformer: epochMs }) committedAt!: number;
  @Column('integer', { name: 'lines_covered' }) linesCovered!: number;
  @Column('integer', { name: 'lines_valid' }) linesValid!: number;
  @Column('integer', { name: 'branches_covered', nullable: true }) branchesCovered!: number | null;
  @Column('integer', { name: 'branches_valid', nullable: true }) branchesValid!: number | null;
  @Column('varchar', { length: 16 }) source!: 'upload' | 'artifact' | 'status';
}

@Entity({ name: 'work_items' })
@Index('uq_work_items_natural', ['engagementId', 'key'], { unique: true })
export class WorkItemEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 250 }) key!: string;
  @Column('varchar', { length: 16 }) source!: 'jira' | 'github';
  @Column('varchar', { length: 100 }) type!: string;
  @Column('boolean', { name: 'is_subtask' }) isSubtask!: boolean;
  @Column('varchar', { length: 60, nullable: true }) priority!: string | null;
  @Column('varchar', { name: 'status_category', length: 16 }) statusCategory!: StatusCategory;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt!: number;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt!: number;
  @Column('bigint', { name: 'resolved_at', nullable: true, transformer: epochMs }) resolvedAt!: number | null;
  @Column('varchar', { length: 100, nullable: true }) resolution!: string | null;
  @Column('varchar', { name: 'reporter_id', length: 200, nullable: true }) reporterId!: string | null;
  @Column('varchar', { name: 'assignee_id', length: 200, nullable: true }) assigneeId!: string | null;
  @Column('double precision', { name: 'story_points', nullable: true }) storyPoints!: number | null;
  @Column('simple-json') labels!: string[];
  @Column('varchar', { length: 200, nullable: true }) environment!: string | null;
  @Column('boolean', { name: 'is_bug', nullable: true }) isBug!: boolean | null;
  @Column('boolean', { name: 'is_escaped', nullable: true }) isEscaped!: boolean | null;
  @Column('simple-json') transitions!: StatusTransitionRecord[];
  @Column('simple-json') comments!: WorkItemCommentRecord[];
  @Column('simple-json', { name: 'reopened_at', nullable: true }) reopenedAt!: number[] | null;
  @Column('varchar', { length: 500, nullable: true }) url!: string | null;
}

@Entity({ name: 'sprints' })
@Index('uq_sprints_natural', ['engagementId', 'sourceId'], { unique: true })
export class SprintEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { name: 'source_id', length: 40 }) sourceId!: string;
  @Column('varchar', { length: 200, nullable: true }) name!: string | null;
  @Column('bigint', { name: 'start_at', transformer: epochMs }) startAt!: number;
  @Column('bigint', { name: 'end_at', transformer: epochMs }) endAt!: number;
  @Column('bigint', { name: 'completed_at', nullable: true, transformer: epochMs }) completedAt!:
    number | null;
  @Column('simple-json', { name: 'issue_keys_at_start' }) issueKeysAtStart!: string[];
  @Column('simple-json', { name: 'issue_keys_added' }) issueKeysAddedAfterStart!: string[];
}

/** Slack message metadata: who, where, when — never the text. */
@Entity({ name: 'chat_messages' })
@Index('uq_chat_messages_natural', ['engagementId', 'channel', 'ts'], { unique: true })
@Index('ix_chat_messages_time', ['engagementId', 'at'])
export class ChatMessageEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 40 }) channel!: string;
  @Column('varchar', { length: 24 }) ts!: string;
  @Column('bigint', { transformer: epochMs }) at!: number;
  @Column('varchar', { name: 'thread_ts', length: 24, nullable: true }) threadTs!: string | null;
  @Column('varchar', { name: 'author_id', length: 40, nullable: true }) authorId!: string | null;
  @Column('varchar', { length: 60, nullable: true }) subtype!: string | null;
  @Column('varchar', { name: 'bot_id', length: 40, nullable: true }) botId!: string | null;
  @Column('boolean', { default: false }) edited!: boolean;
  @Column('boolean', { default: false }) deleted!: boolean;
}

/** One KPI value for one bucket: a week (period `week`) or the trailing window (`trailing`). */
@Entity({ name: 'kpi_values' })
@Index('uq_kpi_values_bucket', ['engagementId', 'period', 'kpiKey', 'bucketStart'], { unique: true })
@Index('ix_kpi_values_series', ['engagementId', 'period', 'bucketStart'])
@Index('ix_kpi_values_computed', ['engagementId', 'computedAt'])
export class KpiValueEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 16 }) period!: 'week' | 'trailing';
  @Column('varchar', { name: 'kpi_key', length: 80 }) kpiKey!: string;
  @Column('bigint', { name: 'bucket_start', transformer: epochMs }) bucketStart!: number;
  @Column('bigint', { name: 'bucket_end', transformer: epochMs }) bucketEnd!: number;
  @Column('double precision', { nullable: true }) value!: number | null;
  @Column('integer') n!: number;
  @Column('integer') dropped!: number;
  @Column('bigint', { name: 'computed_at', transformer: epochMs }) computedAt!: number;
}

/**
 * An email a source identity was seen with (GitHub commit author), kept only as its hash
 * (`hashEmail`): suggests roster links by comparing with the roster person's hashed email.
 */
@Entity({ name: 'identity_hints' })
@Index('uq_identity_hints_natural', ['engagementId', 'source', 'externalId', 'emailHash'], { unique: true })
export class IdentityHintEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 16 }) source!: 'github' | 'slack';
  @Column('varchar', { name: 'external_id', length: 200 }) externalId!: string;
  @Column('varchar', { name: 'email_hash', length: 64 }) emailHash!: string;
}
