import {
  COMMAND_SUBJECTS as C,
  VERIFY_SUBJECTS,
  type IssuedKeyReply,
  type NatsJsonClient,
  type VerifyReply,
} from '@keyward/messaging';

/**
 * One G1 probe under load: issue a key on the account, revoke it, then verify it `checks` times
 * at once — from the moment the revoke replied, no node may accept it. Returns the violations
 * (empty when G1 held); throws when a step failed (the caller decides whether that counts).
 */
export async function revocationCycle(
  client: NatsJsonClient,
  authorization: string,
  accountId: string,
  checks = 8,
): Promise<{ keyId: string; violations: string[] }> {
  const fresh = await client.request<IssuedKeyReply>(
    C.issueServiceAccountKey,
    { id: accountId },
    { authorization },
  );
  await client.request(
    C.revokeServiceAccountKey,
    { id: accountId, keyId: fresh.keyId },
    { authorization },
  );
  const verify = () =>
    client
      .request<VerifyReply>(VERIFY_SUBJECTS.verify, { authorization: `Bearer ${fresh.secret}` })
      .catch(() => undefined);
  const after = await Promise.all(Array.from({ length: checks }, verify));
  const violations = after
    .filter((reply) => reply?.valid === true)
    .map(() => `G1: ${fresh.keyId} accepted after its revoke replied`);
  return { keyId: fresh.keyId, violations };
}
