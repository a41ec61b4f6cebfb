import { rowFromIdentity, rowFromPerson, unclaimedIdentities, type RosterRow } from './roster';
import { anUnassignedLogin } from './test-builders';

const row = (github: string): RosterRow => ({
  displayName: 'Someone',
  email: '',
  side: 'client',
  isBot: false,
  github,
  jira: '',
  slack: '',
});

describe('rowFromIdentity', () => {
  it('makes a new person named after the login, on the chosen side', () => {
    expect(rowFromIdentity(anUnassignedLogin('octo-dev'), 'vendor')).toEqual({
      displayName: 'octo-dev',
      email: '',
      side: 'vendor',
      isBot: false,
      github: 'octo-dev',
      jira: '',
      slack: '',
    });
    expect(rowFromIdentity(anUnassignedLogin('pm'), 'client').side).toBe('client');
  });
  it('has no id, so Save creates the person', () => {
    expect(rowFromIdentity(anUnassignedLogin('x'), 'client').id).toBeUndefined();
  });
});

describe('unclaimedIdentities', () => {
  it('drops logins the form already lists, whatever their case or separator', () => {
    const seen = [anUnassignedLogin('Alice'), anUnassignedLogin('bob'), anUnassignedLogin('carol')];
    const left = unclaimedIdentities(seen, [row('alice'), row('dave,  BOB')]);
    expect(left.map((i) => i.externalId)).toEqual(['carol']);
  });
  it('keeps every login when the form claims none', () => {
    const seen = [anUnassignedLogin('alice')];
    expect(unclaimedIdentities(seen, [row('')])).toEqual(seen);
  });
});

describe('rowFromPerson', () => {
  it('joins identities for editing', () => {
    const r = rowFromPerson({
      id: 'p1',
      displayName: 'Alice',
      email: null,
      side: 'vendor',
      isBot: false,
      identities: { github: ['alice', 'alice-work'], jira: [], slack: ['U1'] },
    });
    expect(r).toMatchObject({ id: 'p1', email: '', github: 'alice, alice-work', slack: 'U1' });
  });
});
