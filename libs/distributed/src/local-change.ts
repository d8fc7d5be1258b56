/**
 * Kinds of change the distributed layer applies to this node's store (issue 17): an item written
 * (as coordinator, replica, repair, hint or migration) or a delete recorded as a tombstone.
 * Rebalancing hand-offs (`dropLocal`) are not changes: the key lives on at its new owner.
 */
export const LocalChangeKind = { Set: 'set', Delete: 'delete' } as const;
/** Union of the values of {@link LocalChangeKind}. */
export type LocalChangeKind = (typeof LocalChangeKind)[keyof typeof LocalChangeKind];

/**
 * Listener of {@link DistributedCache.onLocalChange}: called synchronously after the change is
 * applied, with primitives only (no allocation per change). Must not throw or block.
 */
export type LocalChangeListener = (kind: LocalChangeKind, key: string, version: number, origin: string) => void;
