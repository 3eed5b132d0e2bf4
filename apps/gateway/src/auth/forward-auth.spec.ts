import { EdgeError } from '../http/edge-error';
import { CHECK_HEADERS, ForwardCheckCache } from './forward-auth';

describe('ForwardCheckCache', () => {
  it('reads the check from the query string, or from the headers in Envoy’s form', () => {
    const checks = new ForwardCheckCache();
    expect(checks.of(false, 'permission=read&resource=db:a', {})).toEqual({
      permission: 'read',
      resource: 'db:a',
    });
    expect(checks.of(false, '', {})).toBeUndefined();
    const envoy = { [CHECK_HEADERS.permission]: 'write', [CHECK_HEADERS.resource]: '*' };
    expect(checks.of(true, 'permission=read&resource=db:a', envoy)).toEqual({
      permission: 'write',
      resource: '*',
    });
    expect(checks.of(true, 'permission=read&resource=db:a', {})).toBeUndefined();
  });

  it('answers a bad check with the same 400 every time', () => {
    const checks = new ForwardCheckCache();
    const first = checks.of(false, 'permission=fly&resource=db:a', {});
    expect(first).toBeInstanceOf(EdgeError);
    expect((first as EdgeError).status).toBe(400);
    expect((first as EdgeError).body.details).toEqual([
      { field: 'permission', problem: expect.stringContaining('must be one of') },
    ]);
    expect(checks.of(false, 'permission=fly&resource=db:a', {})).toBe(first);
    expect(checks.of(false, 'permission=read', {})).toBeInstanceOf(EdgeError);
  });

  it('keeps header forms apart that a naive key would confuse, and stays bounded', () => {
    const checks = new ForwardCheckCache(4);
    const onlyPermission = checks.of(true, '', { [CHECK_HEADERS.permission]: 'read' });
    expect(onlyPermission).toBeInstanceOf(EdgeError);
    const both = { [CHECK_HEADERS.permission]: 'read', [CHECK_HEADERS.resource]: 'db:a' };
    expect(checks.of(true, '', both)).toEqual({ permission: 'read', resource: 'db:a' });
    for (let i = 0; i < 20; i++) checks.of(false, `permission=read&resource=db:r${i}`, {});
    expect(checks.of(false, 'permission=read&resource=db:r3', {})).toEqual({
      permission: 'read',
      resource: 'db:r3',
    });
  });
});
