/** Injection tokens of the auth verifier. */
export const CONFIG = Symbol('CONFIG');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const EVENT_STORE = Symbol('EVENT_STORE');
/** `VerifierNodeOptions`: how the hosting app uses its node. */
export const NODE_OPTIONS = Symbol('NODE_OPTIONS');
