import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@hypercache/auth';
import type { TopologyReporter, TopologyView } from '@hypercache/node';
import { CLIENT_TOPOLOGY } from './client-api.tokens';
import { TopologyResponseDto } from './dto';

/**
 * `GET /v1/topology` (issue 17): members with their state and client API URL, the replication
 * factor and every ring point, so a client computes owners locally with the server's ring code.
 */
@ApiTags('cluster')
@Controller('v1/topology')
export class TopologyController {
  constructor(@Inject(CLIENT_TOPOLOGY) private readonly topology: TopologyReporter) {}

  @Get()
  @RequireScopes('read')
  @ApiOperation({
    summary: 'Cluster topology for client-side routing',
    description:
      'The members this node knows (state, incarnation, client API URL, whether on the ring), the replication factor, virtual nodes per member and the ring points ascending by hash. `ringVersion` is equal on nodes with the same ring and changes whenever its members change.',
  })
  @ApiResponse({ status: 200, type: TopologyResponseDto })
  view(): TopologyView {
    return this.topology.view();
  }
}
