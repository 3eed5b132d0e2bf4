/** Injection tokens of the auth verifier. */
export const CONFIG = Symbol('CONFIG');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const EVENT_STORE = Symbol('EVENT_STORE');
