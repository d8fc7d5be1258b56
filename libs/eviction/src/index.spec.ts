import * as api from './index';

describe('@hypercache/eviction public API', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AlgorithmNotFoundError',
        'ArcEviction',
        'CawolfuEviction',
        'ClockEviction',
        'DEFAULT_EVICTION_ALGORITHM',
        'EVICTION_ALGORITHMS',
        'EVICTION_ERROR_CODES',
        'EmptyParamError',
        'EvictionError',
        'EvictionRegistry',
        'InvalidCapacityError',
        'InvalidEvictionOptionError',
        'InvalidShardCountError',
        'LfuEviction',
        'LruEviction',
        'NegativeCapacityError',
        'ShardedEviction',
        'createDefaultEvictionRegistry',
        'createEvictionAlgorithm',
        'registerArc',
        'resolveEvictionOptions',
      ].sort(),
    );
  });

  it('builds the default algorithm from the default registry', () => {
    const algo = api.createEvictionAlgorithm(api.createDefaultEvictionRegistry(), { capacity: 3 });
    expect(algo.name).toBe(api.DEFAULT_EVICTION_ALGORITHM);
  });

  it('makes every error an EvictionError with a code', () => {
    const err = new api.AlgorithmNotFoundError('x');
    expect(err).toBeInstanceOf(api.EvictionError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('AlgorithmNotFoundError');
    expect(err.code).toBe(api.EVICTION_ERROR_CODES.algorithmNotFound);
  });
});
