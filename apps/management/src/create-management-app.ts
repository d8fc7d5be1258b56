import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { CLIENT_AUTHENTICATOR, installBearerAuth } from '@hypercache/auth';
import { createFastifyApp } from '@hypercache/http-kit';
import { installRequestLogging } from '@hypercache/telemetry';
import { ManagementModule } from './management.module';
import { buildManagementDocument } from './openapi';

/** Management body limit: 4 MiB (management-api.md §1). */
const MGMT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** Builds the management app (not yet listening), with Swagger UI at `/docs` and JSON at `/docs-json`. */
export async function createManagementApp(core: DynamicModule, log: Logger, version = 'dev'): Promise<NestFastifyApplication> {
  const app = await createFastifyApp(ManagementModule.forRoot(core, log), {
    bodyLimitBytes: MGMT_BODY_LIMIT_BYTES,
    rawBody: false,
    log,
    beforeInit: (fastify, nest) => {
      // Request logs with status and latency, also for requests the auth hook answers.
      installRequestLogging(fastify, log);
      installBearerAuth(fastify, nest.get(CLIENT_AUTHENTICATOR), { publicPrefixes: ['/docs'] });
    },
  });
  SwaggerModule.setup('docs', app, buildManagementDocument(app, version), { ui: true, raw: ['json'] });
  return app;
}
