// The sync cursor: how far each repo's lists are synced, stored as JSON with the connection
// and read back (validated) on the next sync.
import { z } from 'zod';

/** How far one newest-first list has been synced. Instants are ISO strings as GitHub sends them. */
export interface GithubWalkCursor {
  /** Newest sort instant fully synced; the next walk stops below it. */
  hw: string | null;
  /** Ids at exactly `hw` already synced (so a re-walk skips them). */
  hwIds: number[];
  /** An interrupted walk: everything sorting in (doneDownTo, top] is stored. */
  partial?: { top: string; doneDownTo: string; after?: string };
}

export interface GithubPendingDeployment {
  id: number;
  environment: string;
  sha: string;
  createdAt: string;
  etag?: string;
}

export interface GithubRepoCursor {
  defaultBranch?: string;
  pulls: GithubWalkCursor;
  issues: GithubWalkCursor;
  deployments: GithubWalkCursor;
  releases: GithubWalkCursor;
  coverageRuns: GithubWalkCursor;
  /** Deployments still running at the last sync: their statuses are re-checked (304 when unchanged). */
  pendingDeployments: GithubPendingDeployment[];
  /**
   * Pull requests and issues (by number) skipped as malformed: fetched again by number on
   * every sync until they are collected, since the walk's cursor has moved past them.
   */
  retry?: GithubRetryKeys;
}

export interface GithubRetryKeys {
  pulls: number[];
  issues: number[];
}

/** Opaque to the caller: store it as JSON and hand it back on the next sync. */
export interface GithubSyncCursor {
  version: 1;
  /** ETags of first list pages and repo metadata, keyed by `GET path?query`. */
  etags: Record<string, string>;
  repos: Record<string, GithubRepoCursor>;
}

const walkCursorSchema = z.object({
  hw: z.string().nullable(),
  hwIds: z.array(z.number()),
  partial: z.object({ top: z.string(), doneDownTo: z.string(), after: z.string().optional() }).optional(),
});
const cursorSchema = z.object({
  version: z.literal(1),
  etags: z.record(z.string(), z.string()),
  repos: z.record(
    z.string(),
    z.object({
      defaultBranch: z.string().optional(),
      pulls: walkCursorSchema,
      issues: walkCursorSchema,
      deployments: walkCursorSchema,
      releases: walkCursorSchema,
      coverageRuns: walkCursorSchema,
      pendingDeployments: z.array(
        z.object({
          id: z.number(),
          environment: z.string(),
          sha: z.string(),
          createdAt: z.string(),
          etag: z.string().optional(),
        }),
      ),
      retry: z.object({ pulls: z.array(z.number()), issues: z.array(z.number()) }).optional(),
    }),
  ),
});

const emptyWalk = (): GithubWalkCursor => ({ hw: null, hwIds: [] });
const emptyRepoCursor = (): GithubRepoCursor => ({
  pulls: emptyWalk(),
  issues: emptyWalk(),
  deployments: emptyWalk(),
  releases: emptyWalk(),
  coverageRuns: emptyWalk(),
  pendingDeployments: [],
});

/** Reads a stored cursor; anything unreadable (or of another version) means a full sync. */
export function readGithubCursor(raw: unknown, repos: readonly string[]): GithubSyncCursor {
  const parsed = cursorSchema.safeParse(raw);
  const base: GithubSyncCursor = parsed.success
    ? (structuredClone(parsed.data) as GithubSyncCursor)
    : { version: 1, etags: {}, repos: {} };
  const out: GithubSyncCursor = { version: 1, etags: {}, repos: {} };
  for (const repo of repos) {
    out.repos[repo] = base.repos[repo] ?? emptyRepoCursor();
    const prefix = `GET /repos/${repo}`;
    for (const [k, v] of Object.entries(base.etags)) {
      if (k === prefix || k.startsWith(`${prefix}/`) || k.startsWith(`${prefix}?`)) out.etags[k] = v;
    }
  }
  return out;
}
