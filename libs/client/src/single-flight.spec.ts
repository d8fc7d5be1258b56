import { SingleFlight } from './single-flight';

describe(SingleFlight.name, () => {
  it('runs the task once for every caller that arrives while it is in flight', async () => {
    let release!: (v: number) => void;
    let calls = 0;
    const sut = new SingleFlight(() => {
      calls++;
      return new Promise<number>((r) => (release = r));
    });
    const waiting = Array.from({ length: 50 }, () => sut.run());
    expect(sut.isRunning).toBe(true);
    release(42);
    expect(await Promise.all(waiting)).toEqual(Array(50).fill(42));
    expect(calls).toBe(1);
    expect(sut.isRunning).toBe(false);
  });

  it('starts a new run after the previous one settled, also after a failure', async () => {
    let n = 0;
    const sut = new SingleFlight(async () => {
      n++;
      if (n === 1) throw new Error('boom');
      return n;
    });
    await expect(Promise.all([sut.run(), sut.run()])).rejects.toThrow('boom');
    expect(await sut.run()).toBe(2);
    expect(sut.runs).toBe(2);
  });
});
