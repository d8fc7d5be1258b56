import { cacheOf } from './testing/engine-test-kit';
import { Typed } from './typed';

const isNumber = (v: unknown): v is number => typeof v === 'number';

describe(Typed.name, () => {
  function setup() {
    const engine = cacheOf<unknown>();
    engine.set('num', 1);
    engine.set('str', 'one');
    return { engine, sut: new Typed(engine, isNumber) };
  }

  it('get is fail-soft: wrong type or miss → undefined', () => {
    const { sut } = setup();
    expect(sut.get('num')).toBe(1);
    expect(sut.get('str')).toBeUndefined();
    expect(sut.get('none')).toBeUndefined();
  });

  it('getTyped throws NOT_FOUND on a miss and a type mismatch on a wrong type', () => {
    const { sut } = setup();
    expect(sut.getTyped('num')).toBe(1);
    expect(() => sut.getTyped('none')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => sut.getTyped('str')).toThrow(expect.objectContaining({ name: 'TypeMismatchError', code: 'INTERNAL' }));
  });

  it('getWithInfo returns item and value on a typed hit only', () => {
    const { sut } = setup();
    expect(sut.getWithInfo('num')).toMatchObject({ value: 1, item: { key: 'num' } });
    expect(sut.getWithInfo('str')).toBeUndefined();
  });

  it('getOrSet never overwrites a wrong-typed value and rejects with a type mismatch', async () => {
    const { sut, engine } = setup();
    await expect(sut.getOrSet('str', 2)).rejects.toMatchObject({ name: 'TypeMismatchError' });
    expect(engine.get('str')).toBe('one');
    await expect(sut.getOrSet('new', () => 3)).resolves.toBe(3);
  });

  it('getMultiple moves wrong-typed hits to failed', () => {
    const { sut } = setup();
    const { found, failed } = sut.getMultiple(['num', 'str', 'none']);
    expect([...found]).toEqual([['num', 1]]);
    expect(failed.get('str')?.name).toBe('TypeMismatchError');
    expect(failed.get('none')?.code).toBe('NOT_FOUND');
  });

  it('several views share one engine; remove and clear pass through', () => {
    const { engine, sut } = setup();
    const strings = new Typed(engine, (v: unknown): v is string => typeof v === 'string');
    sut.set('n2', 2);
    expect(strings.get('str')).toBe('one');
    expect(sut.remove('n2', 'num')).toBe(2);
    strings.clear();
    expect(engine.count()).toBe(0);
  });
});
