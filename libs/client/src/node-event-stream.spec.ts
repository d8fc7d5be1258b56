import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveClientOptions } from './client-options';
import { Credentials } from './credentials';
import { NodeEventStream, splitId, type KeyChange, type LossReason } from './node-event-stream';
import { NodePools } from './node-pools';

/** An SSE endpoint whose frames each test scripts per connection (real HTTP on 127.0.0.1). */
async function sseServer(script: (conn: number, req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server; lastIds: Array<string | undefined> }> {
  const lastIds: Array<string | undefined> = [];
  let conn = 0;
  const server = createServer((req, res) => {
    lastIds.push(req.headers['last-event-id'] as string | undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    script(conn++, req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, lastIds };
}

const frame = (event: string, data: object, id?: string): string => `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function subscribe(url: string, heartbeatTimeoutMs = 5_000) {
  const o = resolveClientOptions({ endpoints: url });
  const pools = new NodePools(o);
  const changes: KeyChange[] = [];
  const losses: LossReason[] = [];
  const s = new NodeEventStream(url, 'n1', o, pools, new Credentials(o), { change: (c) => changes.push(c), lost: (_n, r) => losses.push(r), health: () => undefined }, heartbeatTimeoutMs);
  s.start();
  return { s, changes, losses, close: async () => (await s.close(), await pools.close()) };
}

describe(NodeEventStream.name, () => {
  it('reports changes in order and a sequence gap as a loss', async () => {
    const { url, server } = await sseServer((_c, _q, res) => {
      res.write(frame('set', { key: 'a', version: 1, node: 'n1' }, 'e-1'));
      res.write(frame('set', { key: 'b', version: 2, node: 'n1' }, 'e-2'));
      res.write(frame('delete', { key: 'c', version: 9, node: 'n1' }, 'e-5'));
    });
    const sub = subscribe(url);
    await until(() => sub.changes.length === 3);
    expect(sub.changes.map((c) => [c.type, c.key, c.version])).toEqual([['set', 'a', 1], ['set', 'b', 2], ['delete', 'c', 9]]);
    expect(sub.losses).toEqual(['gap']);
    expect(sub.s.lastEventId).toBe('e-5');
    await sub.close();
    server.close();
  });

  it('reconnects after a disconnect with Last-Event-ID, and after a heartbeat shows events it never got', async () => {
    const { url, server, lastIds } = await sseServer((conn, _q, res) => {
      if (conn === 0) {
        res.write(frame('set', { key: 'a', version: 1, node: 'n1' }, 'e-1'));
        res.end();
      } else if (conn === 1) {
        res.write(frame('heartbeat', { node: 'n1', lastId: 'e-3' }));
      } else {
        res.write(frame('set', { key: 'b', version: 2, node: 'n1' }, 'e-2'));
      }
    });
    const sub = subscribe(url);
    await until(() => lastIds.length >= 3 && sub.changes.length === 2);
    expect(lastIds.slice(0, 3)).toEqual([undefined, 'e-1', 'e-1']);
    expect(sub.losses).toEqual(expect.arrayContaining(['disconnect', 'gap']));
    await sub.close();
    server.close();
  });

  it('treats a reset as a loss and resumes from the id the reset carries', async () => {
    const { url, server, lastIds } = await sseServer((conn, _q, res) => {
      if (conn === 0) {
        res.write(frame('reset', { reason: 'evicted', node: 'n1' }, 'f-40'));
        res.end();
      }
    });
    const sub = subscribe(url);
    await until(() => lastIds.length >= 2);
    expect(sub.losses[0]).toBe('reset:evicted');
    expect(lastIds[1]).toBe('f-40');
    await sub.close();
    server.close();
  });

  it('declares a silent stream dead after heartbeatTimeoutMs', async () => {
    // Headers and one comment, then nothing (no heartbeat).
    const { url, server } = await sseServer((_c, _q, res) => res.write(': open\n\n'));
    const sub = subscribe(url, 150);
    await until(() => sub.s.connected);
    await until(() => sub.losses.includes('heartbeat'));
    expect(sub.s.connected).toBe(false);
    await sub.close();
    server.closeAllConnections();
    server.close();
  });

  it('splits ids into epoch and sequence', () => {
    expect(splitId('0a1b2c3d4e5f6a7b-42')).toEqual(['0a1b2c3d4e5f6a7b', 42]);
    expect(splitId('x')).toEqual(['x', 0]);
  });
});
