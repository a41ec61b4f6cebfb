import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EngagementSettings, WorkingCalendar } from '@pulse/contracts';
import { epochMs } from '../columns';

@Entity({ name: 'engagements' })
export class EngagementEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('varchar', { name: 'vendor_name', length: 200 })
  vendorName!: string;

  /** IANA zone for weekly buckets; defaults to the client calendar's zone. */
  @Column('varchar', { name: 'reporting_time_zone', length: 64 })
  reportingTimeZone!: string;

  @Column('simple-json', { name: 'client_calendar' })
  clientCalendar!: WorkingCalendar;

  @Column('simple-json', { name: 'vendor_calendar' })
  vendorCalendar!: WorkingCalendar;

  /** Cron pattern for the sync schedule, evaluated in the reporting time zone. */
  @Column('varchar', { name: 'sync_cron', length: 64 })
  syncCron!: string;

  /** Set at start-up when the stored schedule cannot be registered; null while it runs. */
  @Column('text', { name: 'schedule_error', nullable: true })
  scheduleError!: string | null;

  @Column('simple-json')
  settings!: EngagementSettings;

  @Index('ix_engagements_owner')
  @Column('varchar', { name: 'owner_id', length: 36 })
  ownerId!: string;

  @Column('bigint', { name: 'created_at', transformer: epochMs })
  createdAt!: number;

  @Column('bigint', { name: 'updated_at', transformer: epochMs })
  updatedAt!: number;
}
