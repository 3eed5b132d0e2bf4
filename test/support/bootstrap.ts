import type { RunningSystem } from '../../scripts/lib/system';

/** Bootstraps an organization over HTTP with the operator token; returns its admin's key. */
export async function bootstrapOverHttp(system: RunningSystem, orgId: string): Promise<string> {
  const response = await fetch(`${system.gatewayUrl}/api/operator/v1/organization`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'keyward-operator-token': system.operatorToken },
    body: JSON.stringify({ orgId, name: orgId, admin: { userId: 'owner', displayName: 'Owner' } }),
  });
  if (response.status !== 201)
    throw new Error(`bootstrap: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { key: { secret: string } }).key.secret;
}
