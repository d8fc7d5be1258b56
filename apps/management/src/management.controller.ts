import { Controller, Get, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Public } from '@hypercache/auth';
import { HyperCache, type StatAggregate } from '@hypercache/cache-engine';
import { formatGoDuration, SERVER_CONFIG, type ServerConfig } from '@hypercache/config';
import { ConfigResponseDto, StatAggregateDto } from './management.dto';

/** Ring settings reported by `/config` until the distributed ring exists: one node owns every key. */
const SINGLE_NODE_REPLICATION = 1;
const VIRTUAL_NODES_PER_NODE = 64;

/** Operator routes (management-api.md §2). `/health` is public and stays `ok` while draining. */
@ApiTags('management')
@ApiBearerAuth('bearerAuth')
@ApiExtraModels(StatAggregateDto)
@Controller()
export class ManagementController {
  constructor(
    private readonly cache: HyperCache<Buffer>,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  @Get('health')
  @Public()
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Process health (upstream behaviour: always ok while serving)' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: '`ok`' })
  health(): string {
    return 'ok';
  }

  @Get('stats')
  @ApiOperation({ summary: 'Engine statistics', description: 'Map of stat name → aggregate; stats never recorded are absent.' })
  @ApiResponse({ status: 200, schema: { type: 'object', additionalProperties: { $ref: getSchemaPath(StatAggregateDto) } } })
  stats(): Record<string, StatAggregate> {
    return this.cache.getStats();
  }

  @Get('config')
  @ApiOperation({ summary: 'Effective configuration (no secrets)' })
  @ApiResponse({ status: 200, type: ConfigResponseDto })
  configView(): ConfigResponseDto {
    return {
      capacity: this.cache.capacity(),
      allocation: this.cache.allocation(),
      maxCacheSize: this.cache.maxCacheSize(),
      evictionInterval: formatGoDuration(this.config.evictionIntervalMs),
      expirationInterval: formatGoDuration(this.config.expirationIntervalMs),
      evictionAlgorithm: this.config.evictionAlgorithm,
      replication: SINGLE_NODE_REPLICATION,
      virtualNodesPerNode: VIRTUAL_NODES_PER_NODE,
    };
  }

  @Post('evict')
  @HttpCode(202)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Trigger an eviction pass', description: 'Non-blocking; coalesced with a pending trigger.' })
  @ApiResponse({ status: 202, description: '`Accepted`' })
  evict(): string {
    this.cache.triggerEviction();
    return 'Accepted';
  }

  @Post('trigger-expiration')
  @HttpCode(202)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Trigger an expiration sweep', description: 'Debounced and coalesced like expired-read triggers.' })
  @ApiResponse({ status: 202, description: '`Accepted`' })
  triggerExpiration(): string {
    this.cache.triggerExpiration();
    return 'Accepted';
  }

  @Post('clear')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: "Clear this node's items", description: 'Local only: no tombstones, no fan-out.' })
  @ApiResponse({ status: 200, description: '`OK`' })
  clear(): string {
    this.cache.clear();
    return 'OK';
  }
}
