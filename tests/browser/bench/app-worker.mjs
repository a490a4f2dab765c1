// Bench wrapper (not part of the app) around the app's own worker (WWW/worker.js,
// loaded unchanged; WWW is ?www=, /www by default, /baseline/www for the old engine
// served by server.mjs). app-hook.mjs makes the page start this module instead of
// WWW/worker.js. It adds, to every message the worker sends, `bench: {wasmMemory, ms,
// readMs}` — the wasm instance's linear memory (it only grows, so the last value is the
// peak), and for answers the time the request took and the part spent waiting for
// File.slice() reads. With `?hash=stub` it answers the app's SHA-256 request at once
// instead of reading the file, so the profile is measured without the hash pass.

const params = new URL(import.meta.url).searchParams;
const stubHash = params.get('hash') === 'stub';
const www = params.get('www') || '/www';
if (!/^\/[A-Za-z0-9/_-]*$/.test(www)) throw new Error(`app-worker.mjs: bad ?www=${www}`);

// Messages that arrive while the app's worker loads wait here, then go to it in order.
const early = [];
self.onmessage = (event) => { early.push(event); };

const nativePost = self.postMessage.bind(self);
let readMs = 0;
const nativeArrayBuffer = Blob.prototype.arrayBuffer;
Blob.prototype.arrayBuffer = async function arrayBuffer() {
  const t0 = performance.now();
  try {
    return await nativeArrayBuffer.call(this);
  } finally {
    readMs += performance.now() - t0;
  }
};

const queued = self.onmessage;
await import(`${www}/worker.js`); // sets self.onmessage
// The same module instance worker.js initialises (its wasm.js imports ./pkg/privaudit.js).
const engine = await import(`${www}/pkg/privaudit.js`);
const appOnMessage = self.onmessage;
if (typeof appOnMessage !== 'function' || appOnMessage === queued) throw new Error(`${www}/worker.js did not set self.onmessage`);

function wasmMemory() {
  try {
    return engine.wasm_memory_bytes();
  } catch {
    return 0; // not initialised yet
  }
}

const started = new Map(); // request id → {t0, read0, type}

self.postMessage = (message, transfer) => {
  if (message && typeof message === 'object') {
    const bench = { wasmMemory: wasmMemory() };
    const start = started.get(message.id);
    if (start && message.type !== 'progress') {
      started.delete(message.id);
      Object.assign(bench, { request: start.type, ms: performance.now() - start.t0, readMs: readMs - start.read0 });
    }
    message.bench = bench;
  }
  nativePost(message, transfer);
};

self.onmessage = (event) => {
  const request = event.data || {};
  if (stubHash && request.type === 'hash') {
    nativePost({ type: 'result', id: request.id, value: '0'.repeat(64), bench: { hashStub: true, wasmMemory: wasmMemory() } });
    return undefined;
  }
  started.set(request.id, { t0: performance.now(), read0: readMs, type: request.type });
  return appOnMessage.call(self, event);
};
for (const event of early.splice(0)) self.onmessage(event);
