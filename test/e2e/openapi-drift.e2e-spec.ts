import { parse } from 'yaml';
import { registeredRoutes } from '@hypercache/http-kit';
import { http } from '../support/http';
import { startNode, type TestNode } from '../support/start-node';

/** `/v1/cache/:key` → `/v1/cache/{key}` (OpenAPI path template). */
const toTemplate = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI document of the client API', () => {
  let node: TestNode;
  let doc: any;

  beforeAll(async () => {
    node = await startNode();
    const r = await http('GET', `${node.urls.api}/v1/openapi.yaml`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/yaml/);
    doc = parse(r.text);
  });

  it('is OpenAPI 3.1 titled "HyperCache HTTP API" with the bearerAuth scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('HyperCache HTTP API');
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('documents exactly the registered routes (drift check)', () => {
    const served = new Set(
      registeredRoutes(node.clientApi)
        .filter((r) => !r.url.startsWith('/docs') && r.method !== 'OPTIONS')
        .map((r) => `${r.method} ${toTemplate(r.url)}`),
    );
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    expect(served.size).toBeGreaterThanOrEqual(10);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('marks value routes as bearer-protected and the meta routes as public', () => {
    expect(doc.paths['/v1/cache/{key}'].put.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
    expect(doc.paths['/v1/openapi.yaml'].get.security).toBeUndefined();
  });

  it('serves Swagger UI at /docs', async () => {
    const r = await http('GET', `${node.urls.api}/docs`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('swagger-ui');
  });
});
