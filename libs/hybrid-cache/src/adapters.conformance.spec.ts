import { MemoryBackplaneHub } from './backplane/memory-backplane';
import { MemoryL2 } from './l2/memory-l2';
import { backplaneConformance, l2AdapterConformance } from './testing/conformance';

describe('MemoryL2 conformance (§11)', () => {
  for (const c of l2AdapterConformance(() => new MemoryL2())) it(c.name, c.run);
});

describe('MemoryBackplane conformance (§9)', () => {
  let hub = new MemoryBackplaneHub();
  beforeEach(() => {
    hub = new MemoryBackplaneHub();
  });
  for (const c of backplaneConformance(() => hub.connect())) it(c.name, c.run);
});
