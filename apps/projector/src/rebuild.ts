import { Command } from 'commander';
import { connect } from 'nats';
import { configOrExit } from '@keyward/transport';
import { loadConfig, openEventStore } from './config';
import { rebuildReadModels } from './rebuild/rebuild-read-models';
import { openReadModelDb } from './store/read-model-db';
import { digestReadModels, type Digest } from './store/table-digest';

/**
 * `node dist/apps/projector/src/rebuild.js` drops and rebuilds every read model (stop the
 * projector first); `--digest-only` prints the digest of the current file without touching it.
 */
async function main(): Promise<void> {
  const program = new Command('keyward-projector-rebuild')
    .option('--digest-only', 'print the digest of the read models, change nothing')
    .option('--json', 'print the result as JSON on stdout')
    .option('--db <path>', 'the read-model file (default: KEYWARD_PROJECTOR_DB)')
    .parse();
  const options = program.opts<{ digestOnly?: boolean; json?: boolean; db?: string }>();
  const config = configOrExit('keyward-projector rebuild', () => loadConfig());
  // Read-only for a digest: opening for writing would drop a file of another version.
  const db = openReadModelDb(options.db ?? config.databasePath, { readonly: options.digestOnly });
  try {
    if (options.digestOnly) {
      print(digestReadModels(db), {}, options.json);
      return;
    }
    const connection = await connect({ ...config.nats, noAsyncTraces: true });
    try {
      const store = await openEventStore(connection, config);
      const result = await rebuildReadModels(db, store, connection, {
        usageStream: config.usageStream,
        batchSize: config.batchSize,
      });
      await store.close();
      const { digest, ...numbers } = result;
      print(digest, numbers, options.json);
    } finally {
      await connection.drain();
    }
  } finally {
    db.close();
  }
}

function print(digest: Digest, numbers: Record<string, number>, json?: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ...numbers, digest }));
    return;
  }
  for (const [name, value] of Object.entries(numbers)) {
    console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(3)}`);
  }
  for (const t of digest.tables)
    console.log(`${t.table.padEnd(18)} ${String(t.rows).padStart(9)} ${t.sha256}`);
  console.log(`digest ${digest.sha256}`);
}

main().catch((error: unknown) => {
  console.error('rebuild failed:', error);
  process.exit(1);
});
