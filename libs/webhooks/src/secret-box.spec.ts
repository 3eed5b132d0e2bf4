import { randomBytes } from 'crypto';
import { secretBox } from './secret-box';

const key = randomBytes(32).toString('base64');
const box = secretBox(key);
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const endpointId = 'whe_0123456789abcdef0123456789abcdef';

describe('secretBox', () => {
  it('opens what it seals, and never shows the secret in the sealed form', () => {
    const sealed = box.seal(secret, endpointId);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(sealed, endpointId)).toBe(secret);
  });

  it('seals the same secret differently each time (random IV)', () => {
    expect(box.seal(secret, endpointId)).not.toBe(box.seal(secret, endpointId));
  });

  it('accepts the key in base64url too', () => {
    const bytes = randomBytes(32);
    const sealed = secretBox(bytes.toString('base64')).seal(secret, endpointId);
    expect(secretBox(bytes.toString('base64url')).open(sealed, endpointId)).toBe(secret);
  });

  it('refuses to open for another endpoint', () => {
    const sealed = box.seal(secret, endpointId);
    expect(() => box.open(sealed, 'whe_ffffffffffffffffffffffffffffffff')).toThrow(
      /does not open for endpoint whe_f/,
    );
  });

  it('refuses to open under another key, naming both key ids', () => {
    const sealed = box.seal(secret, endpointId);
    expect(() => secretBox(randomBytes(32).toString('base64')).open(sealed, endpointId)).toThrow(
      /sealed under key [0-9a-f]{8}, but KEYWARD_WEBHOOK_SECRET_KEY is key [0-9a-f]{8}/,
    );
  });

  it('refuses a tampered ciphertext, IV or format', () => {
    const sealed = box.seal(secret, endpointId);
    const [version, keyId, iv, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    const tampered = [version, keyId, iv, flipped.toString('base64url')].join('.');
    expect(() => box.open(tampered, endpointId)).toThrow(/does not open/);
    const otherIv = [version, keyId, randomBytes(12).toString('base64url'), body].join('.');
    expect(() => box.open(otherIv, endpointId)).toThrow(/does not open/);
    expect(() => box.open(`v2.${keyId}.${iv}.${body}`, endpointId)).toThrow(/not a sealed/);
    expect(() => box.open(`${sealed}.x`, endpointId)).toThrow(/not a sealed/);
    expect(() => box.open([version, keyId, iv, 'AAAA'].join('.'), endpointId)).toThrow(/truncated/);
  });

  it('refuses a key that is not 32 bytes of base64', () => {
    expect(() => secretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes.*got 16 bytes/);
    expect(() => secretBox('not a key!')).toThrow(/32 bytes in base64/);
    expect(() => secretBox('')).toThrow(/32 bytes in base64/);
  });
});
