// Benchmark of the Jira collector against the sandbox, Cloud and Data Center: API calls of
// a full sync compared with the least number of requests the same data needs, and the
// calls of an unchanged incremental sync. Run: see scripts/bench/README.md.
import {
  createOutboundPolicy,
  parseAllowedUpstreamHosts,
  syncJira,
  type ConnectorPage,
  type JiraSettings,
} from '@pulse/connectors';
import { startSandbox } from '../../apps/sandbox/src';

const scales = (process.argv[2] ?? '1,3').split(',').map(Number);
const FLAVOURS = ['cloud', 'datacenter'] as const;

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const scale of scales) {
    for (const flavour of FLAVOURS) {
      const sandbox = await startSandbox({
        port: 0,
        now: '2026-11-20T12:00:00.000Z',
        scale,
        jiraFlavours: { slipping: flavour },
      });
      const manifest = sandbox.manifest({ counts: true });
      const outbound = createOutboundPolicy({
        allowedHosts: parseAllowedUpstreamHosts(new URL(sandbox.url).host),
      });
      const m = manifest.scenarios.slipping;
      const c = m.counts!.jira;
      const settings: JiraSettings = {
        baseUrl: m.jira.siteUrl,
        deployment: 'auto',
        ...(flavour === 'cloud' ? { email: manifest.credentials.jira.email } : {}),
        projectKeys: [m.jira.projectKey],
        boardIds: [m.jira.boardId],
      };
      const secret =
        flavour === 'cloud'
          ? manifest.credentials.jira.apiToken
          : manifest.credentials.jira.personalAccessToken;
      let cursor: unknown = null;
      let records = 0;
      const sink = {
        savePage: async (p: ConnectorPage) => {
          records += (p.workItems?.length ?? 0) + (p.sprints?.length ?? 0);
        },
        saveCursor: async (next: unknown) => {
          cursor = next;
        },
      };
      const run = () =>
        syncJira({
          settings,
          secret,
          // the sandbox is on loopback: allowed as PULSE_ALLOWED_UPSTREAM_HOSTS does for `npm start`
          outbound,
          cursor,
          sink,
          now: Date.now,
          rules: { bugTypes: ['Bug'], storyPointsField: null },
          concurrency: 8,
        });
      sandbox.clearRequests();
      const started = performance.now();
      const full = await run();
      const seconds = (performance.now() - started) / 1000;
      if (full.error) throw new Error(`full sync failed: ${full.error.message}`);
      const log = sandbox.requests();
      const completions = log.filter((r) => /\/issue\/[^/]+(\/changelog)?$/.test(r.path)).length;
      const commentPages = log.filter((r) => /\/comment$/.test(r.path)).length;
      // The least a correct collector needs: 4 site reads (serverInfo, myself, status,
      // field); one search page per 100 issues; per issue whose changelog the search
      // truncates, the rest of it; per issue with more comments than embedded, its
      // comments; per board one sprint page (≤ 50) and, per started sprint, its issues
      // (one page per 50).
      // distinct issues: completing the same changelog twice (search and sprint listing)
      // is waste the ratio should show
      const truncated = new Set(
        log
          .filter((r) => /\/issue\/[^/]+(\/changelog)?$/.test(r.path))
          .map((r) => r.path.replace(/\/changelog$/, '')),
      ).size;
      const withMoreComments = commentPages; // one page each at the sandbox's sizes
      const sprintIssuePages = log.filter((r) => /\/sprint\/\d+\/issue$/.test(r.path)).length;
      const minimal =
        4 +
        Math.ceil(c.issues / 100) +
        truncated +
        withMoreComments +
        1 +
        Math.max(c.startedSprints, sprintIssuePages);
      sandbox.clearRequests();
      const again = await run();
      if (again.error) throw new Error(`incremental sync failed: ${again.error.message}`);
      // Unchanged: the site reads, one search page (the overlap window), the sprint list
      // and the active sprint's issues (one page per 50: its scope may still move).
      const activeSprintPages = sandbox.requests().filter((r) => /\/sprint\/\d+\/issue$/.test(r.path)).length;
      const minimalAgain = 4 + 1 + 1 + Math.max(c.startedSprints - c.closedSprints, activeSprintPages);
      rows.push(
        `| ${scale} | ${flavour} | ${c.issues} | ${records} | ${full.apiCalls} | ${minimal} | ${(full.apiCalls / minimal).toFixed(2)} | ${completions} | ${again.apiCalls} | ${minimalAgain} | ${again.counts['workItems']} | ${seconds.toFixed(1)} s |`,
      );
      await sandbox.close();
    }
  }
  process.stdout.write(
    [
      '| scale | flavour | issues | records | calls, full sync | minimal | ratio | changelog completions | calls, unchanged sync | minimal | issues re-read (overlap) | full sync time |',
      '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
