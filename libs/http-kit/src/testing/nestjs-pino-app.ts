import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';

// Real Nest 12 apps on Fastify for the nestjs-pino specs (docs/decisions.md O9).

@Controller()
class PingController {
  @Get('ping')
  ping(): string {
    return 'pong';
  }
}

/** A JSON-lines sink that parses what pino writes. */
export function sink(): { lines: Array<Record<string, unknown>>; stream: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, stream };
}

/** A listening app with one `GET /ping` route and the given logging module. */
export async function appWith(logging: DynamicModule): Promise<{ app: NestFastifyApplication; url: string }> {
  @Module({ imports: [logging], controllers: [PingController] })
  class AppModule {}
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.getHttpServer().address();
  return { app, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
}

/** The request-completed lines. */
export const completed = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.msg === 'request completed');
