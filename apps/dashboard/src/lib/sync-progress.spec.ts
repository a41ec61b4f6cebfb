import {
  countsText,
  durationText,
  isRunActive,
  latestRun,
  progressPercent,
  progressText,
} from './sync-progress';

describe('sync progress', () => {
  it('knows active runs and the latest one', () => {
    expect(isRunActive({ status: 'running' })).toBe(true);
    expect(isRunActive({ status: 'partial' })).toBe(false);
    expect(isRunActive(null)).toBe(false);
    const runs = [{ createdAt: '2026-03-01T00:00:00Z' }, { createdAt: '2026-03-02T00:00:00Z' }];
    expect(latestRun(runs)).toBe(runs[1]);
    expect(latestRun([])).toBeNull();
  });
  it('clamps progress and completes finished runs', () => {
    expect(progressPercent({ progress: 140, status: 'running' })).toBe(100);
    expect(progressPercent({ progress: 33.4, status: 'running' })).toBe(33);
    expect(progressPercent({ progress: 60, status: 'succeeded' })).toBe(100);
    expect(progressPercent({ progress: 0, status: 'skipped' })).toBe(100);
  });
  it('says a queued run waits for a worker instead of showing 0 %', () => {
    expect(progressText({ progress: 0, status: 'queued', phase: null })).toBe('waiting for a worker…');
    expect(progressText({ progress: 40, status: 'running', phase: 'github: pull requests' })).toBe(
      '40 % · github: pull requests',
    );
  });
  it('describes counts and durations', () => {
    expect(countsText({ github: { pull_requests: 12, reviews: 0 }, jira: { issues: 4 } })).toBe(
      'github: 12 pull requests · jira: 4 issues',
    );
    expect(countsText({})).toBe('no new records');
    expect(durationText({ startedAt: '2026-03-01T00:00:00Z', finishedAt: '2026-03-01T00:01:05Z' })).toBe(
      '1 min 5 s',
    );
  });
});
