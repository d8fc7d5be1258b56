import { BadRequestError, DrainingError, HypercacheError, InternalError, NotFoundError, TimeoutError, UnavailableError } from './errors';
import { FailureKind, OperationKind, RetryPolicy, classifyFailure, resolveRetryOptions } from './retry-policy';

const refused = new UnavailableError('UNAVAILABLE', 'x', 0, 'u', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
const reset = new UnavailableError('UNAVAILABLE', 'x', 0, 'u', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
const attemptTimeout = new HypercacheError('ATTEMPT_TIMEOUT', 'slow', 0, 'u');

describe(RetryPolicy.name, () => {
  it.each([
    ['connection refused', refused, FailureKind.NotSent],
    ['reset after sending', reset, FailureKind.Ambiguous],
    ['attempt timeout', attemptTimeout, FailureKind.Ambiguous],
    ['DRAINING', new DrainingError('DRAINING', 'd', 503), FailureKind.Refused],
    ['503 no owners', new InternalError('INTERNAL', 'no ring owners', 503), FailureKind.Refused],
    ['500 quorum', new InternalError('INTERNAL', 'quorum', 500), FailureKind.Ambiguous],
    ['400', new BadRequestError('BAD_REQUEST', 'b', 400), FailureKind.Final],
    ['404', new NotFoundError('NOT_FOUND', 'n', 404), FailureKind.Final],
    ['call deadline', new TimeoutError(100), FailureKind.Final],
  ])('classifies %s', (_name, err, kind) => {
    expect(classifyFailure(err)).toBe(kind);
  });

  it('fails over at once, then backs off exponentially with jitter up to the ceiling, until maxAttempts', () => {
    const sut = new RetryPolicy(resolveRetryOptions({ maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 35 }), () => 0.999999);
    expect([1, 2, 3, 4, 5].map((a) => sut.next(OperationKind.Read, a, reset))).toEqual([0, 9, 19, 34, 34]);
    expect(sut.next(OperationKind.Read, 6, reset)).toBeUndefined();
    const low = new RetryPolicy(resolveRetryOptions({ maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 35 }), () => 0);
    expect([2, 3, 4].map((a) => low.next(OperationKind.Read, a, reset))).toEqual([5, 10, 17]);
  });

  it('never retries a definite answer', () => {
    const sut = new RetryPolicy(resolveRetryOptions());
    expect(sut.next(OperationKind.Read, 1, new BadRequestError('BAD_REQUEST', 'b', 400))).toBeUndefined();
    expect(sut.next(OperationKind.Write, 1, new NotFoundError('NOT_FOUND', 'b', 404))).toBeUndefined();
  });

  it('retries an ambiguous write only with retryAmbiguousWrites; unsent and refused writes always', () => {
    const strict = new RetryPolicy(resolveRetryOptions({ retryAmbiguousWrites: false }));
    expect(strict.next(OperationKind.Write, 1, reset)).toBeUndefined();
    expect(strict.next(OperationKind.Write, 1, new InternalError('INTERNAL', 'quorum', 500))).toBeUndefined();
    expect(strict.next(OperationKind.Write, 1, refused)).toBe(0);
    expect(strict.next(OperationKind.Write, 1, new DrainingError('DRAINING', 'd', 503))).toBe(0);
    expect(strict.next(OperationKind.Read, 1, reset)).toBe(0);
    expect(new RetryPolicy(resolveRetryOptions()).next(OperationKind.Write, 1, reset)).toBe(0);
  });

  it('rejects nonsense options by name', () => {
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => resolveRetryOptions({ baseDelayMs: 50, maxDelayMs: 10 })).toThrow(/maxDelayMs/);
  });
});
