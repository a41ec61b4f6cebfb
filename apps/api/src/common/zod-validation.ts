import { Body, Param, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { findInputProblem } from './request-guards';
import { badRequest, type FieldProblem } from './validation';

/**
 * One validation stack for the HTTP edge: zod schemas (as for configuration and settings)
 * checked by a pipe, and the same schemas rendered into the OpenAPI document, so the
 * document describes exactly what the pipe accepts.
 */

type Issue = z.core.$ZodIssue;

const KIND_OF = (input: unknown): string =>
  input === null
    ? 'null'
    : Array.isArray(input)
      ? 'a list'
      : typeof input === 'object'
        ? 'an object'
        : typeof input;

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

/** A message that says what is wrong and what to send instead. */
function describe(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required';
      if (input === null)
        return 'must not be null: send a value, or leave the field out to keep the current one';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${KIND_OF(input)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${String(issue.maximum)} characters long`
        : issue.origin === 'array' || issue.origin === 'set'
          ? `must list at most ${String(issue.maximum)} entries`
          : `must be at most ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) === 1
          ? 'must not be empty'
          : `must be at least ${String(issue.minimum)} characters long`
        : issue.origin === 'array' || issue.origin === 'set'
          ? `must list at least ${String(issue.minimum)} entries`
          : `must be at least ${String(issue.minimum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      // Echo a short offending value so the caller sees which one was refused.
      return typeof input === 'string' && input.length <= 64
        ? `${issue.message} (got ${JSON.stringify(input)})`
        : issue.message;
  }
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Fields that were removed, with what to send instead. */
const RETIRED_FIELDS: Record<string, string> = {
  bugLabelPattern:
    'was replaced by bugLabels (regular expressions could freeze the server): send the labels as a list, such as ["bug", "defect"]',
};

/** zod issues as the field problems of a 400 (dotted paths, unknown keys one by one). */
export function fieldProblems(error: z.ZodError, root: unknown, prefix = ''): FieldProblem[] {
  const join = (path: PropertyKey[]) =>
    [prefix, ...path.map(String)].filter((p) => p !== '').join('.') || '(body)';
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        field: join([...issue.path, key]),
        message:
          RETIRED_FIELDS[key] ?? 'is not a known field: remove it (see the API documentation at /api/docs)',
      }));
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the closest alternative rather than "invalid input".
      const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
      return best.map((i) => ({
        field: join([...issue.path, ...i.path]),
        message: describe(i, valueAt(valueAt(root, issue.path), i.path)),
      }));
    }
    return [{ field: join(issue.path), message: describe(issue, valueAt(root, issue.path)) }];
  });
}

/** Parses a value with `schema` or throws a 400 naming each bad field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly prefix = '',
  ) {}

  transform(value: unknown): z.output<S> {
    // Multipart fields are parsed after the request-wide check, so check them here too.
    const problem = findInputProblem(value, this.prefix || '(body)');
    if (problem) throw badRequest([problem]);
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw badRequest(fieldProblems(result.error, value, this.prefix));
  }
}

/** The OpenAPI (3.0) schema of what a route accepts. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
  const { $schema: _ignored, ...rest } = json as Record<string, unknown>;
  return rest;
}

/** A JSON body checked by `schema` and documented with it. */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodPipe(schema))(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor) ApiBody({ schema: openApiSchema(schema) })(target, key, descriptor);
    }
  };
}

/** One query parameter checked by `schema` (optional when the schema accepts undefined). */
export function ZodQuery(name: string, schema: z.ZodType, description?: string): ParameterDecorator {
  return (target, key, index) => {
    Query(name, new ZodPipe(schema, name))(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor)
        ApiQuery({
          name,
          required: !schema.safeParse(undefined).success,
          schema: openApiSchema(schema),
          ...(description ? { description } : {}),
        })(target, key, descriptor);
    }
  };
}

/** One path parameter checked by `schema`. */
export function ZodParam(name: string, schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Param(name, new ZodPipe(schema, name))(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor) ApiParam({ name, schema: openApiSchema(schema) })(target, key, descriptor);
    }
  };
}
