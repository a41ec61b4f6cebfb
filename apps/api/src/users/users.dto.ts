import { z } from 'zod';
import { USER_ROLES } from '@pulse/contracts';
import { PASSWORD_MAX_LENGTH } from './password-policy';

const email = z
  .email('must be an e-mail address such as dana@example.com')
  .max(320)
  .meta({ example: 'dana@example.com' });
const role = z.enum(USER_ROLES);
const displayName = z.string().trim().min(1).max(200);

export const inviteUserSchema = z.strictObject({ email, role, displayName: displayName.optional() });
export type InviteUserBody = z.infer<typeof inviteUserSchema>;

export const updateUserSchema = z
  .strictObject({
    role: role.optional(),
    active: z.boolean().optional(),
    displayName: displayName.optional(),
  })
  .refine((v) => v.role !== undefined || v.active !== undefined || v.displayName !== undefined, {
    message: 'send at least one of role, active, displayName',
  });
export type UpdateUserBody = z.infer<typeof updateUserSchema>;

// The length and common-password rules are checked by password-policy.ts (one message each).
const newPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export const acceptInvitationSchema = z.strictObject({
  password: newPassword,
  displayName: displayName.optional(),
});
export type AcceptInvitationBody = z.infer<typeof acceptInvitationSchema>;

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword,
});
export type ChangePasswordBody = z.infer<typeof changePasswordSchema>;

/** An invitation token as issued (256 bits, base64url). */
export const invitationToken = z
  .string()
  .regex(/^[\w-]{43}$/, 'is not an invitation link: copy the whole link you were given');
