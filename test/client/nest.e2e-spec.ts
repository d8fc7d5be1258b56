import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HypercacheClient } from '@hypercache/client';
import { HypercacheClientModule } from '@hypercache/client/nest';
import { startNode, type TestNode } from '../support/start-node';

const TOKEN = 'nest-token';
const SETTINGS = 'SETTINGS';

@Injectable()
class Greeter {
  constructor(readonly cache: HypercacheClient) {}

  async greet(name: string): Promise<string> {
    const hit = await this.cache.getString(`greeting:${name}`);
    if (hit !== null) return hit;
    const fresh = `hello ${name}`;
    await this.cache.put(`greeting:${name}`, fresh, { ttlMs: 60_000 });
    return fresh;
  }
}

describe(HypercacheClientModule.name, () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_AUTH_TOKEN: TOKEN });
  });

  it('forRoot provides a connected client to a service and closes it on application shutdown', async () => {
    @Module({ imports: [HypercacheClientModule.forRoot({ endpoints: node.urls.api, token: TOKEN })], providers: [Greeter] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const greeter = app.get(Greeter);
    // Connected during bootstrap: the topology is there before the first call.
    expect(greeter.cache.currentTopology?.members.map((m) => m.id)).toEqual(['node-1']);
    expect(await greeter.greet('ada')).toBe('hello ada');
    expect(await greeter.cache.getString('greeting:ada')).toBe('hello ada');
    await app.close();
    await expect(greeter.cache.get('greeting:ada')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('forRootAsync builds the options from injected configuration', async () => {
    @Module({ providers: [{ provide: SETTINGS, useValue: { url: node.urls.api, token: TOKEN } }], exports: [SETTINGS] })
    class SettingsModule {}
    @Module({
      imports: [HypercacheClientModule.forRootAsync({ imports: [SettingsModule], inject: [SETTINGS], useFactory: (s: { url: string; token: string }) => ({ endpoints: s.url, token: s.token }) })],
      providers: [Greeter],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(await app.get(Greeter).greet('grace')).toBe('hello grace');
    expect(await app.get(HypercacheClient).me()).toMatchObject({ scopes: expect.arrayContaining(['write']) });
    await app.close();
  });
});
