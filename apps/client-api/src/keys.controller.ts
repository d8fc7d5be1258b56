import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InvalidGlobError, KeyBrowser, type KeyPage } from '@hypercache/distributed';
import { ApiError } from '@hypercache/http-kit';
import { ErrorBodyDto, KeyPageDto } from './dto';

/** `GET /v1/cache/keys`: the cluster-wide key browser (client-api.md §5.6). */
@ApiTags('cache')
@ApiBearerAuth('bearerAuth')
@Controller('v1/cache')
export class KeysController {
  constructor(private readonly browser: KeyBrowser) {}

  @Get('keys')
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
  ): Promise<KeyPage> {
    const c = intParam(cursor, 0, 'cursor', 'a non-negative integer', 0);
    const l = Math.min(500, intParam(limit, 100, 'limit', 'a positive integer', 1));
    const m = Math.min(50_000, intParam(max, 10_000, 'max', 'a positive integer', 1));
    try {
      return await this.browser.page(typeof q === 'string' ? q : undefined, c, l, m);
    } catch (e) {
      if (e instanceof InvalidGlobError) throw new ApiError('BAD_REQUEST', e.message);
      throw e;
    }
  }
}

function intParam(raw: unknown, fallback: number, name: string, what: string, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new ApiError('BAD_REQUEST', `invalid ${name}: must be ${what}`);
  }
  return Number(raw);
}
