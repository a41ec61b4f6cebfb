import { findInputProblem, MAX_BODY_DEPTH } from './request-guards';

const nested = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe('findInputProblem', () => {
  it('accepts ordinary JSON', () => {
    expect(
      findInputProblem({ name: 'Zoë ✓ 𝄞', people: [{ identities: { github: ['a'] } }], n: 3 }, '(body)'),
    ).toBeUndefined();
    expect(findInputProblem(nested(MAX_BODY_DEPTH - 1), '(body)')).toBeUndefined();
  });

  it('refuses a 3 000-level nested array without recursing', () => {
    expect(findInputProblem({ settings: nested(3000) }, '(body)')).toEqual({
      field: expect.stringMatching(/^settings(\.0)*$/),
      message: `nests deeper than ${MAX_BODY_DEPTH} levels: flatten it`,
    });
    // Deep enough to overflow any recursive walk.
    expect(findInputProblem(nested(200_000), '(body)')?.message).toMatch(/nests deeper/);
  });

  it('names the field holding a NUL or a lone surrogate, in values and keys', () => {
    expect(findInputProblem({ name: 'a\u0000b' }, '(body)')).toEqual({
      field: 'name',
      message: 'must not contain NUL characters (\\u0000)',
    });
    expect(findInputProblem({ email: '\uD800@x.com' }, '(body)')?.field).toBe('email');
    expect(findInputProblem({ email: 'x\uDC00' }, '(body)')?.message).toMatch(/lone surrogate/);
    expect(findInputProblem({ a: { 'k\u0000': 1 } }, '(body)')).toEqual({
      field: 'a',
      message: 'has a field name that must not contain NUL characters (\\u0000)',
    });
    expect(findInputProblem({ from: ['2026-01-01', '\u0000'] }, 'query')?.field).toBe('from.1');
  });
});
