import { Controller, Get, Header, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Public, RequireScopes } from '@hypercache/auth';
import { HyperCache, type StatAggregate } from '@hypercache/cache-engine';
import { formatGoDuration, SERVER_CONFIG, type ServerConfig } from '@hypercache/config';
import { DistributedCache } from '@hypercache/distributed';
import { ApiError } from '@hypercache/http-kit';
import { KEY_OWNERSHIP, MembershipTable, type RingTopology } from '@hypercache/membership';
import { ConfigResponseDto, MembersResponseDto, StatAggregateDto } from './management.dto';

/**
 * Operator routes (management-api.md §2). `/health` is public and stays `ok` while draining;
 * observability routes need `read`, control routes `admin` (auth.md §7).
 */
@ApiTags('management')
@ApiExtraModels(StatAggregateDto)
@Controller()
export class ManagementController {
  constructor(
    private readonly cache: HyperCache<Buffer>,
    private readonly dist: DistributedCache,
    private readonly membership: MembershipTable,
    @Inject(KEY_OWNERSHIP) private readonly topology: RingTopology,
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
  @RequireScopes('read')
  @ApiOperation({ summary: 'Engine statistics', description: 'Map of stat name → aggregate; stats never recorded are absent.' })
  @ApiResponse({ status: 200, schema: { type: 'object', additionalProperties: { $ref: getSchemaPath(StatAggregateDto) } } })
  stats(): Record<string, StatAggregate> {
    return this.cache.getStats();
  }

  @Get('config')
  @RequireScopes('read')
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
      replication: this.topology.ring.replication,
      virtualNodesPerNode: this.topology.ring.virtualNodes,
    };
  }

  @Get('dist/metrics')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Distributed-layer counters and gauges (PascalCase, cumulative since start)' })
  @ApiResponse({ status: 200, schema: { type: 'object', additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string' }] } } })
  distMetrics(): Record<string, number | string> {
    const m = this.dist.metrics;
    const members = this.membership.list();
    m.MembershipVersion = this.membership.version;
    m.MembersAlive = members.filter((x) => x.state === 'alive').length;
    m.MembersSuspect = members.filter((x) => x.state === 'suspect').length;
    m.MembersDead = members.filter((x) => x.state === 'dead').length;
    return m.snapshot();
  }

  @Get('dist/owners')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Ring owners of a key, primary first' })
  @ApiQuery({ name: 'key', required: true })
  @ApiResponse({ status: 200, schema: { type: 'object', properties: { key: { type: 'string' }, owners: { type: 'array', items: { type: 'string' } } } } })
  @ApiResponse({ status: 400, description: '`{"error":"missing cache key"}`' })
  distOwners(@Query('key') key: string | undefined): { key: string; owners: string[] } {
    if (!key) throw new ApiError('BAD_REQUEST', 'missing cache key');
    return { key, owners: [...this.topology.ownersOf(key)] };
  }

  @Get('cluster/members')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Membership as this node sees it (member keys PascalCase, as upstream)' })
  @ApiResponse({ status: 200, type: MembersResponseDto })
  members(): MembersResponseDto {
    return {
      replication: this.topology.ring.replication,
      virtualNodes: this.topology.ring.virtualNodes,
      members: this.membership.snapshot(),
    };
  }

  @Get('cluster/ring')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Ring vnodes ascending by hash, as `<16 hex>:<nodeID>`' })
  @ApiResponse({ status: 200, schema: { type: 'object', properties: { count: { type: 'integer' }, vnodes: { type: 'array', items: { type: 'string' } } } } })
  ring(): { count: number; vnodes: string[] } {
    const vnodes = this.topology.ring.dump();
    return { count: vnodes.length, vnodes };
  }

  @Post('evict')
  @RequireScopes('admin')
  @HttpCode(202)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Trigger an eviction pass', description: 'Non-blocking; coalesced with a pending trigger.' })
  @ApiResponse({ status: 202, description: '`Accepted`' })
  evict(): string {
    this.cache.triggerEviction();
    return 'Accepted';
  }

  @Post('trigger-expiration')
  @RequireScopes('admin')
  @HttpCode(202)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Trigger an expiration sweep', description: 'Debounced and coalesced like expired-read triggers.' })
  @ApiResponse({ status: 202, description: '`Accepted`' })
  triggerExpiration(): string {
    this.cache.triggerExpiration();
    return 'Accepted';
  }

  @Post('clear')
  @RequireScopes('admin')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: "Clear this node's items", description: 'Local only: no tombstones, no fan-out.' })
  @ApiResponse({ status: 200, description: '`OK`' })
  clear(): string {
    this.cache.clear();
    return 'OK';
  }
}
