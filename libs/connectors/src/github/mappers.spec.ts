import {
  commitIdentities,
  SkipLog,
  coverageTextsFromStatuses,
  firstCommitAt,
  isBotActor,
  isPullRequestIssue,
  matchesArtifactPattern,
  parseIssue,
  parsePull,
  percentCoverageSample,
  readyAt,
  toDeploymentRecord,
  toPullRequestRecord,
  toReleaseRecord,
  toReviewRecords,
  toWorkItemRecord,
} from './mappers';

const REPO = 'acme/api';
const T = (iso: string): number => Date.parse(iso);

// builders: readable payloads with only what a test cares about spelled out
const aUser = (login = 'alice', type = 'User'): Record<string, unknown> => ({ login, id: 1, type });
const aPull = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 1001,
  number: 7,
  state: 'closed',
  user: aUser(),
  created_at: '2026-03-02T10:00:00Z',
  updated_at: '2026-03-04T10:00:00Z',
  closed_at: '2026-03-04T10:00:00Z',
  merged_at: '2026-03-04T10:00:00Z',
  merge_commit_sha: 'abc123',
  draft: false,
  html_url: 'https://github.com/acme/api/pull/7',
  additions: 12,
  deletions: 3,
  ...over,
});
const anIssue = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 2001,
  number: 9,
  state: 'open',
  state_reason: null,
  user: aUser('carol'),
  assignee: null,
  labels: [{ name: 'bug' }],
  comments: 0,
  created_at: '2026-03-01T09:00:00Z',
  updated_at: '2026-03-01T09:00:00Z',
  closed_at: null,
  ...over,
});

describe('pull requests', () => {
  it('maps a merged PR with first commit and ready time', () => {
    const skips = new SkipLog();
    const pull = parsePull(REPO, aPull({ draft: false }), skips)!;
    const commits = [
      { sha: 'b', commit: { author: { date: '2026-03-01T12:00:00Z' } } },
      { sha: 'a', commit: { author: { date: '2026-02-28T08:00:00Z' } } },
    ];
    const timeline = [
      { event: 'convert_to_draft', created_at: '2026-03-02T11:00:00Z' },
      { event: 'ready_for_review', created_at: '2026-03-02T12:00:00Z' },
      { event: 'ready_for_review', created_at: '2026-03-03T08:00:00Z' },
      { event: 'committed', sha: 'a', author: { date: '2026-02-28T08:00:00Z' } },
    ];
    const record = toPullRequestRecord(REPO, pull, {
      firstCommitAt: firstCommitAt(REPO, commits, skips),
      readyAt: readyAt(timeline),
    });
    expect(record).toEqual({
      id: 'acme/api#7',
      repo: REPO,
      number: 7,
      authorLogin: 'alice',
      authorIsBot: false,
      createdAt: T('2026-03-02T10:00:00Z'),
      firstCommitAt: T('2026-02-28T08:00:00Z'),
      readyAt: T('2026-03-03T08:00:00Z'),
      mergedAt: T('2026-03-04T10:00:00Z'),
      closedAt: T('2026-03-04T10:00:00Z'),
      draft: false,
      additions: 12,
      deletions: 3,
      mergeCommitSha: 'abc123',
      url: 'https://github.com/acme/api/pull/7',
    });
    expect(skips.count).toBe(0);
  });

  it('a PR that was never a draft has no readyAt; an open draft keeps draft = true', () => {
    expect(readyAt([{ event: 'review_requested', created_at: '2026-03-02T12:00:00Z' }])).toBeNull();
    const pull = parsePull(
      REPO,
      aPull({ draft: true, merged_at: null, closed_at: null, state: 'open' }),
      new SkipLog(),
    )!;
    const record = toPullRequestRecord(REPO, pull, { firstCommitAt: null, readyAt: null });
    expect(record).toMatchObject({ draft: true, readyAt: null, mergedAt: null, mergeCommitSha: null });
  });

  it.each([
    [{ login: 'dependabot[bot]', type: 'Bot' }, true],
    [{ login: 'renovate[bot]', type: 'User' }, true],
    [{ login: 'ci-runner', type: 'Bot' }, true],
    [{ login: 'alice', type: 'User' }, false],
    [null, false],
  ])('bot detection %j → %s', (user, bot) => {
    expect(isBotActor(user)).toBe(bot);
  });

  it('a deleted author ("ghost", user: null) is kept', () => {
    const pull = parsePull(REPO, aPull({ user: null }), new SkipLog())!;
    expect(toPullRequestRecord(REPO, pull, { firstCommitAt: null, readyAt: null }).authorLogin).toBe('ghost');
  });

  it.each([
    ['missing number', { number: undefined }],
    ['created_at of the wrong type', { created_at: 12345 }],
    ['user that is not an object', { user: 'oops' }],
    ['missing user', { user: undefined }],
    ['state of the wrong type', { state: 1 }],
  ])('skips and counts a PR with %s', (_label, over) => {
    const skips = new SkipLog();
    const raw = aPull(over);
    for (const [k, v] of Object.entries(over)) if (v === undefined) delete raw[k];
    expect(parsePull(REPO, raw, skips)).toBeNull();
    expect(skips.count).toBe(1);
    expect(skips.reasons[0]).toMatch(/^acme\/api pull request (7|\?): /);
  });

  it('caps the reasons but keeps counting', () => {
    const skips = new SkipLog(2);
    for (let i = 0; i < 5; i++) parsePull(REPO, { number: i + 1 }, skips);
    expect(skips.count).toBe(5);
    expect(skips.reasons).toHaveLength(2);
  });

  it('skips a commit without a date and still finds the first one', () => {
    const skips = new SkipLog();
    const at = firstCommitAt(
      REPO,
      [
        { sha: 'x', commit: { author: { date: 'not a date' } } },
        { sha: 'y', commit: { author: { date: '2026-01-01T00:00:00Z' } } },
      ],
      skips,
    );
    expect(at).toBe(T('2026-01-01T00:00:00Z'));
    expect(skips.count).toBe(1);
  });
});

describe('reviews', () => {
  it('maps submitted reviews and review comments, drops pending reviews', () => {
    const skips = new SkipLog();
    const records = toReviewRecords(
      REPO,
      7,
      [
        { id: 1, user: aUser('bob'), state: 'APPROVED', submitted_at: '2026-03-03T09:00:00Z' },
        { id: 2, user: aUser('bob'), state: 'PENDING' },
        { id: 3, user: aUser('sonar[bot]', 'Bot'), state: 'COMMENTED', submitted_at: '2026-03-03T10:00:00Z' },
        { id: 4, user: aUser('bob'), state: 'CHANGES_REQUESTED', submitted_at: 'garbage' },
      ],
      [{ id: 10, user: aUser('dave'), created_at: '2026-03-02T15:00:00Z' }],
      skips,
    );
    expect(records).toEqual([
      {
        externalId: 'review:1',
        pullRequestId: 'acme/api#7',
        kind: 'review',
        reviewerLogin: 'bob',
        reviewerIsBot: false,
        submittedAt: T('2026-03-03T09:00:00Z'),
        state: 'approved',
      },
      expect.objectContaining({ externalId: 'review:3', reviewerIsBot: true, state: 'commented' }),
      {
        externalId: 'review_comment:10',
        pullRequestId: 'acme/api#7',
        kind: 'review_comment',
        reviewerLogin: 'dave',
        reviewerIsBot: false,
        submittedAt: T('2026-03-02T15:00:00Z'),
        state: 'commented',
      },
    ]);
    expect(skips.count).toBe(1);
    expect(skips.reasons[0]).toContain('review 4');
  });
});

describe('deployments and releases', () => {
  const deployment = { id: 5, sha: 'abc', environment: 'production', created_at: '2026-03-05T10:00:00Z' };

  it('takes the success even when a later status made the deployment inactive', () => {
    const record = toDeploymentRecord(
      REPO,
      deployment,
      [
        { id: 3, state: 'inactive', created_at: '2026-03-09T10:00:00Z' },
        { id: 2, state: 'success', created_at: '2026-03-05T10:07:00Z' },
        { id: 1, state: 'in_progress', created_at: '2026-03-05T10:01:00Z' },
      ],
      new SkipLog(),
    );
    expect(record).toEqual({
      id: 'acme/api/deployments/5',
      repo: REPO,
      environment: 'production',
      sha: 'abc',
      createdAt: T('2026-03-05T10:00:00Z'),
      state: 'success',
      finishedAt: T('2026-03-05T10:07:00Z'),
    });
  });

  it('a failed deployment finishes at its failure; a running one is not finished', () => {
    const failed = toDeploymentRecord(
      REPO,
      deployment,
      [{ id: 1, state: 'failure', created_at: '2026-03-05T10:05:00Z' }],
      new SkipLog(),
    );
    expect(failed).toMatchObject({ state: 'failure', finishedAt: T('2026-03-05T10:05:00Z') });
    const running = toDeploymentRecord(
      REPO,
      deployment,
      [{ id: 1, state: 'in_progress', created_at: '2026-03-05T10:01:00Z' }],
      new SkipLog(),
    );
    expect(running).toMatchObject({ state: 'in_progress', finishedAt: null });
    expect(toDeploymentRecord(REPO, deployment, [], new SkipLog())).toMatchObject({
      state: 'pending',
      finishedAt: null,
    });
  });

  it('maps releases; drafts have no publishedAt; branch targets are not SHAs', () => {
    const skips = new SkipLog();
    const published = toReleaseRecord(
      REPO,
      {
        id: 1,
        tag_name: 'v1.0.0',
        draft: false,
        prerelease: false,
        created_at: '2026-03-01T00:00:00Z',
        published_at: '2026-03-01T01:00:00Z',
        target_commitish: 'main',
      },
      skips,
    );
    expect(published).toMatchObject({
      id: 'acme/api/releases/1',
      publishedAt: T('2026-03-01T01:00:00Z'),
      targetSha: null,
    });
    const draft = toReleaseRecord(
      REPO,
      {
        id: 2,
        tag_name: 'v1.1.0',
        draft: true,
        prerelease: false,
        created_at: '2026-03-02T00:00:00Z',
        published_at: null,
      },
      skips,
    );
    expect(draft).toMatchObject({ draft: true, publishedAt: null });
    expect(toReleaseRecord(REPO, { id: 3, tag_name: 5 }, skips)).toBeNull();
    expect(skips.count).toBe(1);
  });
});

describe('issues', () => {
  it('recognises pull requests in the issues list', () => {
    expect(isPullRequestIssue(anIssue({ pull_request: { url: 'x' } }))).toBe(true);
    expect(isPullRequestIssue(anIssue())).toBe(false);
  });

  it('builds transitions from creation, closed and reopened events, and comments', () => {
    const issue = parseIssue(
      REPO,
      anIssue({
        state: 'closed',
        state_reason: 'completed',
        closed_at: '2026-03-08T09:00:00Z',
        comments: 1,
        assignee: aUser('erin'),
      }),
      new SkipLog(),
    )!;
    const record = toWorkItemRecord(REPO, issue, [
      { event: 'labeled', created_at: '2026-03-01T09:01:00Z', actor: aUser('carol') },
      { event: 'closed', created_at: '2026-03-03T09:00:00Z', actor: aUser('erin') },
      { event: 'reopened', created_at: '2026-03-04T09:00:00Z', actor: aUser('carol') },
      { event: 'commented', created_at: '2026-03-05T09:00:00Z', actor: aUser('erin'), user: aUser('erin') },
      { event: 'closed', created_at: '2026-03-08T09:00:00Z', actor: aUser('erin') },
    ]);
    expect(record).toMatchObject({
      key: 'acme/api#9',
      source: 'github',
      type: 'issue',
      statusCategory: 'done',
      resolvedAt: T('2026-03-08T09:00:00Z'),
      resolution: 'Done',
      reporterId: 'carol',
      assigneeId: 'erin',
      labels: ['bug'],
      comments: [{ authorId: 'erin', at: T('2026-03-05T09:00:00Z') }],
    });
    expect(record.transitions).toEqual([
      { at: T('2026-03-01T09:00:00Z'), from: null, to: 'todo', authorId: 'carol' },
      { at: T('2026-03-03T09:00:00Z'), from: 'todo', to: 'done', authorId: 'erin' },
      { at: T('2026-03-04T09:00:00Z'), from: 'done', to: 'todo', authorId: 'carol' },
      { at: T('2026-03-08T09:00:00Z'), from: 'todo', to: 'done', authorId: 'erin' },
    ]);
  });

  it("an open issue without a timeline has only its creation; not_planned is Won't Do", () => {
    const open = toWorkItemRecord(REPO, parseIssue(REPO, anIssue(), new SkipLog())!, null);
    expect(open).toMatchObject({ statusCategory: 'todo', resolvedAt: null, resolution: null });
    expect(open.transitions).toHaveLength(1);
    const wontDo = toWorkItemRecord(
      REPO,
      parseIssue(
        REPO,
        anIssue({ state: 'closed', state_reason: 'not_planned', closed_at: '2026-03-02T00:00:00Z' }),
        new SkipLog(),
      )!,
      null,
    );
    expect(wontDo).toMatchObject({ resolution: "Won't Do", statusCategory: 'done' });
    expect(wontDo.transitions.map((t) => t.to)).toEqual(['todo', 'done']);
  });

  it('skips and counts a malformed issue', () => {
    const skips = new SkipLog();
    expect(parseIssue(REPO, anIssue({ labels: 'oops' }), skips)).toBeNull();
    expect(skips.reasons[0]).toMatch(/issue 9: labels/);
  });
});

describe('coverage helpers', () => {
  it.each([
    ['coverage-report', 'coverage*', true],
    ['Coverage.xml', 'coverage*', true],
    ['test-results', 'coverage*', false],
    ['cov-1', 'cov-?', true],
    ['a.b', 'a.b', true],
    ['axb', 'a.b', false],
  ])('%s matches %s: %s', (name, pattern, ok) => {
    expect(matchesArtifactPattern(name, pattern)).toBe(ok);
  });

  it('matches artifact globs in linear time (the pattern is user input)', () => {
    // As a backtracking RegExp (^.*a.*a…b$) this takes longer than any test timeout.
    expect(matchesArtifactPattern('a'.repeat(60), `${'*a'.repeat(12)}*b`)).toBe(false);
    expect(matchesArtifactPattern('xxaYYaZZb', '*a*a*b')).toBe(true);
    expect(matchesArtifactPattern('', '*')).toBe(true);
    expect(matchesArtifactPattern('ab', 'a')).toBe(false);
  });

  it('prefers coverage statuses, then check runs, and turns a percentage into a sample', () => {
    const texts = coverageTextsFromStatuses(
      [
        { context: 'ci/build', state: 'success', description: 'Build passed in 95%' },
        { context: 'codecov/project', state: 'success', description: '85.23% (+0.10%) compared to 1a2b3c4' },
      ],
      [
        {
          name: 'build',
          conclusion: 'success',
          output: { title: 'Build passed', summary: 'Line coverage 80.00%' },
        },
      ],
    );
    expect(texts[0]).toBe('85.23% (+0.10%) compared to 1a2b3c4');
    const sample = percentCoverageSample(
      { repo: REPO, branch: 'main', isDefaultBranch: true, sha: 'abc', committedAt: 1 },
      85.23,
    );
    expect(sample).toMatchObject({
      linesCovered: 8523,
      linesValid: 10000,
      branchesCovered: null,
      source: 'status',
    });
  });
});

describe('commitIdentities', () => {
  const commit = (login: string | null, email: string | null) => ({
    sha: 'abc',
    author: login === null ? null : { login },
    commit: { author: email === null ? null : { email, date: '2026-01-01T00:00:00Z' } },
  });

  it('pairs logins with their commit emails, lower-cased and once each', () => {
    expect(
      commitIdentities([
        commit('ana', 'Ana@Client.example'),
        commit('ana', 'ana@client.example'),
        commit('ben', 'ben@vendor.example'),
      ]),
    ).toEqual([
      { login: 'ana', email: 'ana@client.example' },
      { login: 'ben', email: 'ben@vendor.example' },
    ]);
  });

  it('ignores noreply addresses, commits without a GitHub user and malformed entries', () => {
    expect(
      commitIdentities([
        commit('ana', '12345+ana@users.noreply.github.com'),
        commit(null, 'ghost@example.com'),
        commit('ben', null),
        { sha: 'x', commit: 'not an object' },
      ]),
    ).toEqual([]);
  });
});
