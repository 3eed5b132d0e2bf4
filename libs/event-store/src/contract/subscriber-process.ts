import { connect } from 'nats';
import { JetStreamEventStore } from '../jetstream/jetstream-event-store';

/**
 * A test fixture run as a process of its own (from dist/, so tests can pause it with SIGSTOP):
 * `node subscriber-process.js <nats url> <stream name> <subject prefix>` subscribes to all
 * events from the start and prints `events <count>` after each one.
 */
async function main(): Promise<void> {
  const [url, streamName, subjectPrefix] = process.argv.slice(2);
  const connection = await connect({ servers: url, noAsyncTraces: true });
  const store = await JetStreamEventStore.create(connection, { streamName, subjectPrefix });
  let count = 0;
  console.log('subscribed');
  for await (const item of store.subscribeToAll({ from: 'start' })) {
    if (item.kind === 'event') console.log(`events ${++count}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
