/**
 * Who owns which key. The consistent-hash ring (issue 4) implements this for a cluster; a node
 * without peers owns every key itself (client-api.md §5.5).
 */
export interface KeyOwnership {
  /** This node's ID. */
  readonly nodeId: string;
  /** Ring owners of `key`, primary first. Pure computation: works for never-written keys. */
  ownersOf(key: string): readonly string[];
}

/** Ownership of a node that has no peers: it is the only owner of every key. */
export class SingleNodeTopology implements KeyOwnership {
  readonly #owners: readonly string[];

  constructor(readonly nodeId: string) {
    this.#owners = Object.freeze([nodeId]);
  }

  ownersOf(_key: string): readonly string[] {
    return this.#owners;
  }
}
