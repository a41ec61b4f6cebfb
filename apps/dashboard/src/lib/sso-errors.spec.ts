import { ssoErrorMessage } from './sso-errors';

describe('ssoErrorMessage', () => {
  it('explains each reason the API sends, and says what to do', () => {
    expect(ssoErrorMessage('not_invited')).toMatch(/invite you/);
    expect(ssoErrorMessage('deactivated')).toMatch(/reactivate/);
    expect(ssoErrorMessage('domain_not_allowed')).toMatch(/password/);
    expect(ssoErrorMessage('unavailable')).toMatch(/Try again later/);
  });

  it('has nothing to say without a reason, and a generic sentence for an unknown one', () => {
    expect(ssoErrorMessage(null)).toBeNull();
    expect(ssoErrorMessage('<script>')).toMatch(/did not work/);
  });
});
