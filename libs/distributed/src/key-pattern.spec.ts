import { compileKeyPattern, InvalidGlobError } from './key-pattern';

describe(compileKeyPattern.name, () => {
  it.each([
    // [pattern, key, matches] — prefix mode
    ['user', 'user/42', true],
    ['user', 'use', false],
    ['', 'anything', true],
    // glob mode, Go path.Match semantics
    ['user*', 'user42', true],
    ['user*', 'user/42', false],
    ['user/*', 'user/42', true],
    ['*', '', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['a?c', 'abbc', false],
    ['[abc]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[^a-c]x', 'dx', true],
    ['[^a-c]x', 'ax', false],
    ['\\*x', '*x', true],
    ['\\*x', 'ax', false],
    ['first-*', 'first-10', true],
    ['*-1', 'first-1', true],
    ['*-1', 'first-10', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['a\\', 'a\\b', true],
    ['ü?', 'üx', true],
  ])('%j vs %j → %s', (pattern, key, expected) => {
    expect(compileKeyPattern(pattern)(key)).toBe(expected);
  });

  it.each(['[', '[a', '[a-', '[]', '[]a]', 'a*\\', '[a-]', '[-a]', '[a\\'])('rejects the malformed glob %j', (pattern) => {
    expect(() => compileKeyPattern(pattern)).toThrow(InvalidGlobError);
    try {
      compileKeyPattern(pattern);
    } catch (e) {
      expect((e as InvalidGlobError).code).toBe('BAD_REQUEST');
      expect((e as Error).message).toContain('invalid glob pattern');
    }
  });
});
