// What the signed-in person may do on one engagement, so the dashboard shows only the
// controls that would work. The API decides for real (its access guard); this mirrors it.
import type { EngagementMembersDto, UserDto } from '@pulse/contracts';

export type EngagementAccess = 'manage' | 'edit' | 'read';

/**
 * The API's own answer (`myAccess` on the engagement) when it gives one; otherwise derived:
 * admin or owner: manage (members, delete); editor member: edit settings; anyone else: read.
 */
export function engagementAccess(
  me: UserDto,
  members: EngagementMembersDto | undefined,
  myAccess?: readonly EngagementAccess[],
): EngagementAccess {
  if (myAccess) return myAccess.includes('manage') ? 'manage' : myAccess.includes('edit') ? 'edit' : 'read';
  if (me.role === 'admin') return 'manage';
  if (me.role === 'viewer' || !members) return 'read';
  if (members.owner?.userId === me.id) return 'manage';
  const mine = members.members.find((m) => m.userId === me.id);
  return mine?.rights === 'editor' ? 'edit' : 'read';
}

export const canEdit = (access: EngagementAccess) => access !== 'read';
