import { Inject, Injectable } from '@nestjs/common';
import {
  createOutboundPolicy,
  githubSettingsSchema,
  type OutboundPolicy,
  syncGithub,
} from '@pulse/connectors';
import { WORKER_CONFIG, type WorkerConfig } from '../worker-config';
import { failedOutcome, type Collector, type CollectorContext, type CollectorOutcome } from './collector';

const PHASES = ['repo', 'pulls', 'issues', 'deployments', 'releases', 'coverage', 'done'];

function skippedSummary(skipped: number, retryPending: number): string {
  const records = `${skipped} malformed record${skipped === 1 ? '' : 's'}`;
  return retryPending > 0
    ? `${records}, will retry ${retryPending} on the next sync (or run a full resync)`
    : `${records}`;
}

/** GitHub: pull requests, reviews, issues, deployments, releases and coverage via Octokit. */
@Injectable()
export class GithubCollector implements Collector {
  readonly kind = 'github' as const;
  /** One per process: its agents keep connections alive across syncs. */
  private readonly outbound: OutboundPolicy;

  constructor(@Inject(WORKER_CONFIG) config: WorkerConfig) {
    this.outbound = createOutboundPolicy({ allowedHosts: config.PULSE_ALLOWED_UPSTREAM_HOSTS });
  }

  async collect(ctx: CollectorContext): Promise<CollectorOutcome> {
    const settings = githubSettingsSchema.safeParse(ctx.connection.settings);
    if (!settings.success) {
      return failedOutcome(
        'invalid_config',
        `GitHub settings are invalid: ${settings.error.issues[0]?.message ?? 'unknown'}`,
      );
    }
    const result = await syncGithub({
      settings: settings.data,
      token: ctx.secret,
      outbound: this.outbound,
      cursor: ctx.connection.cursor,
      now: ctx.now,
      sink: { savePage: (batch) => ctx.savePage(batch), saveCursor: (cursor) => ctx.saveCursor(cursor) },
      onProgress: (p) =>
        ctx.progress(
          (p.repoIndex + PHASES.indexOf(p.phase) / (PHASES.length - 1)) / Math.max(p.repoCount, 1),
          `GitHub ${p.repo}: ${p.phase}`,
        ),
    });
    return {
      counts: { ...result.counts },
      apiCalls: result.apiCalls,
      notModified: result.notModified,
      touchedFrom: result.touchedFrom,
      // the run shows "github: skipped N records, will retry …" first, then the reasons
      skippedReasons:
        result.counts.skipped > 0
          ? [skippedSummary(result.counts.skipped, result.retryPending), ...result.skippedReasons]
          : result.skippedReasons,
      ...(result.error
        ? {
            error: {
              class: result.error.class,
              message: result.error.message,
              ...(result.error.retryAfter !== undefined ? { retryAfter: result.error.retryAfter } : {}),
            },
          }
        : {}),
    };
  }
}
