import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ConnectionKind, SyncErrorClass } from '@pulse/contracts';
import { epochMs } from '../columns';

/**
 * One source of an engagement (github | jira | slack) with its sync state. The secret is
 * AES-256-GCM ciphertext (see SecretBox) and is never selected unless asked for.
 */
@Entity({ name: 'connections' })
@Index('uq_connections_engagement_kind', ['engagementId', 'kind'], { unique: true })
export class ConnectionEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { name: 'engagement_id', length: 36 })
  engagementId!: string;

  @Column('varchar', { length: 16 })
  kind!: ConnectionKind;

  /** Non-secret settings: baseUrl, repos/projects/channels, patterns. */
  @Column('simple-json')
  settings!: Record<string, unknown>;

  @Column('text', { name: 'secret_ciphertext', nullable: true, select: false })
  secretCiphertext!: string | null;

  /** Incremental cursor per source, opaque to everything but its collector. */
  @Column('simple-json', { nullable: true })
  cursor!: Record<string, unknown> | null;

  @Column('bigint', { name: 'last_success_at', nullable: true, transformer: epochMs })
  lastSuccessAt!: number | null;

  @Column('bigint', { name: 'last_attempt_at', nullable: true, transformer: epochMs })
  lastAttemptAt!: number | null;

  @Column('varchar', { name: 'last_error_class', length: 32, nullable: true })
  lastErrorClass!: SyncErrorClass | null;

  @Column('text', { name: 'last_error_message', nullable: true })
  lastErrorMessage!: string | null;

  @Column('bigint', { name: 'last_error_at', nullable: true, transformer: epochMs })
  lastErrorAt!: number | null;

  /** While set and in the future, the scheduler skips this connection (rate limited). */
  @Column('bigint', { name: 'retry_after_at', nullable: true, transformer: epochMs })
  retryAfterAt!: number | null;

  /**
   * What the latest successful sync noted about how it ran (e.g. GitHub read over REST
   * because GraphQL was refused); null when it noted nothing. Informational, not an error.
   */
  @Column('text', { name: 'status_note', nullable: true })
  statusNote!: string | null;

  @Column('integer', { name: 'failure_count', default: 0 })
  failureCount!: number;

  @Column('bigint', { name: 'created_at', transformer: epochMs })
  createdAt!: number;

  @Column('bigint', { name: 'updated_at', transformer: epochMs })
  updatedAt!: number;
}
