import { Injectable } from '@nestjs/common';
import { DataSource, Between } from 'typeorm';
import { DateTime } from 'luxon';
import { PersonEntity, PullRequestEntity, ReviewEntity, type EngagementEntity } from '@pulse/db';
import type { PullRequestDrillDownDto, RosterSide } from '@pulse/contracts';
import { badRequest } from '../common/validation';

const HOUR = 3_600_000;
const hours = (from: number | null, to: number | null) =>
  from === null || to === null || to < from ? null : Math.round(((to - from) / HOUR) * 10) / 10;

/** The items behind a KPI value: what a manager opens from a red tile. */
@Injectable()
export class DrillDownService {
  constructor(private readonly dataSource: DataSource) {}

  private window(engagement: EngagementEntity, from?: string, to?: string): { start: number; end: number } {
    const zone = engagement.reportingTimeZone;
    const date = (v: string, field: string) => {
      const t = DateTime.fromISO(v, { zone });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !t.isValid)
        throw badRequest([{ field, message: 'must be a date yyyy-mm-dd' }]);
      return t;
    };
    const end = to ? date(to, 'to').endOf('day') : DateTime.now().setZone(zone);
    const start = from ? date(from, 'from').startOf('day') : end.minus({ days: 28 });
    return { start: start.toMillis(), end: end.toMillis() };
  }

  /** PRs merged in the window, slowest first, with stage times and sides. */
  async pullRequests(
    engagement: EngagementEntity,
    from?: string,
    to?: string,
  ): Promise<PullRequestDrillDownDto[]> {
    const { start, end } = this.window(engagement, from, to);
    const where = { engagementId: engagement.id };
    const [prs, people] = await Promise.all([
      this.dataSource
        .getRepository(PullRequestEntity)
        .find({ where: { ...where, mergedAt: Between(start, end) } }),
      this.dataSource.getRepository(PersonEntity).findBy(where),
    ]);
    const sideOf = new Map<string, RosterSide>();
    const bots = new Set<string>();
    for (const p of people) {
      for (const login of p.identities.github ?? []) {
        sideOf.set(login.toLowerCase(), p.side);
        if (p.isBot) bots.add(login.toLowerCase());
      }
    }
    const reviews = prs.length
      ? await this.dataSource
          .getRepository(ReviewEntity)
          .createQueryBuilder('r')
          .where('r.engagement_id = :id', { id: engagement.id })
          .andWhere('r.submitted_at >= :from', { from: Math.min(...prs.map((p) => p.createdAt)) })
          .getMany()
      : [];
    const byKey = new Map(prs.map((p) => [`${p.repo}#${p.number}`, p]));
    const firstReview = new Map<string, ReviewEntity>();
    for (const r of reviews) {
      const key = `${r.repo}#${r.pullNumber}`;
      const pr = byKey.get(key);
      if (!pr || r.reviewerIsBot || bots.has(r.reviewerLogin.toLowerCase())) continue;
      if (r.reviewerLogin.toLowerCase() === pr.authorLogin.toLowerCase()) continue;
      const seen = firstReview.get(key);
      if (!seen || r.submittedAt < seen.submittedAt) firstReview.set(key, r);
    }
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return prs
      .filter((p) => !p.authorIsBot && !bots.has(p.authorLogin.toLowerCase()))
      .map((p) => {
        const review = firstReview.get(`${p.repo}#${p.number}`) ?? null;
        const startAt = Math.min(p.createdAt, p.firstCommitAt ?? p.createdAt);
        const first = review?.submittedAt ?? null;
        return {
          repo: p.repo,
          number: p.number,
          url: p.url,
          authorLogin: p.authorLogin,
          authorSide: sideOf.get(p.authorLogin.toLowerCase()) ?? null,
          reviewedBySide: review ? (sideOf.get(review.reviewerLogin.toLowerCase()) ?? null) : null,
          createdAt: new Date(p.createdAt).toISOString(),
          mergedAt: iso(p.mergedAt),
          firstReviewAt: iso(first),
          stages: {
            codingHours: hours(p.firstCommitAt, p.createdAt),
            pickupHours: hours(p.readyAt ?? p.createdAt, first),
            reviewHours: hours(first, p.mergedAt),
            cycleHours: hours(startAt, p.mergedAt),
          },
        };
      })
      .sort((a, b) => (b.stages.cycleHours ?? 0) - (a.stages.cycleHours ?? 0));
  }
}
