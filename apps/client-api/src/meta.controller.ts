import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@hypercache/auth';
import { OPENAPI_YAML } from './client-api.tokens';

/** Public meta routes: liveness and the OpenAPI document (client-api.md §5.9). */
@ApiTags('meta')
@Controller()
export class MetaController {
  constructor(@Inject(OPENAPI_YAML) private readonly openapi: { yaml: string }) {}

  @Get('healthz')
  @Public()
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Liveness', description: 'No auth; stays 200 while the node drains.' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: '`ok`' })
  healthz(): string {
    return 'ok';
  }

  @Get('v1/openapi.yaml')
  @Public()
  @Header('content-type', 'application/yaml')
  @ApiOperation({ summary: 'This OpenAPI document', description: 'No auth.' })
  @ApiProduces('application/yaml')
  @ApiResponse({ status: 200, description: 'OpenAPI 3.1 YAML' })
  openapiYaml(): string {
    return this.openapi.yaml;
  }
}

