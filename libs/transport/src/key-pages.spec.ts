import { KeyWalkEnd, MAX_KEY_PAGES, walkKeyPages } from './key-pages';
import type { KeysPageBody } from './wire';

function pagesFrom(pages: Record<string, KeysPageBody>) {
  const asked: string[] = [];
  const fetch = async (cursor: string) => {
    asked.push(cursor);
    const p = pages[cursor];
    if (!p) throw new Error(`unexpected cursor ${cursor}`);
    return p;
  };
  return { fetch, asked };
}

describe(walkKeyPages.name, () => {
  it('follows next_cursor from 0 until it is empty, concatenating keys', async () => {
    const { fetch, asked } = pagesFrom({
      '0': { keys: ['a'], next_cursor: '1', truncated: false },
      '1': { keys: [], next_cursor: '2', truncated: false },
      '2': { keys: ['b', 'c'], next_cursor: '', truncated: false },
    });
    await expect(walkKeyPages(fetch)).resolves.toEqual({ keys: ['a', 'b', 'c'], end: KeyWalkEnd.Complete, pages: 3 });
    expect(asked).toEqual(['0', '1', '2']);
  });

  it('stops with what it has when a truncated shard repeats its cursor', async () => {
    const { fetch, asked } = pagesFrom({
      '0': { keys: ['a'], next_cursor: '1', truncated: false },
      '1': { keys: ['b'], next_cursor: '1', truncated: true },
    });
    await expect(walkKeyPages(fetch)).resolves.toEqual({ keys: ['a', 'b'], end: KeyWalkEnd.Stalled, pages: 2 });
    expect(asked).toEqual(['0', '1']);
  });

  it('stops when the cursor moves backwards', async () => {
    const { fetch } = pagesFrom({
      '0': { keys: [], next_cursor: '3', truncated: false },
      '3': { keys: ['x'], next_cursor: '2', truncated: false },
    });
    await expect(walkKeyPages(fetch)).resolves.toMatchObject({ keys: ['x'], end: KeyWalkEnd.Stalled });
  });

  it(`gives up after ${MAX_KEY_PAGES} pages`, async () => {
    let calls = 0;
    const endless = async (cursor: string): Promise<KeysPageBody> => {
      calls++;
      return { keys: [cursor], next_cursor: String(Number(cursor) + 1), truncated: false };
    };
    const r = await walkKeyPages(endless);
    expect([r.end, r.pages, calls, r.keys.length]).toEqual([KeyWalkEnd.PageCap, MAX_KEY_PAGES, MAX_KEY_PAGES, MAX_KEY_PAGES]);
  });
});
