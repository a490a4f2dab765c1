// Bench page (not part of the app): runs one measurement on N workers of
// bare-worker.mjs over the file chosen in #file and resolves to
// {ms, records, rows, workers: [{records, readMs, workMs, wasmMemory}]}.
// The clock starts once every worker has loaded the wasm engine and stops
// when the last one has answered: it covers reading the file (File.slice,
// 4 MiB chunks, like www/worker.js) and the work on it.

function startWorker() {
  const worker = new Worker(new URL('./bare-worker.mjs', import.meta.url), { type: 'module' });
  const pending = new Map();
  let nextId = 0;
  worker.onmessage = (event) => {
    const { id, error } = event.data;
    const entry = pending.get(id);
    pending.delete(id);
    if (error) entry.reject(new Error(error));
    else entry.resolve(event.data);
  };
  worker.onerror = (event) => {
    for (const entry of pending.values()) entry.reject(new Error(`bare-worker.mjs failed: ${event.message || 'it did not load (is /www/pkg/privaudit.js built with BareParser? run bash scripts/build)'}`));
    pending.clear();
  };
  const call = (message) => new Promise((resolve, reject) => {
    nextId += 1;
    pending.set(nextId, { resolve, reject });
    worker.postMessage({ ...message, id: nextId });
  });
  return { call, terminate: () => worker.terminate() };
}

/** The decode mode's jobs: the spec from worker 0 (preview of the first 1 MiB, not
 *  timed: the app previews before "Run audit" too) and one planned range per worker. */
async function decodeJobs(workers, file) {
  const { spec, ranges } = await workers[0].call({ type: 'spec', file, n: workers.length });
  if (ranges.length !== workers.length) throw new Error(`plan_ranges gave ${ranges.length} ranges for ${workers.length} workers`);
  const header = JSON.parse(spec).input?.header !== false;
  return { header, jobs: ranges.map((range) => ({ type: 'decode', file, spec, range })) };
}

/** Checks that the decoded segments chain from byte 0 (no range re-run is needed on the
 *  bench table: it has no quoted newlines). */
function checkChain(results) {
  const segs = results.map((r) => r.segment).sort((a, b) => a.start - b.start);
  let expected = 0;
  for (const s of segs) {
    if (s.start !== expected) throw new Error(`decode ranges do not chain: a segment starts at ${s.start}, expected ${expected}`);
    expected = s.next_start;
  }
}

/** mode: 'bare' (BareParser), 'decode' (DecodeOnly over the ranges plan_ranges gives, after
 *  a preview like the app's), 'read' (File.slice only), 'sha256' (wasm Sha256). */
window.runBench = async (mode, n) => {
  const file = document.getElementById('file').files[0];
  if (!file) throw new Error('no file chosen');
  const workers = Array.from({ length: n }, startWorker);
  try {
    await Promise.all(workers.map((w) => w.call({ type: 'init' })));
    const decode = mode === 'decode' ? await decodeJobs(workers, file) : null;
    const t0 = performance.now();
    const results = await Promise.all(workers.map((w, k) => w.call(decode ? decode.jobs[k] : {
      type: mode,
      file,
      start: Math.floor((file.size * k) / n),
      end: Math.floor((file.size * (k + 1)) / n),
    })));
    const ms = performance.now() - t0;
    let records = results.reduce((sum, r) => sum + (r.records || 0), 0);
    let rows = null;
    if (decode) {
      checkChain(results);
      rows = results.reduce((sum, r) => sum + r.rows, 0);
      records = rows + (decode.header ? 1 : 0); // counted like the bare parse: header included
    }
    return {
      mode,
      bytes: file.size,
      ms,
      records,
      rows,
      workers: results.map(({ records: rec, rows: r, readMs, workMs, wasmMemory, hex }) => ({ records: rec ?? r, readMs, workMs, wasmMemory, hex })),
    };
  } finally {
    for (const w of workers) w.terminate();
  }
};
window.benchReady = true;
