import { grant, memberActor, orgAdmin, OTHER_ORG, serviceAccountActor } from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { accountCreated, createCommand } from '../testing/service-account-fixtures';
import type { ServiceAccountCreated } from './service-account-events';
import { serviceAccountDecider } from './service-account-decider';

const fresh = given(serviceAccountDecider);

function created(overrides: Partial<ServiceAccountCreated['data']>): ServiceAccountCreated {
  const base = accountCreated();
  return { ...base, data: { ...base.data, ...overrides } };
}

describe('CreateServiceAccount: least privilege', () => {
  // bit.io: reader on one database and writer on another cannot mint a writer for both.
  const bitIo = memberActor('u_creator', [grant('db:one', 'reader'), grant('db:two', 'writer')]);

  it('refuses a role above the creator on any resource, naming it', () => {
    const command = createCommand(bitIo, { role: 'writer', resources: ['db:one', 'db:two'] });
    const error = fresh.when(command).thenThrows('AUTH.LEAST_PRIVILEGE');
    expect(error.details).toEqual({
      shortfalls: [{ resource: 'db:one', missing: ['execute', 'write', 'delete'] }],
      highestGrantableRole: 'reader',
    });
    expect(error.message).toContain('db:one');
    expect(error.message).not.toContain('db:two');
  });

  it('grants the same role where the creator holds it', () => {
    const command = createCommand(bitIo, { role: 'writer', resources: ['db:two'] });
    const expected = created({
      role: 'writer',
      permissions: ['read', 'execute', 'write', 'delete'],
      resources: ['db:two'],
    });
    fresh.when(command).then([expected]);
  });

  it('lets a grant on * cover any named resource', () => {
    const creator = memberActor('u_creator', [grant('*', 'writer')]);
    fresh
      .when(createCommand(creator, { role: 'executor', resources: ['db:x'] }))
      .then([created({ role: 'executor', permissions: ['read', 'execute'], resources: ['db:x'] })]);
  });

  it('counts only grants on * when * is requested', () => {
    const creator = memberActor('u_creator', [grant('db:a', 'admin')]);
    const error = fresh
      .when(createCommand(creator, { role: 'reader', resources: ['*'] }))
      .thenThrows('AUTH.LEAST_PRIVILEGE');
    expect(error.details).toEqual({
      shortfalls: [{ resource: '*', missing: ['read'] }],
      highestGrantableRole: null,
    });
  });

  it('does not let org admin status stand in for grants', () => {
    const adminWithoutGrants = memberActor('u_admin', [], { orgAdmin: true });
    fresh
      .when(createCommand(adminWithoutGrants, { resources: ['db:a'] }))
      .thenThrows('AUTH.LEAST_PRIVILEGE');
  });

  it('applies to custom roles through their resolved permissions', () => {
    const creator = memberActor('u_creator', [grant('db:a', 'executor')]);
    const deployer = { role: 'deployer', rolePermissions: ['execute' as const, 'read' as const] };
    fresh
      .when(createCommand(creator, { ...deployer, resources: ['db:a'] }))
      .then([created({ role: 'deployer', permissions: ['read', 'execute'], resources: ['db:a'] })]);
    fresh
      .when(
        createCommand(creator, { role: 'dba', rolePermissions: ['admin'], resources: ['db:a'] }),
      )
      .thenThrows('AUTH.LEAST_PRIVILEGE');
  });
});

describe('CreateServiceAccount: defaults', () => {
  it('gives reader on every resource the creator can grant it on', () => {
    const creator = memberActor('u_creator', [grant('db:a', 'reader'), grant('db:b', 'writer')]);
    fresh.when(createCommand(creator)).then([created({ resources: ['db:a', 'db:b'] })]);
  });

  it('gives just * when the role fits on *', () => {
    fresh
      .when(createCommand(orgAdmin))
      .then([created({ resources: ['*'], createdBy: { kind: 'member', id: 'u_admin' } })]);
  });

  it('defaults resources to where the requested role fits', () => {
    const creator = memberActor('u_creator', [grant('db:a', 'reader'), grant('db:b', 'writer')]);
    fresh.when(createCommand(creator, { role: 'writer' })).then([
      created({
        role: 'writer',
        permissions: ['read', 'execute', 'write', 'delete'],
        resources: ['db:b'],
      }),
    ]);
  });

  it('refuses an account that would have no resource', () => {
    const creator = memberActor('u_creator', [grant('db:a', 'reader')]);
    fresh
      .when(createCommand(creator, { role: 'writer' }))
      .thenThrows('SERVICE_ACCOUNT.NO_RESOURCES');
    fresh
      .when(createCommand(creator, { resources: [] }))
      .thenThrows('SERVICE_ACCOUNT.NO_RESOURCES');
  });

  it('deduplicates the resources given', () => {
    const creator = memberActor('u_creator', [grant('*', 'reader')]);
    fresh
      .when(createCommand(creator, { resources: ['db:a', 'db:b', 'db:a'] }))
      .then([created({ resources: ['db:a', 'db:b'] })]);
  });
});

describe('CreateServiceAccount: roles and creators', () => {
  const creator = memberActor('u_creator', [grant('*', 'admin')]);
  const onlyReaders = { allowedServiceAccountRoles: ['reader'] };

  it('refuses a role the organization does not allow for service accounts', () => {
    fresh
      .when(createCommand(creator, { role: 'writer', resources: ['db:a'], policy: onlyReaders }))
      .thenThrows('ROLE.NOT_ALLOWED_FOR_SERVICE_ACCOUNTS');
    fresh
      .when(
        createCommand(creator, { resources: ['db:a'], policy: { allowedServiceAccountRoles: [] } }),
      )
      .thenThrows('ROLE.NOT_ALLOWED_FOR_SERVICE_ACCOUNTS');
  });

  it('accepts an allowed role', () => {
    fresh
      .when(createCommand(creator, { resources: ['db:a'], policy: onlyReaders }))
      .then([created({ resources: ['db:a'] })]);
  });

  it('refuses a custom role the caller could not resolve', () => {
    fresh.when(createCommand(creator, { role: 'deployer' })).thenThrows('ROLE.UNKNOWN');
  });

  it('refuses a custom role without permissions', () => {
    fresh
      .when(createCommand(creator, { role: 'void', rolePermissions: [] }))
      .thenThrows('ROLE.EMPTY_PERMISSIONS');
  });

  it('lets a service account with admin in its role create within its own permissions', () => {
    const parent = serviceAccountActor('sa_parent', 'admin', ['db:a']);
    const createdBy = { kind: 'serviceAccount' as const, id: 'sa_parent' };
    fresh.when(createCommand(parent)).then([created({ resources: ['db:a'], createdBy })]);
    fresh.when(createCommand(parent, { resources: ['db:b'] })).thenThrows('AUTH.LEAST_PRIVILEGE');
  });

  it('refuses a service account whose role lacks admin', () => {
    const writerAccount = serviceAccountActor('sa_parent', 'writer', ['db:a']);
    fresh.when(createCommand(writerAccount)).thenThrows('AUTH.FORBIDDEN');
  });

  it("places the account in the creator's organization", () => {
    const outsider = memberActor('u_x', [grant('*', 'reader')], { orgId: OTHER_ORG });
    const createdBy = { kind: 'member' as const, id: 'u_x' };
    fresh
      .when(createCommand(outsider))
      .then([created({ orgId: OTHER_ORG, resources: ['*'], createdBy })]);
  });

  it('refuses a stream that already holds an account', () => {
    given(serviceAccountDecider, [accountCreated()])
      .when(createCommand(creator))
      .thenThrows('SERVICE_ACCOUNT.ALREADY_EXISTS');
  });
});
