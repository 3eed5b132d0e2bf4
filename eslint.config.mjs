import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layout rules (README "Layout"); both use no-restricted-syntax, so a file gets one list.
const SUBJECT_MESSAGE =
  'NATS subjects are defined only in libs/messaging: import the constant from @keyward/messaging.';
/** Only libs/messaging spells a subject: no 'kw.…' string or template literal elsewhere. */
const noSubjectLiterals = [
  { selector: 'Literal[value=/^kw\\./]', message: SUBJECT_MESSAGE },
  { selector: 'TemplateLiteral > TemplateElement[value.raw=/^kw\\./]', message: SUBJECT_MESSAGE },
];
const RAW_EVENT_MESSAGE =
  "An event's data and metadata are read only through decodeEvent (@keyward/domain), never cast.";
/** Only the domain's decoder reads raw event data: no `x.data as T` / `<T>x.metadata`. */
const noRawEventCasts = ['TSAsExpression', 'TSTypeAssertion'].map((cast) => ({
  selector: `${cast} > MemberExpression.expression[property.name=/^(data|metadata)$/]`,
  message: RAW_EVENT_MESSAGE,
}));
const SUBJECT_FILES = [
  'apps/**/*.ts',
  'libs/**/*.ts',
  'scripts/**/*.ts',
  'bench/**/*.ts',
  'test/**/*.ts',
];
const SUBJECT_OWNER = ['libs/messaging/src/**'];
// The event decoder, and the store that keeps and carries events as raw bytes.
const RAW_EVENT_READERS = ['libs/domain/src/events/**', 'libs/event-store/src/**'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'bench/results/**',
      'test-artifacts/**',
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
  {
    files: SUBJECT_FILES,
    ignores: SUBJECT_OWNER,
    rules: { 'no-restricted-syntax': ['error', ...noSubjectLiterals] },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [...SUBJECT_OWNER, ...RAW_EVENT_READERS],
    rules: { 'no-restricted-syntax': ['error', ...noSubjectLiterals, ...noRawEventCasts] },
  },
  {
    files: SUBJECT_OWNER,
    rules: { 'no-restricted-syntax': ['error', ...noRawEventCasts] },
  },
);
