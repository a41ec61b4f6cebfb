import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { EngagementEntity, EngagementMemberEntity, UserEntity } from '@pulse/db';
import type { EngagementMembersDto, MemberCandidateDto, MemberRights } from '@pulse/contracts';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { badRequest } from '../common/validation';

/** Who besides the owner may read or edit an engagement. */
@Injectable()
export class MembersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(engagement: EngagementEntity): Promise<EngagementMembersDto> {
    const members = await this.dataSource
      .getRepository(EngagementMemberEntity)
      .find({ where: { engagementId: engagement.id } });
    const users = await this.dataSource
      .getRepository(UserEntity)
      .findBy({ id: In([engagement.ownerId, ...members.map((m) => m.userId)]) });
    const byId = new Map(users.map((u) => [u.id, u]));
    const owner = byId.get(engagement.ownerId);
    return {
      owner: owner ? { userId: owner.id, email: owner.email, displayName: owner.displayName } : null,
      members: members
        .flatMap((m) => {
          const u = byId.get(m.userId);
          return u
            ? [
                {
                  userId: u.id,
                  email: u.email,
                  displayName: u.displayName,
                  role: u.role,
                  active: !u.disabled,
                  rights: m.rights,
                },
              ]
            : [];
        })
        .sort((a, b) => a.email.localeCompare(b.email)),
    };
  }

  /** Active users other than the owner: whom the owner may add (viewers only as readers in effect). */
  async candidates(engagement: EngagementEntity): Promise<MemberCandidateDto[]> {
    const users = await this.dataSource
      .getRepository(UserEntity)
      .find({ where: { disabled: false }, order: { email: 'ASC' }, take: 5000 });
    return users
      .filter((u) => u.id !== engagement.ownerId)
      .map((u) => ({ userId: u.id, email: u.email, displayName: u.displayName, role: u.role }));
  }

  /** Replaces the member list; the owner is not a member (they hold every right already). */
  async put(
    actor: AuditActor,
    engagement: EngagementEntity,
    input: { userId: string; rights: MemberRights }[],
    now = Date.now(),
  ): Promise<EngagementMembersDto> {
    const seen = new Set<string>();
    input.forEach((m, i) => {
      if (seen.has(m.userId))
        throw badRequest([
          { field: `members.${i}.userId`, message: 'is listed twice: list each person once' },
        ]);
      if (m.userId === engagement.ownerId)
        throw badRequest([
          {
            field: `members.${i}.userId`,
            message: 'is the owner, who already has every right: leave them out',
          },
        ]);
      seen.add(m.userId);
    });
    const found = new Set(
      (await this.dataSource.getRepository(UserEntity).findBy({ id: In([...seen]) })).map((u) => u.id),
    );
    const missing = input.findIndex((m) => !found.has(m.userId));
    if (missing >= 0)
      throw badRequest([
        { field: `members.${missing}.userId`, message: 'is not a user of Pulse: invite them first' },
      ]);
    const before = await this.dataSource
      .getRepository(EngagementMemberEntity)
      .find({ where: { engagementId: engagement.id } });
    await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(EngagementMemberEntity);
      await repo.delete({ engagementId: engagement.id });
      if (input.length > 0)
        await repo.insert(
          input.map((m) => ({
            engagementId: engagement.id,
            userId: m.userId,
            rights: m.rights,
            createdAt: before.find((b) => b.userId === m.userId)?.createdAt ?? now,
          })),
        );
    });
    const was = new Map(before.map((b) => [b.userId, b.rights]));
    const now_ = new Map(input.map((m) => [m.userId, m.rights]));
    const changes = [...new Set([...was.keys(), ...now_.keys()])]
      .filter((id) => was.get(id) !== now_.get(id))
      .map((userId) => ({ userId, from: was.get(userId) ?? null, to: now_.get(userId) ?? null }));
    if (changes.length > 0)
      await this.audit.record(actor, {
        action: 'members.changed',
        engagementId: engagement.id,
        target: { type: 'engagement', id: engagement.id },
        summary: { changes },
      });
    return this.get(engagement);
  }
}
