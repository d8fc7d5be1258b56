// Test-only entry: the built server plus the peer isolation switch, driven over the IPC channel
// of a forked child (`{ isolate: true|false }` → `{ isolated }`). The production entry
// (dist/apps/server/src/main.js) has no such switch and no environment variable enables one.
require('reflect-metadata');
const path = require('node:path');
const dist = path.join(__dirname, '../../dist');
const { loadServerConfig } = require(path.join(dist, 'libs/config/src/index.js'));
const { startServer } = require(path.join(dist, 'apps/server/src/server.js'));
const { PeerFaultSwitch } = require(path.join(dist, 'libs/node/src/index.js'));

async function main() {
  const peerFaults = new PeerFaultSwitch();
  const server = await startServer(loadServerConfig(process.env), { peerFaults });
  process.on('message', (m) => {
    if (m && typeof m.isolate === 'boolean') peerFaults.isolated = m.isolate;
    process.send?.({ isolated: peerFaults.isolated });
  });
  const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`fault-node: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
