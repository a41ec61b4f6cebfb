// GitHub's static query analysis, checked on the examples of GitHub's documentation
// ("Rate limits and node limits for the GraphQL API") over GitHub's published schema.
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { analyzeQuery } from './cost';
import { githubSchema } from './graphql.routes';

function analyze(query: string, vars: Record<string, unknown> = {}): ReturnType<typeof analyzeQuery> {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!op) throw new Error('no operation');
  return analyzeQuery(githubSchema(), doc, op, vars);
}

describe('GraphQL query cost and limits, as GitHub computes them', () => {
  it('counts nodes: 50 repositories with 10 issues each are 550 nodes', () => {
    const r = analyze(`query { viewer { repositories(first: 50) { edges { repository: node { name
      issues(first: 10) { totalCount edges { node { title bodyHTML } } } } } } } }`);
    expect(r.errors).toEqual([]);
    expect(r.nodes).toBe(550);
  });

  it('counts nodes of the complex example: 22 060', () => {
    const r = analyze(`query { viewer {
      repositories(first: 50) { edges { repository: node { name
        pullRequests(first: 20) { edges { pullRequest: node { title
          comments(first: 10) { edges { comment: node { bodyHTML } } } } } }
        issues(first: 20) { totalCount edges { issue: node { title bodyHTML
          comments(first: 10) { edges { comment: node { bodyHTML } } } } } } } } }
      followers(first: 10) { edges { follower: node { login } } } } }`);
    expect(r.nodes).toBe(22_060);
  });

  it('costs requests / 100, rounded: 1 + 100 + 5 000 requests are 51 points', () => {
    const r = analyze(`query { viewer { login repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`);
    expect(r.requests).toBe(5_101);
    expect(r.cost).toBe(51);
  });

  it('costs at least one point, and reads page sizes from variables', () => {
    expect(analyze('query { viewer { login } }').cost).toBe(1);
    const r = analyze(
      'query($n: Int!) { repository(owner: "o", name: "r") { pullRequests(first: $n) { nodes { number reviews(first: 5) { nodes { id } } } } } }',
      { n: 25 },
    );
    expect(r.requests).toBe(26);
    expect(r.nodes).toBe(25 + 125);
  });

  it('refuses a connection without first/last, a page over 100 and more than 500 000 nodes', () => {
    expect(analyze('query { viewer { repositories { totalCount } } }').errors).toEqual([
      expect.objectContaining({ type: 'MISSING_PAGINATION_BOUNDARIES' }),
    ]);
    expect(analyze('query { viewer { repositories(first: 101) { totalCount } } }').errors).toEqual([
      expect.objectContaining({
        type: 'EXCESSIVE_PAGINATION',
        message:
          'Requesting 101 records on the `repositories` connection exceeds the `first` limit of 100 records.',
      }),
    ]);
    const big = analyze(`query { viewer { repositories(first: 100) { nodes {
      issues(first: 100) { nodes { labels(first: 100) { nodes { name } } } } } } } }`);
    expect(big.nodes).toBe(100 + 10_000 + 1_000_000);
    expect(big.errors).toEqual([expect.objectContaining({ type: 'MAX_NODE_LIMIT_EXCEEDED' })]);
  });
});
