import {
  DomainError,
  type Decider,
  type Decoded,
  type DecodedMetadata,
  type DomainEvent,
  type KeywardEvent,
  type StoredEvent,
} from '@keyward/domain';

/**
 * A counter with a cap: the smallest decision that can be refused, and the smallest invariant
 * two replicas could break together. The pipeline specs run it through `CommandPipeline`.
 */
export type Increment = { type: 'Increment'; data: { cap: number } };
export type Incremented = DomainEvent<'Incremented', { value: number }>;
export const counter: Decider<Increment, Incremented, number> = {
  initialState: () => 0,
  evolve: (_state, event) => event.data.value,
  decide: (command, state) => {
    if (state >= command.data.cap) throw new DomainError('KEY.LIMIT_REACHED', 'cap reached');
    return [{ type: 'Incremented', data: { value: state + 1 } }];
  },
};

/** The counter's events are not Keyward's: the pipeline reads them with this decoder. */
export const decodeCounterEvent = (stored: StoredEvent): Decoded => ({
  known: true,
  event: { type: stored.type, data: stored.data } as unknown as KeywardEvent,
  // eslint-disable-next-line no-restricted-syntax -- the test's own decoder, for counter events decodeEvent does not know
  metadata: stored.metadata as DecodedMetadata,
});
