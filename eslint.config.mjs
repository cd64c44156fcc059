import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', '.data/**', 'node_modules/**', 'lib/db/generated/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'],
  },
  {
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Only lib/config reads the environment; everything else gets typed settings passed in
    // (lib/config/env.ts, lib/config/settings.ts). Scripts, tests and the bench build the
    // environments of the processes they start, so they are not held to this.
    files: ['lib/**', 'app/**', 'components/**', 'server.ts', 'next-server.ts', 'proxy.ts'],
    ignores: ['lib/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through lib/config (env.ts, settings.ts), which validates them.' },
      ],
    },
  },
];

export default config;
