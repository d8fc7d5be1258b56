import fc from 'fast-check';
import { SseParser, type SseFrame } from './sse-parser';

const STREAM = 'id: 7-1\nevent: set\ndata: {"key":"a","version":1}\n\n: comment\n\nevent: heartbeat\ndata: {"node":"n","lastId":"7-1"}\n\nid: 7-2\nevent: delete\ndata: line1\ndata: line2\n\n';

function parseAll(chunks: string[]): SseFrame[] {
  const p = new SseParser();
  return chunks.flatMap((c) => p.push(c));
}

describe(SseParser.name, () => {
  it('parses events, ids, multi-line data and skips comments', () => {
    expect(parseAll([STREAM])).toEqual([
      { event: 'set', data: '{"key":"a","version":1}', id: '7-1' },
      { event: 'heartbeat', data: '{"node":"n","lastId":"7-1"}', id: '7-1' },
      { event: 'delete', data: 'line1\nline2', id: '7-2' },
    ]);
  });

  it('gives the same events however the stream is split into chunks, with LF, CRLF or CR endings (property)', () => {
    const whole = parseAll([STREAM]);
    fc.assert(
      fc.property(fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 12 }), (eol, cuts) => {
        const text = STREAM.replace(/\n/g, eol);
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(text.slice(prev, p));
          prev = p;
        }
        chunks.push(text.slice(prev));
        expect(parseAll(chunks)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('does not dispatch an event without data, defaults the type to message, and strips one leading space', () => {
    expect(parseAll(['event: x\n\ndata:  two\n\n'])).toEqual([{ event: 'message', data: ' two', id: undefined }]);
  });

  it('keeps an incomplete event until its blank line arrives', () => {
    const p = new SseParser();
    expect(p.push('id: 1-1\nevent: set\ndata: {}')).toEqual([]);
    expect(p.push('\n\n')).toEqual([{ event: 'set', data: '{}', id: '1-1' }]);
    expect(p.lastEventId).toBe('1-1');
  });
});
