// Generates a scenario's Jira project (issues, changelogs, comments, sprints) per day block.
import { type BlockSource, BlockList } from '../core/block-list.store';
import { Rng, unit } from '../core/random.util';
import {
  CLIENT_OFFSET,
  DAY,
  HOUR,
  type Person,
  type Scenario,
  type TimeFrame,
  VENDOR_OFFSET,
  intoWorkingHours,
  isWeekend,
  pickPerson,
  trend,
} from '../core/world.model';
import {
  type CommentModel,
  type HistoryItem,
  type HistoryModel,
  type IssueTypeName,
  JIRA_STATUSES,
  type JiraIssueModel,
  type JiraStatus,
  type PriorityName,
  type ResolutionName,
  type SprintModel,
} from './jira.model';

const SECOND = 1000;
const floorSec = (t: number): number => Math.floor(t / SECOND) * SECOND;
const SPRINT_DAYS = 14;
/** the issue whose changelog is longer than Jira embeds in search results (>100 histories) */
export const CHURNY_INDEX = 5;

export function buildSprints(scenario: Scenario, frame: TimeFrame): SprintModel[] {
  // sprints start on the first Monday (UTC) on or after the history start
  let first = Math.floor(frame.start / DAY) * DAY;
  while (new Date(first).getUTCDay() !== 1) first += DAY;
  const sprints: SprintModel[] = [];
  for (let k = 0; ; k++) {
    const start = first + k * SPRINT_DAYS * DAY + 2 * HOUR; // 02:00 UTC = 10:00 Manila
    const end = start + SPRINT_DAYS * DAY - 4 * HOUR;
    if (start > frame.end) {
      sprints.push({
        id: scenario.boardId * 100 + k + 1,
        name: `${scenario.jiraKey} Sprint ${k + 1}`,
        state: 'future',
        start,
        end,
        goal: 'Next increment',
      });
      break;
    }
    const closed = end <= frame.end;
    sprints.push({
      id: scenario.boardId * 100 + k + 1,
      name: `${scenario.jiraKey} Sprint ${k + 1}`,
      state: closed ? 'closed' : 'active',
      start,
      end,
      ...(closed ? { completeDate: end + HOUR } : {}),
      goal: `Increment ${k + 1}`,
    });
  }
  return sprints;
}

function sprintAt(sprints: SprintModel[], t: number): SprintModel | undefined {
  return sprints.find((s) => s.state !== 'future' && t >= s.start && t < s.start + SPRINT_DAYS * DAY);
}

const SUMMARIES = [
  'claim upload',
  'search filters',
  'PDF export',
  'SSO login',
  'audit trail',
  'email digest',
  'payment retry',
  'address form',
  'rate card',
  'dashboard widgets',
];

interface JiraContext {
  seed: string;
  scale: number;
  scenario: Scenario;
  frame: TimeFrame;
  sprints: SprintModel[];
}

export function jiraSource(ctx: JiraContext): BlockSource<JiraIssueModel> {
  const { seed, scenario, frame } = ctx;
  const blockStart = (b: number): number => frame.start + b * DAY;
  const size = (b: number): number => {
    const t = blockStart(b);
    const weekend = isWeekend(t + 12 * HOUR, VENDOR_OFFSET);
    const rate = (weekend ? 0.3 : 3) * ctx.scale * (1 + 0.5 * trend(scenario, frame, t));
    return Math.floor(rate + unit(seed, scenario.jiraKey, 'n', b));
  };
  return {
    blockCount: Math.ceil((frame.end - frame.start) / DAY),
    start: frame.start,
    end: frame.end,
    size,
    generate(b, firstIndex) {
      const n = size(b);
      const rng = new Rng(seed, scenario.jiraKey, 'block', b);
      const start = blockStart(b);
      const end = Math.min(start + DAY, frame.end);
      const keys: number[] = [];
      for (let k = 0; k < n; k++) {
        const raw = start + rng.next() * (end - start);
        const w = intoWorkingHours(raw, VENDOR_OFFSET, rng.next());
        keys.push(floorSec(w >= start && w < end ? w : raw));
      }
      keys.sort((a, c) => a - c);
      return keys.map((key, k) => makeIssue(ctx, firstIndex + k, key));
    },
  };
}

function statusItem(from: JiraStatus, to: JiraStatus): HistoryItem {
  return {
    field: 'status',
    fieldtype: 'jira',
    fieldId: 'status',
    from: from.id,
    fromString: from.name,
    to: to.id,
    toString: to.name,
  };
}

function makeIssue(ctx: JiraContext, index: number, key: number): JiraIssueModel {
  const { seed, scenario, frame, sprints } = ctx;
  const r = new Rng(seed, scenario.jiraKey, 'issue', index);
  const tr = trend(scenario, frame, key);
  const typeRoll = r.next();
  const bugShare = 0.25 + 0.25 * tr;
  const type: IssueTypeName =
    typeRoll < bugShare ? 'Bug' : typeRoll < bugShare + 0.4 ? 'Story' : typeRoll < 0.9 ? 'Task' : 'Sub-task';
  const bug = type === 'Bug';
  const reporter = pickPerson(
    scenario.people,
    bug ? (r.chance(0.65) ? 'client' : 'vendor') : r.chance(0.5) ? 'client' : 'vendor',
    key,
    r.next(),
  );
  const assignee = pickPerson(scenario.people, 'vendor', key, r.next());
  const ageDays = r.lognormal(bug ? 2.5 * (1 + 2.5 * tr) : 5, 0.6);
  let created = floorSec(key - ageDays * DAY);
  const inProgressShare = 0.1 + r.next() * 0.1;
  let inProgressAt = floorSec(created + (key - created) * inProgressShare);
  // sprint membership: committed at sprint start, or added mid-sprint (scope change)
  let sprintId: number | undefined;
  let sprintAddedAt: number | undefined;
  // The steady team takes a bug raised during a sprint straight onto its support lane, outside
  // the sprint: committing it at the next sprint start would backdate its creation and make a
  // two-day fix look like a two-week one (its median would then hinge on where today falls in
  // the sprint cycle).
  const sprintOfWork = type === 'Sub-task' ? undefined : sprintAt(sprints, inProgressAt);
  const supportLane =
    bug && !scenario.slipping && sprintOfWork !== undefined && created >= sprintOfWork.start - HOUR;
  const sprint = supportLane ? undefined : sprintOfWork;
  if (sprint) {
    const added = r.chance(0.12 + 0.35 * tr);
    if (!added && created >= sprint.start - HOUR) {
      created = floorSec(sprint.start - (2 + r.next() * 72) * HOUR);
    }
    if (added && created < sprint.start) {
      created = floorSec(sprint.start + (1 + r.next() * 5) * DAY);
      if (created >= key) created = floorSec(sprint.start + (key - sprint.start) * 0.3);
      inProgressAt = floorSec(created + (key - created) * inProgressShare);
    }
    sprintId = sprint.id;
    sprintAddedAt = added
      ? floorSec(created + 5 * 60 * SECOND)
      : floorSec(Math.max(created + 60 * SECOND, sprint.start - HOUR));
  }
  const recent = key > frame.end - 5 * DAY;
  const open = (recent && r.chance(0.45)) || (bug && r.chance(0.05 + 0.45 * tr)) || r.chance(0.04);
  const reopened = bug && r.chance(0.05 + 0.3 * tr);
  const histories: HistoryModel[] = [];
  let hid = 0;
  const push = (author: Person, at: number, items: HistoryItem[]): void => {
    histories.push({
      id: String((scenario.index + 1) * 10_000_000 + index * 200 + hid++),
      author,
      created: at,
      items,
    });
  };
  if (sprintId !== undefined && sprintAddedAt !== undefined) {
    push(pickPerson(scenario.people, 'client', sprintAddedAt, r.next()), sprintAddedAt, [
      {
        field: 'Sprint',
        fieldtype: 'custom',
        fieldId: 'customfield_10020',
        from: '',
        fromString: '',
        to: String(sprintId),
        toString: sprints.find((s) => s.id === sprintId)?.name ?? '',
      },
    ]);
  }
  const S = JIRA_STATUSES;
  let status: JiraStatus = S.todo;
  let resolutionDate: number | undefined;
  let resolution: ResolutionName | undefined;
  const span = key - inProgressAt;
  // the path an issue walks; open issues stop somewhere along it
  const steps: { at: number; to: JiraStatus }[] = [
    { at: inProgressAt, to: S.inProgress },
    { at: floorSec(inProgressAt + span * 0.6), to: S.inReview },
  ];
  if (reopened) {
    steps.push(
      { at: floorSec(inProgressAt + span * 0.7), to: S.done },
      { at: floorSec(inProgressAt + span * 0.8), to: S.reopened },
      { at: floorSec(inProgressAt + span * 0.9), to: S.inProgress },
    );
  }
  steps.push({ at: key, to: S.done });
  const stopAfter = open ? r.int(0, steps.length - 2) : steps.length;
  const lastStep = Math.min(stopAfter, steps.length);
  for (let s = 0; s < lastStep; s++) {
    const step = steps[s] as (typeof steps)[number];
    const at = s === lastStep - 1 ? key : step.at; // the last change is the issue's update time
    const items: HistoryItem[] = [statusItem(status, step.to)];
    if (step.to === S.done) {
      const res: ResolutionName = r.chance(0.9) ? 'Done' : r.chance(0.5) ? "Won't Do" : 'Duplicate';
      items.push({
        field: 'resolution',
        fieldtype: 'jira',
        fieldId: 'resolution',
        from: null,
        fromString: null,
        to: res === 'Done' ? '10000' : res === "Won't Do" ? '10001' : '10002',
        toString: res,
      });
      resolution = res;
      resolutionDate = at;
    } else if (status === S.done) {
      items.push({
        field: 'resolution',
        fieldtype: 'jira',
        fieldId: 'resolution',
        from: '10000',
        fromString: resolution ?? 'Done',
        to: null,
        toString: null,
      });
      resolution = undefined;
      resolutionDate = undefined;
    }
    push(step.to === S.reopened ? reporter : assignee, at, items);
    status = step.to;
  }
  if (index === CHURNY_INDEX) {
    // an issue edited over and over: its changelog exceeds what search embeds
    const extra: HistoryModel[] = [];
    for (let e = 0; e < 130; e++) {
      const at = floorSec(created + ((key - created) * (e + 1)) / 140);
      extra.push({
        id: `${(scenario.index + 1) * 10_000_000 + index * 200}${String(e).padStart(3, '0')}`,
        author: assignee,
        created: at,
        items: [
          {
            field: 'labels',
            fieldtype: 'jira',
            fieldId: 'labels',
            from: null,
            fromString: e % 2 ? 'triage' : '',
            to: null,
            toString: e % 2 ? '' : 'triage',
          },
        ],
      });
    }
    histories.push(...extra);
  }
  histories.sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  // comments: first vendor response, then some back and forth. Every issue gets that first
  // answer: otherwise its first response would be the move to In Progress, often days
  // later, and even the steady vendor would breach responsiveness.issue_first_response.
  const comments: CommentModel[] = [];
  const nComments = r.int(1, 3);
  for (let c = 0; c < nComments; c++) {
    const vendor = c % 2 === 0;
    const delayH = vendor ? r.lognormal(3 * (1 + 3 * tr), 0.7) : r.lognormal(6, 0.7);
    let at = floorSec(
      intoWorkingHours(created + delayH * HOUR * (c + 1), vendor ? VENDOR_OFFSET : CLIENT_OFFSET, r.next()),
    );
    if (at > key || at < created) at = floorSec(created + ((key - created) * (c + 1)) / (nComments + 1));
    comments.push({
      id: String((scenario.index + 1) * 1_000_000 + index * 10 + c),
      author: pickPerson(scenario.people, vendor ? 'vendor' : 'client', at, r.next()),
      created: at,
      body: vendor ? 'Looking into this now.' : 'Thanks, any update on this?',
    });
  }
  comments.sort((a, b) => a.created - b.created);
  // The steady vendor fixes a bug within the SLA of its priority (Highest 1, High 3, Medium 10
  // business days by default; a calendar day never holds more than one business day), so only
  // priorities whose SLA its fixing time meets are drawn; the slipping vendor's are random.
  const priorities: readonly PriorityName[] = ['Highest', 'High', 'Medium', 'Medium', 'Low'];
  const slaDays: Record<PriorityName, number> = { Highest: 1, High: 3, Medium: 10, Low: Infinity };
  const priority: PriorityName = r.pick(
    bug && !scenario.slipping ? priorities.filter((p) => slaDays[p] >= (key - created) / DAY) : priorities,
  );
  const number = index + 1;
  const issue: JiraIssueModel = {
    scenario,
    index,
    id: String(scenario.jiraProjectId * 100_000 + number),
    key: `${scenario.jiraKey}-${number}`,
    type,
    summary: bug
      ? `${r.pick(SUMMARIES)} ${r.pick(['fails', 'shows stale data', 'is slow', 'breaks on mobile'])}`
      : `${r.pick(['Build', 'Polish', 'Design', 'Wire up'])} ${r.pick(SUMMARIES)}`,
    priority,
    reporter,
    assignee,
    created,
    updated: key,
    status,
    labels: bug && r.chance(0.2) ? ['found-in-prod'] : [],
    histories,
    comments,
    reopened,
  };
  if (resolution !== undefined && resolutionDate !== undefined) {
    issue.resolution = resolution;
    issue.resolutionDate = resolutionDate;
  }
  if (type === 'Story') issue.storyPoints = r.pick([1, 2, 3, 5, 8]);
  if (sprintId !== undefined) issue.sprintId = sprintId;
  if (bug) issue.environment = r.chance(0.2) ? 'production' : 'staging';
  if (type === 'Sub-task' && index > 0)
    issue.parentKey = `${scenario.jiraKey}-${Math.max(1, number - 1 - r.int(0, 5))}`;
  return issue;
}

export interface JiraWorld {
  ctx: JiraContext;
  issues: BlockList<JiraIssueModel>;
  sprints: SprintModel[];
  nextNumber: number;
}

export function buildJiraWorld(seed: string, scale: number, scenario: Scenario, frame: TimeFrame): JiraWorld {
  const sprints = buildSprints(scenario, frame);
  const ctx: JiraContext = { seed, scale, scenario, frame, sprints };
  const issues = new BlockList(
    jiraSource(ctx),
    (i) => i.updated,
    (i) => i.key,
  );
  return { ctx, issues, sprints, nextNumber: issues.baseTotal() + 1 };
}
