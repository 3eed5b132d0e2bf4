import { DEFAULT_NATS_STREAMS } from '@keyward/messaging';
import type { EventStreamContext } from './event-stream-context';
import { readSubjectCommits } from './stream-commit-reader';

const SUBJECT = `${DEFAULT_NATS_STREAMS.eventSubjectPrefix}.s1`;

/** A stored commit of SUBJECT at stream sequence `seq` (revision seq - 1). */
const stored = (seq: number) => ({
  subject: SUBJECT,
  seq,
  header: { get: () => String(seq - 1) },
  headers: { get: () => String(seq - 1) },
  data: new Uint8Array(),
});

/**
 * A cluster where the stream's leader holds commits 1–`leaderHas` of the subject, and the
 * replica leading the read's consumer only 1–`consumerHas`.
 */
function cluster(leaderHas: number, consumerHas: number): EventStreamContext {
  const getMessage = (_stream: string, query: { next_by_subj?: string; seq?: number }) => {
    const seq = query.next_by_subj === undefined ? leaderHas : (query.seq ?? 1);
    if (seq > leaderHas) return Promise.reject({ api_error: { code: 404 } });
    return Promise.resolve(stored(seq));
  };
  const consumer = (start: number) => ({
    info: () => Promise.resolve({ num_pending: Math.max(0, consumerHas - start + 1) }),
    fetch: () =>
      Promise.resolve(
        (async function* () {
          for (let seq = start; seq <= consumerHas; seq++) yield stored(seq);
        })(),
      ),
    delete: () => Promise.resolve(true),
  });
  return {
    stream: 'KEYWARD_EVENTS',
    subjects: { streamNameOf: () => 's1' },
    leaderReads: { streams: { getMessage } },
    js: {
      consumers: {
        get: (_stream: string, options: { opt_start_seq: number }) =>
          Promise.resolve(consumer(options.opt_start_seq)),
      },
    },
  } as unknown as EventStreamContext;
}

describe('readSubjectCommits on a replicated stream', () => {
  it('reads what the consumer has not got yet from the leader', async () => {
    // 8 single reads, then a consumer on a replica that lags the leader by two commits.
    const commits = await readSubjectCommits(cluster(12, 10), SUBJECT);
    expect(commits.map((c) => c.streamSequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(commits.map((c) => c.lastRevision)).toEqual(
      Array.from({ length: 12 }, (_, i) => BigInt(i)),
    );
  });

  it('reads a short stream with single reads only', async () => {
    const commits = await readSubjectCommits(cluster(5, 0), SUBJECT);
    expect(commits.map((c) => c.streamSequence)).toEqual([1, 2, 3, 4, 5]);
  });

  it('needs nothing more when the consumer is up to date', async () => {
    const commits = await readSubjectCommits(cluster(20, 20), SUBJECT);
    expect(commits).toHaveLength(20);
  });
});
