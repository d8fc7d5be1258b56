import type { HyperCache } from '@hypercache/cache-engine';
import type { DistItem, LocalStore } from './local-store';
import type { VersionStamp } from './version-order';

/**
 * {@link LocalStore} over this node's engine: exact-version writes go through the engine's
 * stamped `set`, so size accounting, capacity and eviction apply to replicated items too.
 * Eviction and expiry sweeps stay local (no tombstones, no fan-out: dist-protocol.md §9).
 */
export class EngineLocalStore implements LocalStore {
  constructor(private readonly engine: HyperCache<Buffer>) {}

  read(key: string): DistItem | undefined {
    // The engine's frozen record copy already has every DistItem field.
    return this.engine.getWithInfo(key);
  }

  readValue(key: string): Buffer | undefined {
    return this.engine.get(key);
  }

  stamp(key: string): VersionStamp | undefined {
    return this.engine.peek(key);
  }

  write(item: DistItem): void {
    this.engine.set(item.key, item.value, item.ttlMs, {
      version: item.version,
      origin: item.origin,
      expiresAtMs: item.expiresAtMs,
    });
  }

  delete(key: string): boolean {
    return this.engine.remove(key) > 0;
  }

  keys(): string[] {
    return this.engine.keys();
  }
}
