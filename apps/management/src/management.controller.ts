import { Controller, Get, Header, HttpCode, Inject, Optional, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Public, RequireScopes } from '@hypercache/auth';
import { formatGoDuration } from '@hypercache/config';
import { DistMetrics } from '@hypercache/distributed';
import { ApiError } from '@hypercache/http-kit';
import { KEY_OWNERSHIP, type RingTopology } from '@hypercache/membership';
import { NODE_CACHE, NodeMetrics, NodeState, NotClusteredError, type NodeCache, type NodeStats } from '@hypercache/node';
import { PROMETHEUS_CONTENT_TYPE, PrometheusMetrics } from '@hypercache/telemetry';
import { ConfigResponseDto, DrainResponseDto, HeartbeatResponseDto, MembersResponseDto, OwnersResponseDto, RingResponseDto, StatAggregateDto } from './management.dto';

/** `/dist/metrics` schema: every DistMetrics field, integers but the one string (management-api.md §5). */
const DIST_METRICS_SCHEMA = {
  type: 'object',
  properties: Object.fromEntries(
    Object.entries(new DistMetrics()).map(([k, v]) => [k, typeof v === 'string' ? { type: 'string' } : { type: 'integer', format: 'int64' }]),
  ),
};

/** A current value in the `/stats` aggregate shape (management-api.md §3): one sample. */
function gaugeAggregate(v: number): NodeStats[string] {
  return { Mean: v, Median: v, Min: v, Max: v, Values: [v], Count: 1, Sum: v, Variance: 0 };
}

/**
 * Operator routes (management-api.md §2). `/health` is public and stays `ok` while draining;
 * observability routes need `read`, control routes `admin` (auth.md §7).
 */
@ApiTags('management')
@ApiExtraModels(StatAggregateDto)
@Controller()
export class ManagementController {
  constructor(
    @Inject(NODE_CACHE) private readonly data: NodeCache,
    // Absent on a node over Redis: the ring route answers 501 NOT_CLUSTERED (docs/decisions.md B20).
    @Optional() @Inject(KEY_OWNERSHIP) private readonly topology: RingTopology | undefined,
    private readonly metrics: NodeMetrics,
    private readonly node: NodeState,
    private readonly prometheusMetrics: PrometheusMetrics,
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
  @ApiOperation({
    summary: 'Engine statistics',
    description:
      'Map of stat name → aggregate; stats never recorded are absent. Memory gauges (`memory_used_bytes`, `memory_limit_bytes`, `process_rss_bytes`, `hint_queue_items`, `hint_queue_bytes`, `tombstones_active`) are current values, each as a one-sample aggregate.',
  })
  @ApiResponse({ status: 200, schema: { type: 'object', additionalProperties: { $ref: getSchemaPath(StatAggregateDto) } } })
  stats(): NodeStats {
    const m = this.metrics.memorySnapshot();
    return {
      ...this.data.maintenance.stats(),
      memory_used_bytes: gaugeAggregate(m.usedBytes),
      memory_limit_bytes: gaugeAggregate(m.limitBytes),
      process_rss_bytes: gaugeAggregate(m.rssBytes),
      hint_queue_items: gaugeAggregate(m.hintItems),
      hint_queue_bytes: gaugeAggregate(m.hintBytes),
      tombstones_active: gaugeAggregate(m.tombstones),
    };
  }

  @Get('config')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Effective configuration (no secrets)' })
  @ApiResponse({ status: 200, type: ConfigResponseDto })
  configView(): ConfigResponseDto {
    const c = this.data.maintenance.config();
    return {
      capacity: c.capacity,
      allocation: c.allocation,
      maxCacheSize: c.maxCacheSize,
      evictionInterval: formatGoDuration(c.evictionIntervalMs),
      expirationInterval: formatGoDuration(c.expirationIntervalMs),
      evictionAlgorithm: c.evictionAlgorithm,
      replication: c.replication,
      virtualNodesPerNode: c.virtualNodesPerNode,
    };
  }

  @Get('dist/metrics')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Distributed-layer counters and gauges (PascalCase, cumulative since start)' })
  @ApiResponse({ status: 200, schema: DIST_METRICS_SCHEMA })
  @ApiResponse({ status: 501, description: '`NOT_CLUSTERED`: the node runs over Redis (`HYPERCACHE_BACKEND=redis|redis-cluster`)' })
  distMetrics(): Record<string, number | string> {
    return this.metrics.distSnapshot();
  }

  @Get('dist/owners')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Ring owners of a key, primary first' })
  @ApiQuery({ name: 'key', required: true })
  @ApiResponse({ status: 200, type: OwnersResponseDto })
  @ApiResponse({ status: 400, description: '`{"error":"missing cache key","code":"BAD_REQUEST"}`' })
  distOwners(@Query('key') key: string | undefined): OwnersResponseDto {
    if (!key) throw new ApiError('BAD_REQUEST', 'missing cache key');
    return { key, owners: [...this.data.ownersOf(key)] };
  }

  @Get('cluster/members')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Membership as this node sees it (member keys PascalCase, as upstream)' })
  @ApiResponse({ status: 200, type: MembersResponseDto })
  @ApiResponse({ status: 501, description: '`NOT_CLUSTERED`: the node runs over Redis (`HYPERCACHE_BACKEND=redis|redis-cluster`)' })
  members(): MembersResponseDto {
    return this.metrics.members();
  }

  @Get('cluster/heartbeat')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Failure-detector counters (camelCase, cumulative since start)' })
  @ApiResponse({ status: 200, type: HeartbeatResponseDto })
  @ApiResponse({ status: 501, description: '`NOT_CLUSTERED`: the node runs over Redis (`HYPERCACHE_BACKEND=redis|redis-cluster`)' })
  heartbeat(): HeartbeatResponseDto {
    return this.metrics.heartbeat();
  }

  @Get('cluster/ring')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Ring vnodes ascending by hash, as `<16 hex>:<nodeID>`' })
  @ApiResponse({ status: 200, type: RingResponseDto })
  @ApiResponse({ status: 501, description: '`NOT_CLUSTERED`: the node runs over Redis (`HYPERCACHE_BACKEND=redis|redis-cluster`)' })
  ring(): RingResponseDto {
    if (this.topology === undefined) throw new NotClusteredError('/cluster/ring');
    const vnodes = this.topology.ring.dump();
    return { count: vnodes.length, vnodes };
  }

  @Get('metrics')
  @RequireScopes('read')
  @Header('content-type', PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({
    summary: 'Prometheus metrics (text format 0.0.4)',
    description: 'Every `dist.*` instrument (as `dist_*`, counters with `_total`), engine `cache_*` and `http_server_*` series; one snapshot per scrape.',
  })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition' })
  prometheus(): Promise<string> {
    return this.prometheusMetrics.scrape();
  }

  @Post('dist/drain')
  @RequireScopes('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Drain this node (admin)',
    description: 'One-way until restart: client writes answer `503 DRAINING`, reads continue, `/readyz` turns 503. Same as the dist listener route.',
  })
  @ApiResponse({ status: 200, type: DrainResponseDto })
  drain(): DrainResponseDto {
    this.node.drain();
    return { draining: true };
  }

  @Post('evict')
  @RequireScopes('admin')
  @HttpCode(202)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Trigger an eviction pass', description: 'Non-blocking; coalesced with a pending trigger.' })
  @ApiResponse({ status: 202, description: '`Accepted`' })
  evict(): string {
    this.data.maintenance.triggerEviction();
    return 'Accepted';
  }

  @Post('trigger-expiration')
  @RequireScopes('admin')
  @HttpCode(202)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Trigger an expiration sweep', description: 'Debounced and coalesced like expired-read triggers.' })
  @ApiResponse({ status: 202, description: '`Accepted`' })
  triggerExpiration(): string {
    this.data.maintenance.triggerExpiration();
    return 'Accepted';
  }

  @Post('clear')
  @RequireScopes('admin')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: "Clear this node's items", description: 'Local only: no tombstones, no fan-out. Over Redis: deletes the keys under `HYPERCACHE_REDIS_KEY_PREFIX` only.' })
  @ApiResponse({ status: 200, description: '`OK`' })
  async clear(): Promise<string> {
    // Over Redis: deletes this node's key prefix only (other keys of the database survive).
    await this.data.maintenance.clear();
    return 'OK';
  }
}
