// Bench wrapper (not part of the app) around DuckDB-WASM's single-threaded worker
// bundle (node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-{eh,mvp}.worker.js, loaded
// unchanged from the URL in ?bundle=). It keeps the WebAssembly.Memory the bundle
// instantiates with (imported or exported) and answers "memory?" on the
// BroadcastChannel 'privaudit-bench-duckdb' with its size in bytes — wasm linear memory
// only grows, so that is the peak, measured as for privaudit's workers. The channel is
// separate from the worker's own messages, so DuckDB's protocol is untouched.

/* eslint-env worker */
const memories = [];
function keep(value) {
  if (value instanceof WebAssembly.Memory && !memories.includes(value)) memories.push(value);
}
function keepExports(exports) {
  for (const value of Object.values(exports || {})) keep(value);
}
// Imports: only an own `memory` property of each namespace, read through its descriptor.
// Emscripten's dynamically linked builds pass Proxy namespaces that resolve (and stub)
// every symbol read through `get`, so iterating them would break the instantiation.
function keepImported(imports) {
  if (!imports || typeof imports !== 'object') return;
  for (const name of Object.keys(imports)) {
    const ns = imports[name];
    if (ns && typeof ns === 'object') keep(Object.getOwnPropertyDescriptor(ns, 'memory')?.value);
  }
}
function wrap(name) {
  const native = WebAssembly[name];
  WebAssembly[name] = function patched(source, imports, ...rest) {
    keepImported(imports);
    return native.call(WebAssembly, source, imports, ...rest).then((result) => {
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      if (instance) keepExports(instance.exports);
      return result;
    });
  };
}
wrap('instantiate');
wrap('instantiateStreaming');

const channel = new BroadcastChannel('privaudit-bench-duckdb');
channel.onmessage = (event) => {
  if (event.data !== 'memory?') return;
  channel.postMessage({ wasmMemory: Math.max(0, ...memories.map((m) => m.buffer.byteLength)), memories: memories.length });
};

const bundle = new URL(self.location.href).searchParams.get('bundle');
if (!bundle || new URL(bundle, self.location.href).origin !== self.location.origin) {
  throw new Error(`duckdb-worker.js: ?bundle= must name a same-origin worker script, got ${bundle}`);
}
importScripts(bundle);
