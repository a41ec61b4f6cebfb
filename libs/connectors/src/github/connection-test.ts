// The connection test: who the token belongs to, its scopes, and whether each repo answers.
import { type EpochMs } from '@pulse/contracts';
import { type OutboundPolicy } from '../outbound';
import { type GithubSettings } from '../settings';
import { createGithubClient } from './client';
import { type GithubSyncError, classifyGithubError } from './errors';
import { GraphqlUnavailableError, createGraphqlRunner } from './graphql/runner';
import { pool } from './repo-scope';

export interface GithubConnectionTest {
  ok: boolean;
  /** The token's user, null when the token was rejected. */
  login: string | null;
  /** Classic PAT scopes (`x-oauth-scopes`); empty for fine-grained tokens. */
  scopes: string[];
  repos: { repo: string; reachable: boolean; defaultBranch?: string; error?: GithubSyncError }[];
  /** Whether pull requests will be read over GraphQL, and if not why (REST is used instead). */
  graphql?: { available: boolean; note: string };
  error?: GithubSyncError;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,38})(?:\[bot\])?$/;
const SCOPE = /^[a-z_]{1,30}(?::[a-z_]{1,30})?$/; // repo, read:org, admin:repo_hook…
const BRANCH = /^[\w./-]{1,255}$/;

export async function testGithubConnection(args: {
  settings: GithubSettings;
  token: string;
  outbound: Pick<OutboundPolicy, 'check' | 'fetch'>;
  now?: () => EpochMs;
  maxRateLimitWaitMs?: number;
}): Promise<GithubConnectionTest> {
  const now = args.now ?? Date.now;
  try {
    await args.outbound.check(args.settings.baseUrl);
  } catch (e) {
    return { ok: false, login: null, scopes: [], repos: [], error: classifyGithubError(e, { now }) };
  }
  const client = createGithubClient({
    baseUrl: args.settings.baseUrl,
    token: args.token,
    outbound: args.outbound,
    maxRateLimitWaitMs: args.maxRateLimitWaitMs ?? 5_000,
    retries: 1,
  });
  // What is shown to the manager is checked against GitHub's formats, so a server that is
  // not GitHub cannot use the test to echo its content.
  let login: string | null = null;
  let scopes: string[] = [];
  try {
    const me = await client.get<{ login?: unknown }>('GET /user');
    login = typeof me.data?.login === 'string' && LOGIN.test(me.data.login) ? me.data.login : null;
    scopes = (me.headers['x-oauth-scopes'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => SCOPE.test(s))
      .slice(0, 30);
  } catch (e) {
    return { ok: false, login: null, scopes: [], repos: [], error: classifyGithubError(e, { now }) };
  }
  if (login === null) {
    return {
      ok: false,
      login: null,
      scopes: [],
      repos: [],
      error: {
        class: 'invalid_config',
        message: 'The base URL did not answer like the GitHub API (no user for this token). Check the URL.',
      },
    };
  }
  const repos = await pool(args.settings.repos, 4, async (repo) => {
    const [owner, name] = repo.split('/');
    try {
      const r = await client.get<{ default_branch?: unknown }>('GET /repos/{owner}/{repo}', {
        owner: owner ?? '',
        repo: name ?? '',
      });
      const branch = r.data.default_branch;
      return {
        repo,
        reachable: true,
        ...(typeof branch === 'string' && BRANCH.test(branch) ? { defaultBranch: branch } : {}),
      };
    } catch (e) {
      return { repo, reachable: false, error: classifyGithubError(e, { repo, now }) };
    }
  });
  const graphql = args.settings.api === 'rest' ? undefined : await probeGraphql(client, now);
  return { ok: repos.every((r) => r.reachable), login, scopes, repos, ...(graphql ? { graphql } : {}) };
}

/** One cheap query: does this server answer GraphQL for this token? */
async function probeGraphql(
  client: ReturnType<typeof createGithubClient>,
  now: () => EpochMs,
): Promise<{ available: boolean; note: string }> {
  const runner = createGraphqlRunner(client, { now, maxRateLimitWaitMs: 5_000 });
  try {
    await runner.run('query PulseProbe { rateLimit { cost remaining resetAt } }', {});
    const left = runner.stats.last?.remaining;
    return {
      available: true,
      note: `pull requests are read over GraphQL${left !== undefined ? ` (${left} points left this hour)` : ''}`,
    };
  } catch (e) {
    if (e instanceof GraphqlUnavailableError) {
      return { available: false, note: `${e.message}; pull requests will be read over REST` };
    }
    return {
      available: false,
      note: `GraphQL did not answer (${classifyGithubError(e, { now }).message}); pull requests will be read over REST if it stays so`,
    };
  }
}
