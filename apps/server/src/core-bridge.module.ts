import { DynamicModule, Global, Module, type INestApplicationContext } from '@nestjs/common';
import { SHARED_TOKENS } from './core.module';

/**
 * Re-provides the core's singletons to one app with `useValue: core.get(token)`. Each app imports
 * its own bridge; none imports the core module, so no state is constructed twice.
 */
@Global()
@Module({})
export class CoreBridgeModule {
  static from(core: INestApplicationContext): DynamicModule {
    const providers = SHARED_TOKENS.map((token) => ({ provide: token, useValue: core.get(token as never, { strict: false }) }));
    return { module: CoreBridgeModule, providers, exports: [...SHARED_TOKENS] };
  }
}
