// An audit worker: loads the engine once and answers the requests of
// protocol.js. It reads the File itself in CHUNK_SIZE slices, so file bytes
// never travel between threads; only small results and state bytes do.
// Served site: a module worker. Single file: concatenated into a classic
// Blob worker after the wasm-bindgen no-modules glue (scripts/bundle.mjs).

import { MSG, CHUNK_SIZE, PREVIEW_BYTES, makeError, toError } from './protocol.js';
import { loadWasm } from './wasm.js';
import { isParquet, parquetGroups, parquetMeta, parquetPreviewInput } from './parquet.js';

async function readSlice(file, start, end) {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

/**
 * Feeds one byte range to a Session. Reading goes on past `range.end` until
 * feed() says the range's last record is complete, or the file ends.
 */
async function runRange(engine, id, { file, spec, range, pass }) {
  const session = pass
    ? engine.Session.for_pass(spec, range.start, range.end, pass)
    : new engine.Session(spec, range.start, range.end, Boolean(range.exact_start));
  try {
    if (await isParquet(engine, file)) {
      // Row groups, decoded by the Parquet module into wire messages.
      let done = 0;
      for await (const g of parquetGroups(file, range.start, range.end)) {
        session.feed(g.wire);
        done += g.bytes;
        post({ type: MSG.PROGRESS, id, bytes: Math.min(done, range.end - range.start) });
      }
      session.finish_input();
      const state = session.state();
      const buffer = state.buffer.byteLength === state.byteLength ? state.buffer : state.slice().buffer;
      return { message: { type: MSG.STATE, id, state: buffer }, transfer: [buffer] };
    }
    // Read ahead: the next slice is being read while the engine parses this one.
    const next = (at) => (at < file.size ? readSlice(file, at, Math.min(file.size, at + CHUNK_SIZE)) : null);
    let pos = range.start;
    let pending = next(pos);
    let complete = false;
    while (!complete) {
      if (pos >= file.size) {
        session.finish_input();
        break;
      }
      const chunk = await pending;
      pending = next(pos + chunk.length);
      complete = session.feed(chunk);
      pos += chunk.length;
      post({ type: MSG.PROGRESS, id, bytes: Math.max(0, Math.min(pos, range.end) - range.start) });
    }
    if (pending) pending.catch(() => {}); // a read-ahead past the range's end is not needed
    const state = session.state();
    const buffer = state.buffer.byteLength === state.byteLength ? state.buffer : state.slice().buffer;
    return { message: { type: MSG.STATE, id, state: buffer }, transfer: [buffer] };
  } finally {
    session.free();
  }
}

/** The file's bytes in order, as the engine reads them: chunks of a text file, or the
 *  wire messages of a Parquet file's row groups; {chunk, at} with the bytes read so far. */
async function* inOrder(engine, file) {
  if (await isParquet(engine, file)) {
    let at = 0;
    for await (const g of parquetGroups(file, 0, file.size)) {
      at += g.bytes;
      yield { chunk: g.wire, at: Math.min(at, file.size) };
    }
    return;
  }
  let pending = readSlice(file, 0, Math.min(file.size, CHUNK_SIZE));
  for (let pos = 0; pos < file.size; pos += CHUNK_SIZE) {
    const chunk = await pending;
    const at = pos + CHUNK_SIZE;
    pending = at < file.size ? readSlice(file, at, Math.min(file.size, at + CHUNK_SIZE)) : null;
    yield { chunk, at: Math.min(file.size, at) };
  }
}

/** The Kamiran–Calders weight of every row of `file` (a finished audit's `report`), as
 *  CSV bytes in parts: the whole file is read in order, since row numbers need it. */
async function rowWeights(engine, id, { file, report }) {
  const weigher = new engine.Reweigher(report);
  try {
    const parts = [];
    const keep = (bytes) => {
      if (bytes.byteLength) parts.push(bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer);
    };
    for await (const { chunk, at } of inOrder(engine, file)) {
      keep(weigher.feed(chunk));
      post({ type: MSG.PROGRESS, id, bytes: at });
    }
    keep(weigher.finish_input());
    return result(id, { parts, rows: weigher.rows(), weighted: weigher.weighted() }, parts);
  } finally {
    weigher.free();
  }
}

/** The generalised table of `file` at `levels` ([[column, level], …]) with the rows of
 *  classes below `k` suppressed: the file is read twice in order (count, then write). */
async function generalise(engine, id, { file, report, levels, k }) {
  const g = new engine.Generaliser(report, JSON.stringify(levels), k);
  try {
    const parts = [];
    const keep = (bytes) => {
      if (bytes.byteLength) parts.push(bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer);
    };
    for (const pass of [0, 1]) {
      for await (const { chunk, at } of inOrder(engine, file)) {
        if (pass === 0) g.count(chunk);
        else keep(g.feed(chunk));
        post({ type: MSG.PROGRESS, id, bytes: pass * file.size + at });
      }
      if (pass === 0) g.end_count();
    }
    keep(g.finish_input());
    return result(id, { parts, rows: g.rows(), suppressed: g.suppressed() }, parts);
  } finally {
    g.free();
  }
}

async function hashFile(engine, id, { file }) {
  const hasher = new engine.Sha256();
  try {
    let pending = readSlice(file, 0, Math.min(file.size, CHUNK_SIZE));
    for (let pos = 0; pos < file.size; pos += CHUNK_SIZE) {
      const chunk = await pending;
      const at = pos + CHUNK_SIZE;
      pending = at < file.size ? readSlice(file, at, Math.min(file.size, at + CHUNK_SIZE)) : null;
      hasher.update(chunk);
      post({ type: MSG.PROGRESS, id, bytes: Math.min(file.size, pos + CHUNK_SIZE) });
    }
    return { message: { type: MSG.RESULT, id, value: hasher.hex() } };
  } finally {
    hasher.free();
  }
}

// The coordinating session of a run (merged states and the pass plan), kept between the
// MERGE, ABSORB and FINISH requests of one run.
let coordinator = null;

function dropCoordinator() {
  if (coordinator) coordinator.free();
  coordinator = null;
}

function mergeStates(engine, id, { spec, states }) {
  if (!states.length) throw makeError('internal', 'There is no state to merge.');
  dropCoordinator();
  coordinator = engine.Session.from_state(spec, new Uint8Array(states[0]));
  for (const state of states.slice(1)) coordinator.merge(new Uint8Array(state));
  return result(id, JSON.parse(coordinator.plan()));
}

function absorbPass(engine, id, { states }) {
  if (!coordinator) throw makeError('internal', 'No run to absorb into.');
  return result(id, JSON.parse(coordinator.absorb(states.map((s) => new Uint8Array(s)))));
}

function finishAudit(engine, id, { input, reference, test }) {
  if (!coordinator) throw makeError('internal', 'There is no state to finish.');
  try {
    if (reference) coordinator.set_reference(new Uint8Array(reference));
    if (test) coordinator.set_test(new Uint8Array(test));
    const json = coordinator.finish(JSON.stringify(input));
    const html = engine.render_html(json);
    return { message: { type: MSG.REPORT, id, json, html } };
  } finally {
    dropCoordinator();
  }
}

/** The finished side of a reference run (drift) or of a test-file run (overlap). */
function sideOf(kind) {
  return (engine, id, { fileName }) => {
    if (!coordinator) throw makeError('internal', `There is no ${kind} run to finish.`);
    try {
      const bytes = kind === 'test' ? coordinator.test_side(fileName || '') : coordinator.drift_side();
      const buffer = bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer;
      return result(id, buffer, [buffer]);
    } finally {
      dropCoordinator();
    }
  };
}

function releaseSummary(engine, id, { meta, ledger = '' }) {
  if (!coordinator) throw makeError('internal', 'There is no state to release.');
  try {
    const out = JSON.parse(coordinator.release(JSON.stringify(meta), ledger || ''));
    return { message: { type: MSG.REPORT, id, json: out.json, html: out.html, ledger: out.ledger } };
  } finally {
    dropCoordinator(); // the exact tables are gone, released or not
  }
}

function result(id, value, transfer = []) {
  return { message: { type: MSG.RESULT, id, value }, transfer };
}

const handlers = {
  async [MSG.PREVIEW](engine, id, { file, spec }) {
    let sample = await readSlice(file, 0, Math.min(file.size, PREVIEW_BYTES));
    // A workbook's directory is at its end: its preview reads the whole file. A Parquet
    // file's preview reads its footer and first rows through the Parquet module.
    if (engine.is_parquet(sample)) sample = await parquetPreviewInput(file);
    else if (sample.length < file.size && engine.needs_whole_file(sample)) sample = await readSlice(file, 0, file.size);
    const preview = engine.preview(sample, file.name, file.size, spec);
    return result(id, { preview, version: engine.version() });
  },
  [MSG.SAMPLE](engine, id) {
    const bytes = engine.sample_csv();
    const buffer = bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer;
    return result(id, { bytes: buffer, name: engine.sample_file_name(), spec: JSON.parse(engine.sample_spec_json()) }, [buffer]);
  },
  [MSG.SPEC_TOML](engine, id, { spec }) {
    return result(id, engine.spec_to_toml(spec));
  },
  [MSG.CSV](engine, id, { report, table }) {
    return result(id, engine.report_csv(report, table));
  },
  [MSG.CHECKS](engine, id) {
    return result(id, JSON.parse(engine.check_registry()));
  },
  [MSG.SPEC_READ](engine, id, { text }) {
    return result(id, JSON.parse(engine.spec_from_text(text)));
  },
  async [MSG.PLAN](engine, id, { spec, fileSize, workers, file }) {
    // Parquet: runs of row groups, from the footer (the spec says nothing of them).
    if (file && (await isParquet(engine, file))) {
      return result(id, JSON.parse(engine.plan_parquet(await parquetMeta(file), fileSize, workers)));
    }
    return result(id, JSON.parse(engine.plan_ranges(spec, fileSize, workers)));
  },
  [MSG.CHECK](engine, id, { spec, states, fileSize }) {
    const arrays = states.map((s) => new Uint8Array(s));
    return result(id, JSON.parse(engine.check_states(spec, arrays, fileSize)));
  },
  [MSG.RUN]: runRange,
  [MSG.HASH]: hashFile,
  [MSG.REWEIGH]: rowWeights,
  [MSG.MERGE]: mergeStates,
  [MSG.ABSORB]: absorbPass,
  [MSG.FINISH]: finishAudit,
  [MSG.DRIFT_SIDE]: sideOf('reference'),
  [MSG.TEST_SIDE]: sideOf('test'),
  [MSG.RELEASE]: releaseSummary,
  [MSG.DP_PLAN](engine, id, { spec }) {
    return result(id, JSON.parse(engine.dp_plan(spec)));
  },
  [MSG.LEDGER](engine, id, { op, ledger = '', sha256 = '', spec = '{}', cap = 0, imported = '' }) {
    const ops = {
      empty: () => engine.ledger_empty(),
      view: () => JSON.parse(engine.ledger_view(ledger, sha256, spec)),
      cap: () => engine.ledger_set_cap(ledger, sha256, spec, cap),
      merge: () => JSON.parse(engine.ledger_merge(ledger, imported)),
    };
    if (!ops[op]) throw makeError('internal', `Unknown ledger operation: ${op}`);
    return result(id, ops[op]());
  },
  [MSG.VERIFY](engine, id, { text, name }) {
    return result(id, JSON.parse(engine.verify_summary(text, name)));
  },
  [MSG.PRIVACY](engine, id, { spec }) {
    return result(id, JSON.parse(engine.privacy_options(spec)));
  },
  [MSG.DRAFT](engine, id, { report, kind, format, dp }) {
    return result(id, engine.report_draft(report, kind, format, dp || ''));
  },
  [MSG.WHAT_IFS](engine, id, { report }) {
    return result(id, JSON.parse(engine.risk_what_ifs(report)));
  },
  [MSG.GENERALISE]: generalise,
};

self.onmessage = async (event) => {
  const request = event.data || {};
  const { id, type } = request;
  try {
    const handler = handlers[type];
    if (!handler) throw makeError('internal', `Unknown request type: ${type}`);
    const engine = await loadWasm();
    const { message, transfer } = await handler(engine, id, request);
    post(message, transfer || []);
  } catch (thrown) {
    post({ type: MSG.ERROR, id, error: toError(thrown) });
  }
};
