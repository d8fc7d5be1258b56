import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { CLIENT_AUTHENTICATOR, installBearerAuth } from '@hypercache/auth';
import { createFastifyApp } from '@hypercache/http-kit';
import { ManagementModule } from './management.module';

/** Management body limit: 4 MiB (management-api.md §1). */
const MGMT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** Builds the management app (not yet listening). */
export async function createManagementApp(core: DynamicModule, log: Logger): Promise<NestFastifyApplication> {
  return createFastifyApp(ManagementModule.forRoot(core, log), {
    bodyLimitBytes: MGMT_BODY_LIMIT_BYTES,
    rawBody: false,
    log,
    beforeInit: (fastify, nest) => installBearerAuth(fastify, nest.get(CLIENT_AUTHENTICATOR)),
  });
}
