import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull } from 'typeorm';
import {
  hashEmail,
  ChatMessageEntity,
  IdentityHintEntity,
  PersonEntity,
  PullRequestEntity,
  ReviewEntity,
  ThresholdEntity,
} from '@pulse/db';
import {
  isKpiKey,
  kpiDefinition,
  type PersonDto,
  type ThresholdDto,
  type UnassignedIdentityDto,
} from '@pulse/contracts';
import { badRequest } from '../common/validation';
import type { PersonInputDto, ThresholdDto as ThresholdInput } from './engagement.dto';

const clean = (values: string[] | undefined) => [
  ...new Set((values ?? []).map((v) => v.trim()).filter(Boolean)),
];

/** `source:id` keys of a person's identities (GitHub logins are case-insensitive). */
function identityKeys(identities: PersonEntity['identities']): Set<string> {
  const keys = new Set<string>();
  for (const source of ['github', 'jira', 'slack'] as const)
    for (const id of identities[source] ?? [])
      keys.add(`${source}:${source === 'github' ? id.toLowerCase() : id}`);
  return keys;
}

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
      .find({ where: { engagementId, leftAt: IsNull() }, order: { displayName: 'ASC' } });
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
      const existing = await repo.findBy({ engagementId });
      const byId = new Map(existing.map((p) => [p.id, p]));
      const tombstones = existing.filter((p) => p.leftAt !== null);
      const reused = new Set<string>();
      const rows: PersonEntity[] = input.map((p) => {
        const identities = {
          github: clean(p.identities.github),
          jira: clean(p.identities.jira),
          slack: clean(p.identities.slack),
        };
        // Re-adding someone who left (same id, or a shared identity) brings the tombstone
        // back, so their history and id stay one person.
        let id = p.id && byId.has(p.id) ? p.id : undefined;
        if (id === undefined) {
          const keys = identityKeys(identities);
          id = tombstones.find(
            (t) => !reused.has(t.id) && [...identityKeys(t.identities)].some((k) => keys.has(k)),
          )?.id;
        }
        id ??= randomUUID();
        reused.add(id);
        return {
          id,
          engagementId,
          displayName: p.displayName.trim(),
          email: p.email?.trim().toLowerCase() || null,
          side: p.side,
          isBot: p.isBot ?? false,
          identities,
          leftAt: null,
        };
      });
      const kept = new Set(rows.map((r) => r.id));
      const claimed = new Set(rows.flatMap((r) => [...identityKeys(r.identities)]));
      const now = Date.now();
      const drop: string[] = [];
      const keep: PersonEntity[] = [];
      for (const p of existing) {
        if (kept.has(p.id)) continue;
        // Vendor people leave a tombstone for continuity.contributor_departures; others go.
        if (p.leftAt === null && (p.isBot || p.side !== 'vendor')) {
          drop.push(p.id);
          continue;
        }
        // An identity now linked to someone on the roster is theirs, not the tombstone's.
        const identities = {
          github: (p.identities.github ?? []).filter((x) => !claimed.has(`github:${x.toLowerCase()}`)),
          jira: (p.identities.jira ?? []).filter((x) => !claimed.has(`jira:${x}`)),
          slack: (p.identities.slack ?? []).filter((x) => !claimed.has(`slack:${x}`)),
        };
        keep.push({ ...p, identities, leftAt: p.leftAt ?? now });
      }
      if (drop.length) await repo.delete({ engagementId, id: In(drop) });
      const all = [...rows, ...keep];
      if (all.length) await repo.save(all, { chunk: 200 });
    });
    return this.people(engagementId);
  }

  /**
   * GitHub logins seen on PRs or reviews that no roster person claims (bots excluded), most
   * active first, so the manager can assign them a side.
   */
  async unassigned(engagementId: string): Promise<UnassignedIdentityDto[]> {
    const people = await this.dataSource.getRepository(PersonEntity).findBy({ engagementId });
    const known = new Set(people.flatMap((p) => (p.identities.github ?? []).map((l) => l.toLowerCase())));
    const seen = new Map<string, UnassignedIdentityDto>();
    const add = (login: string, kind: 'pullRequests' | 'reviews', count: number, last: number) => {
      if (known.has(login.toLowerCase()) || login.endsWith('[bot]')) return;
      const entry = seen.get(login) ?? {
        source: 'github',
        externalId: login,
        pullRequests: 0,
        reviews: 0,
        lastSeenAt: '',
      };
      entry[kind] += Number(count);
      const iso = new Date(Number(last)).toISOString();
      if (iso > entry.lastSeenAt) entry.lastSeenAt = iso;
      seen.set(login, entry);
    };
    const prs = await this.dataSource
      .getRepository(PullRequestEntity)
      .createQueryBuilder('p')
      .select('p.author_login', 'login')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MAX(p.created_at)', 'last')
      .where('p.engagement_id = :engagementId AND p.author_is_bot = :bot', { engagementId, bot: false })
      .groupBy('p.author_login')
      .getRawMany<{ login: string; n: string | number; last: string | number }>();
    for (const r of prs) add(r.login, 'pullRequests', Number(r.n), Number(r.last));
    const reviews = await this.dataSource
      .getRepository(ReviewEntity)
      .createQueryBuilder('r')
      .select('r.reviewer_login', 'login')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MAX(r.submitted_at)', 'last')
      .where('r.engagement_id = :engagementId AND r.reviewer_is_bot = :bot', { engagementId, bot: false })
      .groupBy('r.reviewer_login')
      .getRawMany<{ login: string; n: string | number; last: string | number }>();
    for (const r of reviews) add(r.login, 'reviews', Number(r.n), Number(r.last));
    // Suggest the roster person whose email the login commits with: hints hold only the
    // email's hash, so the roster's emails are hashed the same way to compare.
    const byEmailHash = new Map(
      people.filter((p) => p.email && p.leftAt === null).map((p) => [hashEmail(p.email!), p]),
    );
    const hints = seen.size
      ? await this.dataSource.getRepository(IdentityHintEntity).findBy({ engagementId, source: 'github' })
      : [];
    for (const hint of hints) {
      const entry = seen.get(hint.externalId);
      if (!entry) continue;
      const person = byEmailHash.get(hint.emailHash);
      if (person && !entry.suggestedPerson)
        entry.suggestedPerson = { id: person.id, displayName: person.displayName, side: person.side };
    }
    const github = [...seen.values()].sort(
      (a, b) => b.pullRequests + b.reviews - (a.pullRequests + a.reviews),
    );
    return [...github, ...(await this.unassignedSlack(engagementId, people, byEmailHash))];
  }

  /**
   * Slack users who posted in the monitored channels and no roster person claims, most
   * active first; bots (bot_id, bot_message, is_bot users) never appear. The person with the
   * user's profile e-mail is suggested, for the manager to confirm (compared as hashes:
   * Pulse keeps no Slack e-mail in clear either).
   */
  private async unassignedSlack(
    engagementId: string,
    people: PersonEntity[],
    byEmailHash: Map<string, PersonEntity>,
  ): Promise<UnassignedIdentityDto[]> {
    const known = new Set(people.flatMap((p) => p.identities.slack ?? []));
    const authors = await this.dataSource
      .getRepository(ChatMessageEntity)
      .createQueryBuilder('m')
      .select('m.author_id', 'user')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MAX(m.at)', 'last')
      .where('m.engagement_id = :engagementId AND m.author_id IS NOT NULL AND m.bot_id IS NULL', {
        engagementId,
      })
      .andWhere("(m.subtype IS NULL OR m.subtype NOT IN ('bot_message', 'channel_join', 'channel_leave'))")
      .groupBy('m.author_id')
      .getRawMany<{ user: string; n: string | number; last: string | number }>();
    const hints = await this.dataSource
      .getRepository(IdentityHintEntity)
      .findBy({ engagementId, source: 'slack' });
    const hashesOf = new Map<string, string[]>();
    for (const h of hints) hashesOf.set(h.externalId, [...(hashesOf.get(h.externalId) ?? []), h.emailHash]);
    const out: UnassignedIdentityDto[] = [];
    for (const a of authors) {
      if (known.has(a.user)) continue;
      const hashes = hashesOf.get(a.user);
      // Users listed without an e-mail hint may be bot users (is_bot): only people get hints.
      const entry: UnassignedIdentityDto = {
        source: 'slack',
        externalId: a.user,
        pullRequests: 0,
        reviews: 0,
        messages: Number(a.n),
        lastSeenAt: new Date(Number(a.last)).toISOString(),
      };
      const person = hashes?.map((h) => byEmailHash.get(h)).find((p) => p !== undefined);
      if (person)
        entry.suggestedPerson = { id: person.id, displayName: person.displayName, side: person.side };
      out.push(entry);
    }
    return out.sort((a, b) => (b.messages ?? 0) - (a.messages ?? 0));
  }

  async thresholds(engagementId: string): Promise<ThresholdDto[]> {
    const rows = await this.dataSource
      .getRepository(ThresholdEntity)
      .find({ where: { engagementId }, order: { kpiKey: 'ASC' } });
    return rows.map((t) => ({ kpiKey: t.kpiKey, warn: t.warn, breach: t.breach, minN: t.minN ?? null }));
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
          // Absent keeps the stored minimum sample; null resets it to the catalogue default.
          minN: t.minN === undefined ? (existing?.minN ?? null) : t.minN,
        });
      }
    });
    return this.thresholds(engagementId);
  }
}
