// Moves the sandbox clock forward and changes a few records, deterministically, so that
// incremental syncs (since / updated >= / oldest) have something new to find.
import { SHA_HEAD, SHA_MERGE, encodeSha } from '../github/github.generator';
import { type ItemModel } from '../github/github.model';
import { JIRA_STATUSES, type JiraIssueModel } from '../jira/jira.model';
import { type AdvanceResult, type ScenarioName } from '../sandbox.types';
import { makeTs, tsKey, type SlackMessageModel } from '../slack/slack.generator';
import { type BlockList } from './block-list.store';
import { HOUR, pickPerson } from './world.model';
import { type WorldStore } from './world.store';

function moveTo<T>(list: BlockList<T>, rec: T, isNew: boolean): void {
  if (!isNew) list.moved.set(list.idOf(rec), rec);
  list.tail = [...list.tail.filter((t) => list.idOf(t) !== list.idOf(rec)), rec].sort(
    (a, b) => list.keyOf(a) - list.keyOf(b),
  );
  list.invalidate();
}

export function advanceWorld(world: WorldStore, hours: number): AdvanceResult {
  const prev = world.now;
  const span = Math.max(1, hours) * HOUR;
  const next = prev + span;
  const at = (k: number, n: number): number => Math.floor((prev + ((k + 1) * span) / (n + 1)) / 1000) * 1000;
  world.advances++;
  const changed = {} as AdvanceResult['changed'];
  for (const s of world.scenarios) {
    const name: ScenarioName = s.scenario.name;
    const entry: AdvanceResult['changed'][ScenarioName] = {
      github: {},
      jira: { updatedIssues: [], createdIssues: [] },
      slack: {},
    };
    const client = pickPerson(s.scenario.people, 'client', prev, 0.3);
    const vendor = pickPerson(s.scenario.people, 'vendor', prev, 0.6);
    for (const r of s.repos) {
      const out = {
        updatedPulls: [] as number[],
        updatedIssues: [] as number[],
        createdPulls: [] as number[],
      };
      let toUpdate = r.items.query({
        filter: (i) => i.kind === 'pr' && i.state === 'open' && !i.draft,
        sig: 'adv:openpr',
        desc: true,
        offset: 0,
        limit: 2,
      }).items;
      // no open PR to merge: a late review on the latest PR still changes it
      if (toUpdate.length === 0)
        toUpdate = r.items.query({
          filter: (i) => i.kind === 'pr' && i.author.type === 'User',
          sig: 'adv:anypr',
          desc: true,
          offset: 0,
          limit: 1,
        }).items;
      toUpdate.forEach((pr, k) => {
        const t = at(k, 4);
        const reviewer = { login: client.login, id: client.githubId, type: 'User' as const, person: client };
        if (pr.state === 'closed') {
          const reviewed: ItemModel = {
            ...pr,
            updatedAt: t,
            reviews: [...pr.reviews, { id: pr.id * 10 + 4, reviewer, state: 'COMMENTED', submittedAt: t }],
          };
          moveTo(r.items, reviewed, false);
          out.updatedPulls.push(pr.number);
          return;
        }
        const merged: ItemModel = {
          ...pr,
          state: 'closed',
          mergedAt: t,
          closedAt: t,
          updatedAt: t,
          requestedReviewers: [],
          reviews: [
            ...pr.reviews,
            { id: pr.id * 10 + 3, reviewer, state: 'APPROVED', submittedAt: t - 600_000 },
          ],
          events: [
            ...pr.events,
            { id: pr.id * 100 + 90, event: 'merged', createdAt: t, actor: reviewer },
            { id: pr.id * 100 + 91, event: 'closed', createdAt: t, actor: pr.author },
          ],
        };
        moveTo(r.items, merged, false);
        out.updatedPulls.push(pr.number);
      });
      const openIssue = r.items.query({
        filter: (i) => i.kind === 'issue' && i.state === 'open',
        sig: 'adv:openissue',
        desc: true,
        offset: 0,
        limit: 1,
      }).items[0];
      if (openIssue) {
        const t = at(2, 4);
        moveTo(
          r.items,
          {
            ...openIssue,
            state: 'closed',
            closedAt: t,
            updatedAt: t,
            events: [
              ...openIssue.events,
              {
                id: openIssue.id * 100 + 92,
                event: 'closed',
                createdAt: t,
                actor: { login: vendor.login, id: vendor.githubId, type: 'User', person: vendor },
              },
            ],
          },
          false,
        );
        out.updatedIssues.push(openIssue.number);
      }
      const template = r.items.query({
        filter: (i) => i.kind === 'pr' && i.author.type === 'User',
        sig: 'adv:template',
        desc: true,
        offset: 0,
        limit: 1,
      }).items[0];
      if (template) {
        const t = at(3, 4);
        const number = r.nextNumber++;
        const index = number - 1;
        const created: ItemModel = {
          ...template,
          index,
          number,
          id: r.ctx.repo.id * 1_000_000 + number,
          title: `Follow-up for #${template.number}`,
          author: { login: vendor.login, id: vendor.githubId, type: 'User', person: vendor },
          createdAt: t,
          updatedAt: t,
          state: 'open',
          draft: false,
          wasDraft: false,
          readyAt: t,
          labels: [],
          reviews: [],
          reviewComments: [],
          commits: template.commits.slice(0, 1).map((c) => ({
            ...c,
            sha: encodeSha(world.seed, r.ctx.repo, index, 16),
            authoredAt: t - 2 * HOUR,
          })),
          events: [],
          requestedReviewers: [],
          headRef: `feature/follow-up-${number}`,
          headSha: encodeSha(world.seed, r.ctx.repo, index, SHA_HEAD),
          mergeSha: encodeSha(world.seed, r.ctx.repo, index, SHA_MERGE),
          reopenCount: 0,
        };
        delete created.mergedAt;
        delete created.closedAt;
        moveTo(r.items, created, true);
        out.createdPulls.push(number);
      }
      entry.github[r.ctx.repo.name] = out;
    }
    // Jira: two open issues move to Done, one new issue
    const j = s.jira;
    const open = j.issues.query({
      filter: (i) => i.status.category !== 'done' && i.type !== 'Sub-task',
      sig: 'adv:open',
      desc: true,
      offset: 0,
      limit: 2,
    }).items;
    open.forEach((it, k) => {
      const t = at(k, 3);
      const done: JiraIssueModel = {
        ...it,
        status: JIRA_STATUSES.done,
        resolution: 'Done',
        resolutionDate: t,
        updated: t,
        histories: [
          ...it.histories,
          {
            id: `${it.id}9${k}`,
            author: vendor,
            created: t,
            items: [
              {
                field: 'status',
                fieldtype: 'jira',
                fieldId: 'status',
                from: it.status.id,
                fromString: it.status.name,
                to: JIRA_STATUSES.done.id,
                toString: JIRA_STATUSES.done.name,
              },
              {
                field: 'resolution',
                fieldtype: 'jira',
                fieldId: 'resolution',
                from: null,
                fromString: null,
                to: '10000',
                toString: 'Done',
              },
            ],
          },
        ],
      };
      moveTo(j.issues, done, false);
      entry.jira.updatedIssues.push(it.key);
    });
    const tpl = j.issues.query({ sig: 'all', desc: true, offset: 0, limit: 1 }).items[0];
    if (tpl) {
      const t = at(2, 3);
      const number = j.nextNumber++;
      const fresh: JiraIssueModel = {
        ...tpl,
        index: number - 1,
        id: String(s.scenario.jiraProjectId * 100_000 + number),
        key: `${s.scenario.jiraKey}-${number}`,
        type: 'Bug',
        summary: 'New bug reported after sync',
        reporter: client,
        created: t,
        updated: t,
        status: JIRA_STATUSES.todo,
        labels: [],
        histories: [],
        comments: [],
        reopened: false,
      };
      delete fresh.resolution;
      delete fresh.resolutionDate;
      delete fresh.storyPoints;
      delete fresh.sprintId;
      delete fresh.parentKey;
      moveTo(j.issues, fresh, true);
      entry.jira.createdIssues.push(fresh.key);
    }
    // Slack: a new request answered in its thread, and a late reply in a recent thread
    for (const c of s.channels) {
      const out = { newMessages: [] as string[], threadsWithNewReplies: [] as string[] };
      const t = at(0, 3);
      const ts = makeTs(t, 100 + world.advances);
      const replyTs = makeTs(t + 5 * 60_000, 200 + world.advances);
      const msg: SlackMessageModel = {
        scenario: s.scenario,
        channel: c.ctx.channel,
        ts,
        key: tsKey(ts),
        user: client.slackId,
        text: 'Quick check: is the fix deployed?',
        replies: [
          { ts: replyTs, key: tsKey(replyTs), user: vendor.slackId, text: 'Yes, deployed an hour ago.' },
        ],
      };
      moveTo(c.messages, msg, true);
      out.newMessages.push(ts);
      const recentThread = c.messages.query({
        filter: (m) => m.replies.length > 0 && m.key < world.frame.end,
        sig: 'adv:thread',
        desc: true,
        offset: 0,
        limit: 1,
      }).items[0];
      if (recentThread) {
        const lateTs = makeTs(at(1, 3), 300 + world.advances);
        const late = {
          ts: lateTs,
          key: tsKey(lateTs),
          user: vendor.slackId,
          text: 'Following up on this one.',
        };
        const prevPatch = c.messages.patches.get(recentThread.ts);
        c.messages.patches.set(recentThread.ts, (m) => {
          const base = prevPatch ? prevPatch(m) : m;
          return { ...base, replies: [...base.replies, late] };
        });
        c.messages.invalidate();
        out.threadsWithNewReplies.push(recentThread.ts);
      }
      entry.slack[c.ctx.channel.id] = out;
    }
    changed[name] = entry;
  }
  world.now = next;
  return { previousNow: new Date(prev).toISOString(), now: new Date(next).toISOString(), changed };
}
