// Loads the audit engine in a worker of the served site: wasm-bindgen
// `--target web` output in ./pkg/ (built by scripts/build). The single-file
// build swaps this module for wasm_inline.js (see scripts/bundle.mjs).

import init, * as engine from './pkg/privaudit.js';

let ready = null;

/** The engine's exports, initialised once per worker (memoised promise). */
export function loadWasm() {
  if (ready === null) {
    ready = init().then(() => engine, (e) => {
      throw new Error(`Could not load the audit engine (pkg/privaudit_bg.wasm): ${e && e.message ? e.message : e}`);
    });
  }
  return ready;
}

let parquetReady = null;

/** The Parquet reader (a second wasm module, ./pkg-parquet/, built by scripts/build),
 *  loaded only when a Parquet file is opened (memoised promise). */
export function loadParquet() {
  if (parquetReady === null) {
    parquetReady = import('./pkg-parquet/privaudit_parquet.js').then(async (m) => {
      await m.default();
      return m;
    }).catch((e) => {
      throw new Error(`Could not load the Parquet reader (pkg-parquet/privaudit_parquet_bg.wasm): ${e && e.message ? e.message : e}`);
    });
  }
  return parquetReady;
}
