import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, Not } from 'typeorm';
import { PersonEntity, ThresholdEntity } from '@pulse/db';
import { isKpiKey, kpiDefinition, type PersonDto, type ThresholdDto } from '@pulse/contracts';
import { badRequest } from '../common/validation';
import type { PersonInputDto, ThresholdDto as ThresholdInput } from './engagement.dto';

const clean = (values: string[] | undefined) => [
  ...new Set((values ?? []).map((v) => v.trim()).filter(Boolean)),
];

export function toPersonDto(p: PersonEntity): PersonDto {
  return {
    id: p.id,
    displayName: p.displayName,
    email: p.email,
    side: p.side,
    isBot: p.isBot,
    identities: p.identities,
  };
}

/** People and thresholds: the two per-engagement lists a manager edits as a whole. */
@Injectable()
export class RosterService {
  constructor(private readonly dataSource: DataSource) {}

  async people(engagementId: string): Promise<PersonDto[]> {
    const rows = await this.dataSource
      .getRepository(PersonEntity)
      .find({ where: { engagementId }, order: { displayName: 'ASC' } });
    return rows.map(toPersonDto);
  }

  /** Replace the roster. An identity may belong to one person only. */
  async putPeople(engagementId: string, input: PersonInputDto[]): Promise<PersonDto[]> {
    const seen = new Map<string, number>();
    input.forEach((p, i) => {
      for (const source of ['github', 'jira', 'slack'] as const) {
        for (const id of clean(p.identities[source])) {
          const key = `${source}:${source === 'github' ? id.toLowerCase() : id}`;
          const first = seen.get(key);
          if (first !== undefined && first !== i) {
            throw badRequest([
              {
                field: `people.${i}.identities.${source}`,
                message: `${id} is already linked to people.${first}`,
              },
            ]);
          }
          seen.set(key, i);
        }
      }
    });
    await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(PersonEntity);
      const existingIds = new Set(
        (await repo.find({ where: { engagementId }, select: { id: true } })).map((p) => p.id),
      );
      const rows: PersonEntity[] = input.map((p) => ({
        id: p.id && existingIds.has(p.id) ? p.id : randomUUID(),
        engagementId,
        displayName: p.displayName.trim(),
        email: p.email?.trim().toLowerCase() || null,
        side: p.side,
        isBot: p.isBot ?? false,
        identities: {
          github: clean(p.identities.github),
          jira: clean(p.identities.jira),
          slack: clean(p.identities.slack),
        },
      }));
      const keep = rows.map((r) => r.id);
      await repo.delete(keep.length ? { engagementId, id: Not(In(keep)) } : { engagementId });
      if (rows.length) await repo.save(rows, { chunk: 200 });
    });
    return this.people(engagementId);
  }

  async thresholds(engagementId: string): Promise<ThresholdDto[]> {
    const rows = await this.dataSource
      .getRepository(ThresholdEntity)
      .find({ where: { engagementId }, order: { kpiKey: 'ASC' } });
    return rows.map((t) => ({ kpiKey: t.kpiKey, warn: t.warn, breach: t.breach }));
  }

  /** Upsert the given thresholds (others stay as they are). Direction decides valid order. */
  async putThresholds(engagementId: string, input: ThresholdInput[]): Promise<ThresholdDto[]> {
    input.forEach((t, i) => {
      if (!isKpiKey(t.kpiKey))
        throw badRequest([{ field: `thresholds.${i}.kpiKey`, message: `unknown KPI ${t.kpiKey}` }]);
      const def = kpiDefinition(t.kpiKey);
      const warn = t.warn ?? null;
      const breach = t.breach ?? null;
      if (warn !== null && breach !== null) {
        const ordered = def.direction === 'higher' ? breach <= warn : breach >= warn;
        if (!ordered) {
          throw badRequest([
            {
              field: `thresholds.${i}.breach`,
              message: `for ${t.kpiKey} (${def.direction} is better) breach must be ${def.direction === 'higher' ? '≤' : '≥'} warn`,
            },
          ]);
        }
      }
    });
    await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(ThresholdEntity);
      for (const t of input) {
        const existing = await repo.findOneBy({ engagementId, kpiKey: t.kpiKey });
        await repo.save({
          id: existing?.id ?? randomUUID(),
          engagementId,
          kpiKey: t.kpiKey,
          warn: t.warn ?? null,
          breach: t.breach ?? null,
        });
      }
    });
    return this.thresholds(engagementId);
  }
}
