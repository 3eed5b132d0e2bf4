import { Inject, Injectable } from '@nestjs/common';
import {
  CallerAuthenticator,
  requireOrgAdmin,
  type CallContext,
  type Caller,
} from '@keyward/transport';
import type { EndpointRow } from '../webhooks/endpoint-table';
import { endpointNotFound, WEBHOOK_READS, type WebhookReads } from './webhook-reads';

/**
 * The start of every webhook query: the caller authenticated in its organization and an org
 * admin (webhooks are theirs alone), then the notifier's tables caught up with the store, so a
 * caller reads its own writes.
 */
@Injectable()
export class WebhookQueryAccess {
  constructor(
    private readonly callers: CallerAuthenticator,
    @Inject(WEBHOOK_READS) private readonly reads: WebhookReads,
  ) {}

  /** `action` completes "only organization admins may …" in the refusal. */
  async admin(call: CallContext, orgId: string | undefined, action: string): Promise<Caller> {
    const caller = await this.callers.authenticate(call, orgId);
    requireOrgAdmin(caller, action);
    await this.reads.syncWithStore();
    return caller;
  }

  /** The organization's endpoint; another's, a deleted one and an unknown id are not found. */
  endpoint(orgId: string, endpointId: string): EndpointRow {
    const row = this.reads.endpoints.get(orgId, endpointId);
    if (row === undefined) throw endpointNotFound(endpointId);
    return row;
  }
}
