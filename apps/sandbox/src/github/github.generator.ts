// Generates the GitHub side of a scenario, one day block at a time, from the seed.
import { type BlockSource, BlockList } from '../core/block-list.store';
import { Rng, hexOf, unit } from '../core/random.util';
import {
  CLIENT_OFFSET,
  DAY,
  GITHUB_BOTS,
  HOUR,
  type Person,
  type RepoDef,
  type Scenario,
  type TimeFrame,
  VENDOR_OFFSET,
  intoWorkingHours,
  isWeekend,
  pickPerson,
  trend,
} from '../core/world.model';
import {
  type Actor,
  type CommitModel,
  type DeploymentModel,
  type ItemModel,
  type ReleaseModel,
  type ReviewCommentModel,
  type ReviewModel,
  type TimelineEventModel,
} from './github.model';

const SECOND = 1000;
const floorSec = (t: number): number => Math.floor(t / SECOND) * SECOND;

export function personActor(p: Person): Actor {
  return { login: p.login, id: p.githubId, type: 'User', person: p };
}
export const DEPENDABOT: Actor = { ...GITHUB_BOTS.dependabot, type: 'Bot' };
export const CI_BOT: Actor = { ...GITHUB_BOTS.ci, type: 'Bot' };

/** sha = 26 hex of hash, 2 hex kind, 12 hex index: random-looking yet decodable for ref lookups. */
export function encodeSha(seed: string, repo: RepoDef, index: number, kind: number): string {
  return (
    hexOf(26, seed, repo.id, index, kind) +
    kind.toString(16).padStart(2, '0') +
    index.toString(16).padStart(12, '0')
  );
}

export function decodeSha(
  seed: string,
  repo: RepoDef,
  sha: string,
): { index: number; kind: number } | undefined {
  if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
  const kind = parseInt(sha.slice(26, 28), 16);
  const index = parseInt(sha.slice(28), 16);
  return encodeSha(seed, repo, index, kind) === sha ? { index, kind } : undefined;
}

export const SHA_MERGE = 1;
export const SHA_HEAD = 2;
export const SHA_RELEASE = 3;
export const SHA_COMMIT_BASE = 16;

const FEATURES = [
  'checkout',
  'search',
  'claims intake',
  'login',
  'notifications',
  'reports',
  'payments',
  'profile',
  'audit log',
  'export',
];
const VERBS = ['Add', 'Fix', 'Refactor', 'Improve', 'Update', 'Remove flaky', 'Speed up'];
const PACKAGES = ['axios', 'lodash', 'react', 'express', 'jest', 'typescript', 'eslint', 'luxon'];
const FILES = [
  'src/app.ts',
  'src/api/client.ts',
  'src/components/form.tsx',
  'src/service.ts',
  'test/app.spec.ts',
];

interface RepoContext {
  seed: string;
  scale: number;
  scenario: Scenario;
  repo: RepoDef;
  frame: TimeFrame;
}

function itemRates(ctx: RepoContext, t: number): { pr: number; issue: number } {
  const weekend = isWeekend(t + 12 * HOUR, VENDOR_OFFSET);
  const tr = trend(ctx.scenario, ctx.frame, t);
  const f = weekend ? 0.08 : 1;
  return { pr: ctx.repo.prRate * f * ctx.scale, issue: ctx.repo.issueRate * f * ctx.scale * (1 + 1.5 * tr) };
}

function coverageAt(ctx: RepoContext, t: number, noiseKey: number): number {
  const tr = trend(ctx.scenario, ctx.frame, t);
  const noise = (unit(ctx.seed, ctx.repo.id, 'cov', noiseKey) - 0.5) * 1.2;
  return Math.round((ctx.repo.baseCoverage - 18.5 * tr + noise) * 100) / 100;
}

export function itemSource(ctx: RepoContext): BlockSource<ItemModel> {
  const { seed, repo, frame } = ctx;
  const blockStart = (b: number): number => frame.start + b * DAY;
  const size = (b: number): number => {
    const r = itemRates(ctx, blockStart(b));
    return Math.floor(r.pr + r.issue + unit(seed, repo.id, 'n', b));
  };
  return {
    blockCount: Math.ceil((frame.end - frame.start) / DAY),
    start: frame.start,
    end: frame.end,
    size,
    generate(b, firstIndex) {
      const n = size(b);
      const rng = new Rng(seed, repo.id, 'items', b);
      const start = blockStart(b);
      const end = Math.min(start + DAY, frame.end);
      const keys: number[] = [];
      for (let k = 0; k < n; k++) {
        const raw = start + rng.next() * (end - start);
        const worked = intoWorkingHours(raw, rng.chance(0.7) ? VENDOR_OFFSET : CLIENT_OFFSET, rng.next());
        keys.push(floorSec(worked >= start && worked < end ? worked : raw));
      }
      keys.sort((a, b2) => a - b2);
      const rates = itemRates(ctx, start);
      const prShare = rates.pr / Math.max(rates.pr + rates.issue, 1e-9);
      return keys.map((key, k) => {
        const index = firstIndex + k;
        const r = new Rng(seed, repo.id, 'item', index);
        return r.next() < prShare ? makePull(ctx, index, key, r) : makeIssue(ctx, index, key, r);
      });
    },
  };
}

function baseItem(ctx: RepoContext, kind: 'pr' | 'issue', index: number, key: number): ItemModel {
  return {
    kind,
    scenario: ctx.scenario,
    repo: ctx.repo,
    index,
    number: index + 1,
    id: ctx.repo.id * 1_000_000 + index + 1,
    title: '',
    author: DEPENDABOT,
    createdAt: key,
    updatedAt: key,
    state: 'open',
    draft: false,
    wasDraft: false,
    labels: [],
    reviews: [],
    reviewComments: [],
    commits: [],
    events: [],
    requestedReviewers: [],
    additions: 0,
    deletions: 0,
    changedFiles: 0,
    headRef: '',
    headSha: encodeSha(ctx.seed, ctx.repo, index, SHA_HEAD),
    mergeSha: encodeSha(ctx.seed, ctx.repo, index, SHA_MERGE),
    comments: 0,
    reopenCount: 0,
    coverage: 0,
    previousCoverage: 0,
    linesValid: 0,
    branchesValid: 0,
    ciFailed: false,
  };
}

function eventId(item: ItemModel, k: number): number {
  return item.id * 100 + k;
}

function makePull(ctx: RepoContext, index: number, key: number, r: Rng): ItemModel {
  const { scenario, frame } = ctx;
  const it = baseItem(ctx, 'pr', index, key);
  const tr = trend(scenario, frame, key);
  const isBot = r.chance(0.08);
  const clientAuthored = !isBot && r.chance(0.15);
  const authorPerson = isBot
    ? undefined
    : pickPerson(scenario.people, clientAuthored ? 'client' : 'vendor', key, r.next());
  it.author = authorPerson ? personActor(authorPerson) : DEPENDABOT;
  const recent = key > frame.end - 2.5 * DAY;
  const open = recent && r.chance(0.45);
  const closedUnmerged = !open && r.chance(0.07);
  // cycle time: minutes→days; `slipping` grows roughly 4× over its last six weeks
  const cycleH = Math.min(20 * 24, r.lognormal((isBot ? 8 : 22) * (1 + 4 * tr), 0.55));
  const firstCommitAt = floorSec(key - cycleH * HOUR);
  const createdAt = floorSec(firstCommitAt + cycleH * HOUR * (0.1 + r.next() * 0.2));
  it.createdAt = createdAt;
  it.wasDraft = !isBot && r.chance(0.15);
  const readyAt = it.wasDraft
    ? floorSec(createdAt + (key - createdAt) * (0.15 + r.next() * 0.15))
    : createdAt;
  it.draft = it.wasDraft && open && r.chance(0.5);
  if (!it.draft) it.readyAt = readyAt;
  if (isBot) {
    const pkg = r.pick(PACKAGES);
    const v = `${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}`;
    it.title = `Bump ${pkg} to ${v}`;
    it.headRef = `dependabot/npm_and_yarn/${pkg}-${v}`;
    it.labels = ['dependencies'];
  } else {
    const feature = r.pick(FEATURES);
    it.title = `${r.pick(VERBS)} ${feature}`;
    it.headRef = `feature/${feature.replace(/\s+/g, '-')}-${it.number}`;
  }
  it.additions = Math.round(r.lognormal(isBot ? 6 : 120, 0.9));
  it.deletions = Math.round(r.lognormal(isBot ? 6 : 40, 0.9));
  it.changedFiles = Math.max(1, Math.round(r.lognormal(isBot ? 2 : 6, 0.6)));
  // commits, first one at firstCommitAt
  const nCommits = isBot ? 1 : r.int(1, 4);
  const commits: CommitModel[] = [];
  for (let c = 0; c < nCommits; c++) {
    const at = c === 0 ? firstCommitAt : floorSec(firstCommitAt + (readyAt - firstCommitAt) * r.next());
    commits.push({
      sha: encodeSha(ctx.seed, ctx.repo, index, SHA_COMMIT_BASE + c),
      authoredAt: at,
      author: it.author,
      message: c === 0 ? it.title : `Address review: ${r.pick(FEATURES)}`,
    });
  }
  commits.sort((a, b) => a.authoredAt - b.authoredAt);
  it.commits = commits;
  const events: TimelineEventModel[] = [];
  let ev = 0;
  // reviews
  const withoutReview = isBot ? r.chance(0.5) : r.chance(0.04 + 0.2 * tr);
  const reviewerSide = clientAuthored ? 'vendor' : r.chance(0.6) ? 'client' : 'vendor';
  const reviewerPerson = pickPerson(scenario.people, reviewerSide, readyAt, r.next(), authorPerson);
  const reviewer = personActor(reviewerPerson);
  if (!it.draft) {
    events.push({
      id: eventId(it, ev++),
      event: 'review_requested',
      createdAt: readyAt,
      actor: it.author,
      requestedReviewer: reviewer,
    });
    if (it.wasDraft)
      events.push({ id: eventId(it, ev++), event: 'ready_for_review', createdAt: readyAt, actor: it.author });
  }
  const reviews: ReviewModel[] = [];
  const comments: ReviewCommentModel[] = [];
  if (!it.draft && !withoutReview && !(open && r.chance(0.4))) {
    const span = key - readyAt;
    const pickupShare = reviewerSide === 'client' ? 0.25 + 0.5 * tr + r.next() * 0.1 : 0.15 + r.next() * 0.2;
    const first = floorSec(readyAt + span * Math.min(0.9, pickupShare));
    const approveFirst = r.chance(0.55);
    reviews.push({
      id: it.id * 10 + 1,
      reviewer,
      state: approveFirst ? 'APPROVED' : r.chance(0.5) ? 'CHANGES_REQUESTED' : 'COMMENTED',
      submittedAt: first,
    });
    const nComments = approveFirst ? r.int(0, 1) : r.int(1, 3);
    for (let c = 0; c < nComments; c++) {
      comments.push({
        id: it.id * 10 + 5 + c,
        reviewId: it.id * 10 + 1,
        author: reviewer,
        createdAt: first,
        path: r.pick(FILES),
        line: r.int(3, 180),
      });
    }
    if (!approveFirst && !open) {
      reviews.push({
        id: it.id * 10 + 2,
        reviewer,
        state: 'APPROVED',
        submittedAt: floorSec(first + (key - first) * 0.8),
      });
    }
  } else if (!it.draft) {
    it.requestedReviewers = [reviewer];
  }
  it.reviews = reviews;
  it.reviewComments = comments;
  if (!open) {
    it.state = 'closed';
    it.closedAt = key;
    if (!closedUnmerged) {
      it.mergedAt = key;
      events.push({
        id: eventId(it, ev++),
        event: 'merged',
        createdAt: key,
        actor: reviews.length > 0 ? reviewer : it.author,
      });
    }
    events.push({ id: eventId(it, ev++), event: 'closed', createdAt: key, actor: it.author });
  }
  it.events = events;
  it.comments = r.int(0, 3);
  // coverage on the merge commit
  it.coverage = coverageAt(ctx, key, index);
  it.previousCoverage = coverageAt(ctx, key - DAY, index - 1);
  it.linesValid = 4000 + Math.floor(((key - frame.start) / DAY) * 9) + (index % 13);
  it.branchesValid = Math.floor(it.linesValid / 4);
  it.ciFailed = r.chance(0.05);
  return it;
}

function makeIssue(ctx: RepoContext, index: number, key: number, r: Rng): ItemModel {
  const { scenario, frame } = ctx;
  const it = baseItem(ctx, 'issue', index, key);
  const tr = trend(scenario, frame, key);
  const bug = r.chance(0.4 + 0.3 * tr);
  const authorPerson = pickPerson(scenario.people, r.chance(0.6) ? 'client' : 'vendor', key, r.next());
  it.author = personActor(authorPerson);
  const feature = r.pick(FEATURES);
  if (bug) {
    it.labels = r.chance(0.2) ? ['bug', 'production'] : ['bug'];
    it.title = `${feature} ${r.pick(['crashes', 'shows wrong total', 'times out', 'loses input', 'fails on Safari'])}`;
  } else {
    it.labels = [r.pick(['enhancement', 'documentation', 'question'])];
    it.title = `Support ${feature} ${r.pick(['filters', 'export', 'bulk edit', 'dark mode'])}`;
  }
  const ageDays = r.lognormal(bug ? 3 * (1 + 2 * tr) : 6, 0.7);
  it.createdAt = floorSec(Math.max(frame.start - 30 * DAY, key - ageDays * DAY));
  const recent = key > frame.end - 3 * DAY;
  const open = (bug && r.chance(0.35 * tr + 0.05)) || (recent && r.chance(0.5)) || r.chance(0.08);
  let ev = 0;
  const events: TimelineEventModel[] = [];
  for (const label of it.labels)
    events.push({
      id: eventId(it, ev++),
      event: 'labeled',
      createdAt: it.createdAt,
      actor: it.author,
      label,
    });
  if (bug && r.chance(0.05 + 0.3 * tr)) {
    // closed once, then reopened
    const closedOnce = floorSec(it.createdAt + (key - it.createdAt) * 0.5);
    const reopenedAt = floorSec(it.createdAt + (key - it.createdAt) * 0.75);
    events.push({
      id: eventId(it, ev++),
      event: 'closed',
      createdAt: closedOnce,
      actor: pickPersonActor(ctx, 'vendor', closedOnce, r),
    });
    events.push({ id: eventId(it, ev++), event: 'reopened', createdAt: reopenedAt, actor: it.author });
    it.reopenCount = 1;
  }
  if (!open) {
    it.state = 'closed';
    it.closedAt = key;
    events.push({
      id: eventId(it, ev++),
      event: 'closed',
      createdAt: key,
      actor: pickPersonActor(ctx, 'vendor', key, r),
    });
  }
  it.events = events;
  it.comments = r.int(0, 6);
  return it;
}

function pickPersonActor(ctx: RepoContext, side: 'client' | 'vendor', t: number, r: Rng): Actor {
  return personActor(pickPerson(ctx.scenario.people, side, t, r.next()));
}

/** Deployments: a few per weekday, production share falls in `slipping`. */
export function deploymentSource(
  ctx: RepoContext,
  items: BlockList<ItemModel>,
): BlockSource<DeploymentModel> {
  const { seed, scenario, repo, frame } = ctx;
  const blockStart = (b: number): number => frame.start + b * DAY;
  const size = (b: number): number => {
    const weekend = isWeekend(blockStart(b) + 12 * HOUR, VENDOR_OFFSET);
    return weekend ? 0 : Math.floor(1.2 * ctx.scale + unit(seed, repo.id, 'dn', b));
  };
  return {
    blockCount: Math.ceil((frame.end - frame.start) / DAY),
    start: frame.start,
    end: frame.end,
    size,
    generate(b, firstIndex) {
      const n = size(b);
      const rng = new Rng(seed, repo.id, 'deploys', b);
      const start = blockStart(b);
      const end = Math.min(start + DAY, frame.end);
      const times: number[] = [];
      for (let k = 0; k < n; k++) times.push(floorSec(start + rng.next() * (end - start - 30 * 60 * SECOND)));
      times.sort((a, c) => a - c);
      return times.map((t, k) => {
        const index = firstIndex + k;
        const r = new Rng(seed, repo.id, 'deploy', index);
        const tr = trend(scenario, frame, t);
        const production = r.chance(0.55 - 0.35 * tr);
        const ok = r.chance(production ? 0.93 - 0.2 * tr : 0.95);
        const id = repo.id * 100_000 + index + 1;
        const finished = floorSec(t + (6 + r.next() * 15) * 60 * SECOND);
        return {
          scenario,
          repo,
          id,
          sha: latestMergeSha(items, t) ?? encodeSha(seed, repo, 0, SHA_RELEASE),
          ref: 'main',
          environment: production ? 'production' : 'staging',
          createdAt: t,
          creator: CI_BOT,
          statuses: [
            { id: id * 10 + 1, state: 'in_progress', createdAt: floorSec(t + 20 * SECOND) },
            { id: id * 10 + 2, state: ok ? 'success' : 'failure', createdAt: finished },
          ],
        };
      });
    },
  };
}

function latestMergeSha(items: BlockList<ItemModel>, t: number): string | undefined {
  for (let b = items.blockOfKey(t); b >= 0 && b > items.blockOfKey(t) - 21; b--) {
    const block = items.block(b);
    for (let i = block.length - 1; i >= 0; i--) {
      const it = block[i] as ItemModel;
      if (it.mergedAt !== undefined && it.mergedAt < t) return it.mergeSha;
    }
  }
  return undefined;
}

/** Releases: roughly every other week per repo, independent of scale. */
export function releaseSource(ctx: RepoContext, items: BlockList<ItemModel>): BlockSource<ReleaseModel> {
  const { seed, scenario, repo, frame } = ctx;
  const blockStart = (b: number): number => frame.start + b * DAY;
  const size = (b: number): number => {
    const weekend = isWeekend(blockStart(b) + 12 * HOUR, VENDOR_OFFSET);
    const every = scenario.slipping && trend(scenario, frame, blockStart(b)) > 0 ? 21 : 14;
    return !weekend && (b + repo.id) % every === 0 ? 1 : 0;
  };
  return {
    blockCount: Math.ceil((frame.end - frame.start) / DAY),
    start: frame.start,
    end: frame.end,
    size,
    generate(b, firstIndex) {
      if (size(b) === 0) return [];
      const r = new Rng(seed, repo.id, 'release', b);
      const t = floorSec(intoWorkingHours(blockStart(b) + 12 * HOUR, VENDOR_OFFSET, r.next()));
      const at = Math.min(t, frame.end - HOUR);
      const n = firstIndex + 1;
      const prerelease = r.chance(0.15);
      return [
        {
          scenario,
          repo,
          id: repo.id * 10_000 + n,
          tag: `v1.${n}.0${prerelease ? '-rc.1' : ''}`,
          name: `${repo.name} 1.${n}.0${prerelease ? ' RC' : ''}`,
          createdAt: floorSec(at - 10 * 60 * SECOND),
          publishedAt: at,
          prerelease,
          draft: false,
          author: personActor(pickPerson(scenario.people, 'vendor', at, r.next())),
          sha: latestMergeSha(items, at) ?? encodeSha(seed, repo, n, SHA_RELEASE),
        },
      ];
    },
  };
}

export interface RepoWorld {
  ctx: RepoContext;
  items: BlockList<ItemModel>;
  deployments: BlockList<DeploymentModel>;
  releases: BlockList<ReleaseModel>;
  /** items created at run time (advance) get numbers after the generated ones */
  nextNumber: number;
}

export function buildRepoWorld(
  seed: string,
  scale: number,
  scenario: Scenario,
  repo: RepoDef,
  frame: TimeFrame,
): RepoWorld {
  const ctx: RepoContext = { seed, scale, scenario, repo, frame };
  const items = new BlockList(
    itemSource(ctx),
    (i) => i.updatedAt,
    (i) => String(i.number),
  );
  const deployments = new BlockList(
    deploymentSource(ctx, items),
    (d) => d.createdAt,
    (d) => String(d.id),
  );
  const releases = new BlockList(
    releaseSource(ctx, items),
    (d) => d.publishedAt,
    (d) => String(d.id),
  );
  return { ctx, items, deployments, releases, nextNumber: items.baseTotal() + 1 };
}

/** Coverage for a fresh item created at run time. */
export function coverageFor(world: RepoWorld, t: number, key: number): number {
  return coverageAt(world.ctx, t, key);
}
