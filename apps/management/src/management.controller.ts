import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@hypercache/auth';

/** Operator routes (management-api.md §2). `/health` is public and stays `ok` while draining. */
@ApiTags('management')
@Controller()
export class ManagementController {
  @Get('health')
  @Public()
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Process health (upstream behaviour: always ok while serving)' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: '`ok`' })
  health(): string {
    return 'ok';
  }
}
