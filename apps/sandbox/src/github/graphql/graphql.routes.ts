// GitHub's GraphQL endpoint (`POST /api/graphql` next to the GHES-style `/api/v3`): the
// query is parsed and validated against GitHub's published schema (@octokit/graphql-schema),
// checked for pagination bounds and the node limit, charged GitHub's cost on a separate
// per-token `graphql` quota, and executed by graphql-js over the same world as REST.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  buildSchema,
  execute,
  parse,
  validate,
} from 'graphql';
import { type FaultsService } from '../../core/faults.service';
import { type Reply, type SandboxRequest, json } from '../../core/http.util';
import { type WorldStore } from '../../core/world.store';
import { SANDBOX_GITHUB_TOKEN, SANDBOX_GITHUB_TOKEN_PREFIX } from '../../credentials.constants';
import { analyzeQuery } from './cost';
import { TypedGraphqlError, nodeView, repositoryView } from './views';

const DOCS = 'https://docs.github.com/graphql';

let schemaCache: GraphQLSchema | undefined;

/** GitHub's schema as published; it repeats a few field definitions, hence `assumeValidSDL`. */
export function githubSchema(): GraphQLSchema {
  if (schemaCache) return schemaCache;
  const dirs = require.resolve.paths('@octokit/graphql-schema') ?? [];
  const file = dirs
    .map((d) => join(d, '@octokit', 'graphql-schema', 'schema.graphql'))
    .find((f) => existsSync(f));
  if (!file) throw new Error('sandbox: @octokit/graphql-schema is not installed');
  schemaCache = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
  return schemaCache;
}

// fields are values, or functions of the arguments (see views.ts)
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _ctx, info) => {
  if (!source || typeof source !== 'object') return null;
  const v = (source as Record<string, unknown>)[info.fieldName];
  return typeof v === 'function' ? (v as (a: unknown) => unknown).call(source, args) : v;
};

interface Quota {
  used: number;
  resetAt: number;
}

export class GithubGraphqlRoutes {
  private readonly quotas = new Map<string, Quota>();

  constructor(
    private readonly world: WorldStore,
    private readonly faults: FaultsService,
    private readonly origin: () => string,
  ) {}

  resetQuotas(): void {
    this.quotas.clear();
  }

  private quota(token: string): Quota & { limit: number } {
    const limit = this.faults.get('github').quota ?? 5000;
    const nowSec = Math.floor(Date.now() / 1000);
    let q = this.quotas.get(token);
    if (!q || q.resetAt <= nowSec) {
      q = { used: 0, resetAt: nowSec + 3600 };
      this.quotas.set(token, q);
    }
    return { ...q, limit };
  }

  private headers(token: string): Record<string, string> {
    const q = this.quota(token);
    return {
      'x-ratelimit-limit': String(q.limit),
      'x-ratelimit-remaining': String(Math.max(0, q.limit - q.used)),
      'x-ratelimit-reset': String(q.resetAt),
      'x-ratelimit-used': String(q.used),
      'x-ratelimit-resource': 'graphql',
      'x-github-media-type': 'github.v4; format=json',
    };
  }

  handle(req: SandboxRequest): Reply {
    const f = this.faults.get('github');
    // an old GitHub Enterprise Server (or a proxy that only passes REST) has no GraphQL
    if (f.graphqlDisabled) return json(404, { message: 'Not Found', documentation_url: DOCS });
    if (req.method !== 'POST') return json(404, { message: 'Not Found', documentation_url: DOCS });
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(String(req.headers['authorization'] ?? ''));
    const token = m?.[1];
    const fault = this.faults.decide('github');
    if (!token) {
      return json(401, {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url: `${DOCS}/guides/forming-calls-with-graphql#authenticating-with-graphql`,
      });
    }
    if (
      fault.kind === 'revoked' ||
      !(token === SANDBOX_GITHUB_TOKEN || token.startsWith(SANDBOX_GITHUB_TOKEN_PREFIX))
    ) {
      return json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    if (fault.kind === 'rateLimit') {
      const status = f.secondaryLimitStatus ?? 403;
      return json(
        status,
        {
          message:
            f.secondaryLimitMessage === 'abuse'
              ? 'You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.'
              : 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url:
            'https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#secondary-rate-limits',
        },
        { ...this.headers(token), 'retry-after': String(fault.retryAfter) },
      );
    }
    if (fault.kind === 'error5xx') return json(502, { message: 'Server Error' }, this.headers(token));

    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(req.body || '{}') as typeof body;
    } catch {
      return json(400, { message: 'Problems parsing JSON', documentation_url: DOCS });
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return json(200, {
        errors: [{ message: 'A query attribute must be specified and must be a string.' }],
      });
    }
    const vars =
      body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
    let doc: DocumentNode;
    try {
      doc = parse(body.query);
    } catch (e) {
      return json(200, { errors: [this.errorOf(e)] }, this.headers(token));
    }
    const schema = githubSchema();
    const invalid = validate(schema, doc);
    if (invalid.length > 0) {
      return json(200, { errors: invalid.map((e) => this.errorOf(e)) }, this.headers(token));
    }
    const ops = doc.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const op =
      typeof body.operationName === 'string'
        ? ops.find((o) => o.name?.value === body.operationName)
        : ops.length === 1
          ? ops[0]
          : undefined;
    if (!op)
      return json(200, { errors: [{ message: 'An operation name is required' }] }, this.headers(token));
    const analysis = analyzeQuery(schema, doc, op, vars);
    if (analysis.errors.length > 0) {
      return json(200, { errors: analysis.errors }, this.headers(token));
    }
    // load shedding: a query over the budget answers as GitHub does when it runs too long
    if (f.graphqlTimeoutAboveNodes !== undefined && analysis.nodes > f.graphqlTimeoutAboveNodes) {
      return json(502, {
        data: null,
        errors: [
          {
            message:
              'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `C0DE:5A4D:B0X` when reporting this issue.',
          },
        ],
      });
    }
    if (f.graphqlResourceLimitAboveNodes !== undefined && analysis.nodes > f.graphqlResourceLimitAboveNodes) {
      return json(
        200,
        {
          data: null,
          errors: [
            {
              type: 'RESOURCE_LIMITS_EXCEEDED',
              message: 'Resource limits for this query exceeded.',
            },
          ],
        },
        this.headers(token),
      );
    }
    const q = this.quota(token);
    if (q.limit - q.used < analysis.cost) {
      return json(
        200,
        {
          errors: [
            {
              type: 'RATE_LIMITED',
              message: 'API rate limit exceeded for user ID 90000001.',
            },
          ],
        },
        this.headers(token),
      );
    }
    const stored = this.quotas.get(token);
    if (stored) stored.used += analysis.cost;
    const after = this.quota(token);
    const urls = { html: `${this.origin()}/github` };
    const rootValue = {
      viewer: { __typename: 'User', login: 'pulse-sandbox', databaseId: 90_000_001, name: 'Pulse Sandbox' },
      rateLimit: (args: Record<string, unknown>) => ({
        __typename: 'RateLimit',
        cost: analysis.cost,
        limit: after.limit,
        nodeCount: analysis.nodes,
        remaining: Math.max(0, after.limit - after.used) + (args['dryRun'] ? analysis.cost : 0),
        used: after.used,
        resetAt: new Date(after.resetAt * 1000).toISOString(),
      }),
      node: (args: Record<string, unknown>) => nodeView(this.world, args['id'], urls),
      repository: (args: Record<string, unknown>) => {
        const w = this.world.repo(String(args['owner']), String(args['name']));
        if (!w)
          throw new TypedGraphqlError(
            `Could not resolve to a Repository with the name '${String(args['owner'])}/${String(args['name'])}'.`,
            'NOT_FOUND',
          );
        return repositoryView(this.world, w, urls);
      },
    };
    const result = execute({
      schema,
      document: doc,
      rootValue,
      variableValues: vars,
      fieldResolver,
      ...(op.name ? { operationName: op.name.value } : {}),
    });
    if (result instanceof Promise) throw new Error('sandbox: GraphQL resolvers must be synchronous');
    const payload: Record<string, unknown> = { data: result.data ?? null };
    if (result.errors?.length) payload['errors'] = result.errors.map((e) => this.errorOf(e));
    return json(200, payload, this.headers(token));
  }

  /** GitHub's error shape: `type` at the top level when it has one, path and locations. */
  private errorOf(e: unknown): Record<string, unknown> {
    if (!(e instanceof GraphQLError)) return { message: e instanceof Error ? e.message : String(e) };
    const original = e.originalError;
    return {
      ...(original instanceof TypedGraphqlError ? { type: original.type } : {}),
      ...(e.path ? { path: e.path } : {}),
      ...(e.locations ? { locations: e.locations } : {}),
      message: e.message,
    };
  }
}
