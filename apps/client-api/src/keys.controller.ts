import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@hypercache/auth';
import { ApiError } from '@hypercache/http-kit';
import { NODE_CACHE, type KeyPageView, type NodeCache } from '@hypercache/node';
import { ErrorBodyDto, KeyPageDto } from './dto';

/** `GET /v1/cache/keys`: the cluster-wide key browser (client-api.md §5.6). */
@ApiTags('cache')
@Controller('v1/cache')
export class KeysController {
  constructor(@Inject(NODE_CACHE) private readonly data: NodeCache) {}

  @Get('keys')
  @RequireScopes('read')
  @ApiOperation({
    summary: 'Browse keys cluster-wide',
    description:
      'Fans out to every alive member, merges (replicas deduplicated, capped at `max`), sorts by byte order and pages with an offset cursor. `q` without `*`, `?`, `[` is a prefix, otherwise a Go `path.Match` glob.',
  })
  @ApiQuery({ name: 'q', required: false, description: 'prefix, or glob (`*` and `?` do not match `/`)' })
  @ApiQuery({ name: 'cursor', required: false, description: 'offset, default 0' })
  @ApiQuery({ name: 'limit', required: false, description: 'page size, default 100, clamped to 500' })
  @ApiQuery({ name: 'max', required: false, description: 'cap on merged keys, default 10000, clamped to 50000' })
  @ApiResponse({ status: 200, type: KeyPageDto })
  @ApiResponse({ status: 400, description: 'bad cursor, limit, max or glob', type: ErrorBodyDto })
  async keys(
    @Query('q') q: string | undefined,
    @Query('cursor') cursor: string | undefined,
    @Query('limit') limit: string | undefined,
    @Query('max') max: string | undefined,
  ): Promise<KeyPageView> {
    const c = intParam(cursor, 0, 'cursor', 'a non-negative integer', 0);
    const l = Math.min(500, intParam(limit, 100, 'limit', 'a positive integer', 1));
    const m = Math.min(50_000, intParam(max, 10_000, 'max', 'a positive integer', 1));
    // An invalid glob rejects with code BAD_REQUEST (400 through the app's filter).
    return this.data.keys({ pattern: typeof q === 'string' ? q : undefined, cursor: c, limit: l, max: m });
  }
}

function intParam(raw: unknown, fallback: number, name: string, what: string, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new ApiError('BAD_REQUEST', `invalid ${name}: must be ${what}`);
  }
  return Number(raw);
}
