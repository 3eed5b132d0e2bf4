import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'bench/results/**',
      '*.config.js',
      '.dependency-cruiser.js',
      'libs/testing/src/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      // The domain is pure: time, ids and randomness arrive on the command.
      'no-restricted-globals': ['error', { name: 'Date', message: 'time comes in on the command' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'randomness comes in on the command' },
        { object: 'Date', property: 'now', message: 'time comes in on the command' },
      ],
    },
  },
);
