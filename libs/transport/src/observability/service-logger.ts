import type { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, type PinoLogger } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';

/** `LOG_LEVEL` values, pino's levels; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type ServiceLogger = Logger;

/**
 * Paths pino censors wherever an object carrying them is logged: the credentials a request can
 * hold. Keyward's own log calls write named fields only and never these; this is the second
 * guard, for an object logged whole by mistake or by a library.
 */
export const SECRET_LOG_PATHS = [
  'authorization',
  'operatorToken',
  'password',
  'secret',
  'keyHash',
  '*.authorization',
  '*.operatorToken',
  '*.password',
  '*.secret',
  '*.keyHash',
  'headers.authorization',
  'headers["keyward-operator-token"]',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers["keyward-operator-token"]',
  'req.headers.cookie',
  'request.headers.authorization',
  'request.headers["keyward-operator-token"]',
];

export interface ServiceLoggerOptions {
  /** `keyward-command`, `keyward-gateway`, …: the `service` field of every line. */
  service: string;
  level: LogLevel;
  /** Where the lines go: stdout unless a test captures them. */
  destination?: DestinationStream;
}

/**
 * One JSON object per line (pino): `level` as a name, `time` in ISO 8601, `service` and `pid` on
 * every line, secrets censored (`SECRET_LOG_PATHS`). Errors go under `err` with their stack.
 */
export function createServiceLogger({
  service,
  level,
  destination,
}: ServiceLoggerOptions): ServiceLogger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_LOG_PATHS, censor: '[redacted]' },
    },
    // Synchronous stdout by default: the last lines before an exit are never lost.
    destination ?? pino.destination(1),
  );
}

/**
 * Nest's own messages (startup, module errors, `new Logger(ctx)` in services) through the same
 * pino logger, with nestjs-pino's mapping of Nest's arguments (`context`, `err` with the stack).
 * nestjs-pino's `Logger` only calls the level methods of what it is given, so a plain pino
 * logger stands in for its request-scoped `PinoLogger`: one logger per app, no global root.
 */
export function nestLoggerFor(logger: ServiceLogger): LoggerService {
  return new NestPinoLogger(logger as unknown as PinoLogger, {});
}
