import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { stringify } from 'yaml';

/**
 * Builds the OpenAPI 3.1 document of the client API from the controllers' decorators
 * (title "HyperCache HTTP API", security scheme `bearerAuth` = HTTP bearer; client-api.md §5.9).
 */
export function buildClientApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('HyperCache HTTP API')
    .setDescription(
      'Client API of a HyperCache node. Values are opaque bytes; JSON forms carry them base64-encoded. ' +
        'Keys in paths are percent-decoded exactly once. Errors are `{error, code}`; clients key off `code`.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'bearerAuth')
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  // Tokens are opaque (shared secret, scoped tokens) or JWTs (OIDC): no bearerFormat claim.
  const scheme = doc.components?.securitySchemes?.bearerAuth as { bearerFormat?: string } | undefined;
  if (scheme) delete scheme.bearerFormat;
  return doc;
}

/** The document as YAML, as served at `/v1/openapi.yaml`. */
export function documentToYaml(doc: OpenAPIObject): string {
  return stringify(doc, { aliasDuplicateObjects: false });
}
