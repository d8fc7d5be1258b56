import { DynamicModule, Module } from '@nestjs/common';
import { BatchController } from './batch.controller';
import { CacheController } from './cache.controller';
import { KeysController } from './keys.controller';
import { MetaController } from './meta.controller';
import { OPENAPI_YAML } from './openapi.tokens';
import { OwnersController } from './owners.controller';

/**
 * Root module of the client API app (port 8080). `core` is the bridge that re-provides the
 * process's shared singletons; this module constructs no state of its own.
 */
@Module({})
export class ClientApiModule {
  static forRoot(core: DynamicModule): DynamicModule {
    return {
      module: ClientApiModule,
      imports: [core],
      controllers: [MetaController, KeysController, CacheController, BatchController, OwnersController],
      providers: [
        { provide: OPENAPI_YAML, useValue: { yaml: '' } },
      ],
    };
  }
}
