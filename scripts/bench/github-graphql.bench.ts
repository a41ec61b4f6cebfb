// Benchmark of pull-request collection by REST and by GraphQL against the sandbox: a full
// sync of the `slipping` scenario each way, with the requests and rate-limit points of the
// pull-request phase, their ratio, and the quota-hours a 10 000-PR repository would need
// with one token (5 000 points an hour for REST, 5 000 for GraphQL). Run: see
// scripts/bench/README.md.
import {
  createOutboundPolicy,
  parseAllowedUpstreamHosts,
  syncGithub,
  type GithubPageBatch,
  type GithubSyncProgress,
} from '@pulse/connectors';
import { startSandbox, SANDBOX_GITHUB_TOKEN } from '../../apps/sandbox/src';

const scales = (process.argv[2] ?? '1,3,10').split(',').map(Number);
const HOURLY = 5000;
const BIG_REPO = 10_000;

interface Run {
  prs: number;
  /** HTTP requests of the pull-request phase (retries included). */
  pullRequests: number;
  /** Rate-limit points of that phase: one per REST request, GraphQL's own cost per query. */
  points: number;
  /** The whole sync (pulls, issues, deployments, releases, coverage). */
  allRequests: number;
  allPoints: number;
  seconds: number;
}

async function main(): Promise<void> {
  // the header first, then each row as soon as its scale is done: scale 10 takes minutes
  process.stdout.write(
    [
      '| scale | PRs | REST: PR requests / points | GraphQL: PR requests / points | ratio (requests / points) | whole sync requests / points, REST → GraphQL | 10 000-PR repo, REST | 10 000-PR repo, GraphQL | time REST / GraphQL |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      '',
    ].join('\n'),
  );
  for (const scale of scales) {
    const sandbox = await startSandbox({
      port: 0,
      now: '2026-11-20T12:00:00.000Z',
      scale,
      faults: { github: { quota: 10_000_000 } },
    });
    const scenario = sandbox.manifest({ counts: scale <= 5 }).scenarios.slipping;
    const repos = scenario.github.repos.map((r) => r.fullName);
    const outbound = createOutboundPolicy({
      allowedHosts: parseAllowedUpstreamHosts(new URL(sandbox.url).host),
    });
    const runs: Record<'rest' | 'graphql', Run> = {} as Record<'rest' | 'graphql', Run>;
    for (const api of ['rest', 'graphql'] as const) {
      let prs = 0;
      let pullsCalls = 0;
      let pullsStart: number | null = null;
      const onProgress = (p: GithubSyncProgress): void => {
        if (p.phase === 'pulls') pullsStart = p.apiCalls;
        if (p.phase === 'issues' && pullsStart !== null) {
          pullsCalls += p.apiCalls - pullsStart;
          pullsStart = null;
        }
      };
      const started = performance.now();
      const result = await syncGithub({
        settings: { baseUrl: sandbox.githubUrl, repos, coverageArtifactPattern: 'coverage*', api },
        token: `${SANDBOX_GITHUB_TOKEN}_gqlbench_${scale}_${api}`,
        outbound,
        cursor: null,
        sink: {
          savePage: async (b: GithubPageBatch) => {
            prs += b.pullRequests.length;
          },
          saveCursor: async () => undefined,
        },
        now: Date.now,
        concurrency: 10,
        onProgress,
      });
      if (result.error) throw new Error(`${api} sync failed: ${result.error.message}`);
      const gql = result.graphql ?? { queries: 0, points: 0 };
      const restCalls = result.apiCalls - gql.queries;
      runs[api] = {
        prs,
        pullRequests: pullsCalls,
        // on the GraphQL path, the pulls phase's REST calls are the retries of skipped PRs (none here)
        points: api === 'rest' ? pullsCalls : gql.points + (pullsCalls - gql.queries),
        allRequests: result.apiCalls,
        allPoints: restCalls - result.notModified + gql.points,
        seconds: (performance.now() - started) / 1000,
      };
    }
    const r = runs.rest;
    const g = runs.graphql;
    const hours = (perPr: number): string => ((perPr * BIG_REPO) / HOURLY).toFixed(2);
    process.stdout.write(
      `| ${scale} | ${r.prs} | ${r.pullRequests} / ${r.points} | ${g.pullRequests} / ${g.points} | ${(r.pullRequests / g.pullRequests).toFixed(1)}× / ${(r.points / g.points).toFixed(1)}× | ${r.allRequests} / ${r.allPoints} → ${g.allRequests} / ${g.allPoints} | ${hours(r.points / r.prs)} h | ${hours(g.points / g.prs)} h | ${r.seconds.toFixed(0)} s / ${g.seconds.toFixed(0)} s |\n`,
    );
    await sandbox.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
