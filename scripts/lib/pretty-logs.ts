import { PinoPretty } from 'pino-pretty';
import type { ServiceProcess } from './service-process';

/** `KEYWARD_UP_LOGS`: `off` (default: the logs stay in their files) or `pretty`. */
export type UpLogs = 'off' | 'pretty';

export function upLogsFrom(env: NodeJS.ProcessEnv): UpLogs {
  const value = env.KEYWARD_UP_LOGS ?? 'off';
  if (value !== 'off' && value !== 'pretty') {
    throw new Error(`KEYWARD_UP_LOGS must be off or pretty; got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Every service's JSON log lines, from now on, also to the terminal through pino-pretty: one
 * coloured line each, `HH:MM:ss.l LEVEL [service] message` and the fields. The files keep the
 * JSON lines either way.
 */
export function prettyPrintLogs(services: ServiceProcess[]): void {
  const pretty = () =>
    PinoPretty({
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
      messageFormat: '[{service}] {msg}',
      singleLine: true,
    });
  for (const { child } of services) {
    child.stdout?.pipe(pretty());
    child.stderr?.pipe(pretty());
  }
}
