import { renderNatsAuthorization } from './nats-authorization-conf';
import { inboxPrefixFor, NATS_USERS, natsPermissions } from './nats-permissions';

/** Whether a NATS subject pattern (with `*` and `>`) covers `subject`. */
function covers(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (s[i] === undefined || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

const streams = {
  eventStream: 'KW_TEST_AB',
  eventSubjectPrefix: 'kwt.kw_test_ab',
  usageStream: 'USAGE_X',
  usageSubjectPrefix: 'kwu',
};
const permissions = natsPermissions({ ...streams, notifyStream: 'NOTES_X' });
/** Who may publish or subscribe to `subject`, a deny rule winning over an allow (as nats-server). */
const holders = (kind: 'publish' | 'subscribe', subject: string) =>
  NATS_USERS.filter((user) => {
    const granted = permissions[user];
    if (granted === null) return true;
    const denied = kind === 'publish' ? (granted.denyPublish ?? []) : [];
    if (denied.some((pattern) => covers(pattern, subject))) return false;
    return granted[kind].some((pattern) => covers(pattern, subject));
  });

describe('NATS permissions', () => {
  it('only the command service (and the operator) may write events or create the event stream', () => {
    expect(holders('publish', 'kwt.kw_test_ab.service-account.sa_1')).toEqual([
      'command',
      'operator',
    ]);
    expect(holders('publish', '$JS.API.STREAM.CREATE.KW_TEST_AB')).toEqual(['command', 'operator']);
    expect(holders('publish', '$JS.API.STREAM.DELETE.KW_TEST_AB')).toEqual(['operator']);
  });

  it('only verifiers answer verify and authorize', () => {
    for (const subject of ['kw.verify', 'kw.authorize']) {
      expect(holders('subscribe', subject)).toEqual(['verifier', 'operator']);
    }
  });

  it("verifier nodes (the verifiers and the gateway's own) answer revocations, publish usage and heartbeats", () => {
    const nodes = ['verifier', 'gateway', 'operator'];
    expect(holders('subscribe', 'kw.verifier.await-position')).toEqual(nodes);
    expect(holders('publish', 'kwu.org.key_1')).toEqual(nodes);
    expect(holders('publish', 'kw.verifier.heartbeat')).toEqual(nodes);
    expect(holders('publish', '$JS.API.STREAM.CREATE.USAGE_X')).toEqual(['projector', ...nodes]);
  });

  it('the gateway reads the event stream but may not write it', () => {
    for (const subject of [
      '$JS.API.INFO',
      '$JS.API.STREAM.INFO.KW_TEST_AB',
      '$JS.API.CONSUMER.CREATE.KW_TEST_AB',
      '$JS.API.DIRECT.GET.KW_TEST_AB',
    ]) {
      expect(holders('publish', subject)).toContain('gateway');
    }
    expect(holders('publish', 'kwt.kw_test_ab.service-account.sa_1')).not.toContain('gateway');
    expect(holders('publish', '$JS.API.STREAM.UPDATE.KW_TEST_AB')).not.toContain('gateway');
    expect(holders('publish', '$JS.API.STREAM.DELETE.USAGE_X')).not.toContain('gateway');
    expect(permissions.gateway?.allowResponses).toBe(true);
  });

  it('callers may call every service and read only their own inbox', () => {
    for (const subject of ['kw.cmd.member.add', 'kw.query.audit.query', 'kw.verify']) {
      expect(holders('publish', subject)).toEqual(
        expect.arrayContaining(['gateway', 'internal-client']),
      );
    }
    expect(holders('subscribe', `${inboxPrefixFor('gateway')}.abc`)).toEqual([
      'gateway',
      'operator',
    ]);
    expect(holders('subscribe', 'kw.cmd.member.add')).toEqual(['command', 'operator']);
    expect(holders('subscribe', 'anything.else')).toEqual(['operator']);
  });

  it('only the notifier answers webhook queries and sends disable-failing', () => {
    expect(holders('subscribe', 'kw.query.webhook.deliveries')).toEqual([
      'projector',
      'notifier',
      'operator',
    ]);
    expect(holders('publish', 'kw.cmd.webhook.disable-failing')).toEqual(['notifier', 'operator']);
    expect(holders('publish', 'kw.cmd.webhook.register')).toEqual(
      expect.arrayContaining(['gateway', 'internal-client']),
    );
    expect(holders('publish', 'kw.verify')).toContain('notifier');
    expect(permissions.notifier?.allowResponses).toBe(true);
    expect(holders('publish', 'kw.cmd.member.add')).not.toContain('notifier');
  });

  it('an internal client may replay the notification stream but not write, purge or delete it', () => {
    for (const subject of [
      '$JS.API.STREAM.INFO.NOTES_X',
      '$JS.API.CONSUMER.CREATE.NOTES_X',
      '$JS.API.CONSUMER.CREATE.NOTES_X.mine.kw.notify.acme.>',
      '$JS.API.CONSUMER.MSG.NEXT.NOTES_X.mine',
      '$JS.ACK.NOTES_X.mine.1.2.3.4.5',
    ]) {
      expect(holders('publish', subject)).toContain('internal-client');
    }
    for (const subject of [
      'kw.notify.acme.key.revoked',
      '$JS.API.STREAM.PURGE.NOTES_X',
      '$JS.API.STREAM.DELETE.NOTES_X',
      '$JS.API.STREAM.UPDATE.NOTES_X',
      '$JS.API.STREAM.MSG.DELETE.NOTES_X',
      '$JS.API.CONSUMER.CREATE.KW_TEST_AB',
    ]) {
      expect(holders('publish', subject)).not.toContain('internal-client');
    }
  });

  it('renders deny rules beside the allow list', () => {
    const conf = renderNatsAuthorization({ streams, password: () => ({ variable: 'V' }) });
    expect(conf).toMatch(/deny: \[\s+"kw\.cmd\.webhook\.disable-failing"/);
  });

  it('renders passwords as given and the stream names it was asked for', () => {
    const conf = renderNatsAuthorization({
      streams,
      password: (user) => (user === 'command' ? { value: 'p"w' } : { variable: 'V' }),
    });
    expect(conf).toContain('password: "p\\"w"');
    expect(conf).toContain('password: $V');
    expect(conf).toContain('"$JS.API.DIRECT.GET.KW_TEST_AB.>"');
    expect(conf).not.toContain('KEYWARD_EVENTS');
  });
});
