import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI 3.1 document of the management listener (management-api.md), served as Swagger UI
 * at `/docs` and JSON at `/docs-json`. Security scheme `bearerAuth` as on the client API.
 */
export function buildManagementDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('HyperCache management API')
    .setDescription(
      'Operator listener of a HyperCache node: probes, statistics, configuration, cluster introspection, ' +
        'Prometheus metrics, the topology event stream and control actions. Payload casing follows upstream ' +
        '(PascalCase where upstream serializes untagged Go structs). Errors are `{error, code}`.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'bearerAuth')
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  const scheme = doc.components?.securitySchemes?.bearerAuth as { bearerFormat?: string } | undefined;
  if (scheme) delete scheme.bearerFormat;
  return doc;
}
