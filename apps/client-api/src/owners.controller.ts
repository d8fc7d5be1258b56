import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@hypercache/auth';
import { NODE_CACHE, type NodeCache } from '@hypercache/node';
import { CLIENT_API_LIMITS, type ClientApiLimits } from './client-api.tokens';
import { ErrorBodyDto, OwnersResponseDto } from './dto';
import { checkKey } from './request-parsing';

/** `GET /v1/owners/:key`: ring owners from this node's current view (client-api.md §5.5). */
@ApiTags('cluster')
@Controller('v1/owners')
export class OwnersController {
  constructor(
    @Inject(NODE_CACHE) private readonly data: NodeCache,
    @Inject(CLIENT_API_LIMITS) private readonly limits: ClientApiLimits,
  ) {}

  @Get(':key')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Ring owners of a key', description: 'Pure ring computation; works for never-written keys.' })
  @ApiParam({ name: 'key' })
  @ApiResponse({ status: 200, type: OwnersResponseDto })
  @ApiResponse({ status: 400, type: ErrorBodyDto })
  owners(@Param('key') key: string): OwnersResponseDto {
    checkKey(key, this.limits.maxKeyLength);
    return { key, owners: [...this.data.ownersOf(key)], node: this.data.nodeId };
  }
}
