// Lint config for the whole workspace. Module boundaries are enforced by tags in each
// project.json: dependencies point one way (apps → libs; libs → contracts), apps never
// import each other, and kpi/contracts stay free of I/O-bound libraries.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default [
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/.tools',
      '**/.data',
      'coverage/**',
      '**/.nx',
      '**/test-output',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    // Nest resolves constructor injection from decorator metadata: type-only imports of
    // injected classes would break it, and this tells consistent-type-imports so.
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:kpi', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:kpi', 'type:data-access'],
            },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'scope:shared',
              onlyDependOnLibsWithTags: ['scope:shared'],
              bannedExternalImports: [
                '@nestjs/*',
                'typeorm',
                'bullmq',
                'ioredis',
                'pg',
                'better-sqlite3',
                'node:fs',
                'fs',
                'node:http',
                'http',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and scripts may print and use loose types for fixtures.
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.spec.tsx', 'scripts/**/*.ts', 'test/**/*.ts'],
    // Test harnesses in test/ boot whole apps, so tests may reach across project lines.
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': 'off',
    },
  },
];
