import { type EngagementRecords } from '@pulse/contracts';
import { type EngagementContext, type ResolvedContext, resolveContext } from './context';
import { type ChatFacts, buildChatFacts } from './facts/chat';
import { type ContinuityFacts, buildContinuityFacts } from './facts/continuity';
import { type CoverageFacts, buildCoverageFacts } from './facts/coverage';
import { type DeployFacts, buildDeployFacts } from './facts/deployments';
import { type PrFacts, buildPrFacts } from './facts/pull-requests';
import { type SprintFacts, buildSprintFacts } from './facts/sprints';
import { type WorkFacts, buildWorkFacts } from './facts/work-items';
import { Roster } from './people';

/**
 * Bucket-independent facts derived from an engagement's records: built once (lazily, per
 * domain), then evaluated for any number of buckets. This is where all sorting happens.
 */
export class Prepared {
  readonly ctx: ResolvedContext;
  private memo = new Map<string, unknown>();

  constructor(
    readonly records: EngagementRecords,
    context: EngagementContext,
  ) {
    this.ctx = resolveContext(context);
  }

  private once<T>(name: string, build: () => T): T {
    if (!this.memo.has(name)) this.memo.set(name, build());
    return this.memo.get(name) as T;
  }

  get roster(): Roster {
    return this.once('roster', () => new Roster(this.records.people, this.ctx.botAccounts));
  }
  get prs(): PrFacts {
    return this.once('prs', () => buildPrFacts(this.records, this.roster, this.ctx));
  }
  get deploys(): DeployFacts {
    return this.once('deploys', () => buildDeployFacts(this.records, this.prs, this.ctx));
  }
  get work(): WorkFacts {
    return this.once('work', () => buildWorkFacts(this.records, this.roster, this.ctx));
  }
  get sprints(): SprintFacts {
    return this.once('sprints', () => buildSprintFacts(this.records, this.work));
  }
  get chat(): ChatFacts {
    return this.once('chat', () => buildChatFacts(this.records, this.roster, this.ctx));
  }
  get coverage(): CoverageFacts {
    return this.once('coverage', () => buildCoverageFacts(this.records));
  }
  get continuity(): ContinuityFacts {
    return this.once('continuity', () => buildContinuityFacts(this.records, this.roster));
  }
}

const cache = new WeakMap<EngagementRecords, WeakMap<EngagementContext, Prepared>>();

/**
 * Prepared facts for these records and context, cached by object identity: records are
 * treated as immutable once handed to the engine (build a new object to recompute).
 */
export function prepare(records: EngagementRecords, context: EngagementContext): Prepared {
  let byContext = cache.get(records);
  if (!byContext) cache.set(records, (byContext = new WeakMap()));
  let p = byContext.get(context);
  if (!p) byContext.set(context, (p = new Prepared(records, context)));
  return p;
}
