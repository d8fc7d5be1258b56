import { DynamicModule, Module } from '@nestjs/common';
import { CLOCK, type Clock } from '@hypercache/config';
import { NODE_CACHE, type EventJournal, type NodeCache, type TopologyReporter } from '@hypercache/node';
import { BatchController } from './batch.controller';
import { CacheController } from './cache.controller';
import { CacheRoutes } from './cache-routes';
import { CLIENT_API_LIMITS, CLIENT_EVENTS, CLIENT_TOPOLOGY, OPENAPI_YAML, type ClientApiLimits } from './client-api.tokens';
import { KeysController } from './keys.controller';
import { MeController } from './me.controller';
import { MetaController } from './meta.controller';
import { EventsController } from './events.controller';
import { OwnersController } from './owners.controller';
import { TopologyController } from './topology.controller';

/** What the client API is given by the core: the data seam, the clock and its limits. */
export interface ClientApiProviders {
  readonly data: NodeCache;
  readonly clock: Clock;
  readonly limits: ClientApiLimits;
  /** `GET /v1/topology` source; undefined on a node over Redis (501 NOT_CLUSTERED). */
  readonly topology: TopologyReporter | undefined;
  /** `GET /v1/events` journal; undefined on a node over Redis (501 NOT_CLUSTERED). */
  readonly events: EventJournal | undefined;
  /** Handlers of the value routes; built from `data`, `clock` and `limits` when not given. */
  readonly cacheRoutes?: CacheRoutes;
}

/**
 * Root module of the client API app (port 8080). It constructs no state of its own: the data
 * seam and the clock come from the core (`useValue`), so every app shares the node's instances.
 */
@Module({})
export class ClientApiModule {
  static forRoot(p: ClientApiProviders): DynamicModule {
    return {
      module: ClientApiModule,
      controllers: [MetaController, KeysController, CacheController, BatchController, OwnersController, MeController, TopologyController, EventsController],
      providers: [
        { provide: NODE_CACHE, useValue: p.data },
        { provide: CLOCK, useValue: p.clock },
        { provide: CLIENT_API_LIMITS, useValue: p.limits },
        { provide: CLIENT_TOPOLOGY, useValue: p.topology ?? null },
        { provide: CLIENT_EVENTS, useValue: p.events ?? null },
        { provide: OPENAPI_YAML, useValue: { yaml: '' } },
        { provide: CacheRoutes, useValue: p.cacheRoutes ?? new CacheRoutes({ data: p.data, clock: p.clock, maxKeyLength: p.limits.maxKeyLength }) },
      ],
    };
  }
}
