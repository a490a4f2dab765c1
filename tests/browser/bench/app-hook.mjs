// Init script for the app page under the bench (not part of the app):
// - `navigator.hardwareConcurrency` = cfg.workers (www/pool.js starts that
//   many range workers, at most 4), when cfg.workers is set;
// - every `new Worker(…/worker.js)` starts bench/app-worker.mjs instead,
//   which loads cfg.www/worker.js (default /www) unchanged and reports wasm
//   memory and timings;
// - window.__bench records performance.now() at the click on "Run audit"
//   and when the report section is shown, plus what the workers reported.
// Serialised by Playwright (page.addInitScript), so it must be self-contained.

export function benchHook(cfg) {
  if (window !== window.top) return; // the report iframe
  const bench = {
    runClick: null,
    reportShown: null,
    workers: [],
    hashStubbed: 0,
    redirected: 0,
    reportJson: null,
  };
  window.__bench = bench;
  if (cfg.workers) {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { configurable: true, get: () => cfg.workers });
  }
  const NativeWorker = window.Worker;
  window.Worker = class BenchWorker extends NativeWorker {
    constructor(url, options = {}) {
      const u = new URL(String(url), location.href);
      let target = url;
      if (u.pathname.endsWith('/worker.js')) {
        target = new URL(`${cfg.wrapper}?hash=${cfg.hash ? 'real' : 'stub'}&www=${encodeURIComponent(cfg.www || '/www')}`, location.href);
        bench.redirected += 1;
      }
      super(target, options);
      const record = { name: options.name || '', t0: performance.now(), wasmMemory: 0, requests: [] };
      bench.workers.push(record);
      this.addEventListener('message', (event) => {
        const data = event.data || {};
        const b = data.bench || {};
        if (b.wasmMemory > record.wasmMemory) record.wasmMemory = b.wasmMemory;
        if (b.hashStub) bench.hashStubbed += 1;
        if (b.request) record.requests.push({ type: b.request, ms: b.ms, readMs: b.readMs });
        if (data.type === 'report') bench.reportJson = data.json;
      });
    }
  };
  document.addEventListener('click', (event) => {
    if (event.target && event.target.id === 'run-button' && bench.runClick === null) bench.runClick = performance.now();
  }, true);
  document.addEventListener('DOMContentLoaded', () => {
    const section = document.getElementById('step-report');
    new MutationObserver(() => {
      if (!section.hidden && bench.runClick !== null && bench.reportShown === null) bench.reportShown = performance.now();
    }).observe(section, { attributes: true, attributeFilter: ['hidden'] });
  });
}
