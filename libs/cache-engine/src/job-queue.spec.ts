import { NOOP_LOGGER } from './engine-logger';
import { JobQueue } from './job-queue';

describe(JobQueue.name, () => {
  it('runs jobs asynchronously, in order', async () => {
    const sut = new JobQueue(NOOP_LOGGER);
    const seen: number[] = [];
    sut.enqueue(() => seen.push(1));
    sut.enqueue(() => seen.push(2));
    expect(seen).toEqual([]);
    await sut.idle();
    expect(seen).toEqual([1, 2]);
  });

  it('a failing job is logged and does not stop the next', async () => {
    const error = jest.fn();
    const sut = new JobQueue({ ...NOOP_LOGGER, error });
    const seen: number[] = [];
    sut.enqueue(() => {
      throw new Error('boom');
    });
    sut.enqueue(() => seen.push(2));
    await sut.idle();
    expect(seen).toEqual([2]);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ op: 'background_job' }), 'background job failed');
  });

  it('close waits for queued jobs and drops later ones', async () => {
    const sut = new JobQueue(NOOP_LOGGER);
    const seen: number[] = [];
    sut.enqueue(() => seen.push(1));
    await sut.close();
    expect(sut.enqueue(() => seen.push(2))).toBe(false);
    await sut.idle();
    expect(seen).toEqual([1]);
  });
  it('an async job holds the queue until it settles: jobs never overlap, idle and close wait for it, a rejection is logged', async () => {
    const error = jest.fn();
    const sut = new JobQueue({ ...NOOP_LOGGER, error });
    const seen: string[] = [];
    let release!: () => void;
    sut.enqueue(async () => {
      seen.push('a:start');
      await new Promise<void>((resolve) => (release = resolve));
      seen.push('a:end');
    });
    sut.enqueue(() => void seen.push('b'));
    sut.enqueue(() => Promise.reject(new Error('boom')));
    sut.enqueue(() => void seen.push('c'));
    let idle = false;
    const idled = sut.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['a:start']);
    expect(idle).toBe(false);
    release();
    await idled;
    expect(seen).toEqual(['a:start', 'a:end', 'b', 'c']);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ op: 'background_job' }), 'background job failed');
    await sut.close();
  });
});
