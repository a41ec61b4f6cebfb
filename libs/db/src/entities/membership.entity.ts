import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../columns';

/** A user's rights on an engagement they do not own: `editor` changes settings, `viewer` reads. */
@Entity({ name: 'engagement_members' })
export class EngagementMemberEntity {
  @PrimaryColumn('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Index('ix_engagement_members_user')
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId!: string;
  @Column('varchar', { length: 16 }) rights!: 'editor' | 'viewer';
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt!: number;
}

/**
 * A single-use link that sets a password: an invitation (creates the user when accepted) or
 * a reset link (for an existing user). Only the token's SHA-256 is stored.
 */
@Entity({ name: 'invitations' })
export class InvitationEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { length: 16 }) kind!: 'invite' | 'reset';
  @Index('ix_invitations_email')
  @Column('varchar', { length: 320 })
  email!: string;
  @Column('varchar', { length: 16 }) role!: 'admin' | 'manager' | 'viewer';
  @Column('varchar', { name: 'display_name', length: 200, nullable: true }) displayName!: string | null;
  @Column('varchar', { name: 'user_id', length: 36, nullable: true }) userId!: string | null;
  @Index('uq_invitations_token', { unique: true })
  @Column('varchar', { name: 'token_hash', length: 64 })
  tokenHash!: string;
  @Column('varchar', { name: 'created_by', length: 36, nullable: true }) createdBy!: string | null;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt!: number;
  @Column('bigint', { name: 'expires_at', transformer: epochMs }) expiresAt!: number;
  @Column('bigint', { name: 'accepted_at', nullable: true, transformer: epochMs }) acceptedAt!: number | null;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: epochMs }) revokedAt!: number | null;
}

/** Append-only: who did what, when, from where. The summary never holds a secret or token. */
@Entity({ name: 'audit_events' })
@Index('ix_audit_events_engagement', ['engagementId', 'at'])
@Index('ix_audit_events_actor', ['actorId', 'at'])
@Index('ix_audit_events_action', ['action', 'at'])
export class AuditEventEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Index('ix_audit_events_at')
  @Column('bigint', { transformer: epochMs })
  at!: number;
  @Column('varchar', { name: 'actor_id', length: 36, nullable: true }) actorId!: string | null;
  @Column('varchar', { name: 'actor_email', length: 320, nullable: true }) actorEmail!: string | null;
  @Column('varchar', { length: 64, nullable: true }) ip!: string | null;
  @Column('varchar', { length: 64 }) action!: string;
  @Column('varchar', { name: 'engagement_id', length: 36, nullable: true }) engagementId!: string | null;
  @Column('varchar', { name: 'target_type', length: 32, nullable: true }) targetType!: string | null;
  @Column('varchar', { name: 'target_id', length: 100, nullable: true }) targetId!: string | null;
  @Column('simple-json') summary!: Record<string, unknown>;
}
