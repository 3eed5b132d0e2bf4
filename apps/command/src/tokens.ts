/** Injection tokens of the command service. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const CLOCK = Symbol('CLOCK');
export const CONFIG = Symbol('CONFIG');
/** How the pipeline reads stored events; the domain's `decodeEvent` unless provided. */
export const EVENT_DECODER = Symbol('EVENT_DECODER');

export interface Clock {
  now(): number;
}
