import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { EngagementEntity, EngagementMemberEntity } from '@pulse/db';
import type { EngagementAccessLevel, UserDto } from '@pulse/contracts';

/** Why a user may touch an engagement at all. */
export type EngagementRelation = 'admin' | 'owner' | 'editor' | 'viewer';

export interface EngagementGrant {
  engagement: EngagementEntity;
  relation: EngagementRelation;
  /** The levels this user holds on it (a `viewer` user role never holds edit or manage). */
  levels: ReadonlySet<EngagementAccessLevel>;
}

const LEVELS_BY_RELATION: Record<EngagementRelation, EngagementAccessLevel[]> = {
  admin: ['read', 'edit', 'manage'],
  owner: ['read', 'edit', 'manage'],
  editor: ['read', 'edit'],
  viewer: ['read'],
};

const levelsOf = (user: UserDto, relation: EngagementRelation): EngagementAccessLevel[] =>
  user.role === 'viewer' ? ['read'] : LEVELS_BY_RELATION[relation];

const WHAT_NEEDS: Record<EngagementAccessLevel, string> = {
  read: 'read access',
  edit: 'editor rights',
  manage: 'the owner or an admin',
};

/**
 * The one place that decides who may do what on an engagement. Routes use it through
 * @EngagementAccess (engagement-access.guard.ts); listing uses `visible` (or `visibleIds`).
 */
@Injectable()
export class EngagementAccessService {
  constructor(private readonly dataSource: DataSource) {}

  /** The user's grant on the engagement, or null when they are not related to it (or it is gone). */
  async grant(user: UserDto, engagementId: string): Promise<EngagementGrant | null> {
    const engagement = await this.dataSource.getRepository(EngagementEntity).findOneBy({ id: engagementId });
    if (!engagement) return null;
    let relation: EngagementRelation | null = null;
    if (user.role === 'admin') relation = 'admin';
    else if (engagement.ownerId === user.id) relation = 'owner';
    else {
      const member = await this.dataSource
        .getRepository(EngagementMemberEntity)
        .findOneBy({ engagementId, userId: user.id });
      relation = member?.rights ?? null;
    }
    if (!relation) return null;
    return { engagement, relation, levels: new Set(levelsOf(user, relation)) };
  }

  /**
   * The engagement when the user holds `level` on it. Unrelated users get the same 404 as for
   * a missing engagement (no existence leak); members without the level get a 403 saying why.
   */
  async require(user: UserDto, engagementId: string, level: EngagementAccessLevel): Promise<EngagementGrant> {
    const grant = await this.grant(user, engagementId);
    if (!grant) throw new NotFoundException(`No engagement ${engagementId}`);
    if (!grant.levels.has(level)) {
      const why =
        user.role === 'viewer'
          ? 'your role is viewer, which changes nothing'
          : `you are a ${grant.relation} of this engagement`;
      throw new ForbiddenException(
        `This needs ${WHAT_NEEDS[level]} (${why}); ask the engagement's owner or an admin`,
      );
    }
    return grant;
  }

  /** Ids of the engagements the user may read; `null` means all (admins). */
  async visibleIds(user: UserDto): Promise<string[] | null> {
    if (user.role === 'admin') return null;
    const [owned, memberOf] = await Promise.all([
      this.dataSource
        .getRepository(EngagementEntity)
        .find({ select: { id: true }, where: { ownerId: user.id } }),
      this.dataSource
        .getRepository(EngagementMemberEntity)
        .find({ select: { engagementId: true }, where: { userId: user.id } }),
    ]);
    return [...new Set([...owned.map((e) => e.id), ...memberOf.map((m) => m.engagementId)])];
  }

  /** The engagements the user may read, with what they may do on each, for list routes. */
  async visible(user: UserDto): Promise<EngagementGrant[]> {
    const repo = this.dataSource.getRepository(EngagementEntity);
    const memberships = new Map(
      (await this.dataSource.getRepository(EngagementMemberEntity).find({ where: { userId: user.id } })).map(
        (m) => [m.engagementId, m.rights],
      ),
    );
    const rows =
      user.role === 'admin'
        ? await repo.find({ order: { name: 'ASC' } })
        : await repo.find({
            where: [{ ownerId: user.id }, ...(memberships.size ? [{ id: In([...memberships.keys()]) }] : [])],
            order: { name: 'ASC' },
          });
    return rows.map((engagement) => {
      const relation: EngagementRelation =
        user.role === 'admin'
          ? 'admin'
          : engagement.ownerId === user.id
            ? 'owner'
            : memberships.get(engagement.id)!;
      return { engagement, relation, levels: new Set(levelsOf(user, relation)) };
    });
  }
}
