/** Layering rules; `npm run lint` fails on any violation. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'libs/domain holds deciders and the event decoder (zod): no framework, transport, store client or request validation.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        path: 'node_modules/(@nestjs|nats|@eventstore|class-validator|class-transformer|better-sqlite3)',
      },
    },
    {
      name: 'domain-imports-no-other-lib',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^(libs/(?!domain/)|apps/)' },
    },
    {
      name: 'store-client-only-in-adapters',
      comment: 'Only the event-store adapters talk to the store client.',
      severity: 'error',
      from: { pathNot: '^libs/event-store/src/(jetstream|eventstoredb)/' },
      to: { path: 'node_modules/@eventstore' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$|\\.int-spec\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
