// Bench worker (not part of the app): reads [start, end) of a File in 4 MiB
// slices, as www/worker.js does, and feeds each chunk to the wasm BareParser
// (csv-core only: the baseline), to Sha256, or to nothing ('read').

import init, { BareParser, Sha256, wasm_memory_bytes } from '/www/pkg/privaudit.js';

const CHUNK = 4 * 1024 * 1024;
const ready = init();

async function scan(file, start, end, consume) {
  let readMs = 0;
  let workMs = 0;
  for (let pos = start; pos < end; pos += CHUNK) {
    const t0 = performance.now();
    const chunk = new Uint8Array(await file.slice(pos, Math.min(end, pos + CHUNK)).arrayBuffer());
    const t1 = performance.now();
    consume(chunk);
    workMs += performance.now() - t1;
    readMs += t1 - t0;
  }
  return { readMs, workMs };
}

const modes = {
  async bare({ file, start, end }) {
    const parser = new BareParser();
    try {
      const times = await scan(file, start, end, (chunk) => parser.feed(chunk));
      parser.feed(new Uint8Array());
      return { ...times, records: parser.records() };
    } finally {
      parser.free();
    }
  },
  async sha256({ file, start, end }) {
    const hasher = new Sha256();
    try {
      const times = await scan(file, start, end, (chunk) => hasher.update(chunk));
      return { ...times, hex: hasher.hex() };
    } finally {
      hasher.free();
    }
  },
  async read({ file, start, end }) {
    return scan(file, start, end, () => {});
  },
  async init() {
    return {};
  },
};

self.onmessage = async (event) => {
  const { id, type } = event.data;
  try {
    await ready;
    if (!modes[type]) throw new Error(`unknown bench mode ${type}`);
    const out = await modes[type](event.data);
    self.postMessage({ ...out, id, wasmMemory: wasm_memory_bytes() });
  } catch (error) {
    self.postMessage({ id, error: String(error && error.stack ? error.stack : error) });
  }
};
