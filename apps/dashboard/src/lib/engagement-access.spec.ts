import type { EngagementMembersDto, UserDto } from '@pulse/contracts';
import { canEdit, engagementAccess } from './engagement-access';

const user = (id: string, role: UserDto['role']): UserDto => ({
  id,
  email: `${id}@x.test`,
  displayName: id,
  role,
});
const members: EngagementMembersDto = {
  owner: { userId: 'owner', email: 'owner@x.test', displayName: 'Owner' },
  members: [
    { userId: 'ed', email: 'ed@x.test', displayName: 'Ed', role: 'manager', active: true, rights: 'editor' },
    { userId: 'vi', email: 'vi@x.test', displayName: 'Vi', role: 'manager', active: true, rights: 'viewer' },
    { userId: 'gv', email: 'gv@x.test', displayName: 'Gv', role: 'viewer', active: true, rights: 'editor' },
  ],
};

describe('engagementAccess', () => {
  it('gives admins and the owner everything, editors settings, viewer members nothing to change', () => {
    expect(engagementAccess(user('a', 'admin'), undefined)).toBe('manage');
    expect(engagementAccess(user('owner', 'manager'), members)).toBe('manage');
    expect(engagementAccess(user('ed', 'manager'), members)).toBe('edit');
    expect(engagementAccess(user('vi', 'manager'), members)).toBe('read');
  });

  it('keeps a viewer account read-only whatever its membership says, and reads while members are unknown', () => {
    expect(engagementAccess(user('gv', 'viewer'), members)).toBe('read');
    expect(engagementAccess(user('ed', 'manager'), undefined)).toBe('read');
    expect(canEdit('read')).toBe(false);
    expect(canEdit('edit')).toBe(true);
  });

  it("follows the API's myAccess when the engagement carries it", () => {
    expect(engagementAccess(user('vi', 'manager'), members, ['read', 'edit'])).toBe('edit');
    expect(engagementAccess(user('ed', 'manager'), members, ['read'])).toBe('read');
    expect(engagementAccess(user('x', 'manager'), undefined, ['read', 'edit', 'manage'])).toBe('manage');
  });
});
