import { Inject, Injectable } from '@nestjs/common';
import { generateWebhookSecret, secretBox, type SecretBox } from '@keyward/webhooks';
import { AppError } from '@keyward/transport';
import type { CommandServiceConfig } from '../config';
import { CONFIG } from '../tokens';

export interface MintedSecret {
  /** Shown once, in the registration's reply. */
  secret: string;
  /** What the store keeps: the secret under the deployment's key, bound to the endpoint. */
  sealedSecret: string;
}

/** Mints and seals endpoint signing secrets under `KEYWARD_WEBHOOK_SECRET_KEY`. */
@Injectable()
export class WebhookSecrets {
  private readonly box: SecretBox | null;

  constructor(@Inject(CONFIG) config: CommandServiceConfig) {
    const key = config.webhook.secretKey;
    this.box = key === null ? null : secretBox(key);
  }

  /** Throws 503 `WEBHOOK.NOT_CONFIGURED` when the deployment has no key. */
  requireConfigured(): SecretBox {
    if (this.box !== null) return this.box;
    throw new AppError(
      'WEBHOOK.NOT_CONFIGURED',
      'unavailable',
      'webhooks are not configured: set KEYWARD_WEBHOOK_SECRET_KEY (32 random bytes, base64) ' +
        'on the command service and the notifier',
    );
  }

  mint(endpointId: string): MintedSecret {
    const secret = generateWebhookSecret();
    return { secret, sealedSecret: this.requireConfigured().seal(secret, endpointId) };
  }

  open(sealedSecret: string, endpointId: string): string {
    return this.requireConfigured().open(sealedSecret, endpointId);
  }
}
