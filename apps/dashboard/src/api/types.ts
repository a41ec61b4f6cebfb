// Shapes the dashboard uses that `@pulse/contracts` does not export. Everything the API
// declares there is imported from `@pulse/contracts` directly; move a shape from here once
// the API exports it.
import type { HealthExplanation } from '@pulse/contracts';

/** GET /api/engagements/:id/health (declared inside the API, not in contracts). */
export interface EngagementHealthDto extends HealthExplanation {
  engagementId: string;
  computedAt: string | null;
}

/**
 * GET /api/engagements/:id/unanswered-requests. The endpoint does not exist yet: the drill-down
 * answers its 404 with "not available from this server yet".
 */
export interface UnansweredRequestDto {
  channel: string;
  channelName: string | null;
  author: string;
  side: 'client' | 'vendor' | null;
  askedAt: string;
  waitingBusinessMinutes: number;
  permalink: string | null;
}

/** POST /api/engagements/:id/share-links (the API validates it with a class of its own). */
export interface CreateShareLinkBody {
  expiresAt?: string;
  families: string[];
  allowDrillDown: boolean;
}
