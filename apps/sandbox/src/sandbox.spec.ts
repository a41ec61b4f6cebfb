import { startSandbox } from './sandbox.server';
import {
  SANDBOX_GITHUB_TOKEN,
  SANDBOX_JIRA_API_TOKEN,
  SANDBOX_JIRA_EMAIL,
  SANDBOX_SLACK_BOT_TOKEN,
} from './credentials.constants';
import { type RunningSandbox } from './sandbox.types';

async function bodies(sb: RunningSandbox): Promise<string[]> {
  const m = sb.manifest().scenarios.slipping;
  const gh = { authorization: `token ${SANDBOX_GITHUB_TOKEN}` };
  const jira = {
    authorization: `Basic ${Buffer.from(`${SANDBOX_JIRA_EMAIL}:${SANDBOX_JIRA_API_TOKEN}`).toString('base64')}`,
    'content-type': 'application/json',
  };
  const requests: [string, RequestInit][] = [
    [
      `${sb.githubUrl}/repos/${m.github.owner}/${m.github.repos[1]!.name}/pulls?state=all&per_page=100&page=2`,
      { headers: gh },
    ],
    [
      `${sb.githubUrl}/repos/${m.github.owner}/${m.github.repos[1]!.name}/issues?state=all&labels=bug`,
      { headers: gh },
    ],
    [`${sb.githubUrl}/repos/${m.github.owner}/${m.github.repos[0]!.name}/deployments`, { headers: gh }],
    [
      `${sb.url}/jira/rest/api/3/search/jql`,
      {
        method: 'POST',
        headers: { ...jira, 'content-type': 'application/json' },
        body: JSON.stringify({
          jql: `project = ${m.jira.projectKey} ORDER BY updated ASC`,
          maxResults: 100,
          expand: 'changelog',
        }),
      },
    ],
    [
      `${sb.slackUrl}conversations.history`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${SANDBOX_SLACK_BOT_TOKEN}` },
        body: new URLSearchParams({ channel: m.slack.channels[0]!.id, limit: '300' }),
      },
    ],
    [`${sb.url}/_sandbox/manifest`, {}],
  ];
  const out: string[] = [];
  for (const [url, init] of requests) {
    const res = await fetch(url, init);
    expect(res.status).toBe(200);
    out.push(
      (await res.text()).split(sb.url).join('<origin>').split(`"port":"${sb.port}"`).join('"port":"<port>"'),
    );
  }
  return out;
}

describe('sandbox', () => {
  it('gives byte-identical responses for the same seed and now, and different ones for another seed', async () => {
    const now = '2026-06-01T10:00:00.000Z';
    const a = await startSandbox({ seed: 'same', now });
    const b = await startSandbox({ seed: 'same', now });
    const c = await startSandbox({ seed: 'other', now });
    try {
      const [ba, bb, bc] = [await bodies(a), await bodies(b), await bodies(c)];
      expect(bb).toEqual(ba);
      expect(bc[0]).not.toEqual(ba[0]);
      const res = await fetch(`${a.githubUrl}/user`, {
        headers: { authorization: `token ${SANDBOX_GITHUB_TOKEN}` },
      });
      expect(res.headers.get('date')).toBe(new Date(now).toUTCString());
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  }, 60_000);

  it('describes both scenarios in the manifest with linked identities and planted trends', async () => {
    const sb = await startSandbox({});
    try {
      const m = sb.manifest();
      for (const s of [m.scenarios.steady, m.scenarios.slipping]) {
        expect(s.github.repos.length).toBeGreaterThanOrEqual(2);
        expect(s.github.repos.length).toBeLessThanOrEqual(4);
        expect(
          s.people.filter((p) => p.side === 'client').every((p) => p.timeZone === 'America/Chicago'),
        ).toBe(true);
        expect(s.people.filter((p) => p.side === 'vendor').every((p) => p.timeZone === 'Asia/Manila')).toBe(
          true,
        );
        expect(s.counts!.github.draftPullRequests).toBeGreaterThan(0);
        expect(s.counts!.github.mergedWithoutReview).toBeGreaterThan(0);
        expect(s.counts!.jira.sprints).toBeGreaterThan(10);
      }
      expect(m.scenarios.slipping.people.some((p) => p.side === 'vendor' && p.leftAt)).toBe(true);
      expect(m.scenarios.slipping.counts!.jira.reopenedBugs).toBeGreaterThan(
        m.scenarios.steady.counts!.jira.reopenedBugs,
      );
      expect(
        new Set(
          [...m.scenarios.steady.slack.channels, ...m.scenarios.slipping.slack.channels].map((c) => c.id),
        ).size,
      ).toBe(4);
      const bad = await fetch(`${sb.url}/_sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify({ github: { error5xxRate: 3 } }),
      });
      expect(bad.status).toBe(400);
    } finally {
      await sb.close();
    }
  });

  it('serves a benchmark-scale world lazily', async () => {
    const sb = await startSandbox({ scale: 60 });
    try {
      const m = sb.manifest().scenarios.slipping;
      expect(m.counts).toBeNull();
      // No wall-clock bound here (CI machines are loaded): building the whole world eagerly
      // would blow the test's own time budget instead.
      const res = await fetch(
        `${sb.githubUrl}/repos/${m.github.owner}/${m.github.repos[0]!.name}/pulls?state=all&sort=updated&direction=desc&per_page=100&page=3`,
        { headers: { authorization: `token ${SANDBOX_GITHUB_TOKEN}` } },
      );
      expect(res.status).toBe(200);
      const link = res.headers.get('link') ?? '';
      const last = Number(/page=(\d+)>; rel="last"/.exec(link)?.[1]);
      expect(last * 100).toBeGreaterThan(6_000);
    } finally {
      await sb.close();
    }
  }, 60_000);
});
