import { DEFAULT_KEY_ENV, ENV_MAX_LENGTH, ENV_MIN_LENGTH, isValidKeyEnv } from '@keyward/keys';
import { parseNetworkPolicy, secretBox, type NetworkPolicy } from '@keyward/webhooks';
import {
  ConfigError,
  parseEnv,
  satisfying,
  SERVICE_ENV,
  serviceConfigOf,
  text,
  VERIFIER_TIMING_ENV,
  wholeNumber,
  type ServiceConfig,
} from '@keyward/transport';

/** Configuration from the environment; README.md lists every variable with its default. */
export interface CommandServiceConfig extends ServiceConfig {
  /** Bootstrap is refused when it is unset. */
  operatorToken: string | null;
  keyEnvironment: string;
  revocation: RevocationConfig;
  leakReport: {
    /** `KEYWARD_LEAK_REPORT_MIN_REPLY_MS`: a leak report is answered no sooner than this. */
    minReplyMs: number;
  };
  webhook: WebhookConfig;
}

export interface WebhookConfig {
  /**
   * `KEYWARD_WEBHOOK_SECRET_KEY`: seals each endpoint's signing secret (32 bytes, base64 or
   * base64url). Unset: the service runs, and registering an endpoint answers 503.
   */
  secretKey: string | null;
  /** `KEYWARD_WEBHOOK_ALLOWED_NETWORKS`: CIDRs where otherwise refused addresses are allowed. */
  policy: NetworkPolicy;
}

/** G1 settings. */
export interface RevocationConfig {
  /** A verifier silent for this long no longer holds up revocations. */
  verifierLivenessMs: number;
  /** A revocation not confirmed by every live verifier within this fails with 503. */
  propagationTimeoutMs: number;
}

/** The command service's variables, one schema (checked before anything connects). */
const COMMAND_ENV = {
  ...SERVICE_ENV,
  ...VERIFIER_TIMING_ENV,
  KEYWARD_OPERATOR_TOKEN: text(null),
  // The rule key generation enforces, checked at start instead of at the first issued key.
  KEYWARD_KEY_ENV: satisfying(
    DEFAULT_KEY_ENV,
    isValidKeyEnv,
    `${ENV_MIN_LENGTH}–${ENV_MAX_LENGTH} lowercase letters (the key's kw_<env>_ part)`,
  ),
  /** Unset: the staleness bound plus a heartbeat plus 1 s. */
  KEYWARD_VERIFIER_LIVENESS_MS: wholeNumber(null, 1, 600_000),
  /** Unset: the liveness plus 3 s. */
  KEYWARD_REVOCATION_TIMEOUT_MS: wholeNumber(null, 1, 600_000),
  /** docs/product-rules.md rule 11: hides from a leak report's timing whether keys existed. */
  KEYWARD_LEAK_REPORT_MIN_REPLY_MS: wholeNumber(500, 0, 60_000),
  // Both checked below, where a bad value is named without being printed (the key is a secret).
  KEYWARD_WEBHOOK_SECRET_KEY: text(null),
  KEYWARD_WEBHOOK_ALLOWED_NETWORKS: text(''),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CommandServiceConfig {
  const values = parseEnv(COMMAND_ENV, env);
  const staleness = values.VERIFIER_MAX_STALENESS_MS;
  const heartbeat = values.KEYWARD_VERIFIER_HEARTBEAT_MS;
  const liveness = values.KEYWARD_VERIFIER_LIVENESS_MS ?? staleness + heartbeat + 1000;
  return {
    ...serviceConfigOf(values, env),
    operatorToken: values.KEYWARD_OPERATOR_TOKEN,
    keyEnvironment: values.KEYWARD_KEY_ENV,
    revocation: {
      // Never shorter than the staleness bound plus a heartbeat: see VerifierRoster.
      verifierLivenessMs: Math.max(liveness, staleness + heartbeat),
      propagationTimeoutMs: values.KEYWARD_REVOCATION_TIMEOUT_MS ?? liveness + 3000,
    },
    leakReport: { minReplyMs: values.KEYWARD_LEAK_REPORT_MIN_REPLY_MS },
    webhook: webhookConfigOf(
      values.KEYWARD_WEBHOOK_SECRET_KEY,
      values.KEYWARD_WEBHOOK_ALLOWED_NETWORKS,
    ),
  };
}

function webhookConfigOf(secretKey: string | null, allowedNetworks: string): WebhookConfig {
  const problems: string[] = [];
  if (secretKey !== null) {
    try {
      secretBox(secretKey);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  let policy: NetworkPolicy = { allowedNetworks: [] };
  try {
    policy = parseNetworkPolicy(allowedNetworks);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return { secretKey, policy };
}
