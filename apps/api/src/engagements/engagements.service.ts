import {
  ForbiddenException,
  Injectable,
  NotFoundException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EngagementEntity, ThresholdEntity } from '@pulse/db';
import {
  DEFAULT_ENGAGEMENT_SETTINGS,
  DEFAULT_SYNC_CRON,
  DEFAULT_WORKING_CALENDAR,
  KPI_DEFINITIONS,
  type EngagementDto,
  type UserDto,
  type WorkingCalendar,
} from '@pulse/contracts';
import { DigestSchedulerService } from '../digest/digest-scheduler.service';
import { SyncSchedulerService } from '../sync/sync-scheduler.service';
import { checkSyncSchedule } from '../sync/sync-schedule';
import { badRequest } from '../common/validation';
import type { CalendarDto, CreateEngagementDto, UpdateEngagementDto } from './engagement.dto';

const iso = (ms: number) => new Date(ms).toISOString();

export function toEngagementDto(e: EngagementEntity): EngagementDto {
  return {
    id: e.id,
    name: e.name,
    vendorName: e.vendorName,
    reportingTimeZone: e.reportingTimeZone,
    clientCalendar: e.clientCalendar,
    vendorCalendar: e.vendorCalendar,
    syncCron: e.syncCron,
    scheduleError: e.scheduleError ?? null,
    settings: e.settings,
    ownerId: e.ownerId,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
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
    private readonly digestSchedules: DigestSchedulerService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(EngagementEntity);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.reconcileAtStartup();
  }

  async list(user: UserDto): Promise<EngagementDto[]> {
    const rows = await this.repo.find({
      where: user.role === 'admin' ? {} : { ownerId: user.id },
      order: { name: 'ASC' },
    });
    return rows.map(toEngagementDto);
  }

  /** The engagement if this user may see it; 404 otherwise (no existence leak). */
  async getAccessible(user: UserDto, id: string): Promise<EngagementEntity> {
    const row = await this.repo.findOneBy({ id });
    if (!row || (user.role !== 'admin' && row.ownerId !== user.id)) {
      throw new NotFoundException(`No engagement ${id}`);
    }
    return row;
  }

  async getById(id: string): Promise<EngagementEntity> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw new NotFoundException(`No engagement ${id}`);
    return row;
  }

  async create(user: UserDto, input: CreateEngagementDto, now = Date.now()): Promise<EngagementDto> {
    if (user.role !== 'admin' && user.role !== 'manager') throw new ForbiddenException();
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
    return toEngagementDto(entity);
  }

  async update(
    user: UserDto,
    id: string,
    input: UpdateEngagementDto,
    now = Date.now(),
  ): Promise<EngagementDto> {
    const entity = await this.getAccessible(user, id);
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
    return toEngagementDto(entity);
  }

  async remove(user: UserDto, id: string): Promise<void> {
    const entity = await this.getAccessible(user, id);
    await this.scheduler.remove(entity.id);
    await this.digestSchedules.remove(entity.id);
    await this.repo.delete({ id: entity.id });
  }
}
