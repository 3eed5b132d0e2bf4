import { Inject, Injectable } from '@nestjs/common';
import { hashesEqual } from '@keyward/keys';
import { createHash } from 'node:crypto';
import type { CommandServiceConfig } from '../config';
import { CONFIG } from '../tokens';
import { AppError } from '@keyward/transport';

/**
 * The commands not made by a principal — bootstrap, and the notifier disabling an endpoint that
 * keeps failing — are gated by the deployment's operator token instead.
 */
@Injectable()
export class OperatorToken {
  constructor(@Inject(CONFIG) private readonly config: CommandServiceConfig) {}

  /** `command` names what is refused when no token is configured. */
  check(presented: string | undefined, command = 'bootstrap'): void {
    const expected = this.config.operatorToken;
    if (expected === null) {
      throw new AppError(
        'AUTH.OPERATOR_TOKEN_NOT_CONFIGURED',
        'forbidden',
        `${command} is disabled: KEYWARD_OPERATOR_TOKEN is not set on the command service`,
      );
    }
    // Compare digests so the comparison is constant-time whatever the lengths.
    if (presented === undefined || !hashesEqual(digest(presented), digest(expected))) {
      throw new AppError(
        'AUTH.INVALID_OPERATOR_TOKEN',
        'unauthenticated',
        'operator token is not valid',
      );
    }
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
