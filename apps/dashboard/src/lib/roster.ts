import type { PersonDto, RosterSide, UnassignedIdentityDto } from '@pulse/contracts';

/** One editable line of the roster form; identities are comma/space separated text. */
export interface RosterRow {
  id?: string;
  displayName: string;
  email: string;
  side: RosterSide;
  isBot: boolean;
  github: string;
  jira: string;
  slack: string;
}

export const splitIdentities = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);

export function rowFromPerson(p: PersonDto): RosterRow {
  return {
    id: p.id,
    displayName: p.displayName,
    email: p.email ?? '',
    side: p.side,
    isBot: p.isBot,
    github: p.identities.github.join(', '),
    jira: p.identities.jira.join(', '),
    slack: p.identities.slack.join(', '),
  };
}

/** A new roster person for a GitHub login nobody claims: named after the login until renamed. */
export function rowFromIdentity(identity: UnassignedIdentityDto, side: RosterSide): RosterRow {
  return {
    displayName: identity.externalId,
    email: '',
    side,
    isBot: false,
    github: identity.source === 'github' ? identity.externalId : '',
    jira: '',
    slack: identity.source === 'slack' ? identity.externalId : '',
  };
}

/**
 * The unassigned logins the form does not claim yet: once added (even before Save) a login
 * leaves the list. GitHub logins are case-insensitive, as the API compares them.
 */
export function unclaimedIdentities(
  identities: readonly UnassignedIdentityDto[],
  rows: readonly RosterRow[],
): UnassignedIdentityDto[] {
  const claimed = new Set(rows.flatMap((r) => splitIdentities(r.github).map((l) => l.toLowerCase())));
  const claimedSlack = new Set(rows.flatMap((r) => splitIdentities(r.slack)));
  return identities.filter((i) =>
    i.source === 'slack' ? !claimedSlack.has(i.externalId) : !claimed.has(i.externalId.toLowerCase()),
  );
}
