import { RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { appWith, completed, sink } from './testing/nestjs-pino-app';

// Why the server does not mount nestjs-pino (docs/decisions.md O9): it keeps ONE pino-http
// instance per process, so the second of the three apps of a node logs with the first app's
// bindings. Real Nest 12 apps on Fastify, real requests, the JSON lines pino wrote.

describe('nestjs-pino under Nest 12 + Fastify: one pino-http instance per process', () => {
  it("logs with an explicit {*path} route, but a second app logs its requests with the first app's bindings", async () => {
    const out = sink();
    const root = pino(out.stream);
    const routes = [{ path: '{*path}', method: RequestMethod.ALL }];
    const management = await appWith(LoggerModule.forRoot({ pinoHttp: { logger: root.child({ component: 'management' }) }, forRoutes: routes }));
    const clientApi = await appWith(LoggerModule.forRoot({ pinoHttp: { logger: root.child({ component: 'client-api' }) }, forRoutes: routes }));
    await (await fetch(`${management.url}/ping`)).text();
    await (await fetch(`${clientApi.url}/ping`)).text();
    await clientApi.app.close();
    await management.app.close();
    // Both requests are logged, both as the management app's: per-app `component` (and, with
    // several in-process nodes, per-node `node_id`) cannot hold.
    expect(completed(out.lines).map((l) => l.component)).toEqual(['management', 'management']);
  });
});
