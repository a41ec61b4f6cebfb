import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each([
    ['short', /at least 12/],
    ['password1234', /common/],
    ['Password123!', /common/],
    ['Summer 2026!!', /common/],
    ['qwertyuiop123', /common/],
    ['123456789012', /common|guess/],
    ['aaaaaaaaaaaaaaa', /common|few/],
    ['x'.repeat(1025), /at most 1024/],
  ])('refuses %j', (password, why) => {
    expect(passwordProblem(password)).toMatch(why);
  });

  it('refuses a password that is mostly the e-mail address', () => {
    expect(passwordProblem('dana.fischer-2026', 'dana.fischer@example.com')).toMatch(/e-mail/);
  });

  it.each(['violet tractor under seven lamps', 'N7#kq2!vPz9w', 'summer-cactus-ledger-41'])(
    'accepts %j',
    (password) => {
      expect(passwordProblem(password, 'dana@example.com')).toBeNull();
    },
  );
});
