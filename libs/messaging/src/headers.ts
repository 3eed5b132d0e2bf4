/** NATS headers Keyward reads. Names match their HTTP counterparts where one exists. */
export const HEADERS = {
  /** The caller's credential: `Bearer <key>`, a bare key, or `Basic base64(id:key)`. */
  authorization: 'Authorization',
  /** Only for bootstrap: the deployment's operator token (KEYWARD_OPERATOR_TOKEN). */
  operatorToken: 'Keyward-Operator-Token',
  idempotencyKey: 'Idempotency-Key',
  correlationId: 'Keyward-Correlation-Id',
  /** Set by the gateway for HTTP callers; recorded in event metadata, never trusted for authz. */
  sourceIp: 'Keyward-Source-Ip',
  userAgent: 'Keyward-User-Agent',
  channel: 'Keyward-Channel',
} as const;
