import { type EngagementRecords } from '@pulse/contracts';
import { SampleSet } from '../samples';
import { categoryAt, type WorkFacts } from './work-items';

export interface SprintFacts {
  /** Per closed sprint, at its completion: `v` = issues added after start, `w` = issues at start. */
  scopeChange: SampleSet;
  /** Per closed sprint: `v` = committed issues done at completion, `w` = committed issues known. */
  completion: SampleSet;
}

/**
 * Ratios are pooled over the sprints closed in a bucket (Σ added ÷ Σ committed), so a
 * two-issue sprint does not weigh as much as a forty-issue one. A committed issue counts
 * as completed when its replayed status category is done at the sprint's completion;
 * committed keys with no loaded work item are left out of completion (unknown, not failed).
 */
export function buildSprintFacts(records: EngagementRecords, work: WorkFacts): SprintFacts {
  const scopeChange = new SampleSet();
  const completion = new SampleSet();
  for (let i = 0; i < records.sprints.length; i++) {
    const sprint = records.sprints[i];
    const closedAt = sprint.completedAt;
    if (closedAt === null) continue;
    const atStart = new Set(sprint.issueKeysAtStart);
    const added = new Set(sprint.issueKeysAddedAfterStart.filter((k) => !atStart.has(k)));
    scopeChange.add(closedAt, added.size, atStart.size, i);
    let known = 0;
    let done = 0;
    for (const key of atStart) {
      const fact = work.byKey.get(key);
      if (!fact) continue;
      known++;
      if (categoryAt(fact, closedAt, true) === 'done') done++;
    }
    completion.add(closedAt, done, known, i);
  }
  return { scopeChange: scopeChange.finish(), completion: completion.finish() };
}
