declare module 'redis-parser' {
  /** The RESP2 parser of node-redis v3 / ioredis (test oracle of libs/resp's parser). */
  export default class RedisParser {
    constructor(o: { returnReply: (reply: unknown) => void; returnError: (err: Error) => void; returnFatalError?: (err: Error) => void; returnBuffers?: boolean; stringNumbers?: boolean });
    execute(buffer: Buffer): void;
    reset(): void;
  }
}
