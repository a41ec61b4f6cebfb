// Keeps a sync under Slack's per-method rate limits instead of running into 429s, and stops a
// run when its time budget is spent (the cursor is saved; the next run continues).
//
// Slack's limits (2025): internal apps and Marketplace apps keep the documented tiers
// (conversations.history/replies Tier 3, ~50 requests a minute; users.list Tier 2, ~20;
// users.info Tier 4, ~100). Apps distributed outside the Marketplace and created after
// 2025-05-29 get 1 request a minute and at most 15 messages per page for
// conversations.history and conversations.replies.

/** How the Slack app was created, which decides its limits. */
export type SlackAppClass = 'internal' | 'non_marketplace_2025';

/** Requests per minute per method, as Slack documents them. */
const TIERS: Record<string, number> = {
  'conversations.history': 50,
  'conversations.replies': 50,
  'conversations.info': 50,
  'users.list': 20,
  'users.info': 100,
  'auth.test': 100,
};
const DEFAULT_PER_MINUTE = 20;
const LIMITED_METHODS = new Set(['conversations.history', 'conversations.replies']);
const MINUTE = 60_000;

/**
 * Requests a minute the pacer allows. The tiers tolerate bursts and answer 429 with
 * Retry-After (which WebClient honours), so tiered methods are not paced below their tier;
 * the 2025 class allows one history/replies request a minute, no burst: paced strictly.
 */
export function requestsPerMinute(appClass: SlackAppClass, method: string): number {
  if (appClass === 'non_marketplace_2025' && LIMITED_METHODS.has(method)) return 1;
  return Infinity;
}

/** The documented tier of a method, requests a minute (for messages and the benchmark). */
export function documentedTier(method: string): number {
  return TIERS[method] ?? DEFAULT_PER_MINUTE;
}

/** Most messages Slack returns per history/replies page for the class (what we ask for). */
export function messagesPerPage(appClass: SlackAppClass): number {
  return appClass === 'non_marketplace_2025' ? 15 : 200;
}

/** Time as the pacer sees it: injectable so tests pace on a virtual clock. */
export interface SlackClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: SlackClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** Thrown by `pace` when waiting for the next slot would overrun the run's budget. */
export class SlackBudgetSpent extends Error {
  override readonly name = 'SlackBudgetSpent';
  constructor(
    readonly method: string,
    readonly nextSlotAt: number,
  ) {
    super(`time budget spent before the next ${method} slot`);
  }
}

/** Recent request instants per method: kept in the cursor so the next run paces on from them. */
export type PaceLog = Record<string, number[]>;

export class SlackPacer {
  private readonly log: PaceLog;
  private readonly deadline: number;
  /** How long the run waited for slots, in ms. */
  waitedMs = 0;

  constructor(
    private readonly appClass: SlackAppClass,
    private readonly clock: SlackClock,
    budgetMs: number,
    log: PaceLog = {},
  ) {
    this.log = structuredClone(log);
    this.deadline = clock.now() + budgetMs;
  }

  /** When the next request of `method` may go (a sliding one-minute window). */
  nextSlot(method: string): number {
    const limit = requestsPerMinute(this.appClass, method);
    const now = this.clock.now();
    const recent = (this.log[method] ?? []).filter((t) => t > now - MINUTE);
    this.log[method] = recent;
    if (!Number.isFinite(limit) || recent.length < limit) return now;
    return (recent[recent.length - limit] as number) + MINUTE;
  }

  /** Waits for a slot of `method` and takes it; throws SlackBudgetSpent when past the budget. */
  async pace(method: string): Promise<void> {
    const at = this.nextSlot(method);
    if (at > this.deadline) throw new SlackBudgetSpent(method, at);
    const wait = at - this.clock.now();
    if (wait > 0) {
      this.waitedMs += wait;
      await this.clock.sleep(wait);
    }
    if (Number.isFinite(requestsPerMinute(this.appClass, method)))
      (this.log[method] ??= []).push(this.clock.now());
  }

  /** Whether the run has time left for this method's next request. */
  hasTimeFor(method: string): boolean {
    return this.nextSlot(method) <= this.deadline;
  }

  /** The log to keep in the cursor (only the last minute matters). */
  snapshot(): PaceLog {
    const now = this.clock.now();
    const out: PaceLog = {};
    for (const [m, ts] of Object.entries(this.log)) {
      const recent = ts.filter((t) => t > now - MINUTE);
      if (recent.length) out[m] = recent;
    }
    return out;
  }
}
