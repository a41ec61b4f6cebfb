// The manifest: everything a client needs to configure both demo engagements, plus
// ground-truth counts computed from the same generators the API serves.
import { liveReplies, visibleInHistory } from '../slack/slack-mutations';
import { type RepoWorld } from '../github/github.generator';
import { CLIENT_TZ, GITHUB_BOTS, SLACK_BOT, SLACK_CI_BOT, VENDOR_TZ } from './world.model';
import { type ScenarioWorld, type WorldStore } from './world.store';
import {
  SANDBOX_GITHUB_TOKEN,
  SANDBOX_JIRA_API_TOKEN,
  SANDBOX_JIRA_EMAIL,
  SANDBOX_JIRA_PAT,
  SANDBOX_SLACK_BOT_TOKEN,
} from '../credentials.constants';
import { JIRA_FLAVOUR_BASE, type JiraFlavour } from '../jira/jira.routes';
import {
  type GithubCounts,
  type JiraCounts,
  type SandboxManifest,
  type ScenarioManifest,
  type ScenarioName,
  type SlackCounts,
} from '../sandbox.types';
import { type ChannelWorld } from '../slack/slack.generator';

/** Steady on Cloud and slipping on Data Center, so the demo runs both Jira flavours. */
const DEFAULT_JIRA_FLAVOURS: Record<ScenarioName, JiraFlavour> = { steady: 'cloud', slipping: 'datacenter' };

const emptyGithub = (): GithubCounts => ({
  pullRequests: 0,
  openPullRequests: 0,
  mergedPullRequests: 0,
  closedUnmergedPullRequests: 0,
  draftPullRequests: 0,
  botPullRequests: 0,
  mergedWithoutReview: 0,
  reviews: 0,
  reviewComments: 0,
  commits: 0,
  issues: 0,
  openIssues: 0,
  bugIssues: 0,
  deployments: 0,
  productionDeployments: 0,
  successfulProductionDeployments: 0,
  releases: 0,
  workflowRuns: 0,
  artifacts: 0,
});

export function githubCounts(w: RepoWorld): GithubCounts {
  const c = emptyGithub();
  for (const it of w.items.all()) {
    if (it.kind === 'issue') {
      c.issues++;
      if (it.state === 'open') c.openIssues++;
      if (it.labels.includes('bug')) c.bugIssues++;
      continue;
    }
    c.pullRequests++;
    if (it.state === 'open') c.openPullRequests++;
    else if (it.mergedAt !== undefined) c.mergedPullRequests++;
    else c.closedUnmergedPullRequests++;
    if (it.wasDraft) c.draftPullRequests++;
    if (it.author.type === 'Bot') c.botPullRequests++;
    const reviewedByOther =
      it.reviews.some((r) => r.reviewer.login !== it.author.login) ||
      it.reviewComments.some((r) => r.author.login !== it.author.login);
    if (it.mergedAt !== undefined && !reviewedByOther) c.mergedWithoutReview++;
    c.reviews += it.reviews.length;
    c.reviewComments += it.reviewComments.length;
    c.commits += it.commits.length;
  }
  c.workflowRuns = c.mergedPullRequests;
  c.artifacts = c.mergedPullRequests;
  for (const d of w.deployments.all()) {
    c.deployments++;
    if (d.environment === 'production') {
      c.productionDeployments++;
      if (d.statuses.some((s) => s.state === 'success')) c.successfulProductionDeployments++;
    }
  }
  for (const _r of w.releases.all()) c.releases++;
  return c;
}

function slackCounts(c: ChannelWorld): SlackCounts {
  const out: SlackCounts = {
    topLevelMessages: 0,
    replies: 0,
    threads: 0,
    joinLeaveMessages: 0,
    botMessages: 0,
  };
  for (const m of c.messages.all()) {
    // what the history shows: deleted messages are gone (a tombstone while replies live)
    if (!visibleInHistory(m)) continue;
    const replies = liveReplies(m).length;
    out.topLevelMessages++;
    out.replies += replies;
    if (replies > 0) out.threads++;
    if (m.subtype === 'channel_join' || m.subtype === 'channel_leave') out.joinLeaveMessages++;
    if (m.subtype === 'bot_message') out.botMessages++;
  }
  return out;
}

function jiraCounts(s: ScenarioWorld): JiraCounts {
  const c: JiraCounts = {
    issues: 0,
    bugs: 0,
    openBugs: 0,
    reopenedBugs: 0,
    subTasks: 0,
    resolved: 0,
    comments: 0,
    sprints: s.jira.sprints.length,
    closedSprints: s.jira.sprints.filter((x) => x.state === 'closed').length,
    startedSprints: s.jira.sprints.filter((x) => x.state !== 'future').length,
  };
  for (const it of s.jira.issues.all()) {
    c.issues++;
    if (it.type === 'Bug') {
      c.bugs++;
      if (it.status.category !== 'done') c.openBugs++;
      // observable reopens only: a resolution cleared in the history (a planned reopen
      // may lie beyond the sandbox's "now")
      if (
        it.histories.some((h) =>
          h.items.some((i) => i.field === 'resolution' && i.from !== null && i.to === null),
        )
      )
        c.reopenedBugs++;
    }
    if (it.type === 'Sub-task') c.subTasks++;
    if (it.resolutionDate !== undefined) c.resolved++;
    c.comments += it.comments.length;
  }
  return c;
}

function sum<T extends object>(parts: T[], empty: T): T {
  const out = { ...empty } as Record<string, number>;
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + (v as number);
  return out as T;
}

export function buildManifest(
  world: WorldStore,
  url: string,
  withCounts: boolean,
  jiraFlavours: Partial<Record<ScenarioName, 'cloud' | 'datacenter'>> = {},
): SandboxManifest {
  const u = new URL(url);
  const scenario = (s: ScenarioWorld): ScenarioManifest => {
    const sc = s.scenario;
    const byRepo: Record<string, GithubCounts> = {};
    const byChannel: Record<string, SlackCounts> = {};
    if (withCounts) {
      for (const r of s.repos) byRepo[r.ctx.repo.name] = githubCounts(r);
      for (const c of s.channels) byChannel[c.ctx.channel.id] = slackCounts(c);
    }
    return {
      name: sc.name,
      engagementName: `Demo: ${sc.name}`,
      calendars: {
        client: { timeZone: CLIENT_TZ, workdays: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
        vendor: { timeZone: VENDOR_TZ, workdays: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      },
      github: {
        baseUrl: `${url}/github/api/v3`,
        owner: sc.owner,
        repos: sc.repos.map((r) => ({
          name: r.name,
          fullName: `${sc.owner}/${r.name}`,
          defaultBranch: 'main',
          coverageReport: r.coverage,
        })),
        productionEnvironment: 'production',
        coverageArtifactName: 'coverage-report',
        coverageStatusContext: 'codecov/project',
      },
      jira: {
        protocol: 'http',
        host: u.hostname,
        port: u.port,
        base: JIRA_FLAVOUR_BASE[jiraFlavours[sc.name] ?? DEFAULT_JIRA_FLAVOURS[sc.name]],
        apiVersion: '2',
        flavour: jiraFlavours[sc.name] ?? DEFAULT_JIRA_FLAVOURS[sc.name],
        siteUrl: `${url}/${JIRA_FLAVOUR_BASE[jiraFlavours[sc.name] ?? DEFAULT_JIRA_FLAVOURS[sc.name]]}`,
        projectKey: sc.jiraKey,
        projectId: String(sc.jiraProjectId),
        boardId: sc.boardId,
        bugTypes: ['Bug'],
        storyPointsField: 'customfield_10016',
        sprintField: 'customfield_10020',
      },
      slack: { apiUrl: `${url}/slack/api/`, channels: sc.channels.map((c) => ({ id: c.id, name: c.name })) },
      people: sc.people.map((p) => ({
        name: p.name,
        side: p.side,
        email: p.email,
        timeZone: p.timeZone,
        github: { login: p.login, id: p.githubId },
        jira: { accountId: p.jiraAccountId },
        slack: { userId: p.slackId },
        ...(p.leftAt !== undefined ? { leftAt: new Date(p.leftAt).toISOString() } : {}),
        ...(p.joinedAt !== undefined ? { joinedAt: new Date(p.joinedAt).toISOString() } : {}),
      })),
      bots: [
        { source: 'github', name: GITHUB_BOTS.dependabot.login, id: String(GITHUB_BOTS.dependabot.id) },
        { source: 'github', name: GITHUB_BOTS.ci.login, id: String(GITHUB_BOTS.ci.id) },
        { source: 'slack', name: SLACK_BOT.name, id: SLACK_BOT.botId },
        { source: 'slack', name: SLACK_CI_BOT.name, id: SLACK_CI_BOT.botId },
        { source: 'jira', name: 'Pulse Sandbox Bot', id: '5b10sandbox0000pulsebot' },
      ],
      counts: !withCounts
        ? null
        : {
            github: sum(Object.values(byRepo), emptyGithub()),
            githubByRepo: byRepo,
            jira: jiraCounts(s),
            slack: sum(Object.values(byChannel), {
              topLevelMessages: 0,
              replies: 0,
              threads: 0,
              joinLeaveMessages: 0,
              botMessages: 0,
            }),
            slackByChannel: byChannel,
          },
    };
  };
  const [steady, slipping] = [world.scenario('steady'), world.scenario('slipping')];
  return {
    url,
    seed: world.seed,
    now: new Date(world.now).toISOString(),
    historyStart: new Date(world.frame.start).toISOString(),
    scale: world.scale,
    credentials: {
      github: { token: SANDBOX_GITHUB_TOKEN, tokenEnv: 'SANDBOX_GITHUB_TOKEN' },
      jira: {
        email: SANDBOX_JIRA_EMAIL,
        apiToken: SANDBOX_JIRA_API_TOKEN,
        emailEnv: 'SANDBOX_JIRA_EMAIL',
        apiTokenEnv: 'SANDBOX_JIRA_API_TOKEN',
        personalAccessToken: SANDBOX_JIRA_PAT,
      },
      slack: { botToken: SANDBOX_SLACK_BOT_TOKEN, botTokenEnv: 'SANDBOX_SLACK_BOT_TOKEN' },
    },
    scenarios: { steady: scenario(steady), slipping: scenario(slipping) },
  };
}
