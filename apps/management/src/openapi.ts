import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '@hypercache/http-kit';

/**
 * The OpenAPI 3.1 document of the management listener (management-api.md), served as Swagger UI
 * at `/docs` and JSON at `/docs-json`. Security scheme `bearerAuth` as on the client API.
 */
export function buildManagementDocument(app: INestApplication, version: string): OpenAPIObject {
  return buildOpenApiDocument(app, {
    title: 'HyperCache management API',
    description:
      'Operator listener of a HyperCache node: probes, statistics, configuration, cluster introspection, ' +
      'Prometheus metrics, the topology event stream and control actions. Payload casing follows upstream ' +
      '(PascalCase where upstream serializes untagged Go structs). Errors are `{error, code}`.',
    version,
  });
}
