// Benchmark of the GitHub collector against the sandbox: API calls of a full sync compared
// with the least number of requests the same data needs, calls and quota of an unchanged
// re-sync, and records/s ingested. Run: see scripts/bench/README.md.
import {
  createOutboundPolicy,
  parseAllowedUpstreamHosts,
  syncGithub,
  type GithubPageBatch,
  type GithubSyncResult,
} from '@pulse/connectors';
import { startSandbox, SANDBOX_GITHUB_TOKEN } from '../../apps/sandbox/src';

const scales = (process.argv[2] ?? '1,3').split(',').map(Number);
const per = (n: number) => Math.max(1, Math.ceil(n / 100));

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const scale of scales) {
    const sandbox = await startSandbox({
      port: 0,
      now: '2026-11-20T12:00:00.000Z',
      scale,
      faults: { github: { quota: 1_000_000 } },
    });
    const scenario = sandbox.manifest({ counts: true }).scenarios.slipping;
    const c = scenario.counts!.github;
    const repos = scenario.github.repos.map((r) => r.fullName);
    let records = 0;
    const sink = {
      savePage: async (b: GithubPageBatch) => {
        records +=
          b.pullRequests.length +
          b.reviews.length +
          b.deployments.length +
          b.releases.length +
          b.coverageSamples.length +
          b.workItems.length;
      },
      saveCursor: async () => undefined,
    };
    const token = `${SANDBOX_GITHUB_TOKEN}_bench_${scale}`;
    const settings = {
      baseUrl: sandbox.githubUrl,
      repos,
      coverageArtifactPattern: 'coverage*',
      api: 'rest' as const,
    };
    // the sandbox is on loopback: allowed explicitly, as PULSE_ALLOWED_UPSTREAM_HOSTS would
    const outbound = createOutboundPolicy({
      allowedHosts: parseAllowedUpstreamHosts(new URL(sandbox.url).host),
    });
    const started = performance.now();
    const full: GithubSyncResult = await syncGithub({
      settings,
      token,
      outbound,
      cursor: null,
      sink,
      now: Date.now,
      concurrency: 10,
    });
    const seconds = (performance.now() - started) / 1000;
    if (full.error) throw new Error(`full sync failed: ${full.error.message}`);
    // The least a correct collector needs with these endpoints, 100 items per page: per
    // repo the repo itself and each newest-first list; per PR its reviews, review comments,
    // commits and timeline (one page each at least); per issue its timeline (reopen
    // history); per deployment its statuses; per coverage sample the run's artifact list,
    // the zip request and the blob it redirects to.
    const minimal =
      repos.length * 1 +
      repos.length * 5 + // pulls, issues, deployments, releases, workflow runs: first pages
      Math.max(0, per(c.pullRequests) - repos.length) +
      Math.max(0, per(c.issues + c.pullRequests) - repos.length) +
      Math.max(0, per(c.deployments) - repos.length) +
      c.pullRequests * 4 +
      c.issues +
      c.deployments +
      full.counts.coverageSamples * 3;
    const again = await syncGithub({
      settings,
      token,
      outbound,
      cursor: full.cursor,
      sink,
      now: Date.now,
      concurrency: 10,
    });
    rows.push(
      `| ${scale} | ${c.pullRequests} | ${records} | ${full.apiCalls} | ${minimal} | ${(full.apiCalls / minimal).toFixed(2)} | ${again.apiCalls} | ${again.apiCalls - again.notModified} | ${seconds.toFixed(1)} s | ${Math.round(records / seconds)} |`,
    );
    await sandbox.close();
  }
  process.stdout.write(
    [
      '| scale | PRs (slipping) | records | calls, full sync | minimal requests | ratio | calls, unchanged re-sync | quota used by re-sync | full sync time | records/s |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
