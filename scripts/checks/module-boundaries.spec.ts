// Proves the lint rules enforce the architecture, not just that they are configured:
// each forbidden import below must be reported by @nx/enforce-module-boundaries.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

const forbidden: [string, string][] = [
  [
    'libs/kpi/src/probe.ts',
    "import { createDataSource } from '@pulse/db';\nexport const x = createDataSource;\n",
  ],
  ['libs/kpi/src/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n"],
  ['libs/contracts/src/probe.ts', "import { KPI_KEYS } from '@pulse/kpi';\nexport const x = KPI_KEYS;\n"],
  [
    'libs/db/src/probe.ts',
    "import { parseConnectionSettings } from '@pulse/connectors';\nexport const x = parseConnectionSettings;\n",
  ],
  ['apps/dashboard/src/probe.ts', "import { SecretBox } from '@pulse/db';\nexport const x = SecretBox;\n"],
  [
    'apps/worker/src/probe.ts',
    "import { createApp } from '../../api/src/app';\nexport const x = createApp;\n",
  ],
];
const allowed: [string, string][] = [
  ['apps/api/src/probe.ts', "import { SecretBox } from '@pulse/db';\nexport const x = SecretBox;\n"],
  ['libs/kpi/src/probe.ts', "import { KPI_KEYS } from '@pulse/contracts';\nexport const x = KPI_KEYS;\n"],
];

// ESLint loads its config with dynamic import(), which Jest's VM does not allow: lint in a child.
const LINT = `
const { ESLint } = require('eslint');
const cases = JSON.parse(process.argv[1]);
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const [file, code] of cases) {
    const [r] = await eslint.lintText(code, { filePath: require('path').join(process.cwd(), file) });
    out.push(r.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function lint(cases: [string, string][]): string[][] {
  return JSON.parse(
    execFileSync(process.execPath, ['-e', LINT, JSON.stringify(cases)], { cwd: root, encoding: 'utf8' }),
  );
}

describe('module boundaries', () => {
  jest.setTimeout(120_000);
  let results: string[][];
  beforeAll(() => {
    results = lint([...forbidden, ...allowed]);
  });

  it.each(forbidden.map((c, i) => [c[0], c[1].split('\n')[0], i] as const))(
    '%s may not %s',
    (_file, _line, i) => {
      expect(results[i]).not.toEqual([]);
    },
  );

  it.each(allowed.map((c, i) => [c[0], c[1].split('\n')[0], forbidden.length + i] as const))(
    '%s may %s',
    (_f, _l, i) => {
      expect(results[i]).toEqual([]);
    },
  );
});
