import { CommandError } from './command-spec';

/** Wire codes answered as `-ERR message` (a client mistake or nothing more specific). */
const AS_ERR = new Set(['BAD_REQUEST', 'NOT_FOUND']);

/**
 * The error reply text for an error a command threw: a {@link CommandError} as it is; a lib
 * error with a wire `code` as `-<CODE> message` (`QUORUM_UNAVAILABLE …`, `ITEM_TOO_LARGE …`,
 * `BACKEND_UNAVAILABLE …`), `BAD_REQUEST` / `NOT_FOUND` as `-ERR message`; anything else (and
 * `INTERNAL`) as a generic `-ERR internal error` (reported through `onInternal`).
 */
export function errorReply(e: unknown, onInternal: (e: unknown) => void): string {
  if (e instanceof CommandError) return e.reply;
  const code = (e as { code?: unknown } | null)?.code;
  const message = (e as { message?: unknown } | null)?.message;
  if (typeof code === 'string' && /^[A-Z][A-Z_]*$/.test(code) && code !== 'INTERNAL' && typeof message === 'string') {
    return `${AS_ERR.has(code) ? 'ERR' : code} ${message}`;
  }
  onInternal(e);
  return 'ERR internal error';
}
