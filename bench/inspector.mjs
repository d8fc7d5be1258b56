// A Chrome DevTools Protocol session with a node process started with `--inspect=127.0.0.1:<port>`
// (bench:api's CPU profiles, bench:memory's forced GCs).
import { WebSocket } from 'undici';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Connects (waiting up to ≈ 10 s for the inspector to listen); `send(method, params)` → the result, or rejects with the protocol error. */
export async function inspectorSession(port) {
  let url;
  for (let i = 0; url === undefined; i++) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      url = list[0].webSocketDebuggerUrl;
    } catch (e) {
      if (i > 400) throw e;
      await sleep(25);
    }
  }
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  let id = 0;
  const pending = new Map();
  ws.addEventListener('message', (ev) => {
    const msg = JSON.parse(ev.data);
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(JSON.stringify(msg.error)));
    else p.resolve(msg.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      pending.set(++id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}
