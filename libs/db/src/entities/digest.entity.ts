import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '../columns';

/** When and where an engagement's weekly Slack digest goes. No row = the defaults, both off. */
@Entity({ name: 'digest_settings' })
export class DigestSettingsEntity {
  @PrimaryColumn('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  /** Channel of the client audience (all families, people's names); null = off. */
  @Column('varchar', { name: 'client_channel_id', length: 32, nullable: true }) clientChannelId!:
    string | null;
  /** Channel of the vendor audience (shared families only, no client names); null = off. */
  @Column('varchar', { name: 'vendor_channel_id', length: 32, nullable: true }) vendorChannelId!:
    string | null;
  /** ISO weekday, 1 = Monday. */
  @Column('integer') weekday!: number;
  /** "HH:mm" in the engagement's reporting zone. */
  @Column('varchar', { name: 'time_of_day', length: 5 }) timeOfDay!: string;
  /** The vendor's share-link token (SecretBox ciphertext), linked from the vendor digest. */
  @Column('text', { name: 'vendor_share_token_ciphertext', nullable: true, select: false })
  vendorShareTokenCiphertext!: string | null;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt!: number;
}

export type DigestStatus = 'pending' | 'posted' | 'updated' | 'failed';

/** One digest message: exactly one per engagement, audience, ISO week and kind (scheduled/manual). */
@Entity({ name: 'digests' })
@Index('uq_digests_engagement_audience_week', ['engagementId', 'audience', 'isoWeek', 'manual'], {
  unique: true,
})
export class DigestEntity {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { name: 'engagement_id', length: 36 }) engagementId!: string;
  @Column('varchar', { length: 8 }) audience!: 'client' | 'vendor';
  @Column('varchar', { name: 'iso_week', length: 10 }) isoWeek!: string;
  @Column('boolean') manual!: boolean;
  @Column('varchar', { name: 'channel_id', length: 32 }) channelId!: string;
  /** Slack's message ts once posted: a retry updates this message instead of posting again. */
  @Column('varchar', { length: 32, nullable: true }) ts!: string | null;
  @Column('varchar', { length: 16 }) status!: DigestStatus;
  @Column('varchar', { name: 'error_code', length: 40, nullable: true }) errorCode!: string | null;
  /** What went wrong and what to do, e.g. "invite the Pulse app to the channel". */
  @Column('text', { name: 'error_message', nullable: true }) errorMessage!: string | null;
  @Column('integer') attempts!: number;
  @Column('bigint', { name: 'posted_at', nullable: true, transformer: epochMs }) postedAt!: number | null;
  @Column('bigint', { name: 'created_at', transformer: epochMs }) createdAt!: number;
  @Column('bigint', { name: 'updated_at', transformer: epochMs }) updatedAt!: number;
}
