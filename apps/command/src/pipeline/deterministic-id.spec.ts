import { z } from 'zod';
import { commandScopedUuid, deterministicUuid, sha256Uuid } from './deterministic-id';

/** Lower-case RFC 9562 text form of a version 8, variant 0b10 UUID, and nothing else. */
const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deterministicUuid', () => {
  it('gives the same id for the same parts', () => {
    expect(deterministicUuid('idem-1', 'sa', 'create-service-account')).toBe(
      deterministicUuid('idem-1', 'sa', 'create-service-account'),
    );
  });

  it('gives different ids for different parts, including a different split of the same text', () => {
    const ids = new Set([
      deterministicUuid('idem-1', 'sa', 'create-service-account'),
      deterministicUuid('idem-2', 'sa', 'create-service-account'),
      deterministicUuid('idem-1', 'key', 'create-service-account'),
      deterministicUuid('idem-1', 'sa', 'create-key'),
      deterministicUuid('idem-1s', 'a', 'create-service-account'),
    ]);
    expect(ids.size).toBe(5);
  });

  it('stamps version 8 and variant 0b10 in a strict UUID text form', () => {
    for (let n = 0; n < 200; n++) {
      const id = deterministicUuid(`idem-${n}`, 'key', 'scope');
      expect(id).toMatch(UUID_V8);
      const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
      expect(bytes[6] >> 4).toBe(8);
      expect(bytes[8] >> 6).toBe(0b10);
      expect(z.uuid({ version: 'v8' }).safeParse(id).success).toBe(true);
    }
  });
});

describe('sha256Uuid', () => {
  it('reproduces the name-based SHA-256 UUIDv8 of RFC 9562 Appendix B.2', () => {
    const dnsNamespace = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    const name = Buffer.concat([dnsNamespace, Buffer.from('www.example.com')]);
    expect(sha256Uuid(name)).toBe('5c146b14-3c52-8afd-938a-375d0df1fbf6');
  });
});

describe('commandScopedUuid', () => {
  it('is deterministic with an idempotency key and random (v4) without one', () => {
    expect(commandScopedUuid('idem', 'sa', 's')).toBe(deterministicUuid('idem', 'sa', 's'));
    const random = commandScopedUuid(undefined, 'sa', 's');
    expect(random).not.toBe(commandScopedUuid(undefined, 'sa', 's'));
    expect(z.uuid({ version: 'v4' }).safeParse(random).success).toBe(true);
  });
});
