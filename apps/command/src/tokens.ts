/** Injection tokens of the command service. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const CLOCK = Symbol('CLOCK');
export const CONFIG = Symbol('CONFIG');

export interface Clock {
  now(): number;
}
