// Reference for bench/api: raw Fastify + Map serving the same GET/PUT routes as our client API
// (raw-byte bodies, octet-stream GET, small JSON PUT answer). Usage: node reference-server.mjs PORT
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
const map = new Map();

app.put('/v1/cache/:key', (req, reply) => {
  const body = req.body ?? Buffer.alloc(0);
  map.set(req.params.key, body);
  reply
    .header('content-type', 'application/json; charset=utf-8')
    .send(`{"key":${JSON.stringify(req.params.key)},"stored":true,"bytes":${body.length},"node":"ref","owners":["ref"]}`);
});
app.get('/v1/cache/:key', (req, reply) => {
  const v = map.get(req.params.key);
  if (v === undefined) return reply.code(404).send({ error: 'key not found', code: 'NOT_FOUND' });
  reply.header('content-type', 'application/octet-stream').send(v);
});

await app.listen({ port, host: '127.0.0.1' });
process.send?.({ port: app.server.address().port });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
