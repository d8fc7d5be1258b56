import { DurationSyntaxError, formatGoDuration, parseGoDurationMs, parseGoDurationNs } from './go-duration';

describe('parseGoDurationNs', () => {
  it.each([
    ['0', 0],
    ['300ms', 300e6],
    ['1s', 1e9],
    ['1.5h', 5400e9],
    ['2h45m', 9900e9],
    ['1m30s', 90e9],
    ['10ns', 10],
    ['3us', 3000],
    ['3µs', 3000],
    ['3μs', 3000],
    ['.5s', 0.5e9],
    ['5.s', 5e9],
    ['-1s', -1e9],
    ['+2m', 120e9],
    ['1h1m1s1ms', 3661001e6],
  ])('parses %s', (input, ns) => {
    expect(parseGoDurationNs(input)).toBeCloseTo(ns, 0);
  });

  it.each(['', '1', '10', 'banana', 's', '.s', '1x', '1s2', '--1s', ' 1s', '1s ', '1 s', '-', '1e3s'])(
    'rejects %j',
    (input) => {
      expect(() => parseGoDurationNs(input)).toThrow(DurationSyntaxError);
    },
  );

  it('names the missing unit as Go does', () => {
    expect(() => parseGoDurationNs('10')).toThrow('time: missing unit in duration "10"');
  });

  it('converts to whole milliseconds', () => {
    expect(parseGoDurationMs('1500us')).toBe(1);
    expect(parseGoDurationMs('5m')).toBe(300_000);
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [300_000, '5m0s'],
    [600_000, '10m0s'],
    [1_800_000, '30m0s'],
    [5_400_000, '1h30m0s'],
    [-2000, '-2s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});
