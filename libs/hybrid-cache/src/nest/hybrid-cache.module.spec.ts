import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HybridCache, MemoryBackplane } from '@hypercache/hybrid-cache';
import { HybridCacheModule, HybridCacheRegistry, InjectCache } from '@hypercache/hybrid-cache/nest';

@Injectable()
class ProductService {
  constructor(
    @InjectCache('products') readonly products: HybridCache,
    @InjectCache('users') readonly users: HybridCache,
  ) {}
}

const CONFIG = 'CONFIG';

@Module({ providers: [{ provide: CONFIG, useValue: { productsMs: 1_234 } }], exports: [CONFIG] })
class ConfigModule {}

describe(HybridCacheModule.name, () => {
  it('forRoot provides several named caches to @InjectCache and closes them on application shutdown', async () => {
    const backplane = new MemoryBackplane();
    let closed = 0;
    const close = backplane.close.bind(backplane);
    backplane.close = async () => {
      closed++;
      await close();
    };
    @Module({ imports: [HybridCacheModule.forRoot({ caches: { products: { backplane }, users: {} } })], providers: [ProductService] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const svc = app.get(ProductService);
    expect(svc.products).toBeInstanceOf(HybridCache);
    expect(svc.products.name()).toBe('products');
    expect(svc.users.name()).toBe('users');
    await svc.products.set('p1', { id: 1 });
    await expect(svc.products.get('p1')).resolves.toMatchObject({ found: true, value: { id: 1 } });
    await expect(svc.users.get('p1')).resolves.toMatchObject({ found: false });
    expect(app.get(HybridCacheRegistry).caches.size).toBe(2);
    await app.close();
    expect(closed).toBe(1);
    await expect(svc.products.set('p2', 1)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(svc.users.set('u', 1)).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('forRootAsync builds the caches from injected configuration', async () => {
    @Injectable()
    class UsesDefault {
      constructor(@Inject('HYBRID_CACHE:products') readonly products: HybridCache) {}
    }
    @Module({
      imports: [
        HybridCacheModule.forRootAsync({
          names: ['products'],
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (cfg: { productsMs: number }) => ({ products: { defaultEntryOptions: { duration: cfg.productsMs } } }),
        }),
      ],
      providers: [UsesDefault],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(app.get(UsesDefault).products.defaultEntryOptions().duration).toBe(1_234);
    await app.close();
  });
});
