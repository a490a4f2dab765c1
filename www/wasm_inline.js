// Loads the audit engine in a worker of the single offline file
// (dist/privaudit.html). Not used by the served site: scripts/bundle.mjs puts
// this module in place of wasm.js. The worker script it runs in starts with
// the wasm-bindgen `--target no-modules` glue (which defines the global
// `wasm_bindgen`) and the constant PRIVAUDIT_WASM_BASE64 (the .wasm file).

// The Parquet reader is a second module: its glue (wasm-bindgen no-modules, global
// `privaudit_parquet`) is in the worker script too, its .wasm gzip-compressed in
// PRIVAUDIT_PARQUET_BASE64; it is decompressed and compiled only when a Parquet file is
// opened.

/* global wasm_bindgen, PRIVAUDIT_WASM_BASE64, privaudit_parquet, PRIVAUDIT_PARQUET_BASE64 */

let ready = null;

function base64ToBytes(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The engine's exports, initialised once per worker (memoised promise). */
export function loadWasm() {
  if (ready === null) {
    ready = (async () => {
      const module = await WebAssembly.compile(base64ToBytes(PRIVAUDIT_WASM_BASE64));
      wasm_bindgen.initSync({ module });
      return wasm_bindgen;
    })().catch((e) => {
      throw new Error(`Could not start the audit engine: ${e && e.message ? e.message : e}`);
    });
  }
  return ready;
}

let parquetReady = null;

/** The Parquet reader's exports, compiled and initialised on first use (memoised). */
export function loadParquet() {
  if (parquetReady === null) {
    parquetReady = (async () => {
      const gzipped = new Blob([base64ToBytes(PRIVAUDIT_PARQUET_BASE64)]).stream();
      const bytes = await new Response(gzipped.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
      const module = await WebAssembly.compile(bytes);
      privaudit_parquet.initSync({ module });
      return privaudit_parquet;
    })().catch((e) => {
      throw new Error(`Could not start the Parquet reader: ${e && e.message ? e.message : e}`);
    });
  }
  return parquetReady;
}
