// GitHub's static analysis of a GraphQL query before it runs (docs: "Rate limits and node
// limits for the GraphQL API"): every connection needs `first` or `last` in 1..100, the
// query may ask for at most 500 000 nodes, and its cost is the number of requests needed
// to fill every connection (each one once per parent node it hangs off), divided by 100
// and rounded, at least 1.
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
} from 'graphql';

export const NODE_LIMIT = 500_000;

export interface QueryError {
  type: string;
  message: string;
  path?: string[];
}

export interface QueryCost {
  /** Requests needed to fill every connection, as GitHub counts them. */
  requests: number;
  /** Nodes the query may return at most. */
  nodes: number;
  /** Rate-limit points: requests / 100, rounded, at least 1. */
  cost: number;
  errors: QueryError[];
}

function isConnectionType(t: GraphQLCompositeType): boolean {
  return isObjectType(t) && t.name.endsWith('Connection') && 'pageInfo' in t.getFields();
}

function intArg(v: ValueNode | undefined, vars: Record<string, unknown>): number | null | undefined {
  if (!v) return undefined;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.NULL) return null;
  if (v.kind === Kind.VARIABLE) {
    const x = vars[v.name.value];
    return typeof x === 'number' ? x : x === undefined || x === null ? null : Number.NaN;
  }
  return Number.NaN;
}

export function analyzeQuery(
  schema: GraphQLSchema,
  doc: DocumentNode,
  op: OperationDefinitionNode,
  vars: Record<string, unknown>,
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const out: QueryCost = { requests: 0, nodes: 0, cost: 1, errors: [] };

  const walk = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    mult: number,
    path: string[],
    seen: Set<string>,
  ): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (t && isCompositeType(t)) walk(sel.selectionSet, t, mult, path, seen);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value);
        if (!f || seen.has(f.name.value)) continue;
        const t = schema.getType(f.typeCondition.name.value);
        if (t && isCompositeType(t)) walk(f.selectionSet, t, mult, path, new Set([...seen, f.name.value]));
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const def = parent.getFields()[name];
      if (!def || !sel.selectionSet) continue;
      const named = getNamedType(def.type);
      if (!isCompositeType(named)) continue;
      const here = [...path, sel.alias?.value ?? name];
      if (!isConnectionType(named)) {
        walk(sel.selectionSet, named, mult, here, seen);
        continue;
      }
      const arg = (n: string): ValueNode | undefined => sel.arguments?.find((a) => a.name.value === n)?.value;
      const first = intArg(arg('first'), vars);
      const last = intArg(arg('last'), vars);
      const size = first ?? last;
      if (size === undefined || size === null) {
        out.errors.push({
          type: 'MISSING_PAGINATION_BOUNDARIES',
          path: here,
          message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
        });
        continue;
      }
      if (!Number.isInteger(size) || size < 0 || size > 100) {
        const which = first !== undefined && first !== null ? 'first' : 'last';
        out.errors.push({
          type: 'EXCESSIVE_PAGINATION',
          path: here,
          message: `Requesting ${size} records on the \`${name}\` connection exceeds the \`${which}\` limit of 100 records.`,
        });
        continue;
      }
      out.requests += mult;
      out.nodes += mult * size;
      walk(sel.selectionSet, named, mult * size, here, seen);
    }
  };
  const root = op.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  if (root) walk(op.selectionSet, root, 1, [], new Set());
  out.cost = Math.max(1, Math.round(out.requests / 100));
  if (out.errors.length === 0 && out.nodes > NODE_LIMIT) {
    out.errors.push({
      type: 'MAX_NODE_LIMIT_EXCEEDED',
      message: `This query requests up to ${out.nodes.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${NODE_LIMIT.toLocaleString('en-US')}.`,
    });
  }
  return out;
}
