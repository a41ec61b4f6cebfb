import {
  ForbiddenException,
  Injectable,
  NotFoundException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EngagementEntity, retentionCutoff, ThresholdEntity } from '@pulse/db';
import {
  DEFAULT_ENGAGEMENT_SETTINGS,
  DEFAULT_SYNC_CRON,
  DEFAULT_WORKING_CALENDAR,
  KPI_DEFINITIONS,
  privacySettings,
  type EngagementAccessLevel,
  type EngagementDto,
  type UserDto,
  type WorkingCalendar,
} from '@pulse/contracts';
import { EngagementAccessService } from '../access/engagement-access.service';
import { DigestSchedulerService } from '../digest/digest-scheduler.service';
import { SyncSchedulerService } from '../sync/sync-scheduler.service';
import { canSeePeople } from '../privacy/people-access';
import { EngagementJobsService } from '../privacy/engagement-jobs.service';
import { checkSyncSchedule } from '../sync/sync-schedule';
import { badRequest } from '../common/validation';
import type { CalendarDto, CreateEngagementDto, UpdateEngagementDto } from './engagement.dto';

const iso = (ms: number) => new Date(ms).toISOString();
/** What the creator of an engagement holds on it. */
const OWNER_LEVELS: ReadonlySet<EngagementAccessLevel> = new Set(['read', 'edit', 'manage']);

/** The instant from which raw records are kept (now − the retention window, in the reporting zone). */
export function dataKeptFrom(
  e: Pick<EngagementEntity, 'settings' | 'reportingTimeZone'>,
  now: number,
): number {
  return retentionCutoff(privacySettings(e.settings).retentionMonths, e.reportingTimeZone, now);
}

/** `levels`: what the actor holds on it (from the membership guard or `EngagementAccessService`). */
export function toEngagementDto(
  e: EngagementEntity,
  actor: UserDto,
  levels: ReadonlySet<EngagementAccessLevel>,
  now = Date.now(),
): EngagementDto {
  return {
    id: e.id,
    name: e.name,
    vendorName: e.vendorName,
    reportingTimeZone: e.reportingTimeZone,
    clientCalendar: e.clientCalendar,
    vendorCalendar: e.vendorCalendar,
    syncCron: e.syncCron,
    scheduleError: e.scheduleError ?? null,
    // Rows stored before a setting existed read as its default.
    settings: { ...DEFAULT_ENGAGEMENT_SETTINGS, ...e.settings },
    ownerId: e.ownerId,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    dataKeptFrom: iso(dataKeptFrom(e, now)),
    canSeePeople: canSeePeople(actor, e, levels),
    myAccess: [...levels],
  };
}

function toCalendar(input: CalendarDto, field: string): WorkingCalendar {
  const calendar: WorkingCalendar = {
    timeZone: input.timeZone,
    weekdays: [...new Set(input.weekdays ?? DEFAULT_WORKING_CALENDAR.weekdays)].sort(),
    start: input.start ?? DEFAULT_WORKING_CALENDAR.start,
    end: input.end ?? DEFAULT_WORKING_CALENDAR.end,
    holidays: [...new Set(input.holidays ?? [])].sort(),
  };
  if (calendar.end <= calendar.start)
    throw badRequest([{ field: `${field}.end`, message: 'end must be later than start' }]);
  if (calendar.weekdays.length === 0)
    throw badRequest([{ field: `${field}.weekdays`, message: 'list at least one working day' }]);
  return calendar;
}

/** The schedule as BullMQ will read it, or a 400 naming the field and what to use instead. */
function checkSchedule(cron: string, timeZone: string, now: number): void {
  const problem = checkSyncSchedule(cron, timeZone, now);
  if (problem) throw badRequest([problem]);
}

@Injectable()
export class EngagementsService implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: SyncSchedulerService,
    private readonly access: EngagementAccessService,
    private readonly jobs: EngagementJobsService,
    private readonly digestSchedules: DigestSchedulerService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(EngagementEntity);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.reconcileAtStartup();
  }

  /** What the user may read: all for admins, owned or member-of for everyone else. */
  async list(user: UserDto): Promise<EngagementDto[]> {
    return (await this.access.visible(user)).map((g) => toEngagementDto(g.engagement, user, g.levels));
  }

  async getById(id: string): Promise<EngagementEntity> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw new NotFoundException(`No engagement ${id}`);
    return row;
  }

  async create(user: UserDto, input: CreateEngagementDto, now = Date.now()): Promise<EngagementDto> {
    if (user.role !== 'admin' && user.role !== 'manager')
      throw new ForbiddenException('Creating an engagement needs the manager or admin role');
    const clientCalendar = toCalendar(input.clientCalendar, 'clientCalendar');
    const entity: EngagementEntity = {
      id: randomUUID(),
      name: input.name.trim(),
      vendorName: input.vendorName.trim(),
      reportingTimeZone: input.reportingTimeZone ?? clientCalendar.timeZone,
      clientCalendar,
      vendorCalendar: toCalendar(input.vendorCalendar, 'vendorCalendar'),
      syncCron: input.syncCron ?? DEFAULT_SYNC_CRON,
      scheduleError: null,
      settings: { ...DEFAULT_ENGAGEMENT_SETTINGS, ...input.settings },
      ownerId: user.id,
      createdAt: now,
      updatedAt: now,
    };
    checkSchedule(entity.syncCron, entity.reportingTimeZone, now);
    // The scheduler first: if Redis or BullMQ refuses it, nothing is stored.
    await this.scheduler.upsert(entity);
    await this.dataSource
      .transaction(async (tx) => {
        await tx.getRepository(EngagementEntity).insert(entity);
        await tx.getRepository(ThresholdEntity).insert(
          KPI_DEFINITIONS.filter((d) => d.defaultThreshold).map((d) => ({
            id: randomUUID(),
            engagementId: entity.id,
            kpiKey: d.key,
            warn: d.defaultThreshold!.warn,
            breach: d.defaultThreshold!.breach,
          })),
        );
      })
      .catch(async (e: unknown) => {
        await this.scheduler.remove(entity.id).catch(() => undefined);
        throw e;
      });
    return toEngagementDto(entity, user, OWNER_LEVELS, now);
  }

  /** `entity` as resolved by @EngagementAccess('edit'); `levels` what the caller holds on it. */
  async update(
    entity: EngagementEntity,
    input: UpdateEngagementDto,
    caller: { user: UserDto; levels: ReadonlySet<EngagementAccessLevel> },
    now = Date.now(),
  ): Promise<EngagementDto> {
    const before = { syncCron: entity.syncCron, reportingTimeZone: entity.reportingTimeZone };
    if (input.name !== undefined) entity.name = input.name.trim();
    if (input.vendorName !== undefined) entity.vendorName = input.vendorName.trim();
    if (input.clientCalendar) entity.clientCalendar = toCalendar(input.clientCalendar, 'clientCalendar');
    if (input.vendorCalendar) entity.vendorCalendar = toCalendar(input.vendorCalendar, 'vendorCalendar');
    if (input.reportingTimeZone) entity.reportingTimeZone = input.reportingTimeZone;
    if (input.syncCron) entity.syncCron = input.syncCron;
    if (input.settings) entity.settings = { ...entity.settings, ...input.settings };
    entity.updatedAt = now;
    const rescheduled =
      entity.syncCron !== before.syncCron ||
      entity.reportingTimeZone !== before.reportingTimeZone ||
      entity.scheduleError !== null;
    if (rescheduled) {
      checkSchedule(entity.syncCron, entity.reportingTimeZone, now);
      // Registered before the row changes; restored if the row cannot be saved.
      await this.scheduler.upsert(entity);
      entity.scheduleError = null;
    }
    try {
      await this.repo.save(entity);
    } catch (e) {
      if (rescheduled && checkSyncSchedule(before.syncCron, before.reportingTimeZone, now) === null)
        await this.scheduler.upsert({ id: entity.id, ...before }).catch(() => undefined);
      throw e;
    }
    // The digest's day and time are in the reporting zone: its schedulers follow it.
    if (entity.reportingTimeZone !== before.reportingTimeZone)
      await this.digestSchedules.reapply(entity.id, entity.reportingTimeZone);
    return toEngagementDto(entity, caller.user, caller.levels, now);
  }

  /**
   * `entity` as resolved by @EngagementAccess('manage'). Deletes the engagement and everything it holds (docs/privacy.md): its rows (every
   * table references it ON DELETE CASCADE) and its Redis job payloads. A job running right
   * now cannot be removed; it fails on the missing engagement and the daily retention sweep
   * removes what is left (`purgeOrphanJobs`), so nothing of it stays in Redis past a day.
   */
  async remove(entity: EngagementEntity): Promise<void> {
    await this.scheduler.remove(entity.id);
    await this.digestSchedules.remove(entity.id);
    await this.repo.delete({ id: entity.id });
    await this.jobs.purgeEngagement(entity.id);
  }
}
