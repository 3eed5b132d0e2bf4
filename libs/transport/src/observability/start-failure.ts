import { createServiceLogger } from './service-logger';

/**
 * A service that could not start says why in one JSON line at `fatal` (with the stack) and
 * exits 1. Bad configuration never gets here: `configOrExit` explains it first and exits 78.
 */
export function exitOnStartFailure(service: string): (error: unknown) => never {
  return (error) => {
    createServiceLogger({ service, level: 'fatal' }).fatal({ err: error }, 'failed to start');
    process.exit(1);
  };
}
