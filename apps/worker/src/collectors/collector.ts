import type { ConnectionEntity, EngagementEntity } from '@pulse/db';
import type { ConnectionKind, SyncErrorClass } from '@pulse/contracts';
import type { ChatReconcileScope } from '@pulse/connectors';
import type { RecordBatch } from './record-writer';

/** What a collector gets for one connection of one sync run. */
export interface CollectorContext {
  engagement: EngagementEntity;
  connection: ConnectionEntity;
  /** The decrypted token: held in memory for this call only, never logged. */
  secret: string;
  now: () => number;
  /** Store one page in one transaction; resolve only once it is committed. */
  savePage(batch: RecordBatch): Promise<void>;
  /** Persist the incremental cursor on the connection row (after the pages it covers). */
  saveCursor(cursor: unknown): Promise<void>;
  /** Drop this source's work items not in `keys` (deleted or moved upstream). */
  retainWorkItems(source: 'jira' | 'github', keys: readonly string[]): Promise<number>;
  /** Mark stored chat messages of a span read whole, but absent from it, as deleted upstream. */
  markChatDeleted(scope: ChatReconcileScope, present: readonly string[]): Promise<number>;
  /** Share of this connection's work done, 0..1, with a short phase label. */
  progress(fraction: number, phase: string): void;
}

export interface CollectorOutcome {
  counts: Record<string, number>;
  apiCalls: number;
  notModified: number;
  /** Earliest instant of any changed record (drives which weeks the rollup recomputes). */
  touchedFrom: number | null;
  skippedReasons: string[];
  /** How the sync ran (e.g. a fallback): the connection's status note, not a problem of the run. */
  notes?: string[];
  error?: { class: SyncErrorClass; message: string; retryAfter?: number };
}

export interface Collector {
  readonly kind: ConnectionKind;
  collect(context: CollectorContext): Promise<CollectorOutcome>;
}

export const COLLECTORS = Symbol('COLLECTORS');

/** An outcome for a connection that could not be collected at all. */
export function failedOutcome(errorClass: SyncErrorClass, message: string): CollectorOutcome {
  return {
    counts: {},
    apiCalls: 0,
    notModified: 0,
    touchedFrom: null,
    skippedReasons: [],
    error: { class: errorClass, message },
  };
}
