import loadXxhashWasm from 'xxhash-wasm';

/**
 * XXH64 with seed 0, the hash of the consistent-hash ring and of derived node IDs
 * (dist-protocol.md §2, §3). Both methods are synchronous and return the unsigned 64-bit digest.
 */
export interface Xxhash64 {
  /** XXH64(utf8(`s`)), seed 0, as an unsigned 64-bit `bigint`. */
  hashString(s: string): bigint;
  /** XXH64(`bytes`), seed 0, as an unsigned 64-bit `bigint`. */
  hashBytes(bytes: Uint8Array): bigint;
}

let loading: Promise<Xxhash64> | undefined;

/**
 * Instantiates the WebAssembly XXH64 (xxhash-wasm) once per process and returns the sync hasher.
 * Call it once at boot and pass the result to `HashRing`, `parseSeeds` and friends (@hypercache/membership);
 * repeated calls share the same instance.
 */
export function loadXxhash64(): Promise<Xxhash64> {
  loading ??= instantiate().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function instantiate(): Promise<Xxhash64> {
  const api = await loadXxhashWasm();
  // Bind the two primitives; seed stays at its default 0n (spec: XXH64, seed 0).
  const h64 = api.h64;
  const h64Raw = api.h64Raw;
  return Object.freeze({
    hashString: (s: string): bigint => h64(s),
    hashBytes: (bytes: Uint8Array): bigint => h64Raw(bytes),
  });
}

/** Formats a 64-bit hash as 16 lowercase hex digits, zero-padded (the `/cluster/ring` format, §3). */
export function formatHash64(hash: bigint): string {
  return hash.toString(16).padStart(16, '0');
}
