// A connection row as a finished sync leaves it, for tests that need a source to count as
// synced (KPIs of a never-synced source are gaps, not values).
import { randomUUID } from 'node:crypto';
import type { ConnectionKind } from '@pulse/contracts';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { ConnectionEntity } from '@pulse/db';

export function syncedConnectionRow(
  engagementId: string,
  kind: ConnectionKind,
  now: number,
  settings: Record<string, unknown> = {},
): QueryDeepPartialEntity<ConnectionEntity> {
  return {
    id: randomUUID(),
    engagementId,
    kind,
    settings: settings as QueryDeepPartialEntity<Record<string, unknown>>,
    secretCiphertext: null,
    cursor: null,
    lastSuccessAt: now,
    lastAttemptAt: now,
    lastErrorClass: null,
    lastErrorMessage: null,
    lastErrorAt: null,
    retryAfterAt: null,
    statusNote: null,
    failureCount: 0,
    createdAt: now,
    updatedAt: now,
  };
}
