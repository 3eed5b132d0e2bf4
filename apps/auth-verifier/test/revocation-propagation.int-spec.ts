import {
  COMMAND_SUBJECTS as S,
  VERIFIER_SUBJECTS,
  type IssuedKeyReply,
  type RevocationReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import {
  startCommandService,
  type CommandServiceHarness,
} from '../../command/test/command-service.harness';
import { bearer, expectReplyError } from '../../command/test/expect-reply-error';
import { startVerifier, type InProcessVerifier } from './verifier.harness';

describe('G1: a revocation replies once every live verifier has applied it', () => {
  let h: CommandServiceHarness;
  let verifier: InProcessVerifier;
  let admin: string;
  let account: ServiceAccountReply;

  beforeAll(async () => {
    process.env.KEYWARD_REVOCATION_TIMEOUT_MS = '800';
    h = await startCommandService();
    delete process.env.KEYWARD_REVOCATION_TIMEOUT_MS;
    verifier = await startVerifier(h.nats, { KEYWARD_VERIFIER_ID: 'in-process' });
    admin = bearer((await h.bootstrap('g1-org')).key.secret as string);
    account = await h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name: 'g1' },
      { authorization: admin },
    );
  });
  afterAll(async () => {
    await verifier.stop();
    await h.stop();
  });

  const issue = () =>
    h.client.request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id: account.id },
      { authorization: admin },
    );
  const revoke = (keyId: string) =>
    h.client.request<RevocationReply>(
      S.revokeServiceAccountKey,
      { id: account.id, keyId },
      { authorization: admin },
    );

  it('has the verifier past the revocation when the reply arrives', async () => {
    const key = await issue();
    const reply = await revoke(key.keyId);
    expect(verifier.node.freshness.hasApplied(BigInt(reply.position as string))).toBe(true);
  });

  it('holds for account deletion and member removal too', async () => {
    const doomed = await h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name: 'doomed' },
      { authorization: admin },
    );
    await h.client.request(S.issueServiceAccountKey, { id: doomed.id }, { authorization: admin });
    const deleted = await h.client.request<RevocationReply>(
      S.deleteServiceAccount,
      { id: doomed.id },
      { authorization: admin },
    );
    expect(verifier.node.freshness.hasApplied(BigInt(deleted.position as string))).toBe(true);
    await h.client.request(
      S.addMember,
      { userId: 'leaver', displayName: 'Leaver', grants: [{ resource: 'db:a', role: 'reader' }] },
      { authorization: admin },
    );
    await h.client.request(S.issuePersonalKey, { userId: 'leaver' }, { authorization: admin });
    const removed = await h.client.request<RevocationReply>(
      S.removeMember,
      { userId: 'leaver' },
      { authorization: admin },
    );
    expect(removed.revokedKeyIds).toHaveLength(1);
    expect(verifier.node.freshness.hasApplied(BigInt(removed.position as string))).toBe(true);
  });

  it('a retried revocation waits again rather than answering at once', async () => {
    const key = await issue();
    const first = await revoke(key.keyId);
    const retry = await revoke(key.keyId);
    // Nothing appended, yet the reply names the position it waited for: the head, at or past
    // the first revocation, which every live node has applied.
    expect(retry).toEqual({ revokedKeyIds: [], position: expect.stringMatching(/^\d+$/) });
    expect(BigInt(retry.position as string)).toBeGreaterThanOrEqual(
      BigInt(first.position as string),
    );
    expect(verifier.node.freshness.hasApplied(BigInt(retry.position as string))).toBe(true);
  });

  // Before the ghost test: its ghost stays live for a few seconds after it stops beating.
  it('asks again a live verifier that missed the question (its connection was failing over)', async () => {
    const late = JSON.stringify({ verifierId: 'late', applied: null, serving: true });
    const beat = () => h.operator.publish(VERIFIER_SUBJECTS.heartbeat, late);
    beat();
    const timer = setInterval(beat, 100);
    let answering: { unsubscribe(): void } | undefined;
    try {
      await h.operator.flush();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const key = await issue();
      const revoked = revoke(key.keyId);
      // The node hears questions only from 300 ms on; the first one was asked before that.
      await new Promise((resolve) => setTimeout(resolve, 300));
      answering = h.operator.subscribe(VERIFIER_SUBJECTS.awaitPosition, {
        callback: (_error, msg) => msg.respond(new TextEncoder().encode(late)),
      });
      expect((await revoked).revokedKeyIds).toEqual([key.keyId]);
    } finally {
      answering?.unsubscribe();
      clearInterval(timer);
    }
  });

  it('fails with REVOCATION.PROPAGATION_TIMEOUT while a live verifier does not confirm', async () => {
    const ghost = JSON.stringify({ verifierId: 'ghost', applied: null, serving: true });
    const beat = () => h.operator.publish(VERIFIER_SUBJECTS.heartbeat, ghost);
    beat();
    const timer = setInterval(beat, 100);
    try {
      await h.operator.flush();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const key = await issue();
      const error = await expectReplyError(revoke(key.keyId), 'REVOCATION.PROPAGATION_TIMEOUT');
      expect(error.kind).toBe('unavailable');
      // ('late' of the test before may still count as live: it stopped beating only just now.)
      expect((error.details as { pendingVerifiers: string[] }).pendingVerifiers).toContain('ghost');
    } finally {
      clearInterval(timer);
    }
  });
});
