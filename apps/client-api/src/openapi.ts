import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { stringify } from 'yaml';
import { buildOpenApiDocument } from '@hypercache/http-kit';

/**
 * Builds the OpenAPI 3.1 document of the client API from the controllers' decorators
 * (title "HyperCache HTTP API", security scheme `bearerAuth` = HTTP bearer; client-api.md §5.9).
 */
export function buildClientApiDocument(app: INestApplication, version: string): OpenAPIObject {
  return buildOpenApiDocument(app, {
    title: 'HyperCache HTTP API',
    description:
      'Client API of a HyperCache node. Values are opaque bytes; JSON forms carry them base64-encoded. ' +
      'Keys in paths are percent-decoded exactly once. Errors are `{error, code}`; clients key off `code`.',
    version,
  });
}

/** The document as YAML, as served at `/v1/openapi.yaml`. */
export function documentToYaml(doc: OpenAPIObject): string {
  return stringify(doc, { aliasDuplicateObjects: false });
}
