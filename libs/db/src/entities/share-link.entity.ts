import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../columns';

/** A vendor's read-only view of one engagement. Only the token's SHA-256 is stored. */
@Entity({ name: 'share_links' })
@Index('ix_share_links_engagement', ['engagementId'])
export class ShareLinkEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Index('uq_share_links_token', { unique: true })
  @Column('varchar', { name: 'token_hash', length: 64 })
  tokenHash!: string;
  /** KPI families the vendor may see. */
  @Column('simple-json') families!: string[];
  @Column('boolean', { name: 'allow_drill_down' }) allowDrillDown!: boolean;
  @Column('bigint', { name: 'expires_at', nullable: true, transformer: epochMs }) expiresAt!: number | null;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: epochMs }) revokedAt!: number | null;
  @Column('varchar', { name: 'created_by', length: 36 }) createdBy!: string;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt!: number;
  @Column('bigint', { name: 'last_used_at', nullable: true, transformer: epochMs }) lastUsedAt!:
    number | null;
}

/** The per-engagement token CI uses to upload coverage reports (hash only). */
@Entity({ name: 'upload_tokens' })
export class UploadTokenEntity {
  @PrimaryColumn('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Index('uq_upload_tokens_token', { unique: true })
  @Column('varchar', { name: 'token_hash', length: 64 })
  tokenHash!: string;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt!: number;
}
