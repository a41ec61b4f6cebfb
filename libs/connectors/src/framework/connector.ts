import type { z } from 'zod';
import type {
  ChatMessageRecord,
  ConnectionKind,
  CoverageSampleRecord,
  DeploymentRecord,
  EpochMs,
  PickerOptionDto,
  PullRequestRecord,
  ReleaseRecord,
  ReviewRecord,
  SprintRecord,
  WorkItemRecord,
} from '@pulse/contracts';
import type { OutboundPolicy } from '../outbound';
import type { ConnectorError } from './connector-error';

/** One page of normalized records, written by the sink in one transaction. */
export interface ConnectorPage {
  pullRequests?: (PullRequestRecord & { updatedAt?: EpochMs })[];
  reviews?: (ReviewRecord & { externalId: string })[];
  deployments?: DeploymentRecord[];
  releases?: ReleaseRecord[];
  coverageSamples?: CoverageSampleRecord[];
  workItems?: (WorkItemRecord & { updatedAt?: EpochMs; url?: string | null })[];
  sprints?: SprintRecord[];
  /** GitHub login ↔ commit email pairs. */
  identityHints?: { login: string; email: string }[];
  /** Slack message metadata (never text); upserted on channel + ts. */
  chatMessages?: ChatMessageRecord[];
  /** Slack users: e-mails suggest roster links, bots are recognised. */
  chatUsers?: { id: string; email: string | null; isBot: boolean; deleted: boolean }[];
}

export interface ConnectorSink {
  /** Upsert one page on natural keys in one transaction; the cursor moves only after this resolves. */
  savePage(page: ConnectorPage): Promise<void>;
  /** Persist the cursor with the connection row, after the pages it covers. */
  saveCursor(cursor: unknown): Promise<void>;
  /**
   * Delete this source's stored work items whose keys are not in `keys` (deleted or moved
   * away upstream); resolves with how many were removed. Only called with a complete list.
   */
  retainWorkItems?(source: 'jira' | 'github', keys: readonly string[]): Promise<number>;
  /**
   * Mark as deleted this engagement's stored chat messages in `scope` (a channel's top-level
   * messages between two ts, or one thread's replies) whose ts is not in `present`: the
   * source re-read that span whole and they were gone. Joins and leaves are left alone.
   * Resolves with how many were marked.
   */
  markChatDeleted?(scope: ChatReconcileScope, present: readonly string[]): Promise<number>;
}

/** A span of one Slack channel read whole: top-level messages in (afterTs, upToTs], or a thread. */
export type ChatReconcileScope =
  | { channel: string; kind: 'top-level'; afterTs: string; upToTs: string }
  | { channel: string; kind: 'thread'; threadTs: string };

/** Engagement rules a connector may need to shape its records (KPIS.md). */
export interface ConnectorRules {
  bugTypes: string[];
  storyPointsField: string | null;
}

export interface ConnectorSyncInput<S> {
  settings: S;
  /** The decrypted token: held in memory for this call only, never logged. */
  secret: string;
  /** Where requests may go: every request of the sync goes through it; a refusal is invalid_config. */
  outbound: OutboundPolicy;
  cursor: unknown;
  sink: ConnectorSink;
  now: () => EpochMs;
  signal?: AbortSignal;
  rules: ConnectorRules;
  /** Share of the work done, 0..1, with a short phase label. */
  onProgress?: (fraction: number, phase: string) => void;
}

export interface ConnectorSyncResult {
  counts: Record<string, number>;
  apiCalls: number;
  notModified: number;
  /** Earliest instant of any changed record (drives which weeks the rollup recomputes). */
  touchedFrom: EpochMs | null;
  skippedReasons: string[];
  /**
   * What the manager should know about how the sync ran that is neither an error nor a
   * skipped record (e.g. GitHub read over REST because GraphQL was refused): shown as the
   * connection's status note, and the run still succeeds.
   */
  notes?: string[];
  error?: ConnectorError;
}

/** One line of a connection test, named so the manager sees what passed and what did not. */
export interface ConnectorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ConnectorTestResult {
  ok: boolean;
  message: string;
  checks: ConnectorCheck[];
  error?: ConnectorError;
  /** Source-specific facts (e.g. the detected deployment type). */
  details?: Record<string, unknown>;
}

export interface ConnectorTestOptions {
  /** Where requests may go: every request of the test goes through it; a refusal is invalid_config. */
  outbound: OutboundPolicy;
  now?: () => EpochMs;
}

/** What the settings form shows for one field (the schema validates it). */
export interface ConnectorField {
  name: string;
  label: string;
  description: string;
  kind: 'url' | 'text' | 'email' | 'list' | 'number-list' | 'choice';
  required: boolean;
  choices?: string[];
  /** The form may offer values read from the source (projects, boards, fields…): a key of `pickers`. */
  pickFrom?: string;
}

/** What a settings picker is asked with: the form as typed so far, not yet saved. */
export interface ConnectorPickInput {
  /** The draft settings; each picker validates the part it needs. */
  settings: unknown;
  /** The decrypted (or just typed) token: held for this call only, never logged. */
  secret: string;
  /** Every request goes through it; a refusal is invalid_config. */
  outbound: OutboundPolicy;
  now?: () => EpochMs;
}

export type ConnectorPickResult =
  | { ok: true; options: PickerOptionDto[]; truncated: boolean }
  /** The draft lacks what the picker needs (e.g. no projects chosen yet): the form's fault. */
  | { ok: false; problems: { field: string; message: string }[] }
  /** The source refused or failed, classified like a sync error. */
  | { ok: false; error: ConnectorError };

/** Reads the values one settings field may take from the source (projects, boards…). */
export type ConnectorPicker = (input: ConnectorPickInput) => Promise<ConnectorPickResult>;

/**
 * The one shape every source has: what the worker, the API and the UI ask for instead of
 * switching on the kind.
 */
export interface Connector<S = unknown> {
  readonly kind: ConnectionKind;
  readonly label: string;
  readonly settingsSchema: z.ZodType<S>;
  readonly fields: readonly ConnectorField[];
  /** The secret's label in the form, e.g. "API token". */
  readonly secretLabel: string;
  test(settings: S, secret: string, options: ConnectorTestOptions): Promise<ConnectorTestResult>;
  sync(input: ConnectorSyncInput<S>): Promise<ConnectorSyncResult>;
  /** The pickers named by the fields' `pickFrom`. */
  readonly pickers?: Readonly<Record<string, ConnectorPicker>>;
}
