import { Injectable } from '@nestjs/common';
import { DataSource, Between } from 'typeorm';
import { DateTime } from 'luxon';
import {
  PersonEntity,
  PullRequestEntity,
  ReviewEntity,
  WorkItemEntity,
  type EngagementEntity,
} from '@pulse/db';
import type { PullRequestDrillDownDto, RosterSide, WorkItemDrillDownDto } from '@pulse/contracts';
import { BusinessCalendar } from '@pulse/kpi';
import { calendarSpec } from '@pulse/contracts';
import { parseDateParam } from '../common/validation';

const HOUR = 3_600_000;
const hours = (from: number | null, to: number | null) =>
  from === null || to === null || to < from ? null : Math.round(((to - from) / HOUR) * 10) / 10;

/** The items behind a KPI value: what a manager opens from a red tile. */
@Injectable()
export class DrillDownService {
  constructor(private readonly dataSource: DataSource) {}

  private window(engagement: EngagementEntity, from?: string, to?: string): { start: number; end: number } {
    const zone = engagement.reportingTimeZone;
    const end = to ? parseDateParam(to, 'to', zone).endOf('day') : DateTime.now().setZone(zone);
    const start = from ? parseDateParam(from, 'from', zone).startOf('day') : end.minus({ days: 28 });
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

  /**
   * Bugs (or Jira issues) created or resolved in the window, oldest open first, with age
   * and SLA state in the vendor's business time.
   */
  async workItems(
    engagement: EngagementEntity,
    kind: 'bugs' | 'issues',
    from?: string,
    to?: string,
    now = Date.now(),
  ): Promise<WorkItemDrillDownDto[]> {
    const { start, end } = this.window(engagement, from, to);
    const rows = await this.dataSource
      .getRepository(WorkItemEntity)
      .createQueryBuilder('w')
      .where('w.engagement_id = :id', { id: engagement.id })
      .andWhere('(w.created_at <= :end AND (w.resolved_at IS NULL OR w.resolved_at >= :start))', {
        start,
        end,
      })
      .getMany();
    const settings = engagement.settings;
    const bugTypes = new Set((settings.bugTypes ?? ['Bug']).map((t) => t.toLowerCase()));
    const bugLabel = {
      test: (l: string) =>
        (settings.bugLabels ?? ['bug', 'defect', 'regression']).some(
          (b) => b.toLowerCase() === l.toLowerCase(),
        ),
    };
    const isBug = (w: WorkItemEntity) =>
      w.isBug ??
      (w.source === 'jira' ? bugTypes.has(w.type.toLowerCase()) : w.labels.some((l) => bugLabel.test(l)));
    const vendor = new BusinessCalendar(calendarSpec(engagement.vendorCalendar));
    const slaDays = new Map(
      Object.entries(settings.bugSlaBusinessDays ?? {}).map(([p, d]) => [p.toLowerCase(), d]),
    );
    const day = 86_400_000;
    return rows
      .filter((w) => (kind === 'bugs' ? isBug(w) : w.source === 'jira' && !w.isSubtask))
      .map((w): WorkItemDrillDownDto => {
        const days = w.priority ? slaDays.get(w.priority.toLowerCase()) : undefined;
        let slaState: WorkItemDrillDownDto['slaState'] = 'none';
        if (kind === 'bugs' && days !== undefined) {
          const budgetMs = days * vendor.workingDaySeconds * 1000;
          const used = vendor.businessMs(w.createdAt, w.resolvedAt ?? now);
          slaState =
            w.resolvedAt !== null
              ? used <= budgetMs
                ? 'met'
                : 'missed'
              : used <= budgetMs
                ? 'open_within'
                : 'open_breached';
        }
        return {
          key: w.key,
          url: w.url,
          type: w.type,
          priority: w.priority,
          createdAt: new Date(w.createdAt).toISOString(),
          resolvedAt: w.resolvedAt === null ? null : new Date(w.resolvedAt).toISOString(),
          ageDays: Math.round((((w.resolvedAt ?? now) - w.createdAt) / day) * 10) / 10,
          slaState,
        };
      })
      .sort((a, b) => Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null) || b.ageDays - a.ageDays);
  }
}
