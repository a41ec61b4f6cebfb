import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { UserEntity } from '@pulse/db';
import type { UserAccountDto } from '@pulse/contracts';
import { SessionService } from '../auth/session.service';
import { AuditService, type AuditActor } from '../audit/audit.service';
import type { UpdateUserBody } from './users.dto';

export function toUserAccountDto(u: UserEntity): UserAccountDto {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    active: !u.disabled,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  };
}

export const LAST_ADMIN_MESSAGE =
  'This is the last active admin: make another user an admin first, then change or deactivate this one';

/** Accounts as admins manage them: role, (de)activation, display name. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<UserAccountDto[]> {
    const rows = await this.dataSource.getRepository(UserEntity).find({ order: { email: 'ASC' } });
    return rows.map(toUserAccountDto);
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw new NotFoundException(`No user ${id}`);
    return user;
  }

  async update(
    actor: AuditActor,
    id: string,
    input: UpdateUserBody,
    now = Date.now(),
  ): Promise<UserAccountDto> {
    const { before, after } = await this.dataSource.transaction(async (tx) => {
      await lockAdmins(tx);
      const user = await tx.getRepository(UserEntity).findOneBy({ id });
      if (!user) throw new NotFoundException(`No user ${id}`);
      const before = { ...user };
      if (input.role !== undefined) user.role = input.role;
      if (input.active !== undefined) user.disabled = !input.active;
      if (input.displayName !== undefined) user.displayName = input.displayName;
      const wasActiveAdmin = before.role === 'admin' && !before.disabled;
      const staysActiveAdmin = user.role === 'admin' && !user.disabled;
      if (wasActiveAdmin && !staysActiveAdmin) {
        const activeAdmins = await tx.getRepository(UserEntity).countBy({ role: 'admin', disabled: false });
        if (activeAdmins <= 1) throw new ConflictException(LAST_ADMIN_MESSAGE);
      }
      user.updatedAt = now;
      await tx.getRepository(UserEntity).save(user);
      return { before, after: user };
    });
    if (after.disabled && !before.disabled) await this.sessions.endAllFor(after.id);
    else this.sessions.forgetUser(after.id);
    const target = { type: 'user', id: after.id };
    if (before.role !== after.role)
      await this.audit.record(actor, {
        action: 'user.role_changed',
        target,
        summary: { email: after.email, role: { from: before.role, to: after.role } },
      });
    if (before.disabled !== after.disabled)
      await this.audit.record(actor, {
        action: after.disabled ? 'user.deactivated' : 'user.reactivated',
        target,
        summary: { email: after.email },
      });
    if (before.displayName !== after.displayName)
      await this.audit.record(actor, {
        action: 'user.updated',
        target,
        summary: { email: after.email, displayName: { from: before.displayName, to: after.displayName } },
      });
    return toUserAccountDto(after);
  }
}

/**
 * Serialises changes that could remove the last admin: on PostgreSQL the active admins' rows
 * are locked for the transaction; SQLite runs one writing transaction at a time anyway.
 */
async function lockAdmins(tx: EntityManager): Promise<void> {
  if (tx.connection.options.type !== 'postgres') return;
  await tx
    .getRepository(UserEntity)
    .createQueryBuilder('u')
    .select('u.id')
    .where('u.role = :role AND u.disabled = :disabled', { role: 'admin', disabled: false })
    .setLock('pessimistic_write')
    .getMany();
}
