import {
  effectivePermissions,
  hasPermissionOnAll,
  missingPermissions,
  normalizePermissions,
} from './permissions';
import { grant } from './testing/fixtures';

describe('effectivePermissions', () => {
  const grants = [grant('db:a', 'reader'), grant('*', 'executor'), grant('db:b', 'writer')];

  it('is the union of the grants on the resource and on *', () => {
    expect(effectivePermissions(grants, 'db:a')).toEqual(['read', 'execute']);
    expect(effectivePermissions(grants, 'db:b')).toEqual(['read', 'execute', 'write', 'delete']);
    expect(effectivePermissions(grants, 'db:unlisted')).toEqual(['read', 'execute']);
  });

  it('counts only grants on * when asked about *', () => {
    expect(effectivePermissions([grant('db:a', 'admin')], '*')).toEqual([]);
    expect(effectivePermissions(grants, '*')).toEqual(['read', 'execute']);
  });
});

describe('permission sets', () => {
  it('are normalized to canonical order without duplicates', () => {
    expect(normalizePermissions(['admin', 'read', 'admin', 'write'])).toEqual([
      'read',
      'write',
      'admin',
    ]);
  });

  it('report what is missing in canonical order', () => {
    expect(missingPermissions(['delete', 'read', 'write'], ['read'])).toEqual(['write', 'delete']);
  });

  it('tell whether a permission is held on every resource', () => {
    const grants = [grant('db:a', 'admin'), grant('db:b', 'writer')];
    expect(hasPermissionOnAll(grants, 'admin', ['db:a'])).toBe(true);
    expect(hasPermissionOnAll(grants, 'admin', ['db:a', 'db:b'])).toBe(false);
  });
});
