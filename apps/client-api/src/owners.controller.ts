import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@hypercache/auth';
import { SERVER_CONFIG, type ServerConfig } from '@hypercache/config';
import { KEY_OWNERSHIP, type KeyOwnership } from '@hypercache/membership';
import { ErrorBodyDto, OwnersResponseDto } from './dto';
import { checkKey } from './request-parsing';

/** `GET /v1/owners/:key`: ring owners from this node's current view (client-api.md §5.5). */
@ApiTags('cluster')
@Controller('v1/owners')
export class OwnersController {
  constructor(
    @Inject(KEY_OWNERSHIP) private readonly ownership: KeyOwnership,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  @Get(':key')
  @RequireScopes('read')
  @ApiOperation({ summary: 'Ring owners of a key', description: 'Pure ring computation; works for never-written keys.' })
  @ApiParam({ name: 'key' })
  @ApiResponse({ status: 200, type: OwnersResponseDto })
  @ApiResponse({ status: 400, type: ErrorBodyDto })
  owners(@Param('key') key: string): OwnersResponseDto {
    checkKey(key, this.config.maxKeyLength);
    return { key, owners: [...this.ownership.ownersOf(key)], node: this.ownership.nodeId };
  }
}
