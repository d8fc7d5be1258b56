import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { HybridCache, InvalidOptionError, type HybridCacheOptions } from '@hypercache/hybrid-cache';
import { getCacheToken } from './hybrid-cache.tokens';

/** Options of {@link HybridCacheModule.forRoot}: one entry per named cache (`cacheName` defaults to the key). */
export interface HybridCacheModuleOptions {
  caches: Record<string, HybridCacheOptions>;
  /** Register the caches globally (default true). */
  isGlobal?: boolean;
}

/** Options of {@link HybridCacheModule.forRootAsync}: the cache names are static, their options come from a factory. */
export interface HybridCacheModuleAsyncOptions {
  /** Names of the caches the factory configures (their tokens must be known up front). */
  names: string[];
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown) | (new (...args: never[]) => unknown)>;
  useFactory: (...deps: any[]) => Record<string, HybridCacheOptions> | Promise<Record<string, HybridCacheOptions>>;
  isGlobal?: boolean;
}

/** Owns the caches of one module import; closes them when the application shuts down. */
export class HybridCacheRegistry implements OnApplicationShutdown {
  constructor(readonly caches: ReadonlyMap<string, HybridCache>) {}

  /** The cache named `name`. */
  get(name: string): HybridCache {
    const c = this.caches.get(name);
    if (c === undefined) throw new InvalidOptionError('cache', name, 'is not registered');
    return c;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.close()));
  }
}

async function createCaches(names: readonly string[], options: Record<string, HybridCacheOptions>): Promise<HybridCacheRegistry> {
  const caches = new Map<string, HybridCache>();
  try {
    for (const name of names) {
      const o = options[name];
      if (o === undefined) throw new InvalidOptionError(`caches.${name}`, o, 'is missing from the factory result');
      caches.set(name, await HybridCache.create({ cacheName: name, ...o }));
    }
  } catch (err) {
    await Promise.all([...caches.values()].map((c) => c.close()));
    throw err;
  }
  return new HybridCacheRegistry(caches);
}

/**
 * Nest wiring of the hybrid cache: several named caches, each injectable with `@InjectCache(name)`,
 * all closed on application shutdown. A thin module around plain classes.
 */
@Module({})
export class HybridCacheModule {
  /** Registers the caches of `options.caches`. */
  static forRoot(options: HybridCacheModuleOptions): DynamicModule {
    const names = Object.keys(options.caches);
    if (names.length === 0) throw new InvalidOptionError('caches', options.caches, 'must name at least one cache');
    const registry = Symbol('HybridCacheRegistry');
    return dynamicModule(names, registry, { provide: registry, useFactory: () => createCaches(names, options.caches) }, options.isGlobal, []);
  }

  /** Registers the caches named in `options.names`, configured by `useFactory` (with injected dependencies). */
  static forRootAsync(options: HybridCacheModuleAsyncOptions): DynamicModule {
    if (options.names.length === 0) throw new InvalidOptionError('names', options.names, 'must name at least one cache');
    const registry = Symbol('HybridCacheRegistry');
    const provider: Provider = {
      provide: registry,
      inject: options.inject ?? [],
      useFactory: async (...deps: unknown[]) => createCaches(options.names, await options.useFactory(...deps)),
    };
    return dynamicModule(options.names, registry, provider, options.isGlobal, options.imports ?? []);
  }
}

function dynamicModule(names: readonly string[], registry: symbol, registryProvider: Provider, isGlobal: boolean | undefined, imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
  const cacheProviders: Provider[] = names.map((name) => ({
    provide: getCacheToken(name),
    inject: [registry],
    useFactory: (r: HybridCacheRegistry) => r.get(name),
  }));
  return {
    module: HybridCacheModule,
    global: isGlobal ?? true,
    imports,
    providers: [registryProvider, ...cacheProviders, { provide: HybridCacheRegistry, useExisting: registry }],
    exports: [...cacheProviders.map((p) => (p as { provide: string }).provide), HybridCacheRegistry],
  };
}

/** Parameter decorator injecting the cache named `name` (default `'default'`). */
export function InjectCache(name = 'default'): PropertyDecorator & ParameterDecorator {
  return Inject(getCacheToken(name));
}
