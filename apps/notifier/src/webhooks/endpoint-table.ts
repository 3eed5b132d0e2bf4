import { WEBHOOK_EVENT_FILTERS } from '@keyward/messaging';
import type { Db } from '../notifier-db';
import type { EndpointChange } from './endpoint-changes';

export interface EndpointRow {
  id: string;
  org_id: string;
  url: string;
  description: string;
  /** JSON array, or null: every type. */
  event_types: string | null;
  sealed_secret: string;
  status: 'enabled' | 'disabled' | 'deleted';
  disabled_reason: 'manual' | 'failing' | null;
  created_at: number;
  updated_at: number;
  position: string;
  failing_since: number | null;
  last_delivery_at: number | null;
  last_delivery_status: 'delivered' | 'failed' | null;
  last_error: string | null;
}

export interface FailingEndpoint {
  id: string;
  orgId: string;
  /** Epoch ms: the first failed attempt after the last success. */
  failingSince: number;
  lastError: string | null;
}

/**
 * The `webhook_endpoints` table: the fold of the endpoint events (`apply`, only inside the
 * checkpoint's transaction) plus what the dispatcher records of its attempts (failing since,
 * last delivery). A deleted endpoint stays, as `deleted`, while its attempt log is kept.
 */
export class WebhookEndpointTable {
  private readonly register;
  private readonly update;
  private readonly disable;
  private readonly enable;
  private readonly remove;
  private readonly selectEnabledIn;
  private readonly selectOne;
  private readonly selectPage;
  private readonly selectPageAfter;
  private readonly selectFailing;

  constructor(db: Db) {
    // A registration seen again (never expected: it is folded once, with the checkpoint) resets
    // the row to it rather than stopping the notifier.
    this.register = db.prepare(
      `INSERT INTO webhook_endpoints (id, org_id, url, description, event_types, sealed_secret,
         status, created_at, updated_at, position)
       VALUES (@id, @orgId, @url, @description, @eventTypes, @sealedSecret, 'enabled', @at, @at,
         @position)
       ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, url = excluded.url,
         description = excluded.description, event_types = excluded.event_types,
         sealed_secret = excluded.sealed_secret, status = 'enabled', disabled_reason = NULL,
         created_at = excluded.created_at, updated_at = excluded.updated_at,
         position = excluded.position, failing_since = NULL`,
    );
    this.update = db.prepare(
      `UPDATE webhook_endpoints SET url = COALESCE(@url, url),
         description = COALESCE(@description, description),
         event_types = CASE WHEN @setTypes = 1 THEN @eventTypes ELSE event_types END,
         updated_at = @at, position = @position
       WHERE id = @id`,
    );
    this.disable = db.prepare(
      `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = @reason,
         failing_since = @failingSince, updated_at = @at, position = @position
       WHERE id = @id AND status <> 'deleted'`,
    );
    // Enabled again: a fresh start for the failing window.
    this.enable = db.prepare(
      `UPDATE webhook_endpoints SET status = 'enabled', disabled_reason = NULL,
         failing_since = NULL, updated_at = @at, position = @position
       WHERE id = @id AND status <> 'deleted'`,
    );
    this.remove = db.prepare(
      `UPDATE webhook_endpoints SET status = 'deleted', updated_at = @at, position = @position
       WHERE id = @id`,
    );
    this.selectEnabledIn = db.prepare(
      `SELECT id, event_types FROM webhook_endpoints WHERE org_id = ? AND status = 'enabled'`,
    );
    this.selectOne = db.prepare(
      `SELECT * FROM webhook_endpoints WHERE id = ? AND org_id = ? AND status <> 'deleted'`,
    );
    this.selectPage = db.prepare(
      `SELECT * FROM webhook_endpoints WHERE org_id = @orgId AND status <> 'deleted'
       ORDER BY created_at DESC, id DESC LIMIT @limit`,
    );
    this.selectPageAfter = db.prepare(
      `SELECT * FROM webhook_endpoints WHERE org_id = @orgId AND status <> 'deleted'
         AND (created_at < @createdAt OR (created_at = @createdAt AND id < @id))
       ORDER BY created_at DESC, id DESC LIMIT @limit`,
    );
    this.selectFailing = db.prepare(
      `SELECT id, org_id AS orgId, failing_since AS failingSince, last_error AS lastError
         FROM webhook_endpoints WHERE status = 'enabled' AND failing_since IS NOT NULL`,
    );
  }

  apply(change: EndpointChange): void {
    switch (change.kind) {
      case 'endpointRegistered': {
        const e = change.endpoint;
        this.register.run({
          id: e.id,
          orgId: e.orgId,
          url: e.url,
          description: e.description,
          eventTypes: e.eventTypes === null ? null : JSON.stringify(e.eventTypes),
          sealedSecret: e.sealedSecret,
          at: e.at,
          position: e.position,
        });
        return;
      }
      case 'endpointUpdated':
        this.update.run({
          id: change.id,
          url: change.url ?? null,
          description: change.description ?? null,
          setTypes: change.eventTypes === undefined ? 0 : 1,
          eventTypes: change.eventTypes ? JSON.stringify(change.eventTypes) : null,
          at: change.at,
          position: change.position,
        });
        return;
      case 'endpointDisabled':
        this.disable.run({
          id: change.id,
          reason: change.reason,
          failingSince: change.failingSince,
          at: change.at,
          position: change.position,
        });
        return;
      case 'endpointEnabled':
        this.enable.run({ id: change.id, at: change.at, position: change.position });
        return;
      case 'endpointDeleted':
        this.remove.run({ id: change.id, at: change.at, position: change.position });
        return;
      default: {
        const unhandled: never = change;
        throw new Error(`unhandled endpoint change ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** The enabled endpoints of an organization whose filter takes this notification type. */
  takers(orgId: string, type: string): string[] {
    const rows = this.selectEnabledIn.all(orgId) as Pick<EndpointRow, 'id' | 'event_types'>[];
    return rows
      .filter((row) => WEBHOOK_EVENT_FILTERS.matches(eventTypesOf(row), type))
      .map((row) => row.id);
  }

  /** The enabled endpoints whose attempts have all failed since some time. */
  failing(): FailingEndpoint[] {
    return this.selectFailing.all() as FailingEndpoint[];
  }

  /** One endpoint of the organization, not deleted. */
  get(orgId: string, id: string): EndpointRow | undefined {
    return this.selectOne.get(id, orgId) as EndpointRow | undefined;
  }

  /** Newest first, after the keyset position `[createdAt, id]` of the previous page. */
  page(orgId: string, after: [number, string] | null, limit: number): EndpointRow[] {
    return (
      after === null
        ? this.selectPage.all({ orgId, limit })
        : this.selectPageAfter.all({ orgId, createdAt: after[0], id: after[1], limit })
    ) as EndpointRow[];
  }
}

export function eventTypesOf(row: Pick<EndpointRow, 'event_types'>): string[] | null {
  return row.event_types === null ? null : (JSON.parse(row.event_types) as string[]);
}
