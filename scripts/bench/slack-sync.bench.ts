// Benchmark of the Slack collector against the sandbox, under both app classes: API calls of
// a full sync compared with the least number of requests the same data needs, and of an
// incremental sync after new messages. The 2025 class is paced on a virtual clock (shared
// with the sandbox's limiter), so its hours of pacing take seconds; WebClient is the real one.
// Run: see scripts/bench/README.md.
import {
  createOutboundPolicy,
  parseAllowedUpstreamHosts,
  syncSlack,
  type ConnectorPage,
  type SlackAppClass,
} from '@pulse/connectors';
import { SANDBOX_SLACK_LIMITED_BOT_TOKEN, startSandbox } from '../../apps/sandbox/src';

const CLASSES: { appClass: SlackAppClass; pageSize: number }[] = [
  { appClass: 'internal', pageSize: 200 },
  { appClass: 'non_marketplace_2025', pageSize: 15 },
];

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const { appClass, pageSize } of CLASSES) {
    const clock = { t: Date.now(), now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
    const sandbox = await startSandbox({
      port: 0,
      now: '2026-11-20T12:00:00.000Z',
      slackClock: () => clock.t,
    });
    const manifest = sandbox.manifest({ counts: true });
    const m = manifest.scenarios.slipping;
    const channels = m.slack.channels.map((c) => c.id);
    const secret =
      appClass === 'internal' ? manifest.credentials.slack.botToken : SANDBOX_SLACK_LIMITED_BOT_TOKEN;
    let cursor: unknown = null;
    let records = 0;
    const run = async () => {
      let calls = 0;
      let runs = 0;
      const started = clock.t;
      for (;;) {
        runs++;
        const r = await syncSlack({
          settings: { baseUrl: sandbox.slackUrl, channelIds: channels, appClass },
          secret,
          outbound: createOutboundPolicy({
            allowedHosts: parseAllowedUpstreamHosts(new URL(sandbox.url).host),
          }),
          cursor,
          now: () => Date.parse(sandbox.manifest({ counts: false }).now),
          rules: { bugTypes: [], storyPointsField: null },
          clock,
          budgetMs: 10 * 60_000,
          sink: {
            savePage: async (p: ConnectorPage) => {
              records += p.chatMessages?.length ?? 0;
            },
            saveCursor: async (next: unknown) => {
              cursor = next;
            },
          },
        });
        if (r.error) throw new Error(`sync failed: ${r.error.message}`);
        calls += r.apiCalls;
        if (!r.counts['pending']) break;
        clock.t += 30 * 60_000; // the next scheduled run
      }
      return { calls, runs, hours: (clock.t - started) / 3_600_000 };
    };
    sandbox.clearRequests();
    const wall = performance.now();
    const full = await run();
    const seconds = (performance.now() - wall) / 1000;
    const rateLimited = sandbox.requests().filter((r) => r.status === 429).length;
    const byMethod = (method: string) =>
      sandbox.requests().filter((r) => r.path.endsWith(`/${method}`)).length;
    const historyCalls = byMethod('conversations.history');
    const repliesCalls = byMethod('conversations.replies');
    // The least a correct collector needs: auth.test (workspace URL), one users.list page per
    // 200 people, per channel one conversations.info and one history page per `pageSize`
    // top-level messages, and per thread its replies (the parent is repeated on every page).
    const users = 1;
    let minimal = 1 + users;
    let threads = 0;
    let historyMinimal = 0;
    for (const id of channels) {
      const c = m.counts!.slackByChannel[id]!;
      minimal += 1 + Math.ceil(c.topLevelMessages / pageSize);
      historyMinimal += Math.ceil(c.topLevelMessages / pageSize);
      threads += c.threads;
    }
    // replies pages: each thread has at least one; a thread longer than a page needs more
    const replyPages = sandbox.requests().filter((r) => r.path.endsWith('/conversations.replies')).length;
    minimal += Math.max(threads, replyPages);
    const stored = records;
    const advanced = sandbox.advance(12);
    sandbox.clearRequests();
    const again = await run();
    // After new messages: one history page per channel, one replies call per thread that
    // got replies (the new ones and the late reply in an older thread).
    const changed = Object.values(advanced.changed.slipping.slack);
    const minimalAgain =
      channels.length +
      changed.reduce((n, c) => n + c.newMessages.length + c.threadsWithNewReplies.length, 0);
    rows.push(
      `| ${appClass} | ${pageSize} | ${stored} | ${full.calls} | ${minimal} | ${(full.calls / minimal).toFixed(2)} | ${historyCalls} / ${historyMinimal} | ${repliesCalls} / ${threads} | ${rateLimited} | ${full.runs} | ${full.hours.toFixed(1)} h | ${again.calls} | ${minimalAgain} | ${seconds.toFixed(1)} s |`,
    );
    await sandbox.close();
  }
  process.stdout.write(
    [
      '| app class | page size | messages stored | calls, full sync | minimal | ratio | history calls / minimal | replies calls / threads | 429s | runs | paced time | calls, incremental | minimal | wall time |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
