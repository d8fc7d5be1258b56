import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthConfigError } from './errors';
import { loadPolicyFile, parsePolicyFile } from './policy-file';

const VALID_YAML = `
tokens:
  - id: app-prod
    token: "s3cret-prod"
    scopes: [read, write]
  - id: ops
    token: s3cret-ops
    scopes: [admin]
cert_identities:
  - subject_cn: app.internal
    scopes: [read]
allow_anonymous: false
`;

function failure(text: string): AuthConfigError {
  try {
    parsePolicyFile(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AuthConfigError);
    return e as AuthConfigError;
  }
  throw new Error('expected the policy to be rejected');
}

describe('policy file (auth.md §3)', () => {
  it('parses the YAML form', () => {
    expect(parsePolicyFile(VALID_YAML)).toEqual({
      tokens: [
        { id: 'app-prod', token: 's3cret-prod', scopes: ['read', 'write'] },
        { id: 'ops', token: 's3cret-ops', scopes: ['admin'] },
      ],
      certIdentities: [{ subjectCn: 'app.internal', scopes: ['read'] }],
      allowAnonymous: false,
    });
  });

  it('parses the same schema written as JSON', () => {
    const json = JSON.stringify({ tokens: [{ id: 'a', token: 't', scopes: ['read'] }], allow_anonymous: true });
    expect(parsePolicyFile(json)).toEqual({ tokens: [{ id: 'a', token: 't', scopes: ['read'] }], certIdentities: [], allowAnonymous: true });
  });

  it('reads an empty document as zero identities with anonymous off', () => {
    expect(parsePolicyFile('')).toEqual({ tokens: [], certIdentities: [], allowAnonymous: false });
  });

  it.each([
    ['unknown top-level field', 'tokenz: []', /unknown field.*tokenz/],
    ['unknown token field', 'tokens: [{id: a, token: t, scopes: [read], role: x}]', /tokens\[0\].*unknown field.*role/],
    ['empty scopes', 'tokens: [{id: a, token: t, scopes: []}]', /tokens\[0\]\.scopes: at least one of read\/write\/admin required/],
    ['unknown scope', 'tokens: [{id: a, token: t, scopes: [read, delete]}]', /tokens\[0\]\.scopes\[1\]: unknown scope "delete"/],
    ['empty token', 'tokens: [{id: a, token: "", scopes: [read]}]', /tokens\[0\]\.token: token must not be empty/],
    ['empty id', 'tokens: [{id: " ", token: t, scopes: [read]}]', /tokens\[0\]\.id: id must not be empty/],
    ['missing token', 'tokens: [{id: a, scopes: [read]}]', /tokens\[0\]\.token/],
    ['empty CN', 'cert_identities: [{subject_cn: "", scopes: [read]}]', /cert_identities\[0\]\.subject_cn/],
    ['HTTP Basic users', 'users: [{id: a, username: b, password_bcrypt: x, scopes: [read]}]', /users: HTTP Basic users are not supported/],
    ['malformed YAML', 'tokens: [', /malformed YAML/],
    ['a list instead of a mapping', '- a\n- b', /invalid policy/],
    ['duplicate token ids', 'tokens: [{id: a, token: t1, scopes: [read]}, {id: a, token: t2, scopes: [read]}]', /duplicate token id "a"/],
    ['non-boolean allow_anonymous', 'allow_anonymous: "yes"', /allow_anonymous/],
  ])('rejects %s naming the field', (_name, text, message) => {
    const e = failure(text);
    expect(e.message).toMatch(/^HYPERCACHE_AUTH_CONFIG: /);
    expect(e.message).toMatch(message);
  });

  it('never puts a token into an error message', () => {
    const e = failure('tokens: [{id: a, token: very-secret-value, scopes: [root]}]');
    expect(e.message).not.toContain('very-secret-value');
  });

  it('fails closed on a missing file, naming the variable and the path', () => {
    const path = join(tmpdir(), 'does-not-exist-policy.yaml');
    expect(() => loadPolicyFile(path)).toThrow(/HYPERCACHE_AUTH_CONFIG: cannot read policy file .*does-not-exist-policy\.yaml.*ENOENT/);
  });

  it('loads a file from disk', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hc-policy-')), 'auth.yaml');
    writeFileSync(path, VALID_YAML);
    expect(loadPolicyFile(path).tokens).toHaveLength(2);
  });
});
