// Test-only entry: the built server plus the peer isolation switch, driven over the IPC channel
// of a forked child (`{ isolate: true|false }` → `{ isolated }`), and an optional wall-clock
// offset for chosen nodes (`TEST_CLOCK_OFFSETS=node-2:-30000,node-3:500`, ms), read only here.
// The production entry (dist/apps/server/src/main.js) has neither: no HYPERCACHE_* variable
// skews a clock or isolates a node.
require('reflect-metadata');
const path = require('node:path');
const dist = path.join(__dirname, '../../dist');
const { loadServerConfig } = require(path.join(dist, 'libs/config/src/index.js'));
const { startServer } = require(path.join(dist, 'apps/server/src/server.js'));
const { PeerFaultSwitch } = require(path.join(dist, 'libs/node/src/index.js'));

async function main() {
  const peerFaults = new PeerFaultSwitch();
  const config = loadServerConfig(process.env);
  const offsetMs = clockOffsetOf(config.nodeId, process.env.TEST_CLOCK_OFFSETS);
  const clock = offsetMs === 0 ? undefined : () => Date.now() + offsetMs;
  const server = await startServer(config, { peerFaults, clock });
  process.on('message', (m) => {
    if (m && typeof m.isolate === 'boolean') peerFaults.isolated = m.isolate;
    process.send?.({ isolated: peerFaults.isolated });
  });
  const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function clockOffsetOf(nodeId, spec) {
  for (const entry of (spec ?? '').split(',')) {
    const [id, ms] = entry.split(':');
    if (id === nodeId) return Number(ms);
  }
  return 0;
}

main().catch((e) => {
  process.stderr.write(`fault-node: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
