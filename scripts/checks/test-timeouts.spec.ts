// CI runs on loaded 2-core machines: tests must wait for conditions within generous budgets.
// This proves (1) the per-project budget of jest.config.cjs really applies (Jest ignores a
// project-level `testTimeout`, which left every integration test at 5 s), and (2) no spec
// quietly lowers it again with a tight per-test or per-file timeout.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../..');

interface ProjectConfig {
  displayName: string;
  testMatch: string[];
  globals?: { PULSE_TEST_TIMEOUT_MS?: number };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the Jest config is CommonJS by design
const jestConfig = require(join(root, 'jest.config.cjs')) as { projects: ProjectConfig[] };

function budgetOf(name: string): number {
  const project = jestConfig.projects.find((p) => p.displayName === name);
  const budget = project?.globals?.PULSE_TEST_TIMEOUT_MS;
  if (!budget) throw new Error(`jest.config.cjs: project ${name} has no globals.PULSE_TEST_TIMEOUT_MS`);
  return budget;
}

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(path);
    return /\.(spec|integration-spec|e2e-spec)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function projectOf(file: string): string {
  if (file.endsWith('.e2e-spec.ts')) return 'e2e';
  if (file.endsWith('.integration-spec.ts')) return 'integration';
  return 'unit';
}

// `jest.setTimeout(N)` and the trailing `}, N);` of it()/test()/beforeAll()/… (or of a timer).
const OVERRIDES = [/jest\.setTimeout\(\s*([\d_]+)\s*\)/g, /^\s*\}\s*,\s*([\d_]+)\s*\);/gm];

export function tightTimeouts(source: string, budget: number): number[] {
  const found: number[] = [];
  for (const pattern of OVERRIDES) {
    for (const match of source.matchAll(pattern)) {
      const ms = Number(match[1]!.replace(/_/g, ''));
      if (ms < budget) found.push(ms);
    }
  }
  return found;
}

describe('test time budgets', () => {
  it('the unit project runs with its configured budget, not Jest’s 5 s default', () => {
    // jest.setTimeout stores the budget under this well-known symbol (jest-circus).
    const applied = (globalThis as Record<symbol, unknown>)[Symbol.for('TEST_TIMEOUT_SYMBOL')];
    expect(applied).toBe(budgetOf('unit'));
    expect(budgetOf('unit')).toBeGreaterThanOrEqual(30_000);
    expect(budgetOf('integration')).toBeGreaterThanOrEqual(120_000);
    expect(budgetOf('e2e')).toBeGreaterThanOrEqual(budgetOf('integration'));
  });

  it('finds a tight override (the check itself can fail)', () => {
    // Built up so that this file does not trip its own scan.
    const setTimeoutCall = (ms: string) => `jest.setTimeout${'('}${ms});`;
    expect(tightTimeouts(`it('x', async () => {\n  await y();\n}${', 20_000'});\n`, 30_000)).toEqual([
      20_000,
    ]);
    expect(tightTimeouts(setTimeoutCall('5000'), 30_000)).toEqual([5000]);
    expect(tightTimeouts(setTimeoutCall('240_000'), 180_000)).toEqual([]);
  });

  it('no spec lowers its project’s budget', () => {
    const offenders = ['apps', 'libs', 'scripts', 'test'].flatMap((dir) =>
      specFiles(join(root, dir)).flatMap((file) => {
        const tight = tightTimeouts(readFileSync(file, 'utf8'), budgetOf(projectOf(file)));
        return tight.length ? [`${relative(root, file)}: ${tight.join(', ')} ms`] : [];
      }),
    );
    expect(offenders).toEqual([]);
  });
});
