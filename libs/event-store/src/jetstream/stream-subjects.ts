import { InvalidStreamNameError } from '../errors';
import type { SubscriptionFilter } from '../event-store.port';

/*
 * Stream `category-rest` lives on subject `<prefix>.<category>.<rest>`, and a stream without a
 * '-' on `<prefix>.<category>`. So a prefix `category-` is the server-side filter
 * `<prefix>.<category>.>`, which never matches the dash-less stream `category` (it does not start
 * with `category-` either), and the mapping is one-to-one because neither token holds a '.'.
 */
const CATEGORY = '[A-Za-z0-9_:]+';
const STREAM_NAME = new RegExp(`^(${CATEGORY})(?:-([A-Za-z0-9_:-]+))?$`);
const WHOLE_CATEGORY = new RegExp(`^${CATEGORY}$`);
const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const MAX_STREAM_NAME_LENGTH = 200;

export class StreamSubjects {
  constructor(readonly prefix: string) {
    if (!SUBJECT_PREFIX.test(prefix)) throw new Error(`invalid subject prefix ${prefix}`);
  }

  /** Throws InvalidStreamNameError unless the name is letters, digits, '_', ':' and '-'. */
  forStream(streamName: string): string {
    const match = streamName.length <= MAX_STREAM_NAME_LENGTH && STREAM_NAME.exec(streamName);
    if (!match) throw new InvalidStreamNameError(streamName);
    const [, category, rest] = match;
    return rest === undefined ? `${this.prefix}.${category}` : `${this.prefix}.${category}.${rest}`;
  }

  streamNameOf(subject: string): string {
    return subject.slice(this.prefix.length + 1).replace('.', '-');
  }

  all(): string {
    return `${this.prefix}.>`;
  }

  /** The narrowest single subject filter that still lets every matching event through. */
  serverFilter(filter: SubscriptionFilter | undefined): string {
    const prefixes = filter?.streamNamePrefixes;
    if (!prefixes || prefixes.length === 0) return this.all();
    const categories = new Set(prefixes.map((prefix) => prefix.split('-')[0]));
    const [category] = categories;
    const narrowable = categories.size === 1 && prefixes.every((prefix) => prefix.includes('-'));
    return narrowable && WHOLE_CATEGORY.test(category)
      ? `${this.prefix}.${category}.>`
      : this.all();
  }
}
