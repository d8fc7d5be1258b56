import { InvalidOptionError } from './errors';
import { HTTP_PEER_TRANSPORT_DEFAULTS, resolveHttpPeerTransportOptions, type HttpPeerTransportOptions } from './http-peer-transport-options';

function optionErrorOf(o: HttpPeerTransportOptions): InvalidOptionError {
  try {
    resolveHttpPeerTransportOptions(o);
  } catch (e) {
    if (e instanceof InvalidOptionError) return e;
    throw e;
  }
  throw new Error('expected an InvalidOptionError');
}

describe(resolveHttpPeerTransportOptions.name, () => {
  it('fills in the §17.3 defaults', () => {
    const r = resolveHttpPeerTransportOptions();
    expect(r).toMatchObject({
      token: undefined,
      timeoutMs: 5_000,
      responseLimitBytes: 16 * 1024 * 1024,
      compressionThresholdBytes: 0,
      connectionsPerPeer: 16,
      keepAliveTimeoutMs: 30_000,
      tls: undefined,
    });
    expect(r.now).toBe(Date.now);
  });

  it('falls back to the default for each zero field individually (§17.3), but keeps compression 0 = off', () => {
    const r = resolveHttpPeerTransportOptions({ timeoutMs: 0, responseLimitBytes: 0, connectionsPerPeer: 0, keepAliveTimeoutMs: 250, compressionThresholdBytes: 0 });
    expect(r).toMatchObject({ ...HTTP_PEER_TRANSPORT_DEFAULTS, keepAliveTimeoutMs: 250 });
  });

  it('treats an empty token as no token', () => {
    expect(resolveHttpPeerTransportOptions({ token: '' }).token).toBeUndefined();
    expect(resolveHttpPeerTransportOptions({ token: 'abc.DEF-123' }).token).toBe('abc.DEF-123');
  });

  it.each<[HttpPeerTransportOptions, string]>([
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ timeoutMs: 1.5 }, 'timeoutMs'],
    [{ timeoutMs: 2 ** 31 }, 'timeoutMs'],
    [{ responseLimitBytes: Number.NaN }, 'responseLimitBytes'],
    [{ compressionThresholdBytes: -1 }, 'compressionThresholdBytes'],
    [{ connectionsPerPeer: 1e6 }, 'connectionsPerPeer'],
    [{ keepAliveTimeoutMs: Infinity }, 'keepAliveTimeoutMs'],
    [{ batchMaxBytes: -5 }, 'batchMaxBytes'],
    [{ tls: { cert: 'c' } }, 'tls.key'],
    [{ tls: { key: 'k' } }, 'tls.cert'],
    [{ now: 5 as unknown as () => number }, 'now'],
  ])('rejects %p naming %s', (o, option) => {
    const e = optionErrorOf(o);
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.option).toBe(option);
  });

  it('rejects a token that cannot be a header value without echoing it', () => {
    const e = optionErrorOf({ token: 'bad token\r\nx' });
    expect(e.option).toBe('token');
    expect(e.message).not.toContain('bad token');
  });
});
