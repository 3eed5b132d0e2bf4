/** Injection tokens of the projector. */
export const CONFIG = Symbol('CONFIG');
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const EVENT_STORE = Symbol('EVENT_STORE');
