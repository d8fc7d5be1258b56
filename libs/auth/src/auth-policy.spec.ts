import { AuthPolicy } from './auth-policy';
import { buildClientAuthPolicy } from './build-auth-policy';
import { ForbiddenError, UnauthorizedError } from './errors';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scopeMask } from './scopes';

const READ = scopeMask(['read']);
const WRITE = scopeMask(['write']);
const ADMIN = scopeMask(['admin']);

function policyFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'hc-policy-')), 'auth.yaml');
  writeFileSync(path, text);
  return path;
}

describe(AuthPolicy.name, () => {
  const sut = new AuthPolicy({
    tokens: [
      { id: 'ro', token: 'ro-t', scopes: ['read'] },
      { id: 'wo', token: 'wo-t', scopes: ['write'] },
      { id: 'admin', token: 'ad-t', scopes: ['admin'] },
    ],
  });

  it('answers 401 without an identity and 403 for a missing scope; scopes are not hierarchical', () => {
    expect(sut.check(undefined, READ)).toBeInstanceOf(UnauthorizedError);
    const ro = sut.resolve('Bearer ro-t', undefined) as never;
    const wo = sut.resolve('Bearer wo-t', undefined) as never;
    const admin = sut.resolve('Bearer ad-t', undefined) as never;
    expect(sut.check(ro, READ)).toBeUndefined();
    expect(sut.check(ro, WRITE)).toBeInstanceOf(ForbiddenError);
    expect(sut.check(wo, READ)).toBeInstanceOf(ForbiddenError);
    expect(sut.check(admin, READ)).toBeInstanceOf(ForbiddenError);
    expect(sut.check(admin, ADMIN)).toBeUndefined();
  });

  it('resolves unknown credentials to nothing when anonymous mode is off', () => {
    expect(sut.resolve('Bearer nope', undefined)).toBeUndefined();
    expect(sut.resolve(undefined, undefined)).toBeUndefined();
    expect(sut.isOpen).toBe(false);
  });

  it('in anonymous mode still gives a valid token its own (narrower) identity and lets wrong credentials fall through to anonymous', () => {
    const anon = new AuthPolicy({ tokens: [{ id: 'ro', token: 'ro-t', scopes: ['read'] }], allowAnonymous: true });
    expect(anon.isOpen).toBe(false);
    expect(anon.resolve('Bearer ro-t', undefined)).toMatchObject({ id: 'ro', scopes: ['read'] });
    expect(anon.resolve('Bearer wrong', undefined)).toMatchObject({ id: 'anonymous', scopes: ['read', 'write', 'admin'] });
    expect(anon.resolve(undefined, undefined)).toMatchObject({ id: 'anonymous' });
  });

  it('singleToken: all scopes for the token, open mode without one', () => {
    expect(AuthPolicy.singleToken('t', 'peer').resolve('Bearer t', undefined)).toMatchObject({ id: 'peer', scopes: ['read', 'write', 'admin'] });
    expect(AuthPolicy.singleToken(undefined).isOpen).toBe(true);
  });
});

describe('buildClientAuthPolicy (auth.md §2 precedence)', () => {
  it('nothing configured → anonymous mode', async () => {
    const built = await buildClientAuthPolicy({});
    expect([built.source, built.anonymous, built.policy.isOpen]).toEqual(['none', true, true]);
  });

  it('AUTH_TOKEN only → one identity "default" with every scope, no anonymous access', async () => {
    const { policy, source } = await buildClientAuthPolicy({ authToken: 'legacy' });
    expect(source).toBe('token');
    expect(policy.resolve('Bearer legacy', undefined)).toMatchObject({ id: 'default', scopes: ['read', 'write', 'admin'] });
    expect(policy.resolve(undefined, undefined)).toBeUndefined();
  });

  it('AUTH_CONFIG and AUTH_TOKEN → the file governs; the legacy token grants no client access', async () => {
    const path = policyFile('tokens: [{id: app, token: file-token, scopes: [read]}]');
    const { policy, source } = await buildClientAuthPolicy({ authConfigPath: path, authToken: 'legacy' });
    expect(source).toBe('file');
    expect(policy.resolve('Bearer file-token', undefined)).toMatchObject({ id: 'app' });
    expect(policy.resolve('Bearer legacy', undefined)).toBeUndefined();
  });

  it('TS MUST: a file with zero identities and allow_anonymous false is NOT open (upstream flips it to anonymous)', async () => {
    const { policy, anonymous } = await buildClientAuthPolicy({ authConfigPath: policyFile('allow_anonymous: false\n') });
    expect(anonymous).toBe(false);
    expect(policy.isOpen).toBe(false);
    expect(policy.resolve(undefined, undefined)).toBeUndefined();
    expect(policy.check(undefined, READ)).toBeInstanceOf(UnauthorizedError);
  });

  it('an empty file is not open either', async () => {
    const { policy } = await buildClientAuthPolicy({ authConfigPath: policyFile('') });
    expect(policy.resolve(undefined, undefined)).toBeUndefined();
  });

  it('allow_anonymous: true in the file is used verbatim', async () => {
    const { anonymous, policy } = await buildClientAuthPolicy({ authConfigPath: policyFile('allow_anonymous: true\n') });
    expect(anonymous).toBe(true);
    expect(policy.resolve(undefined, undefined)).toMatchObject({ id: 'anonymous' });
  });

  it('a malformed file rejects (fail closed, never open mode)', async () => {
    await expect(buildClientAuthPolicy({ authConfigPath: policyFile('tokens: {') })).rejects.toThrow(/HYPERCACHE_AUTH_CONFIG: malformed YAML/);
  });

  it('an unreachable OIDC issuer rejects at boot', async () => {
    await expect(
      buildClientAuthPolicy({ oidc: { issuer: 'http://127.0.0.1:1', audience: 'a', timeoutMs: 2_000 } }),
    ).rejects.toThrow(/HYPERCACHE_OIDC_ISSUER: OIDC discovery at http:\/\/127\.0\.0\.1:1\/\.well-known\/openid-configuration failed/);
  });
});
