import { KeyBrowser } from './key-browser';

describe('KeyBrowser', () => {
  it('lists a failing peer in partial_nodes, skips non-alive members, and still answers', async () => {
    const asked: string[] = [];
    const browser = new KeyBrowser({
      nodeId: 'n1',
      localKeys: () => ['b', 'a'],
      aliveMembers: () => ['n1', 'n2', 'n3'],
      listPeerKeys: async (id) => {
        asked.push(id);
        if (id === 'n3') throw new Error('down');
        return ['a', 'c', 'é', 'z'];
      },
    });
    const page = await browser.page(undefined, 0, 100, 1000);
    expect(asked.sort()).toEqual(['n2', 'n3']);
    // Byte order: 'z' (0x7a) before 'é' (0xc3 0xa9).
    expect(page).toEqual({ keys: ['a', 'b', 'c', 'z', 'é'], next_cursor: '', total_matched: 5, truncated: false, node: 'n1', partial_nodes: ['n3'] });
  });
});
