import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Title, description and version of one listener's OpenAPI document. */
export interface OpenApiInfo {
  readonly title: string;
  readonly description: string;
  readonly version: string;
}

/**
 * Builds the OpenAPI 3.1 document of a listener from its controllers' decorators, with the
 * security scheme `bearerAuth` = HTTP bearer. Tokens are opaque (shared secret, scoped tokens) or
 * JWTs (OIDC), so the scheme carries no `bearerFormat` (docs/decisions.md S19).
 */
export function buildOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'bearerAuth')
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  const scheme = doc.components?.securitySchemes?.bearerAuth as { bearerFormat?: string } | undefined;
  if (scheme) delete scheme.bearerFormat;
  return doc;
}
