import { randomBytes, randomUUID } from 'node:crypto';
import { IsNull, MoreThan, type DataSource } from 'typeorm';
import { InvitationEntity, UserEntity } from '@pulse/db';
import { hashPassword } from '../password';

/** The newest invitation for this e-mail that can still be accepted (not a reset link). */
export async function findPendingInvitation(
  dataSource: DataSource,
  email: string,
  now = Date.now(),
): Promise<InvitationEntity | null> {
  return dataSource.getRepository(InvitationEntity).findOne({
    where: { email, kind: 'invite', acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) },
    order: { createdAt: 'DESC' },
  });
}

/**
 * Accepts an invitation through single sign-on: the provider proved the invited e-mail, so
 * the account is created with the invited role. It gets a random password nobody knows (the
 * person signs in with SSO, or an admin issues a reset link). Returns null when the
 * invitation was used, revoked or the account created a moment ago (a race with the link).
 */
export async function acceptInvitationBySso(
  dataSource: DataSource,
  invitation: InvitationEntity,
  displayName: string | undefined,
  now = Date.now(),
): Promise<UserEntity | null> {
  const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
  return dataSource.transaction(async (tx) => {
    const claimed = await tx
      .getRepository(InvitationEntity)
      .update({ id: invitation.id, acceptedAt: IsNull(), revokedAt: IsNull() }, { acceptedAt: now });
    if (!claimed.affected) return null;
    const users = tx.getRepository(UserEntity);
    if (await users.existsBy({ email: invitation.email })) return null;
    const user: UserEntity = {
      id: randomUUID(),
      email: invitation.email,
      displayName: (displayName?.trim() || invitation.displayName || invitation.email.split('@')[0]!).slice(
        0,
        200,
      ),
      passwordHash,
      role: invitation.role,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await users.insert(user);
    return user;
  });
}
