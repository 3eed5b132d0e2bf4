import type { LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel } from '../config';

/** Where the JSON log goes: stdout unless a test captures it. */
export interface LogDestination {
  write(line: string): unknown;
}

/**
 * Headers that carry a secret. The request log writes none of them (it writes named fields
 * only), and pino censors them anywhere a request object would be logged, as a second guard.
 */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers["keyward-operator-token"]',
  'req.headers.cookie',
  'request.headers.authorization',
  'request.headers["keyward-operator-token"]',
  'headers.authorization',
  'headers["keyward-operator-token"]',
];

/**
 * Fastify's logger (pino, one JSON object per line) at `LOG_LEVEL`. Fastify's own
 * per-request lines are off: the gateway writes one line per request itself, after the
 * response (`useMetricsAndRequestLog`).
 */
export function fastifyLoggerOptions(level: LogLevel, stream?: LogDestination) {
  return {
    level,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  };
}

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  silent: [],
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Nest's own messages (startup, unexpected errors) at the same level. */
export function nestLogLevels(level: LogLevel): NestLogLevel[] {
  return NEST_LEVELS[level];
}
