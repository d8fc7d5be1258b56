import { DeferredBackend, describeBackendContract } from '@hypercache/cache-engine/testing';
import { InMemoryBackend } from './in-memory-backend';

describeBackendContract('InMemoryBackend', () => new InMemoryBackend<string>());
describeBackendContract('DeferredBackend over InMemoryBackend', () => new DeferredBackend(new InMemoryBackend<string>()));

describe(DeferredBackend.name, () => {
  it('serves calls in call order, never inside the caller’s synchronous frame', async () => {
    const sut = new DeferredBackend(new InMemoryBackend<string>());
    const answers: string[] = [];
    const done = Promise.all([
      Promise.resolve(sut.count()).then(() => answers.push('count')),
      Promise.resolve(sut.get('k')).then(() => answers.push('get')),
      Promise.resolve(sut.remove(['k'])).then(() => answers.push('remove')),
    ]);
    expect(sut.pending).toBe(3);
    expect(sut.served).toEqual([]);
    await done;
    expect(sut.served).toEqual(['count', 'get:k', 'remove:k']);
    expect(answers).toEqual(['count', 'get', 'remove']);
  });
});
