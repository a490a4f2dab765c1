// Bench page (not part of the app): DuckDB-WASM 1.32 as a peer of privaudit's audit in
// the same Chromium. The file chosen in #file is registered with
// registerFileHandle(name, file, BROWSER_FILEREADER, directIO = true), then the two
// queries scripts/bench.d/duckdb_peer.py --sql-only writes (SUMMARIZE, and the per-group
// confusion counts GROUP BY CUBE) run one after the other, each reading the CSV with
// read_csv(name) and the sniffer's types, as natively.
//
// Bundle: the single-threaded ones only (eh, else mvp). The multi-threaded coi bundle
// needs a cross-origin-isolated page, and its registerFileHandle posts the handle to
// every pthread worker (duckdb/duckdb-wasm#2243: that fails for browser file handles).

import * as duckdb from '/tests/browser/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';

const DIST = new URL('/tests/browser/node_modules/@duckdb/duckdb-wasm/dist/', location.href).href;
const WRAPPER = new URL('./duckdb-worker.js', import.meta.url).href;
const BUNDLES = {
  mvp: { mainModule: `${DIST}duckdb-mvp.wasm`, mainWorker: `${WRAPPER}?bundle=${encodeURIComponent(`${DIST}duckdb-browser-mvp.worker.js`)}` },
  eh: { mainModule: `${DIST}duckdb-eh.wasm`, mainWorker: `${WRAPPER}?bundle=${encodeURIComponent(`${DIST}duckdb-browser-eh.worker.js`)}` },
};

/** The wasm linear memory of the DuckDB worker (duckdb-worker.js answers). */
function workerMemory() {
  const channel = new BroadcastChannel('privaudit-bench-duckdb');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { channel.close(); reject(new Error('the DuckDB worker did not report its memory')); }, 10_000);
    channel.onmessage = (event) => {
      clearTimeout(timer);
      channel.close();
      resolve(event.data);
    };
    channel.postMessage('memory?');
  });
}

const plain = (v) => (typeof v === 'bigint' ? Number(v) : v);

/** Rows of the confusion query → {groups, n, tp, fp, tn, fn}, as duckdb_peer.py's cube
 *  (GROUPING's bit set = rolled up, the first attribute the highest bit). */
function cube(table, protectedColumns) {
  const k = protectedColumns.length;
  return table.toArray().map((row) => {
    const r = row.toJSON();
    const rolled = plain(r.rolled_up);
    const groups = {};
    protectedColumns.forEach((c, i) => {
      if (((rolled >> (k - 1 - i)) & 1) === 0) groups[c] = r[c] === null || r[c] === undefined ? null : String(r[c]);
    });
    return { groups, n: plain(r.n), tp: plain(r.tp), fp: plain(r.fp), tn: plain(r.tn), fn: plain(r.fn) };
  });
}

/** One measurement: {bundle, version, instantiate_ms, describe_ms, summarize_ms,
 *  confusion_ms, ms (= summarize + confusion), types, summarize_rows, rows, cube, wasm_memory}. */
window.runDuckdb = async ({ name, summarize, confusion, protected: protectedColumns }) => {
  const file = document.getElementById('file').files[0];
  if (!file) throw new Error('no file chosen');
  if (crossOriginIsolated) throw new Error('the page is cross-origin isolated: selectBundle would pick the threaded coi bundle');
  const bundle = await duckdb.selectBundle(BUNDLES);
  const kind = Object.keys(BUNDLES).find((key) => BUNDLES[key].mainModule === bundle.mainModule);
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  try {
    const t0 = performance.now();
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    const version = await db.getVersion();
    await db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const conn = await db.connect();
    const t1 = performance.now();
    const described = await conn.query(`DESCRIBE SELECT * FROM read_csv('${name.replaceAll("'", "''")}')`);
    const t2 = performance.now();
    const summary = await conn.query(summarize);
    const t3 = performance.now();
    const counts = await conn.query(confusion);
    const t4 = performance.now();
    const rows = cube(counts, protectedColumns);
    const memory = await workerMemory();
    await conn.close();
    return {
      bundle: kind,
      version,
      threads: 1,
      file_protocol: 'BROWSER_FILEREADER, directIO',
      instantiate_ms: t1 - t0,
      describe_ms: t2 - t1,
      summarize_ms: t3 - t2,
      confusion_ms: t4 - t3,
      ms: t4 - t2,
      types: Object.fromEntries(described.toArray().map((r) => [r.toJSON().column_name, r.toJSON().column_type])),
      summarize_rows: summary.numRows,
      rows: rows.find((r) => Object.keys(r.groups).length === 0)?.n ?? null,
      cube: rows,
      wasm_memory: memory.wasmMemory,
      wasm_memories_seen: memory.memories,
    };
  } finally {
    await db.terminate();
  }
};
window.benchReady = true;
