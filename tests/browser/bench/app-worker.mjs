// Bench wrapper (not part of the app) around the app's own worker
// (www/worker.js, loaded unchanged). app-hook.mjs makes the page start this
// module instead of www/worker.js. It adds, to every message the worker
// sends, `bench: {wasmMemory, ms, readMs}` — the wasm instance's linear memory
// (it only grows, so the last value is the peak), and for answers the time the
// request took and the part spent waiting for File.slice() reads. With
// `?hash=stub` it answers the app's SHA-256 request at once instead of reading
// the file, so the profile is measured without the hash pass.

import '/www/worker.js'; // sets self.onmessage
import * as engine from '/www/pkg/privaudit.js'; // the same module instance worker.js initialises

const stubHash = new URL(import.meta.url).searchParams.get('hash') === 'stub';
const nativePost = self.postMessage.bind(self);
const appOnMessage = self.onmessage;
if (typeof appOnMessage !== 'function') throw new Error('www/worker.js did not set self.onmessage');

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
