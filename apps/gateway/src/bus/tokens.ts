/** Injection tokens of the gateway. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const CONFIG = Symbol('CONFIG');
