import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { installAuth, type AuthPolicy } from '@hypercache/auth';
import { createFastifyApp } from '@hypercache/http-kit';
import { installRequestLogging } from '@hypercache/telemetry';
import { ManagementModule, type ManagementProviders } from './management.module';
import { buildManagementDocument } from './openapi';

/** Management body limit: 4 MiB (management-api.md §1). */
const MGMT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** What the management app takes from the core. */
export interface ManagementDeps extends ManagementProviders {
  /** The client API / management policy (shared with the client API). */
  readonly auth: AuthPolicy;
}

/** Builds the management app (not yet listening), with Swagger UI at `/docs` and JSON at `/docs-json`. */
export async function createManagementApp(deps: ManagementDeps, l: { log: Logger; version?: string }): Promise<NestFastifyApplication> {
  const app = await createFastifyApp(ManagementModule.forRoot(deps), {
    bodyLimitBytes: MGMT_BODY_LIMIT_BYTES,
    rawBody: false,
    log: l.log,
    beforeInit: (fastify) => {
      // Request logs with status and latency, also for requests the auth hook answers.
      installRequestLogging(fastify, l.log);
      installAuth(fastify, deps.auth, { publicPrefixes: ['/docs'] });
    },
  });
  SwaggerModule.setup('docs', app, buildManagementDocument(app, l.version ?? 'dev'), { ui: true, raw: ['json'] });
  return app;
}
