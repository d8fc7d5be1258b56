import { StaticTokenAuthenticator } from './static-token-authenticator';

describe(StaticTokenAuthenticator.name, () => {
  it('admits everyone as anonymous when no token is configured', () => {
    const sut = new StaticTokenAuthenticator(undefined);
    expect(sut.isOpen).toBe(true);
    expect(sut.authenticate(undefined)?.id).toBe('anonymous');
  });

  it('accepts the configured bearer token with any scheme casing', () => {
    const sut = new StaticTokenAuthenticator('s3cret');
    expect(sut.authenticate('Bearer s3cret')?.scopes).toEqual(['read', 'write', 'admin']);
    expect(sut.authenticate('bearer s3cret')?.id).toBe('default');
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Bearer s3cre', 'Bearer s3cret2', 'Basic s3cret', 's3cret'])(
    'rejects %j',
    (header) => {
      expect(new StaticTokenAuthenticator('s3cret').authenticate(header)).toBeUndefined();
    },
  );
});
