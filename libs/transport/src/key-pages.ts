import type { KeysPageBody } from './wire';

/** Page cap of the requester-side key walk (dist-protocol.md §12). */
export const MAX_KEY_PAGES = 1024;

/** How a {@link walkKeyPages} walk ended. */
export const KeyWalkEnd = {
  /** `next_cursor` was empty: every shard was read. */
  Complete: 'complete',
  /** `next_cursor` did not advance (a truncated shard, or a misbehaving peer). */
  Stalled: 'stalled',
  /** {@link MAX_KEY_PAGES} pages were read. */
  PageCap: 'page-cap',
} as const;

/** One of {@link KeyWalkEnd}. */
export type KeyWalkEnd = (typeof KeyWalkEnd)[keyof typeof KeyWalkEnd];

/**
 * Walks `GET /internal/keys` pages from cursor `"0"` (dist-protocol.md §12): concatenates each
 * page's keys, follows `next_cursor` until it is empty, stops when it does not advance (equal or
 * smaller shard index; a truncated shard repeats its cursor) and after `maxPages` pages. Stopping
 * early is not an error: the keys read so far are returned with the reason, as upstream does.
 */
export async function walkKeyPages(
  fetchPage: (cursor: string) => Promise<KeysPageBody>,
  maxPages: number = MAX_KEY_PAGES,
): Promise<{ keys: string[]; end: KeyWalkEnd; pages: number }> {
  const keys: string[] = [];
  let cursor = '0';
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(cursor);
    for (const k of page.keys) keys.push(k);
    if (page.next_cursor === '') return { keys, end: KeyWalkEnd.Complete, pages };
    if (Number(page.next_cursor) <= Number(cursor)) return { keys, end: KeyWalkEnd.Stalled, pages };
    if (pages >= maxPages) return { keys, end: KeyWalkEnd.PageCap, pages };
    cursor = page.next_cursor;
  }
}
