import { InMemoryBackend } from './backends/in-memory-backend';
import { DeferredBackend, describeAsyncEngineContract } from './testing';

// The engine-level suite the Redis backends also run (libs/redis-backend), here over an in-memory
// backend answering later and in call order.
describeAsyncEngineContract('DeferredBackend over InMemoryBackend', () => new DeferredBackend(new InMemoryBackend<string>()));
