import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { Writable } from 'node:stream';

// nestjs-pino's request logging under Nest 12 + Fastify (docs/decisions.md O9): its default
// middleware route never matches; an explicit `{*path}` route does. Real apps, real requests.
// (One file per case: nestjs-pino keeps its pino-http instance as module state.)

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

describe('nestjs-pino under Nest 12 + Fastify: middleware routes', () => {
  it('logs no request with its default routes', async () => {
    const out = sink();
    const { app, url } = await appWith(LoggerModule.forRoot({ pinoHttp: { logger: pino(out.stream) } }));
    expect(await (await fetch(`${url}/ping`)).text()).toBe('pong');
    await app.close();
    expect(completed(out.lines)).toEqual([]);
  });
});
