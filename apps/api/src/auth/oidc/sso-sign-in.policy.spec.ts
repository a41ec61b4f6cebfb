import { decideSsoSignIn, safeReturnPath } from './sso-sign-in.policy';

const verified = (email: string) => ({ email, email_verified: true });
const active = { id: 'u1', disabled: false };

describe('decideSsoSignIn', () => {
  it('lets an active user in by their verified e-mail, case-insensitively', () => {
    expect(
      decideSsoSignIn({
        identity: verified('Ana@Example.COM'),
        allowedDomains: undefined,
        account: active,
        invited: false,
      }),
    ).toEqual({ allowed: true, email: 'ana@example.com', account: active });
  });

  it('refuses an address the provider did not verify, even for a known user', () => {
    for (const email_verified of [false, undefined, 'true']) {
      expect(
        decideSsoSignIn({
          identity: { email: 'ana@example.com', email_verified },
          allowedDomains: undefined,
          account: active,
          invited: false,
        }),
      ).toMatchObject({ allowed: false, reason: 'email_unverified' });
    }
  });

  it('refuses a missing or malformed e-mail claim', () => {
    for (const email of [undefined, 42, 'no-at-sign', 'a b@c.d']) {
      expect(
        decideSsoSignIn({
          identity: { email, email_verified: true },
          allowedDomains: undefined,
          account: null,
          invited: true,
        }),
      ).toMatchObject({ allowed: false, reason: 'email_missing' });
    }
  });

  it('refuses domains outside the allowed list, before looking at accounts', () => {
    const decide = (email: string) =>
      decideSsoSignIn({
        identity: verified(email),
        allowedDomains: ['example.com'],
        account: active,
        invited: false,
      });
    expect(decide('ana@example.org')).toMatchObject({ allowed: false, reason: 'domain_not_allowed' });
    // a sub-domain or a look-alike suffix is another domain
    expect(decide('ana@evil.example.com')).toMatchObject({ allowed: false, reason: 'domain_not_allowed' });
    expect(decide('ana@notexample.com')).toMatchObject({ allowed: false, reason: 'domain_not_allowed' });
    expect(decide('ana@EXAMPLE.com')).toMatchObject({ allowed: true });
  });

  it('refuses a deactivated user and a stranger; lets a pending invitation through', () => {
    const base = { identity: verified('bo@example.com'), allowedDomains: undefined };
    expect(decideSsoSignIn({ ...base, account: { id: 'u2', disabled: true }, invited: true })).toMatchObject({
      allowed: false,
      reason: 'deactivated',
    });
    expect(decideSsoSignIn({ ...base, account: null, invited: false })).toMatchObject({
      allowed: false,
      reason: 'not_invited',
    });
    expect(decideSsoSignIn({ ...base, account: null, invited: true })).toEqual({
      allowed: true,
      email: 'bo@example.com',
      account: null,
    });
  });
});

describe('safeReturnPath', () => {
  it.each([
    [undefined, '/'],
    ['/engagements/1', '/engagements/1'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
  ])('%s → %s', (next, expected) => {
    expect(safeReturnPath(next)).toBe(expected);
  });
});
