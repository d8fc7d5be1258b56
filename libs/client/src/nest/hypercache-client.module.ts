import { Inject, Injectable, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { HypercacheClient, type HypercacheClientOptions } from '@hypercache/client';
import { HYPERCACHE_CLIENT_OPTIONS } from './hypercache-client.tokens';

/** Options of {@link HypercacheClientModule.forRootAsync}. */
export interface HypercacheClientModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown) | (new (...args: never[]) => unknown)>;
  useFactory: (...deps: any[]) => HypercacheClientOptions | Promise<HypercacheClientOptions>;
  /** Register globally (default true). */
  isGlobal?: boolean;
}

/** Closes the client when the application shuts down. */
@Injectable()
export class HypercacheClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HypercacheClient) readonly client: HypercacheClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

async function connected(o: HypercacheClientOptions): Promise<HypercacheClient> {
  const client = new HypercacheClient(o);
  await client.connect();
  return client;
}

/**
 * Nest wiring of `@hypercache/client`: provides one {@link HypercacheClient} (inject it by class),
 * connected (topology loaded) before the application starts and closed on shutdown.
 */
@Module({})
export class HypercacheClientModule {
  /** Provides a client built from static options. */
  static forRoot(options: HypercacheClientOptions & { isGlobal?: boolean }): DynamicModule {
    const { isGlobal, ...o } = options;
    return {
      module: HypercacheClientModule,
      global: isGlobal ?? true,
      providers: [{ provide: HYPERCACHE_CLIENT_OPTIONS, useValue: o }, { provide: HypercacheClient, inject: [HYPERCACHE_CLIENT_OPTIONS], useFactory: connected }, HypercacheClientLifecycle],
      exports: [HypercacheClient],
    };
  }

  /** Provides a client whose options come from `useFactory` (with injected dependencies). */
  static forRootAsync(options: HypercacheClientModuleAsyncOptions): DynamicModule {
    return {
      module: HypercacheClientModule,
      global: options.isGlobal ?? true,
      imports: options.imports ?? [],
      providers: [
        { provide: HYPERCACHE_CLIENT_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: HypercacheClient, inject: [HYPERCACHE_CLIENT_OPTIONS], useFactory: connected },
        HypercacheClientLifecycle,
      ],
      exports: [HypercacheClient],
    };
  }
}
