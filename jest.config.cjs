// One Jest config, two projects: `unit` (*.spec.ts[x], no services) and `integration`
// (*.integration-spec.ts, real Redis/SQLite/PostgreSQL started by test/global-setup).
const swc = {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true, tsx: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const moduleNameMapper = {
  '^@pulse/(contracts|kpi|connectors|db)$': '<rootDir>/libs/$1/src/index.ts',
};

// @octokit/*, openid-client and friends are ESM-only: let swc turn them into CommonJS.
const transformIgnorePatterns = [
  '/node_modules/(?!(@nestjs|@octokit|universal-user-agent|before-after-hook|content-type|fast-content-type-parse|bottleneck|json-with-bigint|openid-client|oauth4webapi|jose)/)',
];

// Per-project time budgets, sized for a loaded 2-core CI machine (see test/test-timeout.setup.ts:
// a project-level `testTimeout` would be ignored). Tests wait for conditions, so a generous
// budget costs nothing when things are fast; scripts/checks/test-timeouts.spec.ts refuses
// per-test overrides below these.
const TIMEOUTS = { unit: 30_000, integration: 180_000, e2e: 600_000 };

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)sx?$': ['@swc/jest', swc] },
  transformIgnorePatterns,
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tools/'],
  setupFilesAfterEnv: ['<rootDir>/test/test-timeout.setup.ts'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.{ts,tsx}'],
      globals: { PULSE_TEST_TIMEOUT_MS: TIMEOUTS.unit },
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      globals: { PULSE_TEST_TIMEOUT_MS: TIMEOUTS.integration },
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      globals: { PULSE_TEST_TIMEOUT_MS: TIMEOUTS.e2e },
    },
  ],
};
