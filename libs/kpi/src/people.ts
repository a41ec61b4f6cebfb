import { type IdentitySource, type PersonRecord, type Side } from '@pulse/contracts';

export interface PersonRef {
  /** Roster person id. */
  id: string;
  side: Side;
}

/**
 * Resolves source identities to roster people. Bots (roster bots, configured bot accounts,
 * GitHub logins ending in `[bot]`) resolve to `BOT`; people not on the roster resolve to
 * `undefined` (a person of unknown side).
 */
export class Roster {
  private readonly bySource: Record<IdentitySource, Map<string, PersonRef | typeof BOT>> = {
    github: new Map(),
    jira: new Map(),
    slack: new Map(),
  };

  constructor(
    people: readonly PersonRecord[],
    private readonly botAccounts: ReadonlySet<string>,
  ) {
    for (const p of people) {
      const ref: PersonRef | typeof BOT = p.isBot ? BOT : { id: p.id, side: p.side };
      for (const identity of p.identities)
        this.bySource[identity.source].set(normalize(identity.source, identity.externalId), ref);
    }
  }

  /** A person, BOT, or undefined (unknown human). */
  resolve(source: IdentitySource, externalId: string | null): PersonRef | typeof BOT | undefined {
    if (externalId === null) return undefined;
    const key = normalize(source, externalId);
    const hit = this.bySource[source].get(key);
    if (hit !== undefined) return hit;
    if (this.botAccounts.has(key.toLowerCase())) return BOT;
    if (source === 'github' && key.endsWith('[bot]')) return BOT;
    return undefined;
  }

  isBot(source: IdentitySource, externalId: string | null): boolean {
    return this.resolve(source, externalId) === BOT;
  }

  /** The roster person behind an identity, or undefined for bots and unknown people. */
  person(source: IdentitySource, externalId: string | null): PersonRef | undefined {
    const r = this.resolve(source, externalId);
    return r === BOT ? undefined : r;
  }

  /** Slack lookup without normalisation (ids are case-exact), for the million-message loop. */
  slack(userId: string): PersonRef | typeof BOT | undefined {
    const hit = this.bySource.slack.get(userId);
    if (hit !== undefined) return hit;
    return this.botAccounts.has(userId.toLowerCase()) ? BOT : undefined;
  }
}

export const BOT = 'bot' as const;

/** GitHub logins are case-insensitive; Jira and Slack ids are opaque and kept as they are. */
function normalize(source: IdentitySource, id: string): string {
  return source === 'github' ? id.toLowerCase() : id;
}
