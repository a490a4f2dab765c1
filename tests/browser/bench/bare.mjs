// Bench page (not part of the app): runs one measurement on N workers of
// bare-worker.mjs over the file chosen in #file and resolves to
// {ms, records, workers: [{records, readMs, feedMs, wasmMemory}]}.
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

/** mode: 'bare' (BareParser), 'read' (File.slice only), 'sha256' (wasm Sha256). */
window.runBench = async (mode, n) => {
  const file = document.getElementById('file').files[0];
  if (!file) throw new Error('no file chosen');
  const workers = Array.from({ length: n }, startWorker);
  try {
    await Promise.all(workers.map((w) => w.call({ type: 'init' })));
    const t0 = performance.now();
    const results = await Promise.all(workers.map((w, k) => w.call({
      type: mode,
      file,
      start: Math.floor((file.size * k) / n),
      end: Math.floor((file.size * (k + 1)) / n),
    })));
    const ms = performance.now() - t0;
    return {
      mode,
      bytes: file.size,
      ms,
      records: results.reduce((sum, r) => sum + (r.records || 0), 0),
      workers: results.map(({ records, readMs, workMs, wasmMemory, hex }) => ({ records, readMs, workMs, wasmMemory, hex })),
    };
  } finally {
    for (const w of workers) w.terminate();
  }
};
window.benchReady = true;
