import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The agreed warn/breach values of one KPI for one engagement (null = no threshold). */
@Entity({ name: 'thresholds' })
@Index('uq_thresholds_engagement_kpi', ['engagementId', 'kpiKey'], { unique: true })
export class ThresholdEntity {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { name: 'engagement_id', length: 36 })
  engagementId!: string;

  @Column('varchar', { name: 'kpi_key', length: 80 })
  kpiKey!: string;

  @Column('double precision', { nullable: true })
  warn!: number | null;

  @Column('double precision', { nullable: true })
  breach!: number | null;

  /** The engagement's minimum sample for this KPI; null = the catalogue default. */
  @Column('integer', { name: 'min_n', nullable: true })
  minN!: number | null;
}
