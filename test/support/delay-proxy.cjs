// A small delaying TCP proxy for the chaos test bed (issue 21). Runs inside a node's network
// namespace: `node delay-proxy.cjs <listenPort> <targetHost> <targetPort>`. Every chunk, in both
// directions, is forwarded `delay` ms after it arrived (order kept, so a delay change never
// reorders bytes). Control: lines on stdin, `delay <ms>`; each is acknowledged with `ok <ms>`
// on stdout. Prints `listening` once bound.
const net = require('node:net');

const [listenPort, targetHost, targetPort] = process.argv.slice(2);
let delayMs = 0;

/** Forwards `from` → `to`, each chunk released at max(arrival + delay, previous release). */
function pipeDelayed(from, to) {
  let lastRelease = 0;
  from.on('data', (chunk) => {
    const at = Math.max(Date.now() + delayMs, lastRelease);
    lastRelease = at;
    const wait = at - Date.now();
    if (wait <= 0) to.write(chunk);
    else setTimeout(() => to.writable && to.write(chunk), wait);
  });
  from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastRelease - Date.now())));
  from.on('error', () => to.destroy());
}

const server = net.createServer((client) => {
  const upstream = net.connect(Number(targetPort), targetHost);
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  pipeDelayed(client, upstream);
  pipeDelayed(upstream, client);
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
});
server.listen(Number(listenPort), '0.0.0.0', () => process.stdout.write('listening\n'));

let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, i).trim();
    buf = buf.slice(i + 1);
    const m = /^delay (\d+)$/.exec(line);
    if (m) {
      delayMs = Number(m[1]);
      process.stdout.write(`ok ${delayMs}\n`);
    }
  }
});
process.stdin.on('end', () => process.exit(0));
