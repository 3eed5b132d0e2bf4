import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@keyward/domain';
import { checkResolvedUrl, checkWebhookUrl, type NetworkPolicy } from '@keyward/webhooks';
import type { CommandServiceConfig } from '../config';
import { CONFIG } from '../tokens';

/**
 * The URL rules at registration and update (docs/webhooks.md): syntax, scheme, a literal
 * address, then the addresses a name resolves to (best effort, 1 s). The notifier checks again
 * at every delivery and pins the connection to a checked address.
 */
@Injectable()
export class WebhookUrlPolicy {
  private readonly policy: NetworkPolicy;

  constructor(@Inject(CONFIG) config: CommandServiceConfig) {
    this.policy = config.webhook.policy;
  }

  /** The URL as stored (WHATWG-normalized), or `WEBHOOK.INVALID_URL` / `URL_NOT_ALLOWED`. */
  async check(raw: string): Promise<string> {
    const syntax = checkWebhookUrl(raw, this.policy);
    const checked = syntax.ok ? await checkResolvedUrl(syntax.url, this.policy) : syntax;
    if (checked.ok) return checked.url.href;
    throw new DomainError(checked.code, checked.message, { field: 'url' });
  }
}
