// Types of `cluster-key-slot` (a dependency of ioredis): the Redis Cluster hash slot of a key (CRC16 mod 16384, hash tags honoured).
declare module 'cluster-key-slot' {
  function generate(key: string | Buffer): number;
  export = generate;
}
