import { Logger } from '@nestjs/common';

const logger = new Logger('Events');
const warned = new Set<string>();

/**
 * An event type this version does not know (`decodeEvent` answered `known: false`): written by a
 * newer version of Keyward. It is skipped — a reader must not crash on the future — and said
 * once per reader and type, as a warning: the reader may be missing something it should apply.
 */
export function skipUnknownEvent(reader: string, type: string): void {
  const key = `${reader}\u0000${type}`;
  if (warned.has(key)) return;
  warned.add(key);
  logger.warn({ reader, eventType: type }, `${reader} skips events of unknown type ${type}`);
}
