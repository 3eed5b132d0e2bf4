import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { EventStoreDbEventStore } from '@keyward/event-store';
import { EventStoreDbWireServer } from '../../test/eventstoredb-wire-server/wire-server';

const STREAMS = 100;

/**
 * The EventStoreDB side of bench/append, on the wire-compatible test server (in this process):
 * raw `appendToStream` calls of the client against the adapter's `appendToStream`, same payload
 * and streams, so the adapter's own cost shows beside JetStream's. The server is not
 * EventStoreDB: compare the two rows with each other, not with JetStream's absolute numbers.
 */
export async function eventStoreDbAppenders(payloadBytes: number) {
  const server = await new EventStoreDbWireServer().start(0);
  const client = EventStoreDBClient.connectionString(server.url);
  const store = EventStoreDbEventStore.connect(server.url);
  const data = { pad: 'x'.repeat(Math.max(0, payloadBytes - 12)) };
  const metadata = { correlationId: randomUUID() };

  const revisions = (streamPrefix: string) => {
    const last = new Map<number, bigint>();
    return {
      stream: (slot: number) => `${streamPrefix}-${slot % STREAMS}`,
      expected: (slot: number) => last.get(slot % STREAMS) ?? ('no_stream' as const),
      record: (slot: number, revision: bigint) => last.set(slot % STREAMS, revision),
    };
  };
  const rawStreams = revisions('rawAccount');
  const adapterStreams = revisions('adapterAccount');

  const raw = async (slot: number) => {
    const result = await client.appendToStream(
      rawStreams.stream(slot),
      jsonEvent({ id: randomUUID(), type: 'KeyIssued', data, metadata }),
      { expectedRevision: rawStreams.expected(slot) },
    );
    rawStreams.record(slot, result.nextExpectedRevision);
  };
  const adapter = async (slot: number) => {
    const event = { id: randomUUID(), type: 'KeyIssued', data, metadata };
    const result = await store.appendToStream(adapterStreams.stream(slot), [event], {
      expectedRevision: adapterStreams.expected(slot),
    });
    adapterStreams.record(slot, result.nextExpectedRevision);
  };
  const stop = async () => {
    await store.close();
    await client.dispose();
    await server.stop();
  };
  return { raw, adapter, stop };
}
