import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { ServerConfig } from '@hypercache/config';
import { createFastifyApp } from '@hypercache/http-kit';
import { CLIENT_AUTHENTICATOR, installBearerAuth } from '@hypercache/auth';
import { NodeState } from '@hypercache/membership';
import { ClientApiModule } from './client-api.module';
import { installDrainGate } from './drain-gate';
import { buildClientApiDocument, documentToYaml } from './openapi';
import { OPENAPI_YAML } from './openapi.tokens';

/**
 * Builds the client API app (not yet listening): raw-byte bodies capped at `maxBodyBytes`,
 * the OpenAPI document at `/v1/openapi.yaml` and Swagger UI at `/docs`. With `https`, the
 * listener speaks TLS, and with `https.ca` it requires and verifies client certificates (mTLS,
 * auth.md §6); plaintext, TLS and mTLS share every other line.
 */
export async function createClientApiApp(
  core: DynamicModule,
  config: ServerConfig,
  log: Logger,
  version: string,
  https?: { cert: Buffer; key: Buffer; ca?: Buffer },
): Promise<NestFastifyApplication> {
  const app = await createFastifyApp(ClientApiModule.forRoot(core), {
    bodyLimitBytes: config.maxBodyBytes,
    https,
    rawBody: true,
    log,
    keepAliveTimeoutMs: 60_000,
    beforeInit: (fastify, nest) => {
      installBearerAuth(fastify, nest.get(CLIENT_AUTHENTICATOR), { publicPrefixes: ['/docs'] });
      installDrainGate(fastify, nest.get(NodeState));
    },
  });
  const doc = buildClientApiDocument(app, version);
  app.get<{ yaml: string }>(OPENAPI_YAML).yaml = documentToYaml(doc);
  SwaggerModule.setup('docs', app, doc, { raw: false, ui: true, swaggerOptions: { persistAuthorization: true } });
  return app;
}
