export { KEY_OWNERSHIP } from './membership.tokens';
export { NodeState } from './node-state';
export { SingleNodeTopology } from './single-node-topology';
export type { KeyOwnership } from './single-node-topology';
