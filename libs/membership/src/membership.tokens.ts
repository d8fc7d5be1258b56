/** DI token of the {@link KeyOwnership} (ring) of this node. */
export const KEY_OWNERSHIP = Symbol('KEY_OWNERSHIP');
