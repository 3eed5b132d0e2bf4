import { organizationProjection } from './organization-projection';
import { memberProjection } from './member-projection';
import { serviceAccountProjection } from './service-account-projection';
import { keyProjection } from './key-projection';
import { webhookEndpointProjection } from './webhook-endpoint-projection';
import type { Projection } from './projection';

/** Every read-model projection; the audit log is written for every event besides these. */
export const READ_MODEL_PROJECTIONS: readonly Projection[] = [
  organizationProjection,
  memberProjection,
  serviceAccountProjection,
  keyProjection,
  webhookEndpointProjection,
];
