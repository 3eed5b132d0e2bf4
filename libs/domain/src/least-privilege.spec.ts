import { DomainError } from './domain-error';
import { assertLeastPrivilege, defaultResources, highestGrantableRole } from './least-privilege';
import { BUILT_IN_ROLES } from './permissions';
import { grant } from './testing/fixtures';

const { reader, writer, admin } = BUILT_IN_ROLES;

describe('highestGrantableRole', () => {
  it('is the highest built-in role within the permissions on every resource', () => {
    const grants = [grant('db:a', 'reader'), grant('db:b', 'writer')];
    expect(highestGrantableRole(grants, ['db:a', 'db:b'])).toBe('reader');
    expect(highestGrantableRole(grants, ['db:b'])).toBe('writer');
  });

  it('is null when not even reader fits', () => {
    expect(highestGrantableRole([grant('db:a', 'reader')], ['db:z'])).toBeNull();
  });
});

describe('defaultResources', () => {
  it('lists every granted resource where the role fits', () => {
    const grants = [grant('db:a', 'reader'), grant('db:b', 'writer'), grant('db:c', 'admin')];
    expect(defaultResources(writer, grants)).toEqual(['db:b', 'db:c']);
  });

  it('is just * when the role fits on *', () => {
    expect(defaultResources(reader, [grant('db:a', 'admin'), grant('*', 'reader')])).toEqual(['*']);
  });

  it('counts a grant on * towards each listed resource', () => {
    const grants = [grant('*', 'executor'), grant('db:a', 'writer'), grant('db:b', 'reader')];
    expect(defaultResources(writer, grants)).toEqual(['db:a']);
  });

  it('is empty when the role fits nowhere', () => {
    expect(defaultResources(admin, [grant('db:a', 'writer')])).toEqual([]);
  });
});

describe('assertLeastPrivilege', () => {
  it('names every short resource and what it lacks', () => {
    const grants = [grant('db:a', 'reader'), grant('db:b', 'executor')];
    const error = caught(() => assertLeastPrivilege('writer', writer, grants, ['db:a', 'db:b']));
    expect(error.details).toEqual({
      shortfalls: [
        { resource: 'db:a', missing: ['execute', 'write', 'delete'] },
        { resource: 'db:b', missing: ['write', 'delete'] },
      ],
      highestGrantableRole: 'reader',
    });
    expect(error.message).toContain('execute, write, delete on db:a');
    expect(error.message).toContain('write, delete on db:b');
  });

  it('passes when the role is within the permissions on every resource', () => {
    expect(() =>
      assertLeastPrivilege('reader', reader, [grant('*', 'reader')], ['db:a']),
    ).not.toThrow();
  });
});

function caught(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
