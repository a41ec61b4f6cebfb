import { ConflictException, GoneException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { InvitationEntity, UserEntity } from '@pulse/db';
import type {
  InvitationDto,
  InvitationPreviewDto,
  IssuedInvitationDto,
  Role,
  UserDto,
} from '@pulse/contracts';
import { SessionService, toUserDto } from '../auth/session.service';
import { hashPassword } from '../auth/password';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { badRequest } from '../common/validation';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { MailerService } from './mailer.service';
import { passwordProblem } from './password-policy';
import type { AcceptInvitationBody, InviteUserBody } from './users.dto';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function statusOf(i: InvitationEntity, now: number): InvitationDto['status'] {
  if (i.acceptedAt !== null) return 'accepted';
  if (i.revokedAt !== null) return 'revoked';
  return i.expiresAt <= now ? 'expired' : 'pending';
}

export function toInvitationDto(i: InvitationEntity, now = Date.now()): InvitationDto {
  return {
    id: i.id,
    kind: i.kind,
    email: i.email,
    role: i.role,
    displayName: i.displayName,
    userId: i.userId,
    status: statusOf(i, now),
    createdBy: i.createdBy,
    createdAt: new Date(i.createdAt).toISOString(),
    expiresAt: new Date(i.expiresAt).toISOString(),
    acceptedAt: iso(i.acceptedAt),
    revokedAt: iso(i.revokedAt),
  };
}

/**
 * Invitations (a new user sets their password) and reset links (an existing user sets a new
 * one): single-use, 256-bit tokens of which only the SHA-256 is stored, expiring, revocable.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly mailer: MailerService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(InvitationEntity);
  }

  private link(token: string): string {
    return `${this.config.PULSE_PUBLIC_URL?.replace(/\/$/, '') ?? ''}/invitations/${token}`;
  }

  async invite(actor: AuditActor, input: InviteUserBody, now = Date.now()): Promise<IssuedInvitationDto> {
    const email = input.email.toLowerCase();
    if (await this.dataSource.getRepository(UserEntity).existsBy({ email }))
      throw new ConflictException(
        `${email} already has an account: change its role on the People page, or send a reset link`,
      );
    // One pending invitation per address: a new one replaces the earlier links.
    await this.repo.update(
      { email, kind: 'invite', acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: now },
    );
    const issued = await this.issue(
      { kind: 'invite', email, role: input.role, displayName: input.displayName ?? null, userId: null },
      actor,
      now,
    );
    await this.audit.record(actor, {
      action: 'invitation.created',
      target: { type: 'invitation', id: issued.invitation.id },
      summary: { email, role: input.role, expiresAt: issued.invitation.expiresAt },
    });
    const mail = await this.mailer.send(
      email,
      'You are invited to Pulse',
      `${actor.email ?? 'An administrator'} invited you to Pulse as ${input.role}.\n\n` +
        `Open this link to choose your password (valid until ${issued.invitation.expiresAt}):\n${issued.url}\n`,
    );
    return { ...issued, email: mail };
  }

  async resetLink(actor: AuditActor, userId: string, now = Date.now()): Promise<IssuedInvitationDto> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: userId });
    if (!user) throw new NotFoundException(`No user ${userId}`);
    if (user.disabled)
      throw new ConflictException(
        `${user.email} is deactivated: reactivate the account before sending a reset link`,
      );
    await this.repo.update(
      { userId, kind: 'reset', acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: now },
    );
    const issued = await this.issue(
      { kind: 'reset', email: user.email, role: user.role, displayName: user.displayName, userId },
      actor,
      now,
    );
    await this.audit.record(actor, {
      action: 'reset_link.created',
      target: { type: 'user', id: userId },
      summary: { email: user.email, expiresAt: issued.invitation.expiresAt },
    });
    const mail = await this.mailer.send(
      user.email,
      'Reset your Pulse password',
      `Open this link to choose a new Pulse password (valid until ${issued.invitation.expiresAt}):\n${issued.url}\n`,
    );
    return { ...issued, email: mail };
  }

  private async issue(
    what: Pick<InvitationEntity, 'kind' | 'email' | 'role' | 'displayName' | 'userId'>,
    actor: AuditActor,
    now: number,
  ): Promise<Omit<IssuedInvitationDto, 'email'>> {
    const token = randomBytes(32).toString('base64url');
    const row: InvitationEntity = {
      id: randomUUID(),
      ...what,
      tokenHash: sha256(token),
      createdBy: actor.id,
      createdAt: now,
      expiresAt: now + this.config.PULSE_INVITATION_TTL_HOURS * 3600 * 1000,
      acceptedAt: null,
      revokedAt: null,
    };
    await this.repo.insert(row);
    return { invitation: toInvitationDto(row, now), url: this.link(token), token };
  }

  async list(now = Date.now()): Promise<InvitationDto[]> {
    const rows = await this.repo.find({ order: { createdAt: 'DESC' }, take: 500 });
    return rows.map((r) => toInvitationDto(r, now));
  }

  async revoke(actor: AuditActor, id: string, now = Date.now()): Promise<void> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw new NotFoundException(`No invitation ${id}`);
    if (row.acceptedAt !== null)
      throw new ConflictException('This invitation was already used; it cannot be revoked');
    if (row.revokedAt !== null) return;
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: now });
    await this.audit.record(actor, {
      action: 'invitation.revoked',
      target: { type: 'invitation', id },
      summary: { kind: row.kind, email: row.email },
    });
  }

  /** The link's row while it can still be used; 404 for unknown, 410 for used/revoked/expired. */
  private async usable(token: string, now: number): Promise<InvitationEntity> {
    const row = await this.repo.findOneBy({ tokenHash: sha256(token) });
    if (!row) throw new NotFoundException('This invitation link is not valid: ask an admin for a new one');
    const status = statusOf(row, now);
    if (status !== 'pending')
      throw new GoneException(`This link can no longer be used (${status}): ask an admin for a new one`);
    return row;
  }

  async preview(token: string, now = Date.now()): Promise<InvitationPreviewDto> {
    const row = await this.usable(token, now);
    return {
      kind: row.kind,
      email: row.email,
      role: row.role,
      displayName: row.displayName,
      expiresAt: new Date(row.expiresAt).toISOString(),
    };
  }

  /** Sets the password (creating the user for an invitation); the caller signs the user in. */
  async accept(
    ip: string | null,
    token: string,
    input: AcceptInvitationBody,
    now = Date.now(),
  ): Promise<UserDto> {
    const row = await this.usable(token, now);
    const problem = passwordProblem(input.password, row.email);
    if (problem) throw badRequest([{ field: 'password', message: problem }]);
    const passwordHash = await hashPassword(input.password);
    const user = await this.dataSource.transaction(async (tx) => {
      // Single use even under a race: only one request flips accepted_at.
      const claimed = await tx
        .getRepository(InvitationEntity)
        .update({ id: row.id, acceptedAt: IsNull(), revokedAt: IsNull() }, { acceptedAt: now });
      if (!claimed.affected)
        throw new GoneException('This link was used a moment ago: ask an admin for a new one');
      const users = tx.getRepository(UserEntity);
      if (row.kind === 'reset') {
        const existing = await users.findOneBy({ id: row.userId ?? '' });
        if (!existing || existing.disabled)
          throw new GoneException('This account no longer exists or is deactivated: ask an admin');
        await users.update({ id: existing.id }, { passwordHash, updatedAt: now });
        return existing;
      }
      if (await users.existsBy({ email: row.email }))
        throw new ConflictException(`${row.email} already has an account: sign in instead`);
      const created: UserEntity = {
        id: randomUUID(),
        email: row.email,
        displayName: input.displayName ?? row.displayName ?? row.email.split('@')[0]!,
        passwordHash,
        role: row.role as Role,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      };
      await users.insert(created);
      return created;
    });
    if (row.kind === 'reset') await this.sessions.endAllFor(user.id);
    await this.audit.record(
      { id: user.id, email: user.email, ip },
      row.kind === 'reset'
        ? {
            action: 'auth.password_reset',
            target: { type: 'user', id: user.id },
            summary: { email: user.email },
          }
        : {
            action: 'invitation.accepted',
            target: { type: 'invitation', id: row.id },
            summary: { email: user.email, role: user.role, userId: user.id },
          },
    );
    return toUserDto(user);
  }
}
