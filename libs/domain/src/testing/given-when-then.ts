import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import type { ErrorCode } from '../error-codes';

export interface Outcome<Event> {
  then(expected: Event[]): void;
  // Returns the error so a test can go on to check its message or details.
  thenThrows(code: ErrorCode): DomainError;
}

export interface Scenario<Command, Event, State> {
  state: State;
  when(command: Command): Outcome<Event>;
}

export function given<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: readonly Event[] = [],
): Scenario<Command, Event, State> {
  const state = events.reduce(
    (current, event) => decider.evolve(current, event),
    decider.initialState(),
  );
  return {
    state,
    when: (command) => outcomeOf(() => decider.decide(command, state)),
  };
}

function outcomeOf<Event>(decide: () => Event[]): Outcome<Event> {
  return {
    then: (expected) => expect(decide()).toEqual(expected),
    thenThrows: (code) => {
      const error = errorOf(decide);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe(code);
      return error;
    },
  };
}

function errorOf<Event>(decide: () => Event[]): DomainError {
  let events: Event[];
  try {
    events = decide();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected a DomainError, but the command decided ${JSON.stringify(events)}`);
}
