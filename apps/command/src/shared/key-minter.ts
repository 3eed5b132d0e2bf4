import { Inject, Injectable } from '@nestjs/common';
import { generateApiKey, hashApiKey } from '@keyward/keys';
import { CONFIG } from '../tokens';
import type { CommandServiceConfig } from '../config';
import { newId } from './ids';

export interface MintedKey {
  keyId: string;
  secret: string;
  keyHash: string;
  hint: string;
}

/** Key material is made here, outside the domain; only the hash and hint travel on. */
@Injectable()
export class KeyMinter {
  constructor(@Inject(CONFIG) private readonly config: CommandServiceConfig) {}

  mint(idempotencyKey: string | undefined, scope: string): MintedKey {
    const { secret, hint } = generateApiKey(this.config.keyEnvironment);
    return {
      keyId: newId('key', idempotencyKey, scope),
      secret,
      keyHash: hashApiKey(secret),
      hint,
    };
  }
}
