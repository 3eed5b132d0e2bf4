import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';

export interface SecretBox {
  seal(secret: string, endpointId: string): string;
  open(sealed: string, endpointId: string): string;
}

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under the deployment key. The endpoint id is the additional authenticated data,
 * so a sealed secret copied onto another endpoint does not open. The key id (first 4 bytes of
 * the key's SHA-256) tells a wrong key apart from a tampered box and leaves room for rotation.
 */
export function secretBox(key: string): SecretBox {
  const keyBytes = decodeKey(key);
  const keyId = createHash('sha256').update(keyBytes).digest('hex').slice(0, 8);
  return {
    seal(secret, endpointId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
      cipher.setAAD(Buffer.from(endpointId, 'utf8'));
      const body = Buffer.concat([
        cipher.update(secret, 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return [VERSION, keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, endpointId) {
      const [version, sealedKeyId, iv, body, ...rest] = sealed.split('.');
      if (version !== VERSION || rest.length > 0 || !iv || !body) {
        throw new Error('not a sealed webhook secret (expected v1.<keyId>.<iv>.<ciphertext>)');
      }
      if (sealedKeyId !== keyId) {
        throw new Error(
          `webhook secret sealed under key ${sealedKeyId}, but KEYWARD_WEBHOOK_SECRET_KEY is key ${keyId}`,
        );
      }
      const ivBytes = Buffer.from(iv, 'base64url');
      const bytes = Buffer.from(body, 'base64url');
      if (ivBytes.length !== IV_BYTES || bytes.length < TAG_BYTES) {
        throw new Error('sealed webhook secret is truncated');
      }
      const decipher = createDecipheriv('aes-256-gcm', keyBytes, ivBytes);
      decipher.setAAD(Buffer.from(endpointId, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      try {
        const plain = Buffer.concat([
          decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return plain.toString('utf8');
      } catch {
        throw new Error(`sealed webhook secret does not open for endpoint ${endpointId}`);
      }
    },
  };
}

function decodeKey(key: string): Buffer {
  const trimmed = key.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new Error('KEYWARD_WEBHOOK_SECRET_KEY must be 32 bytes in base64 or base64url');
  }
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== KEY_BYTES) {
    throw new Error(
      `KEYWARD_WEBHOOK_SECRET_KEY must be 32 bytes in base64 or base64url, got ${bytes.length} bytes`,
    );
  }
  return bytes;
}
