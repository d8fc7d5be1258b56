// The floor for bench/api (BENCH_FLOOR=1): bare node:http + Map serving GET/PUT /v1/cache/:key with
// the same answers as reference-server.mjs, no framework at all. What any Node HTTP server pays per
// request (HTTP parsing, the ServerResponse machinery, socket writes). Usage: node node-http-server.mjs PORT
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const map = new Map();
const PREFIX = '/v1/cache/';

const server = createServer((req, res) => {
  const key = req.url.startsWith(PREFIX) ? req.url.slice(PREFIX.length) : '';
  if (req.method === 'GET') {
    const v = map.get(key);
    if (v === undefined) {
      res.writeHead(404, ['content-type', 'application/json; charset=utf-8']).end('{"error":"key not found","code":"NOT_FOUND"}');
      return;
    }
    res.writeHead(200, ['content-type', 'application/octet-stream', 'content-length', String(v.length)]).end(v);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    map.set(key, body);
    const payload = `{"key":${JSON.stringify(key)},"stored":true,"bytes":${body.length},"node":"ref","owners":["ref"]}`;
    res.writeHead(200, ['content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(payload))]).end(payload);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
