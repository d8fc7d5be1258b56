import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { http } from '../support/http';
import { startInProcessCluster, type TestNode } from '../support/start-node';

/** A key whose owners (primary first) start with `primary`, found through the owners route. */
async function keyWithPrimary(node: TestNode, primary: string, prefix: string): Promise<{ key: string; owners: string[] }> {
  for (let i = 0; ; i++) {
    const owners: string[] = (await http('GET', `${node.urls.api}/v1/owners/${encodeURIComponent(prefix + i)}`)).json().owners;
    if (owners[0] === primary) return { key: `${prefix}${i}`, owners };
  }
}

/** Every string a span carries: name, attribute keys and values, event names and attributes. */
function stringsOf(span: ReadableSpan): string[] {
  const out = [span.name];
  for (const [k, v] of Object.entries(span.attributes)) out.push(k, String(v));
  for (const e of span.events) {
    out.push(e.name);
    for (const [k, v] of Object.entries(e.attributes ?? {})) out.push(k, String(v));
  }
  return out;
}

describe('dist tracing on a 3-node in-process cluster (in-memory span exporter)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('test');
  let nodes: TestNode[];

  beforeAll(async () => {
    // Every node owns every key here: the primary coordinator (not the default owner, F15) makes a
    // write through a non-primary take the forward path whose spans this suite checks.
    nodes = await startInProcessCluster(3, { HYPERCACHE_REPLICATION: '3', HYPERCACHE_WRITE_COORDINATOR: 'primary' }, { tracer });
  });
  beforeEach(() => exporter.reset());
  afterAll(() => provider.shutdown());

  it('records a replicated PUT as dist.set with one dist.replicate.set child per replica, the spec attributes and no key', async () => {
    const [n1] = nodes;
    const { key, owners } = await keyWithPrimary(n1, 'node-1', 'user:alice@example.com/');
    exporter.reset();
    expect((await http('PUT', `${n1.urls.api}/v1/cache/${encodeURIComponent(key)}`, { body: 'secret-value' })).status).toBe(200);

    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'dist.set');
    expect(root).toBeDefined();
    expect(root!.parentSpanContext).toBeUndefined();
    expect(root!.attributes).toEqual({
      'cache.key.length': key.length,
      'dist.consistency': 'QUORUM',
      'dist.owners.count': 3,
      'dist.acks': 3,
    });
    const children = spans.filter((s) => s.parentSpanContext?.spanId === root!.spanContext().spanId);
    expect(children.map((c) => c.name)).toEqual(['dist.replicate.set', 'dist.replicate.set']);
    expect(children.map((c) => c.attributes['peer.id']).sort()).toEqual(owners.slice(1).sort());
    for (const c of children) {
      expect(c.spanContext().traceId).toBe(root!.spanContext().traceId);
      expect(c.status.code).not.toBe(SpanStatusCode.ERROR);
    }
    for (const s of spans) {
      for (const str of stringsOf(s)) {
        expect(str).not.toContain('alice');
        expect(str).not.toContain('secret-value');
      }
    }
  });

  it('records a forwarded PUT as dist.set → dist.forward.set on the entry node and a coordinator dist.set with replica children on the primary', async () => {
    const [n1] = nodes;
    const { key } = await keyWithPrimary(n1, 'node-2', 'fwd-');
    exporter.reset();
    expect((await http('PUT', `${n1.urls.api}/v1/cache/${key}`, { body: 'v' })).status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const sets = spans.filter((s) => s.name === 'dist.set');
    const entry = sets.find((s) => s.attributes['dist.coordinator'] === undefined)!;
    const coordinator = sets.find((s) => s.attributes['dist.coordinator'] === true)!;
    expect(entry.attributes).toMatchObject({ 'dist.owners.count': 3, 'dist.acks': 0 });
    const forward = spans.filter((s) => s.parentSpanContext?.spanId === entry.spanContext().spanId);
    expect(forward.map((s) => [s.name, s.attributes['peer.id']])).toEqual([['dist.forward.set', 'node-2']]);
    const replicas = spans.filter((s) => s.parentSpanContext?.spanId === coordinator.spanContext().spanId);
    expect(replicas.map((s) => s.name)).toEqual(['dist.replicate.set', 'dist.replicate.set']);
  });

  it('records GET hits and misses with cache.hit, and DELETE with replica remove children', async () => {
    const [n1] = nodes;
    const { key } = await keyWithPrimary(n1, 'node-1', 'get-');
    await http('PUT', `${n1.urls.api}/v1/cache/${key}`, { body: 'v' });
    exporter.reset();
    await http('GET', `${n1.urls.api}/v1/cache/${key}`);
    await http('GET', `${n1.urls.api}/v1/cache/${key}-absent`);
    const gets = exporter.getFinishedSpans().filter((s) => s.name === 'dist.get');
    expect(gets.map((s) => s.attributes['cache.hit'])).toEqual([true, false]);
    expect(gets[0].attributes).toMatchObject({ 'dist.consistency': 'ONE', 'dist.owners.count': 3, 'cache.key.length': key.length });

    exporter.reset();
    expect((await http('DELETE', `${n1.urls.api}/v1/cache/${key}`)).status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const remove = spans.find((s) => s.name === 'dist.remove')!;
    expect(remove.attributes).toMatchObject({ 'dist.owners.count': 3, 'dist.acks': 3 });
    expect(spans.filter((s) => s.parentSpanContext?.spanId === remove.spanContext().spanId).map((s) => s.name)).toEqual([
      'dist.replicate.remove',
      'dist.replicate.remove',
    ]);
  });

  it('marks a failed replica call as an error child span with error.type, never the message', async () => {
    const [n1, , n3] = nodes;
    const { key } = await keyWithPrimary(n1, 'node-1', 'down-');
    await n3.close();
    exporter.reset();
    expect((await http('PUT', `${n1.urls.api}/v1/cache/${key}`, { body: 'v' })).status).toBe(200);
    const failed = exporter.getFinishedSpans().filter((s) => s.name === 'dist.replicate.set' && s.status.code === SpanStatusCode.ERROR);
    expect(failed).toHaveLength(1);
    expect(failed[0].attributes).toEqual({ 'peer.id': 'node-3', 'error.type': expect.any(String) });
    expect(failed[0].events).toEqual([]);
  });
});
