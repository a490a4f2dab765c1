// Bench worker (not part of the app): reads [start, end) of a File in 4 MiB
// slices, as www/worker.js does, and feeds each chunk to the wasm BareParser
// (csv-core only: the baseline), to DecodeOnly (the engine's decoding and cell
// typing with no analyses: the ceiling of any profile), to Sha256, or to
// nothing ('read'). 'spec' resolves the spec from the first 1 MiB like the
// app's preview (www/worker.js MSG.PREVIEW) and plans the ranges.

import init, { BareParser, DecodeOnly, Sha256, preview, plan_ranges, wasm_memory_bytes } from '/www/pkg/privaudit.js';

const CHUNK = 4 * 1024 * 1024;
const PREVIEW_BYTES = 1024 * 1024; // www/protocol.js
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

/** Feeds a decode-only run from range.start until it says the range is complete (it may
 *  read past range.end to finish its last record) or the file ends. */
async function decodeRange(file, spec, range) {
  const run = new DecodeOnly(spec, range.start, range.end, Boolean(range.exact_start));
  try {
    let readMs = 0;
    let workMs = 0;
    let complete = false;
    for (let pos = range.start; !complete; pos += CHUNK) {
      if (pos >= file.size) {
        run.finish_input();
        break;
      }
      const t0 = performance.now();
      const chunk = new Uint8Array(await file.slice(pos, Math.min(file.size, pos + CHUNK)).arrayBuffer());
      const t1 = performance.now();
      complete = run.feed(chunk);
      workMs += performance.now() - t1;
      readMs += t1 - t0;
    }
    return { readMs, workMs, rows: run.rows(), segment: JSON.parse(run.segment()) };
  } finally {
    run.free();
  }
}

const modes = {
  async spec({ file, n }) {
    const sample = new Uint8Array(await file.slice(0, Math.min(file.size, PREVIEW_BYTES)).arrayBuffer());
    const spec = JSON.stringify(JSON.parse(preview(sample, file.name, file.size, '')).spec);
    return { spec, ranges: JSON.parse(plan_ranges(spec, file.size, n)) };
  },
  async decode({ file, spec, range }) {
    return decodeRange(file, spec, range);
  },
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
