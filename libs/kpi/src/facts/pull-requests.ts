import { type EngagementRecords, type PullRequestRecord, type Side } from '@pulse/contracts';
import { type ResolvedContext } from '../context';
import { BOT, type Roster } from '../people';
import { SampleSet } from '../samples';

/** What the PR KPIs need to know about one non-bot pull request. */
export interface PrFact {
  pr: PullRequestRecord;
  /** `min(first commit authored_at, created_at)`. */
  start: number;
  /** `ready_at`: last ready_for_review, else created_at. */
  readyAt: number;
  /** First review or review comment by a non-author, non-bot person; null when none. */
  firstReviewAt: number | null;
  firstReviewerSide: Side | null;
  authorPersonId: string | null;
  authorSide: Side | null;
}

export interface PrFacts {
  facts: PrFact[];
  cycleTime: SampleSet;
  codingTime: SampleSet;
  pickupTime: SampleSet;
  reviewTime: SampleSet;
  merged: SampleSet;
  mergedWithoutReview: SampleSet;
  firstReviewByVendor: SampleSet;
  firstReviewByClient: SampleSet;
}

export function buildPrFacts(records: EngagementRecords, roster: Roster, ctx: ResolvedContext): PrFacts {
  const facts: PrFact[] = [];
  const byId = new Map<string, PrFact>();
  for (const pr of records.pullRequests) {
    // Bots never open anything: their PRs are out of every PR KPI.
    if (pr.authorIsBot || roster.isBot('github', pr.authorLogin)) continue;
    const author = roster.person('github', pr.authorLogin);
    const fact: PrFact = {
      pr,
      start: pr.firstCommitAt === null ? pr.createdAt : Math.min(pr.firstCommitAt, pr.createdAt),
      readyAt: pr.readyAt ?? pr.createdAt,
      firstReviewAt: null,
      firstReviewerSide: null,
      authorPersonId: author?.id ?? null,
      authorSide: author?.side ?? null,
    };
    facts.push(fact);
    byId.set(pr.id, fact);
  }

  for (const review of records.reviews) {
    if (review.state === 'pending') continue;
    const fact = byId.get(review.pullRequestId);
    if (!fact) continue;
    if (review.reviewerIsBot) continue;
    const reviewer = roster.resolve('github', review.reviewerLogin);
    if (reviewer === BOT) continue;
    const isAuthor =
      reviewer !== undefined && fact.authorPersonId !== null
        ? reviewer.id === fact.authorPersonId
        : review.reviewerLogin.toLowerCase() === fact.pr.authorLogin.toLowerCase();
    if (isAuthor) continue;
    if (fact.firstReviewAt === null || review.submittedAt < fact.firstReviewAt) {
      fact.firstReviewAt = review.submittedAt;
      fact.firstReviewerSide = reviewer?.side ?? null;
    }
  }

  const out: PrFacts = {
    facts,
    cycleTime: new SampleSet(),
    codingTime: new SampleSet(),
    pickupTime: new SampleSet(),
    reviewTime: new SampleSet(),
    merged: new SampleSet(),
    mergedWithoutReview: new SampleSet(),
    firstReviewByVendor: new SampleSet(),
    firstReviewByClient: new SampleSet(),
  };
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i];
    const { pr } = f;
    if (
      f.firstReviewAt !== null &&
      f.authorSide !== null &&
      f.firstReviewerSide !== null &&
      f.authorSide !== f.firstReviewerSide
    ) {
      // Bucketed by the review (the "answer"), measured in the reviewer side's calendar.
      const byVendor = f.firstReviewerSide === 'vendor';
      const set = byVendor ? out.firstReviewByVendor : out.firstReviewByClient;
      const cal = byVendor ? ctx.vendor : ctx.client;
      if (f.firstReviewAt < f.readyAt) set.drop(f.firstReviewAt);
      else set.add(f.firstReviewAt, cal.businessSeconds(f.readyAt, f.firstReviewAt), 1, i);
    }
    if (pr.mergedAt === null) continue;
    const m = pr.mergedAt;
    out.merged.add(m, 1, 1, i);
    out.cycleTime.span(m, f.start, m, i);
    if (pr.firstCommitAt !== null) out.codingTime.span(m, pr.firstCommitAt, pr.createdAt, i);
    if (f.firstReviewAt === null) {
      out.mergedWithoutReview.add(m, 1, 1, i);
    } else {
      out.pickupTime.span(m, f.readyAt, f.firstReviewAt, i);
      out.reviewTime.span(m, f.firstReviewAt, m, i);
    }
  }
  for (const set of Object.values(out)) if (set instanceof SampleSet) set.finish();
  return out;
}
