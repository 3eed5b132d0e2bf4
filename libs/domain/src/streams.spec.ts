import {
  memberStream,
  organizationStream,
  serviceAccountNameStream,
  serviceAccountStream,
  webhookEndpointStream,
} from './streams';

describe('stream names', () => {
  it('follow the spec', () => {
    expect(organizationStream('org_1')).toBe('organization-org_1');
    expect(memberStream('org_1', 'u_1')).toBe('member-org_1_u_1');
    expect(serviceAccountStream('sa_1')).toBe('serviceAccount-sa_1');
    expect(serviceAccountNameStream('org_1', 'ab12')).toBe('serviceAccountName-org_1_ab12');
    expect(webhookEndpointStream('whe_1')).toBe('webhookEndpoint-whe_1');
  });
});
