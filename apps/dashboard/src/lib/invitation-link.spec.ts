import { invitationLink } from './invitation-link';

describe('invitationLink', () => {
  const token = 'a'.repeat(43);
  it('keeps an absolute link, completes a relative one, and builds one from the token', () => {
    expect(invitationLink({ url: `https://pulse.example/invitations/${token}`, token }, 'http://x')).toBe(
      `https://pulse.example/invitations/${token}`,
    );
    expect(invitationLink({ url: `/invitations/${token}`, token }, 'http://127.0.0.1:3000')).toBe(
      `http://127.0.0.1:3000/invitations/${token}`,
    );
    expect(invitationLink({ url: '', token }, 'http://h')).toBe(`http://h/invite/${token}`);
  });
});
