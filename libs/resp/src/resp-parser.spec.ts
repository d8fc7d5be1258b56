import fc from 'fast-check';
// The oracle: the parser node-redis v3 and ioredis use (RESP2).
import RedisParser from 'redis-parser';
import { RespProtocolError } from './errors';
import { RespParser, type RespValue } from './resp-parser';

type Norm = null | number | { b: string } | { e: string } | Norm[];

function norm(v: unknown): Norm {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) return { b: v.toString('hex') };
  if (Array.isArray(v)) return v.map(norm);
  if (v instanceof Error) return { e: v.message };
  if (typeof v === 'object' && 'respError' in (v as object)) return { e: (v as { respError: string }).respError };
  throw new Error(`unexpected value ${String(v)}`);
}

function oracle(input: Buffer): Norm[] {
  const out: Norm[] = [];
  const p = new RedisParser({ returnReply: (r: unknown) => out.push(norm(r)), returnError: (e: Error) => out.push(norm(e)), returnBuffers: true });
  p.execute(input);
  return out;
}

function ours(chunks: readonly Buffer[]): Norm[] {
  const out: Norm[] = [];
  const p = new RespParser({ maxDepth: 16 });
  for (const c of chunks) p.feed(c, (v: RespValue) => out.push(norm(v)));
  return out;
}

/** Well-formed RESP2 values, encoded. */
const line = fc.string({ unit: fc.constantFrom(...'abc XYZ_-:+*$0123456789é😀'.split('')), maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
const { value } = fc.letrec<{ value: Buffer }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    line.map((s) => Buffer.from(`+${s}\r\n`)),
    line.map((s) => Buffer.from(`-ERR ${s}\r\n`)),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map((n) => Buffer.from(`:${n}\r\n`)),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.concat([Buffer.from(`$${b.length}\r\n`), Buffer.from(b), Buffer.from('\r\n')])),
    fc.constant(Buffer.from('$-1\r\n')),
    fc.constant(Buffer.from('*-1\r\n')),
    fc.array(tie('value'), { maxLength: 5 }).map((items) => Buffer.concat([Buffer.from(`*${items.length}\r\n`), ...items])),
  ),
}));

/** `input` cut at the given points (sorted, deduplicated). */
function split(input: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(input.subarray(from, p));
    from = p;
  }
  out.push(input.subarray(from));
  return out.filter((c) => c.length > 0);
}

describe('RespParser', () => {
  it('agrees with redis-parser on any sequence of well-formed values, whatever the chunk splits', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (values, cuts) => {
        const input = Buffer.concat(values);
        const expected = oracle(input);
        expect(expected).toHaveLength(values.length);
        expect(ours(split(input, cuts))).toEqual(expected);
      }),
      { numRuns: 1_500 },
    );
  });

  it('agrees byte by byte (every chunk one byte long)', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), (values) => {
        const input = Buffer.concat(values);
        expect(ours([...input].map((b) => Buffer.from([b])))).toEqual(oracle(input));
      }),
      { numRuns: 300 },
    );
  });

  it('yields bulk strings as slices of the input (no copy)', () => {
    const input = Buffer.from('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
    const got: RespValue[] = [];
    new RespParser().feed(input, (v) => got.push(v));
    const [cmd] = got as Buffer[][];
    expect(cmd[0].buffer).toBe(input.buffer);
    expect(cmd.map(String)).toEqual(['GET', 'k']);
  });

  it('joins a large bulk split in many chunks once, when its last byte arrives', () => {
    const body = Buffer.alloc(100_000, 7);
    const input = Buffer.concat([Buffer.from(`*1\r\n$${body.length}\r\n`), body, Buffer.from('\r\n')]);
    const p = new RespParser({ maxBulkBytes: 200_000 });
    const got: RespValue[] = [];
    for (let i = 0; i < input.length; i += 1000) p.feed(input.subarray(i, i + 1000), (v) => got.push(v));
    expect(got).toHaveLength(1);
    expect((got[0] as Buffer[])[0].equals(body)).toBe(true);
    expect(p.bufferedBytes).toBe(0);
  });

  it('parses inline commands when enabled and skips empty lines', () => {
    const got: RespValue[] = [];
    const p = new RespParser({ inline: true });
    p.feed(Buffer.from('\r\nSET  k\tv\r\nPI'), (v) => got.push(v));
    p.feed(Buffer.from('NG\n'), (v) => got.push(v));
    expect(got.map((c) => (c as Buffer[]).map(String))).toEqual([['SET', 'k', 'v'], ['PING']]);
  });

  it.each([
    ['a bulk length over the limit', `*2\r\n$3\r\nSET\r\n$${1024 * 1024 + 1}\r\n`, /invalid bulk length/],
    ['an array length over the limit', '*2000000\r\n', /invalid multibulk length/],
    ['arrays nested past the depth limit', '*1\r\n'.repeat(9), /nested deeper/],
    ['a bad type byte', '*1\r\n!3\r\n', /expected/],
    ['a negative bulk length other than -1', '$-2\r\n', /invalid length/],
    ['a non-numeric length', '*x\r\n', /invalid length/],
    ['a bulk string not ended by CRLF', '$1\r\nab\r\n', /CRLF/],
    ['a huge number', `:${'9'.repeat(30)}\r\n`, /too long/],
    ['an unterminated inline line over 64 KiB', `*1\r\n+${'a'.repeat(70_000)}`, /too long/],
  ])('refuses %s', (_name, input, message) => {
    const p = new RespParser();
    expect(() => p.feed(Buffer.from(input), () => undefined)).toThrow(RespProtocolError);
    expect(() => new RespParser().feed(Buffer.from(input), () => undefined)).toThrow(message);
  });

  it('bounds the buffered partial frame (maxFrameBytes)', () => {
    const p = new RespParser({ maxBulkBytes: 1000, maxFrameBytes: 4096 });
    const bulk = `$1000\r\n${'x'.repeat(1000)}\r\n`;
    expect(() => {
      p.feed(Buffer.from(`*100\r\n`), () => undefined);
      for (let i = 0; i < 10; i++) p.feed(Buffer.from(bulk), () => undefined);
    }).toThrow(/frame larger than 4096/);
  });

  it('rejects nonsense options by name', () => {
    expect(() => new RespParser({ maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => new RespParser({ maxBulkBytes: 1.5 })).toThrow(/maxBulkBytes/);
  });
});
