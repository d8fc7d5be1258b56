import { MAX_RFC3339_MS, MIN_RFC3339_MS, formatRfc3339, parseRfc3339 } from './rfc3339';

describe('parseRfc3339', () => {
  it.each<[string, number]>([
    ['2026-01-02T03:04:05Z', Date.UTC(2026, 0, 2, 3, 4, 5)],
    ['2026-01-02T03:04:05.1Z', Date.UTC(2026, 0, 2, 3, 4, 5, 100)],
    ['2026-01-02T03:04:05.123456789Z', Date.UTC(2026, 0, 2, 3, 4, 5, 123)],
    ['2026-01-02t03:04:05.999999999z', Date.UTC(2026, 0, 2, 3, 4, 5, 999)],
    ['2026-01-02T05:04:05+02:00', Date.UTC(2026, 0, 2, 3, 4, 5)],
    ['2026-01-01T23:30:00-01:30', Date.UTC(2026, 0, 2, 1, 0, 0)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0001-01-01T00:00:00Z', MIN_RFC3339_MS],
    ['9999-12-31T23:59:59.999Z', MAX_RFC3339_MS],
  ])('parses %s', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    '2026-01-02 03:04:05Z',
    '2026-01-02T03:04:05',
    '2026-1-02T03:04:05Z',
    '2026-01-02T24:00:00Z',
    '2026-01-02T03:60:00Z',
    '2026-01-02T03:04:60Z',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-02T03:04:05.Z',
    '2026-01-02T03:04:05.1234567890Z',
    '2026-01-02T03:04:05+24:00',
    '2026-01-02T03:04:05+0100',
    '',
  ])('rejects %p', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe('formatRfc3339', () => {
  it.each<[number, string]>([
    [0, '1970-01-01T00:00:00.000Z'],
    [Date.UTC(2026, 0, 2, 3, 4, 5, 6), '2026-01-02T03:04:05.006Z'],
    [MIN_RFC3339_MS, '0001-01-01T00:00:00.000Z'],
    [MAX_RFC3339_MS, '9999-12-31T23:59:59.999Z'],
  ])('formats %d as %s and parses it back', (ms, text) => {
    expect(formatRfc3339(ms)).toBe(text);
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([MIN_RFC3339_MS - 1, MAX_RFC3339_MS + 1, 1.5, Number.NaN])('refuses %p', (ms) => {
    expect(formatRfc3339(ms)).toBeUndefined();
  });
});
