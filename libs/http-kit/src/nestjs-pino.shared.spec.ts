import { Controller, Get, Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { Writable } from 'node:stream';

// Why the server does not mount nestjs-pino (docs/decisions.md O9): it keeps ONE pino-http
// instance per process, so the second of the three apps of a node logs with the first app's
// bindings. Real Nest 12 apps on Fastify, real requests, the JSON lines pino wrote.

@Controller()
class PingController {
  @Get('ping')
  ping(): string {
    return 'pong';
  }
}

function sink(): { lines: Array<Record<string, unknown>>; stream: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, stream };
}

async function appWith(logging: DynamicModule): Promise<{ app: NestFastifyApplication; url: string }> {
  @Module({ imports: [logging], controllers: [PingController] })
  class AppModule {}
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.getHttpServer().address();
  return { app, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
}

const completed = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.msg === 'request completed');

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
