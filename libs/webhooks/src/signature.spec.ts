import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from './secret';
import { signWebhook, verifyWebhookSignature } from './signature';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';
const headers = (signature: string, ts = timestamp, msgId = id) => ({
  id: msgId,
  timestamp: String(ts),
  signature,
});

describe('signWebhook / verifyWebhookSignature', () => {
  it('matches the Standard Webhooks reference vector', () => {
    // From the specification's test vectors (standard-webhooks/spec).
    expect(signWebhook(secret, id, timestamp, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies what it signs', () => {
    const fresh = generateWebhookSecret();
    const signature = signWebhook(fresh, id, timestamp, body);
    expect(verifyWebhookSignature(fresh, headers(signature), body, { nowSeconds: timestamp })).toBe(
      true,
    );
  });

  it('is verified by the official standardwebhooks package', () => {
    const fresh = generateWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const signature = signWebhook(fresh, id, now, body);
    const payload = new Webhook(fresh).verify(body, {
      'webhook-id': id,
      'webhook-timestamp': String(now),
      'webhook-signature': signature,
    });
    expect(payload).toEqual({ test: 2432232314 });
  });

  it('verifies what the official package signs', () => {
    const fresh = generateWebhookSecret();
    const signature = new Webhook(fresh).sign(id, new Date(timestamp * 1000), body);
    expect(verifyWebhookSignature(fresh, headers(signature), body, { nowSeconds: timestamp })).toBe(
      true,
    );
  });

  it('rejects a tampered body, id or timestamp', () => {
    const signature = signWebhook(secret, id, timestamp, body);
    const at = { nowSeconds: timestamp };
    expect(verifyWebhookSignature(secret, headers(signature), body + ' ', at)).toBe(false);
    expect(
      verifyWebhookSignature(secret, headers(signature, timestamp, 'msg_other'), body, at),
    ).toBe(false);
    expect(verifyWebhookSignature(secret, headers(signature, timestamp + 1), body, at)).toBe(false);
  });

  it('rejects another secret', () => {
    const signature = signWebhook(generateWebhookSecret(), id, timestamp, body);
    expect(
      verifyWebhookSignature(secret, headers(signature), body, { nowSeconds: timestamp }),
    ).toBe(false);
  });

  it('accepts timestamps within the tolerance only', () => {
    const signature = signWebhook(secret, id, timestamp, body);
    const verifyAt = (nowSeconds: number, toleranceSeconds?: number) =>
      verifyWebhookSignature(secret, headers(signature), body, { nowSeconds, toleranceSeconds });
    expect(verifyAt(timestamp + 300)).toBe(true);
    expect(verifyAt(timestamp - 300)).toBe(true);
    expect(verifyAt(timestamp + 301)).toBe(false);
    expect(verifyAt(timestamp - 301)).toBe(false);
    expect(verifyAt(timestamp + 301, 600)).toBe(true);
  });

  it('accepts any one of several space-separated signatures', () => {
    const good = signWebhook(secret, id, timestamp, body);
    const other = signWebhook(generateWebhookSecret(), id, timestamp, body);
    const at = { nowSeconds: timestamp };
    expect(verifyWebhookSignature(secret, headers(`${other} ${good}`), body, at)).toBe(true);
    expect(verifyWebhookSignature(secret, headers(`v1a,abc ${good}`), body, at)).toBe(true);
    expect(verifyWebhookSignature(secret, headers(other), body, at)).toBe(false);
  });

  it('rejects signatures of another version, malformed ones and non-numeric timestamps', () => {
    const good = signWebhook(secret, id, timestamp, body);
    const at = { nowSeconds: timestamp };
    expect(verifyWebhookSignature(secret, headers(good.replace('v1,', 'v2,')), body, at)).toBe(
      false,
    );
    expect(verifyWebhookSignature(secret, headers(good.slice(3)), body, at)).toBe(false);
    expect(verifyWebhookSignature(secret, headers(''), body, at)).toBe(false);
    expect(
      verifyWebhookSignature(secret, { id, timestamp: '1614265330.0', signature: good }, body, at),
    ).toBe(false);
  });
});

describe('generateWebhookSecret', () => {
  it('is whsec_ and the base64 of 32 random bytes', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
