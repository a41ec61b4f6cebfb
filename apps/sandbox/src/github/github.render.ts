// Renders the GitHub model as REST API JSON, in the shapes GitHub sends.
import { iso, isoOrNull } from '../core/http.util';
import { coverageCounts } from './coverage-artifact.builder';
import { type RepoWorld } from './github.generator';
import { type Actor, type DeploymentModel, type ItemModel, type ReleaseModel } from './github.model';

export interface Urls {
  api: string; // …/github/api/v3
  html: string; // …/github
}

const nodeId = (kind: string, id: number): string => Buffer.from(`0:${kind}${id}`).toString('base64');

export function user(u: Actor, urls: Urls): Record<string, unknown> {
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === 'Bot' ? 'Bot' : 'User', u.id),
    avatar_url: `${urls.html}/avatars/u/${u.id}?v=4`,
    gravatar_id: '',
    url: `${urls.api}/users/${encodeURIComponent(u.login)}`,
    html_url: `${urls.html}/${encodeURIComponent(u.login)}`,
    followers_url: `${urls.api}/users/${encodeURIComponent(u.login)}/followers`,
    following_url: `${urls.api}/users/${encodeURIComponent(u.login)}/following{/other_user}`,
    gists_url: `${urls.api}/users/${encodeURIComponent(u.login)}/gists{/gist_id}`,
    starred_url: `${urls.api}/users/${encodeURIComponent(u.login)}/starred{/owner}{/repo}`,
    subscriptions_url: `${urls.api}/users/${encodeURIComponent(u.login)}/subscriptions`,
    organizations_url: `${urls.api}/users/${encodeURIComponent(u.login)}/orgs`,
    repos_url: `${urls.api}/users/${encodeURIComponent(u.login)}/repos`,
    events_url: `${urls.api}/users/${encodeURIComponent(u.login)}/events{/privacy}`,
    received_events_url: `${urls.api}/users/${encodeURIComponent(u.login)}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

// GitHub's repository object carries a URL (template) for each of its resources
const REPO_URL_FIELDS: [string, string][] = [
  ['archive_url', '/{archive_format}{/ref}'],
  ['assignees_url', '/assignees{/user}'],
  ['blobs_url', '/git/blobs{/sha}'],
  ['branches_url', '/branches{/branch}'],
  ['collaborators_url', '/collaborators{/collaborator}'],
  ['comments_url', '/comments{/number}'],
  ['commits_url', '/commits{/sha}'],
  ['compare_url', '/compare/{base}...{head}'],
  ['contents_url', '/contents/{+path}'],
  ['contributors_url', '/contributors'],
  ['deployments_url', '/deployments'],
  ['downloads_url', '/downloads'],
  ['events_url', '/events'],
  ['forks_url', '/forks'],
  ['git_commits_url', '/git/commits{/sha}'],
  ['git_refs_url', '/git/refs{/sha}'],
  ['git_tags_url', '/git/tags{/sha}'],
  ['hooks_url', '/hooks'],
  ['issue_comment_url', '/issues/comments{/number}'],
  ['issue_events_url', '/issues/events{/number}'],
  ['issues_url', '/issues{/number}'],
  ['keys_url', '/keys{/key_id}'],
  ['labels_url', '/labels{/name}'],
  ['languages_url', '/languages'],
  ['merges_url', '/merges'],
  ['milestones_url', '/milestones{/number}'],
  ['notifications_url', '/notifications{?since,all,participating}'],
  ['pulls_url', '/pulls{/number}'],
  ['releases_url', '/releases{/id}'],
  ['stargazers_url', '/stargazers'],
  ['statuses_url', '/statuses/{sha}'],
  ['subscribers_url', '/subscribers'],
  ['subscription_url', '/subscription'],
  ['tags_url', '/tags'],
  ['teams_url', '/teams'],
  ['trees_url', '/git/trees{/sha}'],
];

/** The repository as GitHub nests it in other objects (`minimal-repository`/`repository`). */
export function repositoryBrief(w: RepoWorld, urls: Urls): Record<string, unknown> {
  const { repo, scenario } = w.ctx;
  const full = `${scenario.owner}/${repo.name}`;
  const api = `${urls.api}/repos/${full}`;
  // Git's own protocols name a host without the port; a fixed one keeps answers reproducible
  const host = 'github.sandbox.pulse.test';
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: full,
    private: true,
    owner: {
      ...user({ login: scenario.owner, id: scenario.ownerId, type: 'User' }, urls),
      type: 'Organization',
    },
    html_url: `${urls.html}/${full}`,
    description: `${repo.name} (${scenario.name} scenario)`,
    fork: false,
    url: api,
    ...Object.fromEntries(REPO_URL_FIELDS.map(([k, suffix]) => [k, `${api}${suffix}`])),
    git_url: `git://${host}/${full}.git`,
    ssh_url: `git@${host}:${full}.git`,
    clone_url: `${urls.html}/${full}.git`,
    svn_url: `${urls.html}/${full}`,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 2048,
    default_branch: 'main',
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    license: null,
    allow_forking: false,
    web_commit_signoff_required: false,
    pushed_at: iso(w.ctx.frame.end),
    created_at: iso(w.ctx.frame.start - 90 * 86_400_000),
    updated_at: iso(w.ctx.frame.end),
  };
}

export function repository(w: RepoWorld, urls: Urls): Record<string, unknown> {
  return {
    ...repositoryBrief(w, urls),
    temp_clone_token: null,
    network_count: 0,
    subscribers_count: 1,
  };
}

const labelObj = (w: RepoWorld, name: string, urls: Urls): Record<string, unknown> => ({
  id: w.ctx.repo.id * 100 + (name.length % 97),
  node_id: nodeId('Label', name.length),
  url: `${urls.api}/repos/${w.ctx.scenario.owner}/${w.ctx.repo.name}/labels/${encodeURIComponent(name)}`,
  name,
  color: name === 'bug' ? 'd73a4a' : 'a2eeef',
  default: name === 'bug' || name === 'enhancement',
  description: '',
});

export function pull(w: RepoWorld, it: ItemModel, urls: Urls, detail: boolean): Record<string, unknown> {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  const base = `${urls.api}/repos/${full}`;
  const out: Record<string, unknown> = {
    url: `${base}/pulls/${it.number}`,
    id: it.id,
    node_id: nodeId('PullRequest', it.id),
    html_url: `${urls.html}/${full}/pull/${it.number}`,
    diff_url: `${urls.html}/${full}/pull/${it.number}.diff`,
    patch_url: `${urls.html}/${full}/pull/${it.number}.patch`,
    issue_url: `${base}/issues/${it.number}`,
    commits_url: `${base}/pulls/${it.number}/commits`,
    review_comments_url: `${base}/pulls/${it.number}/comments`,
    review_comment_url: `${base}/pulls/comments{/number}`,
    comments_url: `${base}/issues/${it.number}/comments`,
    statuses_url: `${base}/statuses/${it.headSha}`,
    number: it.number,
    state: it.state,
    locked: false,
    title: it.title,
    user: user(it.author, urls),
    body: null,
    labels: it.labels.map((l) => labelObj(w, l, urls)),
    created_at: iso(it.createdAt),
    updated_at: iso(it.updatedAt),
    closed_at: isoOrNull(it.closedAt),
    merged_at: isoOrNull(it.mergedAt),
    merge_commit_sha: it.mergedAt !== undefined ? it.mergeSha : null,
    assignee: null,
    assignees: [],
    requested_reviewers: it.requestedReviewers.map((r) => user(r, urls)),
    requested_teams: [],
    milestone: null,
    draft: it.draft,
    head: {
      label: `${w.ctx.scenario.owner}:${it.headRef}`,
      ref: it.headRef,
      sha: it.headSha,
      user: user(it.author, urls),
      repo: repositoryBrief(w, urls),
    },
    base: {
      label: `${w.ctx.scenario.owner}:main`,
      ref: 'main',
      sha: it.mergeSha,
      user: {
        ...user({ login: w.ctx.scenario.owner, id: w.ctx.scenario.ownerId, type: 'User' }, urls),
        type: 'Organization',
      },
      repo: repositoryBrief(w, urls),
    },
    _links: {
      self: { href: `${base}/pulls/${it.number}` },
      html: { href: `${urls.html}/${full}/pull/${it.number}` },
      issue: { href: `${base}/issues/${it.number}` },
      comments: { href: `${base}/issues/${it.number}/comments` },
      review_comments: { href: `${base}/pulls/${it.number}/comments` },
      review_comment: { href: `${base}/pulls/comments{/number}` },
      commits: { href: `${base}/pulls/${it.number}/commits` },
      statuses: { href: `${base}/statuses/${it.headSha}` },
    },
    author_association: it.author.type === 'Bot' ? 'NONE' : 'MEMBER',
    auto_merge: null,
    active_lock_reason: null,
  };
  if (detail) {
    Object.assign(out, {
      merged: it.mergedAt !== undefined,
      mergeable: it.state === 'open' ? true : null,
      rebaseable: it.state === 'open' ? true : null,
      mergeable_state: it.state === 'open' ? 'clean' : 'unknown',
      maintainer_can_modify: false,
      merged_by:
        it.mergedAt !== undefined
          ? user(it.events.find((e) => e.event === 'merged')?.actor ?? it.author, urls)
          : null,
      comments: it.comments,
      review_comments: it.reviewComments.length,
      commits: it.commits.length,
      additions: it.additions,
      deletions: it.deletions,
      changed_files: it.changedFiles,
    });
  }
  return out;
}

export function issue(w: RepoWorld, it: ItemModel, urls: Urls): Record<string, unknown> {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  const base = `${urls.api}/repos/${full}`;
  const out: Record<string, unknown> = {
    url: `${base}/issues/${it.number}`,
    repository_url: base,
    labels_url: `${base}/issues/${it.number}/labels{/name}`,
    comments_url: `${base}/issues/${it.number}/comments`,
    events_url: `${base}/issues/${it.number}/events`,
    html_url: `${urls.html}/${full}/${it.kind === 'pr' ? 'pull' : 'issues'}/${it.number}`,
    id: it.id,
    node_id: nodeId(it.kind === 'pr' ? 'PullRequest' : 'Issue', it.id),
    number: it.number,
    title: it.title,
    user: user(it.author, urls),
    labels: it.labels.map((l) => labelObj(w, l, urls)),
    state: it.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: it.comments,
    created_at: iso(it.createdAt),
    updated_at: iso(it.updatedAt),
    closed_at: isoOrNull(it.closedAt),
    author_association: it.author.type === 'Bot' ? 'NONE' : 'MEMBER',
    active_lock_reason: null,
    body: null,
    state_reason:
      it.state === 'closed'
        ? it.kind === 'issue'
          ? 'completed'
          : null
        : it.reopenCount > 0
          ? 'reopened'
          : null,
  };
  if (it.kind === 'pr') {
    out['draft'] = it.draft;
    out['pull_request'] = {
      url: `${base}/pulls/${it.number}`,
      html_url: `${urls.html}/${full}/pull/${it.number}`,
      diff_url: `${urls.html}/${full}/pull/${it.number}.diff`,
      patch_url: `${urls.html}/${full}/pull/${it.number}.patch`,
      merged_at: isoOrNull(it.mergedAt),
    };
  }
  out['timeline_url'] = `${base}/issues/${it.number}/timeline`;
  return out;
}

export function reviews(w: RepoWorld, it: ItemModel, urls: Urls): Record<string, unknown>[] {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  return it.reviews.map((r) => ({
    id: r.id,
    node_id: nodeId('PullRequestReview', r.id),
    user: user(r.reviewer, urls),
    body: r.state === 'APPROVED' ? 'LGTM' : 'A few comments.',
    state: r.state,
    html_url: `${urls.html}/${full}/pull/${it.number}#pullrequestreview-${r.id}`,
    pull_request_url: `${urls.api}/repos/${full}/pulls/${it.number}`,
    author_association: 'MEMBER',
    submitted_at: iso(r.submittedAt),
    commit_id: it.headSha,
    _links: {
      html: { href: `${urls.html}/${full}/pull/${it.number}#pullrequestreview-${r.id}` },
      pull_request: { href: `${urls.api}/repos/${full}/pulls/${it.number}` },
    },
  }));
}

export function reviewComments(w: RepoWorld, it: ItemModel, urls: Urls): Record<string, unknown>[] {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  return it.reviewComments.map((c) => ({
    url: `${urls.api}/repos/${full}/pulls/comments/${c.id}`,
    pull_request_review_id: c.reviewId,
    id: c.id,
    node_id: nodeId('PullRequestReviewComment', c.id),
    diff_hunk: `@@ -${c.line},3 +${c.line},4 @@`,
    path: c.path,
    line: c.line,
    commit_id: it.headSha,
    original_commit_id: it.headSha,
    user: user(c.author, urls),
    body: 'Could this be simpler?',
    created_at: iso(c.createdAt),
    updated_at: iso(c.createdAt),
    html_url: `${urls.html}/${full}/pull/${it.number}#discussion_r${c.id}`,
    pull_request_url: `${urls.api}/repos/${full}/pulls/${it.number}`,
    author_association: 'MEMBER',
    _links: {
      self: { href: `${urls.api}/repos/${full}/pulls/comments/${c.id}` },
      html: { href: `${urls.html}/${full}/pull/${it.number}#discussion_r${c.id}` },
      pull_request: { href: `${urls.api}/repos/${full}/pulls/${it.number}` },
    },
  }));
}

export function commits(w: RepoWorld, it: ItemModel, urls: Urls): Record<string, unknown>[] {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  return it.commits.map((c) => {
    const person = c.author.person;
    const sig = {
      name: person?.name ?? c.author.login,
      email: person?.email ?? `${c.author.id}+${c.author.login}@users.noreply.github.com`,
      date: iso(c.authoredAt),
    };
    return {
      sha: c.sha,
      node_id: nodeId('Commit', c.authoredAt / 1000),
      commit: {
        url: `${urls.api}/repos/${full}/git/commits/${c.sha}`,
        author: sig,
        committer: sig,
        message: c.message,
        comment_count: 0,
        tree: { sha: c.sha, url: `${urls.api}/repos/${full}/git/trees/${c.sha}` },
      },
      url: `${urls.api}/repos/${full}/commits/${c.sha}`,
      html_url: `${urls.html}/${full}/commit/${c.sha}`,
      comments_url: `${urls.api}/repos/${full}/commits/${c.sha}/comments`,
      author: user(c.author, urls),
      committer: user(c.author, urls),
      parents: [],
    };
  });
}

export function timeline(w: RepoWorld, it: ItemModel, urls: Urls): Record<string, unknown>[] {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  const events: { at: number; value: Record<string, unknown> }[] = it.events.map((e) => {
    const value: Record<string, unknown> = {
      id: e.id,
      node_id: nodeId('Event', e.id),
      url: `${urls.api}/repos/${full}/issues/events/${e.id}`,
      actor: user(e.actor, urls),
      event: e.event,
      commit_id: e.event === 'merged' ? it.mergeSha : null,
      commit_url: null,
      created_at: iso(e.createdAt),
      performed_via_github_app: null,
    };
    if (e.requestedReviewer) {
      value['review_requester'] = user(e.actor, urls);
      value['requested_reviewer'] = user(e.requestedReviewer, urls);
    }
    if (e.label) value['label'] = { name: e.label, color: e.label === 'bug' ? 'd73a4a' : 'a2eeef' };
    return { at: e.createdAt, value };
  });
  for (const r of it.reviews) {
    events.push({
      at: r.submittedAt,
      value: {
        id: r.id,
        node_id: nodeId('PullRequestReview', r.id),
        user: user(r.reviewer, urls),
        body: null,
        state: r.state.toLowerCase(),
        submitted_at: iso(r.submittedAt),
        event: 'reviewed',
        author_association: 'MEMBER',
      },
    });
  }
  for (const c of it.commits) {
    events.push({
      at: c.authoredAt,
      value: {
        sha: c.sha,
        node_id: nodeId('Commit', c.authoredAt / 1000),
        author: {
          name: c.author.person?.name ?? c.author.login,
          email: c.author.person?.email ?? '',
          date: iso(c.authoredAt),
        },
        message: c.message,
        event: 'committed',
      },
    });
  }
  return events.sort((a, b) => a.at - b.at).map((e) => e.value);
}

export function deployment(w: RepoWorld, d: DeploymentModel, urls: Urls): Record<string, unknown> {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  return {
    url: `${urls.api}/repos/${full}/deployments/${d.id}`,
    id: d.id,
    node_id: nodeId('Deployment', d.id),
    task: 'deploy',
    original_environment: d.environment,
    environment: d.environment,
    description: null,
    created_at: iso(d.createdAt),
    updated_at: iso(d.statuses[d.statuses.length - 1]?.createdAt ?? d.createdAt),
    statuses_url: `${urls.api}/repos/${full}/deployments/${d.id}/statuses`,
    repository_url: `${urls.api}/repos/${full}`,
    creator: user(d.creator, urls),
    sha: d.sha,
    ref: d.ref,
    payload: {},
    transient_environment: false,
    production_environment: d.environment === 'production',
    performed_via_github_app: null,
  };
}

export function deploymentStatuses(w: RepoWorld, d: DeploymentModel, urls: Urls): Record<string, unknown>[] {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  return [...d.statuses].reverse().map((s) => ({
    url: `${urls.api}/repos/${full}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DeploymentStatus', s.id),
    state: s.state,
    creator: user(d.creator, urls),
    description: '',
    environment: d.environment,
    target_url: '',
    log_url: '',
    created_at: iso(s.createdAt),
    updated_at: iso(s.createdAt),
    deployment_url: `${urls.api}/repos/${full}/deployments/${d.id}`,
    repository_url: `${urls.api}/repos/${full}`,
  }));
}

export function release(w: RepoWorld, r: ReleaseModel, urls: Urls): Record<string, unknown> {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  return {
    url: `${urls.api}/repos/${full}/releases/${r.id}`,
    html_url: `${urls.html}/${full}/releases/tag/${r.tag}`,
    assets_url: `${urls.api}/repos/${full}/releases/${r.id}/assets`,
    upload_url: `${urls.api.replace('/api/v3', '/api/uploads')}/repos/${full}/releases/${r.id}/assets{?name,label}`,
    tarball_url: `${urls.api}/repos/${full}/tarball/${r.tag}`,
    zipball_url: `${urls.api}/repos/${full}/zipball/${r.tag}`,
    id: r.id,
    node_id: nodeId('Release', r.id),
    tag_name: r.tag,
    target_commitish: 'main',
    name: r.name,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: iso(r.createdAt),
    published_at: iso(r.publishedAt),
    author: user(r.author, urls),
    assets: [],
    body: `Release ${r.tag}`,
  };
}

function codecovDescription(it: ItemModel): string {
  const delta = Math.round((it.coverage - it.previousCoverage) * 100) / 100;
  return `${it.coverage.toFixed(2)}% (${delta >= 0 ? '+' : ''}${delta.toFixed(2)}%) compared to ${it.headSha.slice(0, 7)}`;
}

export function commitStatuses(w: RepoWorld, it: ItemModel, urls: Urls): Record<string, unknown>[] {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  const at = (it.mergedAt ?? it.updatedAt) + 8 * 60_000;
  const base = (
    id: number,
    context: string,
    state: string,
    description: string,
    creator: Actor,
  ): Record<string, unknown> => ({
    url: `${urls.api}/repos/${full}/statuses/${it.mergeSha}`,
    avatar_url: `${urls.html}/avatars/u/${creator.id}?v=4`,
    id,
    node_id: nodeId('StatusContext', id),
    state,
    description,
    target_url: `${urls.html}/${full}/actions/runs/${runId(it)}`,
    context,
    created_at: iso(at),
    updated_at: iso(at),
    creator: user(creator, urls),
  });
  const ciBot: Actor = { login: 'pulse-ci[bot]', id: 41898282, type: 'Bot' };
  // newest first, as GitHub lists them
  return [
    base(it.id * 10 + 2, 'codecov/project', 'success', codecovDescription(it), ciBot),
    base(
      it.id * 10 + 1,
      'ci/build',
      it.ciFailed ? 'failure' : 'success',
      it.ciFailed ? 'Build failed' : 'Build passed',
      ciBot,
    ),
  ];
}

export function runId(it: ItemModel): number {
  return it.repo.id * 1_000_000 + it.index + 1;
}

export function workflowRun(w: RepoWorld, it: ItemModel, urls: Urls): Record<string, unknown> {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  const id = runId(it);
  const created = (it.mergedAt ?? it.updatedAt) + 60_000;
  return {
    id,
    name: 'CI',
    node_id: nodeId('WorkflowRun', id),
    head_branch: 'main',
    head_sha: it.mergeSha,
    path: '.github/workflows/ci.yml',
    display_title: it.title,
    run_number: it.index + 1,
    event: 'push',
    status: 'completed',
    conclusion: it.ciFailed ? 'failure' : 'success',
    workflow_id: w.ctx.repo.id * 10 + 1,
    url: `${urls.api}/repos/${full}/actions/runs/${id}`,
    html_url: `${urls.html}/${full}/actions/runs/${id}`,
    created_at: iso(created),
    updated_at: iso(created + 7 * 60_000),
    run_started_at: iso(created),
    actor: user(it.author, urls),
    triggering_actor: user(it.author, urls),
    run_attempt: 1,
    pull_requests: [],
    jobs_url: `${urls.api}/repos/${full}/actions/runs/${id}/jobs`,
    logs_url: `${urls.api}/repos/${full}/actions/runs/${id}/logs`,
    check_suite_url: `${urls.api}/repos/${full}/check-suites/${id}`,
    artifacts_url: `${urls.api}/repos/${full}/actions/runs/${id}/artifacts`,
    cancel_url: `${urls.api}/repos/${full}/actions/runs/${id}/cancel`,
    rerun_url: `${urls.api}/repos/${full}/actions/runs/${id}/rerun`,
    workflow_url: `${urls.api}/repos/${full}/actions/workflows/${w.ctx.repo.id * 10 + 1}`,
    head_commit: {
      id: it.mergeSha,
      tree_id: it.mergeSha,
      message: it.title,
      timestamp: iso(it.mergedAt ?? it.updatedAt),
      author: { name: it.author.person?.name ?? it.author.login, email: it.author.person?.email ?? '' },
      committer: { name: it.author.person?.name ?? it.author.login, email: it.author.person?.email ?? '' },
    },
    repository: repositoryBrief(w, urls),
    head_repository: repositoryBrief(w, urls),
  };
}

export function artifact(w: RepoWorld, it: ItemModel, urls: Urls): Record<string, unknown> {
  const full = `${w.ctx.scenario.owner}/${w.ctx.repo.name}`;
  const id = runId(it);
  const created = (it.mergedAt ?? it.updatedAt) + 8 * 60_000;
  const c = coverageCounts(it);
  return {
    id,
    node_id: nodeId('Artifact', id),
    name: 'coverage-report',
    size_in_bytes: 600 + (c.linesValid % 400),
    url: `${urls.api}/repos/${full}/actions/artifacts/${id}`,
    archive_download_url: `${urls.api}/repos/${full}/actions/artifacts/${id}/zip`,
    expired: false,
    digest: null,
    created_at: iso(created),
    updated_at: iso(created),
    expires_at: iso(created + 90 * 86_400_000),
    workflow_run: {
      id,
      repository_id: w.ctx.repo.id,
      head_repository_id: w.ctx.repo.id,
      head_branch: 'main',
      head_sha: it.mergeSha,
    },
  };
}
