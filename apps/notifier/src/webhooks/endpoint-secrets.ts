import type { SecretBox } from '@keyward/webhooks';

/**
 * Opens endpoints' sealed signing secrets with the deployment key
 * (`KEYWARD_WEBHOOK_SECRET_KEY`), once per sealed value. Without the key, or with another key
 * than the command service sealed under, every attempt fails with the reason.
 */
export class EndpointSecrets {
  private readonly opened = new Map<string, { sealed: string; secret: string }>();

  constructor(private readonly box: SecretBox | null) {}

  open(endpointId: string, sealed: string): string {
    const known = this.opened.get(endpointId);
    if (known?.sealed === sealed) return known.secret;
    if (this.box === null) {
      throw new Error('the notifier has no KEYWARD_WEBHOOK_SECRET_KEY to open signing secrets');
    }
    const secret = this.box.open(sealed, endpointId);
    this.opened.set(endpointId, { sealed, secret });
    return secret;
  }
}
