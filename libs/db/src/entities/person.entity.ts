import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PersonIdentities, RosterSide } from '@pulse/contracts';
import { epochMs } from '../columns';

/** Someone on the engagement's roster, linked across GitHub, Jira and Slack. */
@Entity({ name: 'people' })
@Index('ix_people_engagement', ['engagementId'])
export class PersonEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { name: 'engagement_id', length: 36 })
  engagementId!: string;

  @Column('varchar', { name: 'display_name', length: 200 })
  displayName!: string;

  @Column('varchar', { length: 320, nullable: true })
  email!: string | null;

  @Column('varchar', { length: 16 })
  side!: RosterSide;

  @Column('boolean', { name: 'is_bot', default: false })
  isBot!: boolean;

  @Column('simple-json')
  identities!: PersonIdentities;

  /**
   * Epoch ms the person was removed from the roster, or null while on it. Removed people
   * stay as tombstones: the API's roster leaves them out, the KPI engine still attributes
   * their history and counts the departure (docs/kpis.md contributor departures).
   */
  @Column('bigint', { name: 'left_at', nullable: true, transformer: epochMs })
  leftAt!: number | null;
}
