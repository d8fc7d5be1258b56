import fc from 'fast-check';
import { StaticTokenSet } from './static-token-set';

// The module object itself (not an interop copy), so the spy sees the lib's calls.
const nodeCrypto: typeof import('node:crypto') = require('node:crypto');

const tokens = [
  { id: 'reader', token: 'r-secret', scopes: ['read'] as const },
  { id: 'writer', token: 'w-secret-longer', scopes: ['write'] as const },
  { id: 'ops', token: 'ops-secret', scopes: ['read', 'write', 'admin'] as const },
];

describe(StaticTokenSet.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('resolves each configured token to its identity and scopes', () => {
    const sut = new StaticTokenSet(tokens);
    expect(sut.resolve('Bearer r-secret')).toMatchObject({ id: 'reader', scopes: ['read'] });
    expect(sut.resolve('Bearer w-secret-longer')).toMatchObject({ id: 'writer', scopes: ['write'] });
    expect(sut.resolve('Bearer ops-secret')).toMatchObject({ id: 'ops', scopes: ['read', 'write', 'admin'] });
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'bearer r-secret', 'BEARER r-secret', 'Bearer  r-secret', 'Bearer r-secret ', ' Bearer r-secret', 'Bearer r-secre', 'Bearer r-secretX', 'Basic r-secret', 'r-secret'])(
    'requires the exact header value: rejects %j',
    (header) => {
      expect(new StaticTokenSet(tokens).resolve(header)).toBeUndefined();
    },
  );

  it('visits every token with one full-length constant-time compare, also after a match', () => {
    const sut = new StaticTokenSet(tokens);
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    for (const header of ['Bearer r-secret', 'Bearer nope', 'Bearer w-secret-longer']) {
      spy.mockClear();
      sut.resolve(header);
      expect(spy).toHaveBeenCalledTimes(tokens.length);
      // Each compare spans the configured value, whatever was presented.
      expect(spy.mock.calls.map(([, b]) => (b as Buffer).length)).toEqual(tokens.map((t) => `Bearer ${t.token}`.length));
    }
  });

  it('compares raw bytes, so a non-ASCII token matches its UTF-8 encoding on the wire', () => {
    const sut = new StaticTokenSet([{ id: 'u', token: 'pässwörd', scopes: ['read'] }]);
    const wire = Buffer.from('Bearer pässwörd', 'utf8').toString('latin1');
    expect(sut.resolve(wire)?.id).toBe('u');
    expect(sut.resolve('Bearer pässwörd')).toBeUndefined();
  });

  it('agrees with a linear model (first exact match wins)', () => {
    const token = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 6 }), fc.oneof(token, fc.string()), fc.boolean(), (ts, guess, useKnown) => {
        const entries = ts.map((t, i) => ({ id: `id${i}`, token: t, scopes: ['read'] as const }));
        const presented = useKnown ? `Bearer ${ts[ts.length - 1]}` : `Bearer ${guess}`;
        const latin1 = Buffer.from(presented, 'utf8').toString('latin1');
        const expected = entries.find((e) => `Bearer ${e.token}` === presented)?.id;
        expect(new StaticTokenSet(entries).resolve(latin1)?.id).toBe(expected);
      }),
    );
  });

  it('rejects an empty token at construction', () => {
    expect(() => new StaticTokenSet([{ id: 'x', token: '', scopes: ['read'] }])).toThrow(/x must not be empty/);
  });
});
