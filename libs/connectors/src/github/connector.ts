// GitHub on the connector contract: an adapter over the existing sync and test functions
// (the split of sync.ts along its jobs is a later step).
import { githubSettingsSchema, type GithubSettings } from '../settings';
import {
  classifyNetworkError,
  classifyOutboundRefusal,
  hostOf,
  type ConnectorError,
} from '../framework/connector-error';
import type { Connector, ConnectorCheck, ConnectorTestResult } from '../framework/connector';
import { classifyGithubError, type GithubSyncError } from './errors';
import { syncGithub, testGithubConnection, type GithubSyncPhase } from './sync';

const PHASES: GithubSyncPhase[] = ['repo', 'pulls', 'issues', 'deployments', 'releases', 'coverage', 'done'];

/** "3 malformed records, will retry 3 on the next sync…": the run lists it before the reasons. */
function skippedSummary(skipped: number, retryPending: number): string {
  const records = `${skipped} malformed record${skipped === 1 ? '' : 's'}`;
  return retryPending > 0
    ? `${records}, will retry ${retryPending} on the next sync (or run a full resync)`
    : records;
}

function toConnectorError(e: GithubSyncError): ConnectorError {
  return {
    class: e.class,
    message: e.message,
    ...(e.retryAfter !== undefined ? { retryAfter: e.retryAfter } : {}),
  };
}

export const githubConnector: Connector<GithubSettings> = {
  kind: 'github',
  label: 'GitHub',
  settingsSchema: githubSettingsSchema,
  secretLabel: 'Personal access token (read access to contents, pull requests, issues, deployments, actions)',
  fields: [
    {
      name: 'baseUrl',
      label: 'API URL',
      description: 'https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.',
      kind: 'url',
      required: false,
    },
    {
      name: 'repos',
      label: 'Repositories',
      description: 'owner/name of each repository the vendor works in.',
      kind: 'list',
      required: true,
    },
    {
      name: 'coverageArtifactPattern',
      label: 'Coverage artifact',
      description: 'Name pattern of the GitHub Actions artifact holding the coverage report.',
      kind: 'text',
      required: false,
    },
    {
      name: 'api',
      label: 'Pull requests via',
      description:
        'graphql (default): ~1 query per 25 pull requests, falls back to REST where GraphQL is missing or refused. rest: ~5 requests per pull request.',
      kind: 'choice',
      choices: ['graphql', 'rest'],
      required: false,
    },
  ],

  async test(settings, secret, options): Promise<ConnectorTestResult> {
    try {
      const result = await testGithubConnection({
        settings,
        token: secret,
        outbound: options.outbound,
        ...(options.now ? { now: options.now } : {}),
      });
      const checks: ConnectorCheck[] = [
        {
          name: 'token',
          ok: result.login !== null,
          detail: result.login ? `signed in as ${result.login}` : (result.error?.message ?? 'rejected'),
        },
        ...result.repos.map((r) => ({
          name: `repo ${r.repo}`,
          ok: r.reachable,
          detail: r.reachable
            ? `reachable (default branch ${r.defaultBranch ?? '?'})`
            : (r.error?.message ?? 'not reachable'),
        })),
        // informational: without GraphQL the sync still works, over REST
        ...(result.graphql ? [{ name: 'GraphQL', ok: true, detail: result.graphql.note }] : []),
      ];
      const unreachable = result.repos.filter((r) => !r.reachable);
      const scopes = result.scopes.length ? ` (scopes: ${result.scopes.join(', ')})` : '';
      const message = result.error
        ? result.error.message
        : unreachable.length
          ? `Signed in as ${result.login}${scopes}, but cannot reach: ${unreachable
              .map((r) => `${r.repo}${r.error ? ` (${r.error.message})` : ''}`)
              .join('; ')}`
          : `Signed in as ${result.login}${scopes}; all ${result.repos.length} repo(s) reachable.`;
      return {
        ok: result.ok,
        message,
        checks,
        ...(result.error ? { error: toConnectorError(result.error) } : {}),
        details: { login: result.login, scopes: result.scopes, repos: result.repos },
      };
    } catch (e) {
      const error =
        classifyOutboundRefusal(e) ??
        classifyNetworkError(e, hostOf(settings.baseUrl)) ??
        toConnectorError(classifyGithubError(e));
      return { ok: false, message: error.message, checks: [], error };
    }
  },

  async sync(input) {
    const result = await syncGithub({
      settings: input.settings,
      token: input.secret,
      outbound: input.outbound,
      cursor: input.cursor,
      now: input.now,
      sink: { savePage: (batch) => input.sink.savePage(batch), saveCursor: (c) => input.sink.saveCursor(c) },
      onProgress: (p) =>
        input.onProgress?.(
          (p.repoIndex + PHASES.indexOf(p.phase) / (PHASES.length - 1)) / Math.max(p.repoCount, 1),
          `GitHub ${p.repo}: ${p.phase}`,
        ),
    });
    return {
      counts: { ...result.counts },
      apiCalls: result.apiCalls,
      notModified: result.notModified,
      touchedFrom: result.touchedFrom,
      // the run shows "github: skipped N malformed records, will retry …" first, then the reasons
      skippedReasons:
        result.counts.skipped > 0
          ? [skippedSummary(result.counts.skipped, result.retryPending), ...result.skippedReasons]
          : result.skippedReasons,
      notes: [...result.notes],
      ...(result.error ? { error: toConnectorError(result.error) } : {}),
    };
  },
};
