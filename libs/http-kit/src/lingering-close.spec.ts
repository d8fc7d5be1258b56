import { Controller, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import pino from 'pino';
import { createFastifyApp } from './create-fastify-app';

@Controller()
class SinkController {
  @Post('sink')
  sink(): string {
    return 'ok';
  }
}

@Module({ controllers: [SinkController] })
class SinkModule {}

const LIMIT = 64 * 1024;

/**
 * A client like curl, in its own process so that it races the server as a real one does: it
 * writes a chunked body (1 MiB, sixteen times the cap) piece by piece and stops once an answer
 * has arrived, but a piece already on its way reaches the server after the 413. Prints, per
 * upload, the status line's code or `none` when the connection was reset before the answer
 * could be read.
 */
const CLIENT = `
const { connect } = require('node:net');
const [port, n] = process.argv.slice(1).map(Number);
const piece = Buffer.alloc(16 * 1024, 0x61);
const framed = Buffer.concat([Buffer.from(piece.length.toString(16) + '\\r\\n'), piece, Buffer.from('\\r\\n')]);
const upload = () => new Promise((resolve) => {
  const socket = connect(port, '127.0.0.1');
  const received = [];
  socket.on('data', (d) => received.push(d));
  socket.on('error', () => undefined);
  socket.on('close', () => resolve(/^HTTP\\/1\\.1 (\\d{3})/.exec(Buffer.concat(received).toString('latin1'))?.[1] ?? 'none'));
  socket.write('POST /sink HTTP/1.1\\r\\nhost: x\\r\\nconnection: close\\r\\ntransfer-encoding: chunked\\r\\n\\r\\n');
  const answered = () => received.length > 0 || socket.destroyed;
  (async () => {
    for (let i = 0; i < 64 && !answered(); i++) {
      await new Promise((r) => socket.write(framed, r));
      await new Promise((r) => setImmediate(r));
    }
    if (!answered()) socket.write('0\\r\\n\\r\\n');
  })();
});
(async () => { const out = []; for (let i = 0; i < n; i++) out.push(await upload()); console.log(out.join(' ')); })();
`;

async function uploads(port: number, n: number): Promise<string[]> {
  const child = spawn(process.execPath, ['-e', CLIENT, String(port), String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await once(child, 'exit');
  return out.trim().split(' ');
}

// A 413 sent while the body is still arriving must reach a client that keeps sending: the
// server half-closes and drains instead of closing on unread bytes (which resets the connection
// and can drop the 413 on the client's side).
describe('lingering close after an early 413', () => {
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    app = await createFastifyApp(SinkModule, { bodyLimitBytes: LIMIT, rawBody: true, log: pino({ level: 'silent' }) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const a = app.getHttpServer().address();
    port = typeof a === 'object' && a ? a.port : 0;
  });

  afterAll(() => app.close());

  // 300 uploads one after another also show that a linger ends with the client's FIN: at the
  // 2 s cap each they would take ten minutes.
  it('every over-cap upload reads its 413', async () => {
    const statuses = await uploads(port, 300);
    expect(statuses).toHaveLength(300);
    expect(statuses.filter((s) => s !== '413')).toEqual([]);
  });
});
