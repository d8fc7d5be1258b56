import { identityFromClaims } from './oidc-claims';

describe(identityFromClaims.name, () => {
  it.each([
    ['space-separated string', { sub: 'u', scope: 'read  write\tprofile' }, ['read', 'write']],
    ['string array, non-strings ignored', { sub: 'u', scope: ['admin', 7, 'read', 'email'] }, ['read', 'admin']],
    ['missing scope claim', { sub: 'u' }, []],
    ['scope claim of another type', { sub: 'u', scope: { read: true } }, []],
    ['duplicates collapse, canonical order', { sub: 'u', scope: 'write read write' }, ['read', 'write']],
  ])('maps scopes from a %s', (_name, claims, scopes) => {
    expect(identityFromClaims(claims, 'sub', 'scope')).toMatchObject({ id: 'u', scopes });
  });

  it.each([
    ['missing', {}],
    ['empty', { sub: '' }],
    ['a number', { sub: 42 }],
    ['an array', { sub: ['a'] }],
  ])('rejects an identity claim that is %s', (_name, claims) => {
    expect(identityFromClaims(claims, 'sub', 'scope')).toBeUndefined();
  });

  it('uses the configured claim names', () => {
    expect(identityFromClaims({ email: 'a@b', roles: ['write'] }, 'email', 'roles')).toMatchObject({ id: 'a@b', scopes: ['write'] });
  });
});
