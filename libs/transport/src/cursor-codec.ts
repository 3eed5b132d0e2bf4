import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from './app-error';

interface CursorPayload {
  /** Organization, query and filters the cursor was issued for. */
  o: string;
  q: string;
  f: string;
  /** Keyset position: the sort key of the last item returned. */
  k: (string | number)[];
}

/**
 * Opaque cursors: the keyset position, bound to the organization, the query and its filters,
 * and signed, so a cursor is refused anywhere but the query that issued it (another org's,
 * another filter's, or a forged one). Shared by the services that answer paged queries.
 */
export class CursorCodec {
  constructor(private readonly secret: Buffer) {}

  /**
   * With the configured secret (replicas that share queries share it), else with the one the
   * service keeps: `keep` stores a fresh random one (base64) unless it has one already, and
   * answers the stored one, so cursors outlive a restart.
   */
  static fromSecret(configured: string | null, keep: (fresh: string) => string): CursorCodec {
    if (configured) return new CursorCodec(Buffer.from(configured, 'utf8'));
    return new CursorCodec(Buffer.from(keep(randomBytes(32).toString('base64')), 'base64'));
  }

  encode(orgId: string, query: string, filters: unknown, key: (string | number)[]): string {
    const payload: CursorPayload = { o: orgId, q: query, f: JSON.stringify(filters), k: key };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(cursor: string, orgId: string, query: string, filters: unknown): (string | number)[] {
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined || !this.verify(body, signature)) {
      throw invalidCursor('the cursor is not one this service issued');
    }
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload;
    if (payload.o !== orgId) throw invalidCursor('the cursor belongs to another organization');
    if (payload.q !== query || payload.f !== JSON.stringify(filters)) {
      throw invalidCursor('the cursor was issued for another query or other filters');
    }
    return payload.k;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }

  private verify(body: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function invalidCursor(message: string): AppError {
  return new AppError('QUERY.INVALID_CURSOR', 'invalid', message, undefined, [
    { field: 'cursor', message },
  ]);
}
