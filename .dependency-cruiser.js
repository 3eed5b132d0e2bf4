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
      name: 'webhooks-lib-stands-alone',
      comment:
        'libs/webhooks (signing, sealing, URL policy) is used by the command service and the ' +
        'notifier alike: no other lib, no framework, no transport.',
      severity: 'error',
      from: { path: '^libs/webhooks/' },
      to: {
        path: '^(libs/(?!webhooks/)|apps/)|node_modules/(@nestjs|nats|@eventstore|better-sqlite3)',
      },
    },
    {
      name: 'store-client-only-in-adapters',
      comment: 'Only the event-store adapters talk to the store client.',
      severity: 'error',
      from: { pathNot: '^libs/event-store/src/(jetstream|eventstoredb)/' },
      to: { path: 'node_modules/@eventstore' },
    },
    {
      name: 'no-app-imports-another-app',
      comment:
        'An app is a deployable: what two apps share lives in a lib (the verifier node the gateway ' +
        'hosts is libs/verifier). Test support under apps/*/test (harnesses shared by the ' +
        'integration specs, which are not analysed either) may use another app.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/[^/]+/test/' },
      to: { path: '^apps/(?!$1/)' },
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
