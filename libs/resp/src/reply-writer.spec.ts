import RedisParser from 'redis-parser';
import { RESP_COMMAND_CHANNEL } from '@hypercache/telemetry';
import { RespChannelName } from './resp-channels';
import { ReplyWriter } from './reply-writer';

const text = (w: ReplyWriter) => w.take()?.toString('latin1') ?? '';

describe('ReplyWriter', () => {
  it('encodes RESP2 replies', () => {
    const w = new ReplyWriter();
    w.ok();
    w.simple('PONG');
    w.error('ERR bad\r\nthing');
    w.integer(-42);
    w.bulk(Buffer.from('abc'));
    w.bulk('é');
    w.bulk(null);
    w.nilArray();
    w.bulks(['a', null]);
    w.map(1);
    w.bulk('k');
    w.integer(1);
    w.set(0);
    w.verbatim('x:1');
    expect(text(w)).toBe('+OK\r\n+PONG\r\n-ERR bad  thing\r\n:-42\r\n$3\r\nabc\r\n$2\r\né\r\n'.replace('é', '\u00c3\u00a9') + '$-1\r\n*-1\r\n*2\r\n$1\r\na\r\n$-1\r\n*2\r\n$1\r\nk\r\n:1\r\n*0\r\n$3\r\nx:1\r\n');
    expect(w.lastError).toBe('ERR');
    expect(w.take()).toBeUndefined();
  });

  it('encodes RESP3 maps, sets, nulls and verbatim strings after HELLO 3', () => {
    const w = new ReplyWriter();
    w.protocol = 3;
    w.map(1);
    w.bulk('proto');
    w.integer(3);
    w.set(1);
    w.simple('fast');
    w.bulk(null);
    w.nilArray();
    w.verbatim('a:1');
    expect(text(w)).toBe('%1\r\n$5\r\nproto\r\n:3\r\n~1\r\n+fast\r\n_\r\n_\r\n=7\r\ntxt:a:1\r\n');
  });

  it('grows past its initial buffer and round-trips large bulks through redis-parser', () => {
    const w = new ReplyWriter();
    const big = Buffer.alloc(100_000, 1);
    const small = Buffer.alloc(1024, 2);
    w.array(3);
    w.bulk(big);
    w.bulk(small);
    w.bulk(Buffer.alloc(0));
    const out: unknown[] = [];
    new RedisParser({ returnReply: (r) => out.push(r), returnError: (e) => out.push(e), returnBuffers: true }).execute(w.take() as Buffer);
    const [got] = out as Buffer[][];
    expect(got.map((b) => b.length)).toEqual([big.length, small.length, 0]);
    expect(got[0].equals(big) && got[1].equals(small)).toBe(true);
  });

  it('publishes on the channel name telemetry subscribes to', () => {
    expect(RespChannelName.Command).toBe(RESP_COMMAND_CHANNEL);
  });
});
