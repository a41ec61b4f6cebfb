import { bugLabelsFromPattern } from './1795410000000-bug-label-lists';

describe('bugLabelsFromPattern (bug label pattern → label list)', () => {
  it.each([
    ['^(bug|defect|regression)$', ['bug', 'defect', 'regression']],
    ['^(?:Bug|type: bug)$', ['Bug', 'type: bug']],
    ['^crash$', ['crash']],
    ['^(found\\-in\\-prod|p0)$', ['found-in-prod', 'p0']],
    ['^(bug|bug)$', ['bug']],
  ])('turns the simple alternation %s into its labels', (pattern, labels) => {
    expect(bugLabelsFromPattern(pattern)).toEqual(labels);
  });

  it.each([
    '^(\\w*){16}!$', // the ReDoS pattern
    'bug', // unanchored: matched inside any label before
    '^bug.*$',
    '^(bug|)$',
    '^(a|(b|c))$',
    '',
  ])('falls back to the defaults for %j', (pattern) => {
    expect(bugLabelsFromPattern(pattern)).toEqual(['bug', 'defect', 'regression']);
  });

  it('uses the defaults when no pattern was stored', () => {
    expect(bugLabelsFromPattern(undefined)).toEqual(['bug', 'defect', 'regression']);
    expect(bugLabelsFromPattern(42)).toEqual(['bug', 'defect', 'regression']);
  });
});
