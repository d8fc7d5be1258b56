import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { appWith, completed, sink } from './testing/nestjs-pino-app';

// nestjs-pino's request logging under Nest 12 + Fastify (docs/decisions.md O9): its default
// middleware route never matches; an explicit `{*path}` route does. Real apps, real requests.
// (One file per case: nestjs-pino keeps its pino-http instance as module state.)

describe('nestjs-pino under Nest 12 + Fastify: middleware routes', () => {
  it('logs no request with its default routes', async () => {
    const out = sink();
    const { app, url } = await appWith(LoggerModule.forRoot({ pinoHttp: { logger: pino(out.stream) } }));
    expect(await (await fetch(`${url}/ping`)).text()).toBe('pong');
    await app.close();
    expect(completed(out.lines)).toEqual([]);
  });
});
