// Runs audits on a pool of workers (worker.js), following protocol.js.
//
//   File ──plan_ranges──► N byte ranges ──► N workers: Session.feed ─► state
//        └──────────────► 1 worker: Sha256 (concurrently)
//   states ──check_states──► keep / redo ranges (until ok)
//   states ──► one worker: from_state + merge… + finish + render_html ─► report
//
// JS never looks inside a state or a report: it moves bytes. Cancelling
// terminates every worker (duckdb-wasm `parallel/`, squoosh `worker-bridge`).

import { MSG, CANCELLED, makeError, newRequestId } from './protocol.js';

const MAX_WORKERS = 4;
const MAX_CHECK_ROUNDS = 16;

let workerUrl = null;

/** Creates one worker: a module worker from ./worker.js, or, in the single
 *  offline file, a classic worker from the inlined sources (blob: URL). */
function spawnWorker(name) {
  const inlineJs = document.getElementById('privaudit-worker-js');
  const inlineWasm = document.getElementById('privaudit-wasm');
  if (inlineJs && inlineWasm) {
    if (workerUrl === null) {
      const js = Uint8Array.from(atob(inlineJs.textContent.trim()), (c) => c.charCodeAt(0));
      const wasm = inlineWasm.textContent.trim();
      const inlineParquet = document.getElementById('privaudit-parquet-wasm');
      const parquet = inlineParquet ? inlineParquet.textContent.trim() : '';
      const blob = new Blob([
        `const PRIVAUDIT_WASM_BASE64 = "${wasm}";\nconst PRIVAUDIT_PARQUET_BASE64 = "${parquet}";\n`, js,
      ], { type: 'text/javascript' });
      workerUrl = URL.createObjectURL(blob);
    }
    return new Worker(workerUrl, { name });
  }
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name });
}

/** One worker and its pending requests (duckdb-wasm `_pendingRequests`). */
class Channel {
  constructor(name) {
    this.worker = spawnWorker(name);
    this.pending = new Map();
    this.closed = false;
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.close(makeError('internal', `A worker failed to start: ${event.message || 'unknown error'}`));
    };
  }

  call(type, payload = {}, { transfer = [], onProgress = null } = {}) {
    if (this.closed) return Promise.reject(CANCELLED);
    const id = newRequestId();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...payload, type, id }, transfer);
    });
  }

  receive(message) {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    if (message.type === MSG.PROGRESS) {
      if (entry.onProgress) entry.onProgress(message.bytes);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === MSG.ERROR) {
      entry.reject(message.error);
      if (message.error.fatal) this.close(message.error);
    } else {
      entry.resolve(message);
    }
  }

  /** Terminates the worker; every pending request is rejected with `error`. */
  close(error = CANCELLED) {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }
}

/** How many workers read ranges in parallel. */
export function workerCount(splittable) {
  if (!splittable) return 1;
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_WORKERS));
}

export class Engine {
  constructor() {
    this.helper = null; // serves preview, sample and spec export between runs
    this.channels = new Set(); // every live worker
    this.cancelled = null; // the running audit's "cancelled" flag holder
  }

  open(name) {
    const channel = new Channel(name);
    this.channels.add(channel);
    return channel;
  }

  closeChannel(channel) {
    channel.close(CANCELLED);
    this.channels.delete(channel);
  }

  async ask(type, payload) {
    if (this.helper === null || this.helper.closed) this.helper = this.open('privaudit-helper');
    return (await this.helper.call(type, payload)).value;
  }

  /** {preview: parsed preview object, version} for the first MiB of `file`. */
  async preview(file, spec) {
    const { preview, version } = await this.ask(MSG.PREVIEW, { file, spec: JSON.stringify(spec || {}) });
    return { preview: JSON.parse(preview), version };
  }

  /** The built-in synthetic data set as a File (then audited like any file), and its
   *  suggested spec (column roles: protected attributes, label, prediction, score). */
  async sample() {
    const { bytes, name, spec } = await this.ask(MSG.SAMPLE);
    return { file: new File([bytes], name, { type: 'text/csv' }), spec };
  }

  /** The public plan of `spec.dp` (accuracies before anything is spent). */
  dpPlan(spec) {
    return this.ask(MSG.DP_PLAN, { spec: JSON.stringify(spec) });
  }

  /** A DP ledger operation (`empty`, `view`, `cap`, `merge`; see protocol.js). */
  ledger(op, { ledger = '', sha256 = '', spec = {}, cap = 0, imported = '' } = {}) {
    return this.ask(MSG.LEDGER, { op, ledger, sha256, spec: JSON.stringify(spec), cap, imported });
  }

  /** The validator's check of a DP summary's text: {consistent, headline, html}. */
  verify(text, name) {
    return this.ask(MSG.VERIFY, { text, name });
  }

  /** The SHA-256 of `file` (hex), read in a worker; cancellable like a run. */
  async sha256(file, onProgress = () => {}) {
    const channel = this.open('privaudit-sha256-file');
    try {
      return (await channel.call(MSG.HASH, { file }, { onProgress })).value;
    } finally {
      this.closeChannel(channel);
    }
  }

  /** The row weights (Kamiran–Calders reweighing) of `file` for a finished audit report
   *  (its JSON): resolves to {blob (text/csv), rows, weighted}. Cancellable like a run. */
  async rowWeights(file, reportJson, onProgress = () => {}) {
    const channel = this.open('privaudit-reweigh');
    try {
      const { value } = await channel.call(MSG.REWEIGH, { file, report: reportJson }, { onProgress });
      return { blob: new Blob(value.parts, { type: 'text/csv' }), rows: value.rows, weighted: value.weighted };
    } finally {
      this.closeChannel(channel);
    }
  }

  /** The generalised table of `file` for a finished audit (its JSON) at `levels`
   *  ([[column, level], …]), rows of classes below `k` suppressed: resolves to
   *  {blob (text/csv), rows, suppressed}. Two reads of the file; cancellable. */
  async generalised(file, reportJson, levels, k, onProgress = () => {}) {
    const channel = this.open('privaudit-generalise');
    try {
      const { value } = await channel.call(MSG.GENERALISE, { file, report: reportJson, levels, k }, { onProgress });
      return { blob: new Blob(value.parts, { type: 'text/csv' }), rows: value.rows, suppressed: value.suppressed };
    } finally {
      this.closeChannel(channel);
    }
  }

  /** The privacy panel's options for `spec`: suggestions and the chosen columns' ladders. */
  privacyOptions(spec) {
    return this.ask(MSG.PRIVACY, { spec: JSON.stringify(spec) });
  }

  /** A draft (`pia` or `datasheet`, `md` or `html`) of a finished report; `dp`: the JSON of
   *  a DP summary released for the same file, or ''. */
  draft(reportJson, kind, format, dp = '') {
    return this.ask(MSG.DRAFT, { report: reportJson, kind, format, dp });
  }

  /** The generalisations a report tried: [{label, levels}]. */
  whatIfs(reportJson) {
    return this.ask(MSG.WHAT_IFS, { report: reportJson });
  }

  /** A report's table (`columns`, `checks`, `bias_groups`) as formula-safe CSV text. */
  reportCsv(reportJson, table) {
    return this.ask(MSG.CSV, { report: reportJson, table });
  }

  /** The check registry: id, title, doc, default threshold and severity of every check. */
  checkRegistry() {
    return this.ask(MSG.CHECKS, {});
  }

  /** A spec file's text (TOML or JSON) as a spec object. */
  readSpec(text) {
    return this.ask(MSG.SPEC_READ, { text });
  }

  specToToml(spec) {
    return this.ask(MSG.SPEC_TOML, { spec: JSON.stringify(spec) });
  }

  /** Terminates every worker (the helper too); running calls reject with CANCELLED. */
  cancel() {
    if (this.cancelled) this.cancelled.value = true;
    for (const channel of this.channels) channel.close(CANCELLED);
    this.channels.clear();
    this.helper = null;
  }

  /**
   * Audits `file` with `spec`. onProgress({bytesDone, bytesTotal, hashDone,
   * phase, workers, ranges, rereads}) is called often. Resolves to {json,
   * html, workers, ranges, rereads, durationMs, sha256} (and, for a DP release, ledger).
   */
  async audit(file, spec, { splittable = true, onProgress = () => {}, meta = {}, beforeRelease = null, releaseMeta = {}, reference = null, test = null, sideOf = null } = {}) {
    const flag = { value: false };
    this.cancelled = flag;
    const run = new Run(this, flag, file, JSON.stringify(spec), workerCount(splittable), onProgress);
    run.meta = meta;
    // Drift (spec.drift === true on both files): a reference run (sideOf 'reference') ends
    // with DRIFT_SIDE and resolves to {side: ArrayBuffer}; the current file's run passes it
    // as `reference`. The train/test overlap likewise: a test-file run (sideOf 'test') ends
    // with TEST_SIDE; the training file's run passes it as `test`.
    run.reference = reference;
    run.test = test;
    run.sideOf = sideOf;
    // A DP-mode run (spec.mode === 'dp') ends with RELEASE instead of FINISH, after
    // beforeRelease(sha256) resolved to the DP ledger's text (false: the user declined);
    // the engine checks the ledger again before drawing noise. releaseMeta: opt-ins.
    run.dp = spec.mode === 'dp';
    run.beforeRelease = beforeRelease;
    run.releaseMeta = releaseMeta;
    try {
      return await run.execute();
    } finally {
      run.close();
      if (this.cancelled === flag) this.cancelled = null;
    }
  }
}

/** One audit: its workers, its progress, and the steps of the diagram above. */
class Run {
  constructor(engine, cancelled, file, specJson, workers, onProgress) {
    Object.assign(this, { engine, cancelled, file, specJson, onProgress });
    this.runners = [];
    this.hasher = null;
    this.done = new Map(); // range object → bytes of it read so far
    this.status = { bytesTotal: file.size, hashDone: 0, phase: 'reading', workers, ranges: 0, rereads: 0 };
  }

  open(name) {
    if (this.cancelled.value) throw CANCELLED;
    return this.engine.open(name);
  }

  close() {
    for (const channel of [...this.runners, this.hasher]) if (channel) this.engine.closeChannel(channel);
  }

  report(phase = this.status.phase) {
    this.status.phase = phase;
    let bytesDone = 0;
    for (const b of this.done.values()) bytesDone += b;
    this.onProgress({ ...this.status, bytesDone: Math.min(bytesDone, this.file.size) });
  }

  async execute() {
    const { file, specJson } = this;
    const startedAt = new Date();
    const t0 = performance.now();
    // A drift reference or a test file is not reported on, so it needs no fingerprint.
    this.hasher = this.sideOf ? null : this.open('privaudit-sha256');
    const hashing = this.hasher
      ? this.hasher.call(MSG.HASH, { file }, {
        onProgress: (bytes) => { this.status.hashDone = bytes; this.report(); },
      })
      : Promise.resolve({ value: null });
    hashing.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
    this.runners.push(this.open('privaudit-range-1'));
    const plan = { spec: specJson, fileSize: file.size, workers: this.status.workers, file };
    const ranges = (await this.runners[0].call(MSG.PLAN, plan)).value;
    this.status.ranges = ranges.length;
    this.status.workers = Math.max(1, Math.min(this.status.workers, ranges.length));
    while (this.runners.length < this.status.workers) this.runners.push(this.open(`privaudit-range-${this.runners.length + 1}`));
    this.report('reading');
    const parts = await this.settle(await this.read(ranges));
    this.report('hashing');
    const sha256 = (await hashing).value;
    this.report('finishing');
    const input = {
      ...this.meta, // preview facts the engine reports: notices, bom, line_ending
      file_name: file.name,
      file_size: file.size,
      sha256,
      started_at: startedAt.toISOString(),
      duration_ms: Math.round(performance.now() - t0),
    };
    const states = parts.map((p) => p.state);
    // The first runner coordinates: merges, plans further passes (exact quantiles of large
    // columns), absorbs them, and finishes the report.
    let next = (await this.runners[0].call(MSG.MERGE, { spec: specJson, states }, { transfer: states })).value;
    while (next.pass) {
      this.status.passes = (this.status.passes || 1) + 1;
      this.done = new Map();
      this.report(`pass ${this.status.passes}`);
      const passStates = (await this.read(next.ranges, next.pass)).map((p) => p.state);
      next = (await this.runners[0].call(MSG.ABSORB, { states: passStates }, { transfer: passStates })).value;
    }
    input.duration_ms = Math.round(performance.now() - t0);
    let out;
    if (this.sideOf) {
      this.report('finishing');
      const type = this.sideOf === 'test' ? MSG.TEST_SIDE : MSG.DRIFT_SIDE;
      return { side: (await this.runners[0].call(type, { fileName: file.name })).value };
    }
    if (this.dp) {
      const ledger = this.beforeRelease ? await this.beforeRelease(sha256) : '';
      if (ledger === false) throw CANCELLED;
      this.report('releasing');
      const meta = { ...this.releaseMeta, sha256, created_at: input.started_at };
      out = await this.runners[0].call(MSG.RELEASE, { meta, ledger: ledger || '' });
    } else {
      const reference = this.reference ? this.reference.slice(0) : null; // keep ours for a re-run
      const test = this.test ? this.test.slice(0) : null;
      const transfer = [reference, test].filter(Boolean);
      out = await this.runners[0].call(MSG.FINISH, { input, reference, test }, { transfer });
    }
    const { workers, ranges: rangeCount, rereads } = this.status;
    return { json: out.json, html: out.html, ledger: out.ledger || null, workers, ranges: rangeCount, rereads, durationMs: input.duration_ms, sha256 };
  }

  /** Runs `ranges` (of the main pass, or of a planned `pass`) on the free workers;
   *  resolves to [{range, state}] in range order. */
  async read(ranges, pass = null) {
    const queue = ranges.map((range, index) => ({ range, index }));
    const out = new Array(ranges.length);
    const drain = async (channel) => {
      while (queue.length) {
        const { range, index } = queue.shift();
        this.done.set(range, 0);
        const reply = await channel.call(MSG.RUN, { file: this.file, spec: this.specJson, range, pass }, {
          onProgress: (bytes) => { this.done.set(range, bytes); this.report(); },
        });
        this.done.set(range, range.end - range.start);
        this.report();
        out[index] = { range, state: reply.state };
      }
    };
    await Promise.all(this.runners.map(drain));
    return out;
  }

  /**
   * Ranges start at a guessed record boundary; check_states says which states
   * to keep and which ranges to read again from an exact start. Repeats until
   * the engine is satisfied; resolves to the final parts in file order.
   */
  async settle(parts) {
    for (let round = 0; ; round += 1) {
      this.report('checking');
      const states = parts.map((p) => p.state);
      const check = (await this.runners[0].call(MSG.CHECK, { spec: this.specJson, states, fileSize: this.file.size })).value;
      if (check.ok) return parts;
      if (round >= MAX_CHECK_ROUNDS) {
        throw makeError('internal', 'The file could not be split into consistent parts. This is a bug in privaudit; please report it.');
      }
      // Ranges swallowed by their predecessor are dropped (no redo); wrong guesses re-run.
      const kept = check.keep.map((i) => parts[i]);
      for (const p of parts) if (!kept.includes(p)) this.done.delete(p.range);
      this.status.rereads += check.redo.length;
      this.report('reading');
      const redone = check.redo.length ? await this.read(check.redo) : [];
      parts = [...kept, ...redone].sort((a, b) => a.range.start - b.range.start);
    }
  }
}
