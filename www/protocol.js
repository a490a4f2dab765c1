// The messages between the page (pool.js) and an audit worker (worker.js).
//
// Every request from the page carries a numeric `id`; the worker answers it
// with exactly one of `state`, `report`, `result` or `error` carrying the same
// id. `progress` is unsolicited: a worker may send any number of them for a
// running request before its answer. Buffers (file chunks never cross: the
// worker reads the File itself; state bytes do) go in the transfer list.
// Cancelling is not a message: the page calls `worker.terminate()`.
//
// Modelled on duckdb-wasm `src/parallel/worker_request.ts`.

/** Message types, as lowercase strings. */
export const MSG = Object.freeze({
  // page → worker requests
  PREVIEW: 'preview', //   {file, spec}                → result {preview: JSON string, version}
  SAMPLE: 'sample', //     {}                          → result {bytes: ArrayBuffer, name}
  SPEC_TOML: 'spec_toml', // {spec}                    → result TOML string
  CSV: 'csv', //           {report, table}             → result CSV text of a report's table (formula-safe)
  CHECKS: 'checks', //     {}                          → result [{id, title, doc, threshold, severity, …}]: the registry
  SPEC_READ: 'spec_read', // {text}                    → result spec object (from TOML or JSON text)
  PLAN: 'plan', //         {spec, fileSize, workers}   → result [{start, end, exact_start}]
  RUN: 'run', //           {file, spec, range, pass?}  → progress*, state (pass: a planned later pass)
  HASH: 'hash', //         {file}                      → progress*, result hex string
  CHECK: 'check', //       {spec, states, fileSize}    → result {ok, keep, redo}
  MERGE: 'merge', //       {spec, states}              → result {pass, ranges}: merges the main pass, plans the next
  ABSORB: 'absorb', //     {states}                    → result {pass, ranges}: absorbs a planned pass
  FINISH: 'finish', //     {input, reference?, test?}  → report (from the merged, fully planned run; with drift
  //                                                     against `reference` (a DRIFT_SIDE buffer) and the train/test
  //                                                     overlap with `test` (a TEST_SIDE buffer), when given)
  REWEIGH: 'reweigh', //   {file, report}              → progress*, result {parts: [ArrayBuffer], rows, weighted}:
  //                                                     the audit's row weights as CSV (a sequential read)
  DRIFT_SIDE: 'drift_side', // {}                      → result ArrayBuffer: a reference run's drift data (confidential)
  TEST_SIDE: 'test_side', // {fileName}                → result ArrayBuffer: a test file run's dataset state (confidential)
  RELEASE: 'release', //   {meta, ledger}              → report {json, html, ledger}: the DP summary of a DP-mode run
  //                                                     (noise drawn here, after the DP ledger's check; the ledger
  //                                                     comes back with the release recorded)
  DP_PLAN: 'dp_plan', //   {spec}                      → result: public plan (shares, scales, accuracies, warnings)
  LEDGER: 'ledger', //     {op, ledger, sha256, spec, cap, imported}
  //                                                     → result: op 'empty' → ledger text; 'view' → the file's view;
  //                                                     'cap' → ledger text; 'merge' → {ledger, notes}
  VERIFY: 'verify', //     {text, name}                → result {consistent, headline, html}: a DP summary checked
  // worker → page
  PROGRESS: 'progress', // {id, bytes}  bytes of the request's range read so far (unsolicited)
  STATE: 'state', //       {id, state: ArrayBuffer}  serialised mergeable state (confidential)
  REPORT: 'report', //     {id, json, html}
  RESULT: 'result', //     {id, value}
  ERROR: 'error', //       {id, error: {kind, message, row, column, byte, fatal}}
});

/** Bytes per File.slice() read in a worker. */
export const CHUNK_SIZE = 4 * 1024 * 1024;

/** Bytes of the file start that preview() sees. */
export const PREVIEW_BYTES = 1024 * 1024;

let lastId = 0;

/** A fresh request id, unique within this page. */
export function newRequestId() {
  lastId += 1;
  return lastId;
}

/** The error shape that crosses from a worker to the page. */
export function makeError(kind, message, extra = {}) {
  return {
    kind: String(kind),
    message: String(message),
    row: extra.row ?? null,
    column: extra.column ?? null,
    byte: extra.byte ?? null,
    fatal: Boolean(extra.fatal),
  };
}

/**
 * Turns anything thrown (the engine's plain error object, a JS Error, a wasm
 * trap) into the error shape. A wasm trap is `fatal`: the worker's engine
 * instance cannot be trusted afterwards, so the page discards the worker.
 */
export function toError(thrown) {
  if (thrown && typeof thrown === 'object' && typeof thrown.message === 'string' && !(thrown instanceof Error)) {
    return makeError(thrown.kind || 'error', thrown.message, thrown);
  }
  if (typeof WebAssembly !== 'undefined' && thrown instanceof WebAssembly.RuntimeError) {
    return makeError('panic', `The audit engine stopped unexpectedly (${thrown.message}). This is a bug in privaudit; please report it.`, { fatal: true });
  }
  if (thrown instanceof Error) {
    return makeError(thrown.name === 'TypeError' ? 'internal' : thrown.name || 'internal', thrown.message);
  }
  return makeError('internal', String(thrown));
}

/** The error used when the user cancels a run. */
export const CANCELLED = Object.freeze(makeError('cancelled', 'The audit was cancelled.'));
