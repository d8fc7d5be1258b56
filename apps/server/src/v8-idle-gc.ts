import { setFlagsFromString } from 'node:v8';

/**
 * The V8 settings `hypercache-server` runs with, set by its entry at start-up. Both are read by
 * V8 at every garbage collection, so setting them at run time works (a flag V8 reads once when it
 * sets up the heap, such as `--no-memory-reducer`, would not).
 *
 * Why (issue 18, docs/benchmarks.md "The mechanism and the fix"): after a node has idled
 * for a few tens of seconds, V8's memory reducer runs a memory-reducing full GC, and such a GC
 * does not retain maps. Nothing request-scoped is alive while idle, so it clears the hidden
 * classes of every per-request object (tick objects, requests, responses, write requests) and
 * deoptimises the code of node's HTTP stack that had them embedded. Re-optimised, some of that
 * code stays slower for the rest of the process's life: `process.nextTick` builds its tick
 * object with computed keys, whose store sites go megamorphic once the shape they saw has been
 * replaced, and cost ≈ 10× what they did (nextTick 0.5 → 4–5 µs of CPU per request; a PUT 37
 * → 40–62 µs after the first idle spell, measured with `--trace-deopt`, 5 s runs).
 * - `--no-memory-reducer-favors-memory`: the memory reducer still collects garbage when the node
 *   goes idle, but with an ordinary full GC, which retains maps;
 * - `--retain-maps-for-n-gc=16` (V8's default 2): a shape no object uses survives 16 full GCs
 *   instead of 2, so the memory reducer's GCs during one idle spell do not clear it either.
 * The cost is the heap a memory-reducing GC would have returned while idle (it shrank 64 → 46 MB
 * in the runs above) and a few kB of maps kept longer.
 *
 * A flag the process was started with (`node --retain-maps-for-n-gc=… …`, or the memory-reducer
 * flags) is the operator's choice and is left alone.
 */
export const IDLE_GC_FLAGS = ['--no-memory-reducer-favors-memory', '--retain-maps-for-n-gc=16'] as const;

export function keepOptimisedCodeAcrossIdleGc(execArgv: readonly string[] = process.execArgv): readonly string[] {
  const chosen = execArgv.some((a) => /^--(no-)?(memory-reducer|retain-maps)/.test(a.replace(/_/g, '-')));
  if (chosen) return [];
  for (const flag of IDLE_GC_FLAGS) setFlagsFromString(flag);
  return IDLE_GC_FLAGS;
}
