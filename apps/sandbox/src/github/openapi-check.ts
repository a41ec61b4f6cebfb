// Checks a JSON value against a schema of GitHub's OpenAPI description (@octokit/openapi,
// `generated/api.github.com.json`), resolving `$ref`s in the document itself. Covers the
// keywords GitHub's response schemas use: type, nullable, properties, required, items,
// enum, allOf/anyOf/oneOf and the date-time format. `oneOf` is checked as "at least one":
// GitHub's alternatives overlap (a value often matches two), so "exactly one" would reject
// GitHub's own examples. Extra properties are allowed, as GitHub adds fields over time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OpenApiSchema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  enum?: unknown[];
  allOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  format?: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

let cached: OpenApiDocument | undefined;

export function githubOpenApi(): OpenApiDocument {
  if (cached) return cached;
  const dirs = require.resolve.paths('@octokit/openapi') ?? [];
  for (const d of dirs) {
    const file = join(d, '@octokit', 'openapi', 'generated', 'api.github.com.json');
    try {
      cached = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
      return cached;
    } catch {
      // not in this node_modules
    }
  }
  throw new Error('@octokit/openapi is not installed');
}

/** The schema of `GET path`'s 200 response (JSON). */
export function responseSchema(path: string): OpenApiSchema {
  const op = githubOpenApi().paths[path]?.['get'];
  const ok = op?.responses?.['200'] as { content?: Record<string, { schema?: OpenApiSchema }> } | undefined;
  const schema = ok?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no 200 JSON response for GET ${path} in GitHub's OpenAPI description`);
  return schema;
}

function resolve(ref: string): OpenApiSchema {
  if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref} is not supported`);
  let node: unknown = githubOpenApi();
  for (const part of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (!node) throw new Error(`$ref ${ref} does not resolve`);
  return node as OpenApiSchema;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return true;
  }
}

/** Problems of `value` against `schema`, as `path: what` lines; empty when it conforms. */
export function checkAgainst(schema: OpenApiSchema, value: unknown, path = '$', depth = 0): string[] {
  if (depth > 40) return [];
  if (schema.$ref) return checkAgainst(resolve(schema.$ref), value, path, depth + 1);
  const errors: string[] = [];
  for (const s of schema.allOf ?? []) errors.push(...checkAgainst(s, value, path, depth + 1));
  for (const alternatives of [schema.anyOf, schema.oneOf]) {
    if (!alternatives) continue;
    const results = alternatives.map((s) => checkAgainst(s, value, path, depth + 1));
    if (!results.some((r) => r.length === 0)) {
      const best = results.reduce((a, b) => (b.length < a.length ? b : a));
      errors.push(...best);
    }
  }
  if (value === null) {
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (schema.nullable || types.includes('null') || types.length === 0) return errors;
    return [...errors, `${path}: is null, not nullable`];
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 0 && !types.some((t) => typeMatches(t, value))) {
    return [
      ...errors,
      `${path}: expected ${types.join('|')}, got ${Array.isArray(value) ? 'array' : typeof value}`,
    ];
  }
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of the enum`);
  if (schema.format === 'date-time' && typeof value === 'string' && !ISO_INSTANT.test(value)) {
    errors.push(`${path}: ${value} is not a date-time`);
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const rec = value as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!(k in rec)) errors.push(`${path}.${k}: required, missing`);
    for (const [k, s] of Object.entries(schema.properties ?? {})) {
      if (k in rec && rec[k] !== undefined)
        errors.push(...checkAgainst(s, rec[k], `${path}.${k}`, depth + 1));
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((v, i) =>
      errors.push(...checkAgainst(schema.items as OpenApiSchema, v, `${path}[${i}]`, depth + 1)),
    );
  }
  return errors;
}
