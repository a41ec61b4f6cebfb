// Shapes of endpoints that are being added to the API alongside this dashboard and are not
// yet in `@pulse/contracts`. Move them there once the API exports them.
import type { EngagementKpisDto, HealthExplanation, KpiFamily } from '@pulse/contracts';

export interface EngagementHealthDto extends HealthExplanation {
  engagementId: string;
  computedAt: string | null;
}

export interface PullRequestItemDto {
  repo: string;
  number: number;
  url: string;
  authorLogin: string;
  authorSide: 'client' | 'vendor' | null;
  reviewedBySide: 'client' | 'vendor' | null;
  createdAt: string;
  mergedAt: string | null;
  stages: {
    codingHours: number | null;
    pickupHours: number | null;
    reviewHours: number | null;
    cycleHours: number | null;
  };
}

export type SlaState = 'met' | 'missed' | 'open_within' | 'open_breached' | 'none';

export interface WorkItemDto {
  key: string;
  url: string;
  type: string;
  priority: string | null;
  createdAt: string;
  resolvedAt: string | null;
  ageDays: number;
  slaState: SlaState;
}

export interface UnansweredRequestDto {
  channel: string;
  channelName: string | null;
  author: string;
  side: 'client' | 'vendor' | null;
  askedAt: string;
  waitingBusinessMinutes: number;
  permalink: string | null;
}

export interface ShareLinkDto {
  id: string;
  /** Only in the answer to the POST that created the link. */
  token?: string;
  url?: string;
  expiresAt: string | null;
  families: KpiFamily[];
  allowDrillDown?: boolean;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreateShareLinkBody {
  expiresAt?: string;
  families: string[];
  allowDrillDown: boolean;
}

export interface ConnectionTestDto {
  ok: boolean;
  message: string;
  details?: unknown;
}

export interface SharedEngagementDto {
  engagement: { name: string; vendorName: string; reportingTimeZone: string };
  health: HealthExplanation & { computedAt?: string | null };
  kpis: EngagementKpisDto;
  allowDrillDown: boolean;
}
