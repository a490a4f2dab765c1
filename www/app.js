// The page: choose a file → check the preview → run → read the report.
// UI only: every engine call goes through pool.js to a worker. Data from the
// file reaches the DOM only through textContent, select options' text, and the
// report's sandboxed iframe (srcdoc, no scripts), sized to its content (frame.js).

import { Engine } from './pool.js';
import { BiasPanel } from './bias.js';
import { DpPanel } from './dp.js';
import { SecondFilePanel } from './drift.js';
import { ChecksPanel } from './checks.js';
import { fitReportFrame } from './frame.js';
import { VerifyView } from './verify.js';
import { formatLabel, addSheetFact, isWorkbook } from './sources.js';

const $ = (id) => document.getElementById(id);
const engine = new Engine();
const biasPanel = new BiasPanel({
  getSpec: () => state.spec,
  columns: () => (state.preview ? state.preview.columns.map((c, i) => ({ ...c, ...(state.spec.columns[i] || {}), type: (state.spec.columns[i] || {}).type ?? c.type })) : []),
});
const dpPanel = new DpPanel({
  engine,
  getSpec: () => state.spec,
  columns: () => (state.preview ? state.preview.columns.map((c) => c.name) : []),
  file: () => state.file,
  fileHash: () => {
    const file = state.file;
    if (!state.sha || state.sha.file !== file) state.sha = { file, hex: engine.sha256(file) };
    return state.sha.hex.catch((error) => { state.sha = null; throw error; });
  },
  onRelease: () => runAudit(true),
});
new VerifyView({ engine, show: (view) => showView(view), onError: (error) => showError(error), onBack: () => showView(state.file ? 'preview' : 'choose') });

const driftPanel = new SecondFilePanel({
  prefix: 'drift',
  formatBytes: (n) => formatBytes(n),
  none: 'No reference file: the audit has no drift section.',
  chosen: (file, size) => `Reference: ${file.name} (${size}). The report compares this file with it.`,
});
const testPanel = new SecondFilePanel({
  prefix: 'test',
  formatBytes: (n) => formatBytes(n),
  none: 'No test file: the dataset section has no train/test overlap.',
  chosen: (file, size) => `Test file: ${file.name} (${size}). The report counts its rows that are also in this file.`,
});
const checksPanel = new ChecksPanel({ engine, getSpec: () => state.spec, onChange: (spec) => editSpec(spec) });

const state = {
  file: null,
  preview: null, // the engine's preview object
  spec: null, // the RawSpec being edited (opaque except columns[i].type/role)
  specOk: false,
  previewSeq: 0,
  report: null, // {json, html, ...} of the last run
  runStart: 0,
  sha: null, // {file, hex: Promise<string>}: the file's SHA-256 for the DP ledger
};

// ---- formatting -----------------------------------------------------------

const numberFormat = new Intl.NumberFormat('en');

function formatBytes(n) {
  if (n < 1000) return `${numberFormat.format(n)} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

function formatSeconds(s) {
  if (!Number.isFinite(s)) return '…';
  if (s < 1) return 'under a second';
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const DELIMITERS = { ',': 'comma (,)', ';': 'semicolon (;)', '\t': 'tab', '|': 'vertical bar (|)', ' ': 'space' };
const QUOTES = { '"': 'double quote (")', "'": "single quote (')" };
const LINE_ENDINGS = { '\n': 'LF (Unix)', '\r\n': 'CRLF (Windows)', '\r': 'CR', lf: 'LF (Unix)', crlf: 'CRLF (Windows)', cr: 'CR' };

function describe(map, value) {
  if (value === null || value === undefined || value === '') return 'none';
  return map[value] || JSON.stringify(value);
}

function fileStem(name) {
  return (name || 'data').replace(/\.[^.]*$/, '') || 'data';
}

// ---- alert ----------------------------------------------------------------

function showAlert(message, kind = 'error') {
  $('alert-text').textContent = message;
  $('alert').classList.toggle('info', kind === 'info');
  $('alert').setAttribute('role', kind === 'info' ? 'status' : 'alert');
  $('alert').hidden = false;
}

function showError(error) {
  const message = error && typeof error.message === 'string' ? error.message : String(error);
  showAlert(message, 'error');
}

function clearAlert() {
  $('alert').hidden = true;
  $('alert-text').textContent = '';
}

// ---- views ----------------------------------------------------------------

function showView(view) {
  $('step-verify').hidden = view !== 'verify';
  $('step-file').hidden = !(view === 'choose' || view === 'preview');
  $('step-preview').hidden = view !== 'preview';
  $('step-run').hidden = view !== 'running';
  $('step-report').hidden = view !== 'report';
}

function setBusy(busy) {
  $('file-input').disabled = busy;
  $('sample-button').disabled = busy;
  $('run-button').disabled = busy || !state.specOk;
}

// ---- choosing a file and the preview -------------------------------------

async function loadFile(file, startSpec = {}) {
  clearAlert();
  state.file = file;
  state.spec = null;
  state.report = null;
  setBusy(true);
  try {
    await refreshPreview(startSpec);
    showView('preview');
    $('preview-heading').focus();
  } catch (error) {
    state.file = null;
    showView('choose');
    showError(error);
  } finally {
    setBusy(false);
  }
}

/** Asks the engine to resolve `spec` against the file start; newest call wins. */
async function refreshPreview(spec) {
  const seq = ++state.previewSeq;
  state.specOk = false;
  $('run-button').disabled = true;
  const { preview, version } = await engine.preview(state.file, spec);
  if (seq !== state.previewSeq) return;
  state.preview = preview;
  state.spec = preview.spec;
  state.specOk = true;
  $('engine-version').textContent = version;
  renderPreview();
  biasPanel.render();
  dpPanel.render();
  await checksPanel.render();
  $('run-button').disabled = false;
}

function addFact(list, term, value) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

function renderPreview() {
  const profile = (state.spec && state.spec.profile) || {};
  $('quantile-passes').checked = Boolean(profile.quantile_passes);
  $('privacy-detect').checked = !(state.spec && state.spec.privacy && state.spec.privacy.detect === false);
  if (Number.isFinite(profile.quantile_values_in_memory)) {
    $('quantile-budget').textContent = numberFormat.format(profile.quantile_values_in_memory);
  }
  const { preview, file } = state;
  const facts = $('facts');
  facts.replaceChildren();
  addFact(facts, 'File', file.name);
  addFact(facts, 'Size', `${formatBytes(file.size)} (${numberFormat.format(file.size)} bytes)`);
  const encoding = preview.encoding || {};
  addFact(facts, 'Format', formatLabel(preview));
  addSheetFact(facts, preview, (spec) => refreshPreview(spec).catch(showError));
  addFact(facts, 'Encoding', `${encoding.name || 'unknown'}${encoding.bom ? ', with byte order mark' : ''}`);
  const dialect = preview.dialect || {};
  if (!preview.format || preview.format === 'csv') {
    addFact(facts, 'Delimiter', describe(DELIMITERS, dialect.delimiter));
    addFact(facts, 'Quote', describe(QUOTES, dialect.quote));
    addFact(facts, 'Header row', dialect.header ? 'yes' : 'no');
  }
  if (!isWorkbook(preview)) addFact(facts, 'Line ending', describe(LINE_ENDINGS, dialect.line_ending));
  addFact(facts, 'Columns', numberFormat.format(preview.columns.length));

  const notices = $('notices');
  notices.replaceChildren(...(preview.notices || []).map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));

  const focused = document.activeElement && document.activeElement.id;
  $('columns-body').replaceChildren(...preview.columns.map((column, i) => columnRow(column, i)));
  if (focused && $(focused)) $(focused).focus();
}

function makeSelect(id, label, options, value, onChange) {
  const select = document.createElement('select');
  select.id = id;
  select.setAttribute('aria-label', label);
  const values = options.includes(value) ? options : [value, ...options];
  for (const option of values) {
    const el = document.createElement('option');
    el.value = option;
    el.textContent = option;
    select.append(el);
  }
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

function columnRow(column, i) {
  const specColumn = state.spec.columns[i] || {};
  const tr = document.createElement('tr');
  const index = document.createElement('td');
  index.className = 'index';
  index.textContent = String((column.index ?? i) + 1);
  const name = document.createElement('td');
  name.className = 'name';
  name.textContent = column.name;
  const type = document.createElement('td');
  type.append(makeSelect(`type-${i}`, `Type of column ${column.name}`, state.preview.types || [],
    specColumn.type ?? column.type, (v) => editColumn(i, 'type', v)));
  const role = document.createElement('td');
  role.append(makeSelect(`role-${i}`, `Role of column ${column.name}`, state.preview.roles || [],
    specColumn.role ?? column.role, (v) => editColumn(i, 'role', v)));
  tr.append(index, name, type, role);
  return tr;
}

async function editColumn(i, field, value) {
  const spec = structuredClone(state.spec);
  spec.columns[i][field] = value;
  await editSpec(spec);
}

/** Takes an edited spec and has the engine resolve it again (errors are shown). */
async function editSpec(spec) {
  clearAlert();
  state.spec = spec;
  try {
    await refreshPreview(spec);
  } catch (error) {
    showError(error);
  }
}

// ---- running ----------------------------------------------------------------

let progressFrame = 0;
let lastProgress = null;

function renderProgress() {
  progressFrame = 0;
  const p = lastProgress;
  if (!p) return;
  const fraction = p.bytesTotal ? p.bytesDone / p.bytesTotal : 1;
  $('progress').value = fraction;
  const seconds = (performance.now() - state.runStart) / 1000;
  const rate = seconds > 0 ? p.bytesDone / seconds : 0;
  const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : Infinity;
  $('progress-text').textContent = `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)} · `
    + `${(rate / 1e6).toFixed(1)} MB/s · ${p.bytesDone >= p.bytesTotal ? 'done' : `about ${formatSeconds(eta)} left`}`
    + ` · ${p.workers} worker${p.workers === 1 ? '' : 's'}`;
  $('hash-text').textContent = p.reference ? '' : `SHA-256 fingerprint: ${Math.floor((p.bytesTotal ? p.hashDone / p.bytesTotal : 1) * 100)}%`;
  const phases = {
    reading: 'Reading the file…',
    checking: 'Checking where the parts of the file meet…',
    hashing: 'Finishing the SHA-256 fingerprint…',
    finishing: 'Merging the parts and writing the report…',
    releasing: 'Drawing the noise and writing the DP summary…',
  };
  const pass = /^pass (\d+)$/.exec(p.phase || '');
  let phase = phases[p.phase] || (pass ? `Pass ${pass[1]}: reading the file again for exact quantiles…` : '');
  if (p.reference) phase = `${p.reference[0].toUpperCase()}${p.reference.slice(1)}: ${phase}`;
  if ($('run-phase').textContent !== phase) $('run-phase').textContent = phase;
}

function onProgress(progress) {
  lastProgress = progress;
  if (!progressFrame) progressFrame = requestAnimationFrame(renderProgress);
}

/** With a second file chosen in `panel`: reads it (a first part of the run) and resolves
 *  to its side (drift data of a reference, dataset state of a test file) for this file's
 *  run; null without one. */
async function readSecondFile(panel, sideOf) {
  const file = panel.file;
  if (!file) return null;
  const { preview } = await engine.preview(file, panel.secondSpec(state.spec));
  const { side } = await engine.audit(file, preview.spec, {
    splittable: preview.splittable !== false,
    onProgress: (p) => onProgress({ ...p, reference: `${sideOf === 'test' ? 'test file' : 'drift reference'} ${file.name}` }),
    sideOf,
  });
  state.runStart = performance.now(); // the rate and ETA shown next are this file's
  return side;
}

async function runAudit(dp = false) {
  if (!state.file || !state.specOk) return;
  clearAlert();
  $('run-file').textContent = state.file.name;
  $('progress').value = 0;
  $('progress-text').textContent = `0 bytes of ${formatBytes(state.file.size)}`;
  $('hash-text').textContent = '';
  $('run-phase').textContent = 'Starting the workers…';
  showView('running');
  $('cancel-button').disabled = false;
  $('cancel-button').focus();
  state.runStart = performance.now();
  lastProgress = null;
  try {
    const { notices = [], encoding = {}, dialect = {} } = state.preview;
    const meta = { notices, bom: Boolean(encoding.bom), line_ending: dialect.line_ending };
    const reference = dp ? null : await readSecondFile(driftPanel, 'reference');
    const test = dp ? null : await readSecondFile(testPanel, 'test');
    let spec = dp ? { ...state.spec, mode: 'dp' } : state.spec;
    if (reference) spec = { ...spec, drift: true };
    const report = await engine.audit(state.file, spec, {
      splittable: state.preview.splittable !== false, onProgress, meta, reference, test,
      beforeRelease: dp ? (sha256) => dpPanel.beforeRelease(sha256) : null,
      releaseMeta: dp && dpPanel.optIns().ledgerFileName ? { ledger_file_name: state.file.name } : {},
    });
    report.kind = dp ? 'dp' : 'audit';
    if (dp) {
      await dpPanel.recorded(report.ledger);
      const view = await engine.ledger('view', { ledger: report.ledger, sha256: report.sha256, spec: { ...state.spec, mode: 'dp' } });
      report.ledgerNote = `The ledger for this file: ${view.status}`;
    }
    state.report = report;
    showReport();
  } catch (error) {
    showView('preview');
    if (error && error.kind === 'cancelled') {
      showAlert(dp ? 'Nothing was released; no budget was spent.' : 'The audit was cancelled. Nothing was kept; you can run it again.', 'info');
    } else {
      showError(error);
    }
    $('run-button').focus();
  } finally {
    if (progressFrame) cancelAnimationFrame(progressFrame);
    progressFrame = 0;
  }
}

function cancelRun() {
  $('cancel-button').disabled = true;
  engine.cancel();
}

function showReport() {
  const { report, file } = state;
  const seconds = report.durationMs / 1000;
  const dp = report.kind === 'dp';
  $('report-heading').textContent = dp ? 'Differentially private summary' : 'Report';
  $('report-json-button').textContent = dp ? 'Download DP summary (JSON)' : 'Download report (JSON)';
  $('report-html-button').textContent = dp ? 'Download DP summary (HTML)' : 'Download report (HTML)';
  $('run-summary').textContent = `${file.name}: ${formatBytes(file.size)} ${dp ? 'summarised' : 'audited'} in ${seconds.toFixed(1)} s`
    + ` with ${report.workers} worker${report.workers === 1 ? '' : 's'} (${report.ranges} range${report.ranges === 1 ? '' : 's'}`
    + `${report.rereads ? `, ${report.rereads} re-read from a corrected record boundary` : ''}).`
    + ` SHA-256 ${report.sha256}${dp ? ' (kept in this browser\'s DP ledger; in the summary only if opted in)' : ''}.`
    + `${dp ? ` ${report.ledgerNote}` : ''}`;
  $('report-frame').srcdoc = report.html;
  // Row weights need the full audit of a label (the engine says so if they cannot be made).
  $('report-weights-button').hidden = dp || !(state.spec.bias && state.spec.bias.label);
  $('report-csv').hidden = dp;
  $('report-csv-table').querySelector('option[value="bias_groups"]').disabled = !state.spec.bias;
  $('report-csv-table').value = 'columns';
  $('report-weights-button').disabled = false;
  $('weights-status').textContent = '';
  showView('report');
  $('report-heading').focus();
}

// ---- downloads (Blob + object URL + <a download>; nothing leaves the machine) ----

function download(content, name, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function downloadSpecToml() {
  clearAlert();
  try {
    const toml = await engine.specToToml(state.spec);
    download(toml, `${fileStem(state.file.name)}.privaudit-spec.toml`, 'application/toml');
  } catch (error) {
    showError(error);
  }
}

/** Replaces the spec with a spec file (as `privaudit audit --spec` reads it), resolved
 *  against this file: column types and roles, bias audit, checks, DP releases. */
async function loadSpecFile(file) {
  clearAlert();
  try {
    const spec = await engine.readSpec(await file.text());
    await refreshPreview(spec);
    showAlert(`Spec ${file.name} loaded: the columns, panels and checks now follow it.`, 'info');
  } catch (error) {
    showError(error);
  }
}

function downloadSpecJson() {
  download(`${JSON.stringify(state.spec, null, 2)}\n`, `${fileStem(state.file.name)}.privaudit-spec.json`, 'application/json');
}

/** One table of the report as CSV (formula-safe; written by the engine). */
async function downloadTableCsv() {
  clearAlert();
  const table = $('report-csv-table').value;
  try {
    const text = await engine.reportCsv(state.report.json, table);
    download(text, `${fileStem(state.file.name)}.privaudit-${table.replace('_', '-')}.csv`, 'text/csv');
  } catch (error) {
    showError(error);
  }
}

/** Kamiran–Calders reweighing: one weight per row, from the audit's counts (AIF360
 *  Reweighing), read in a worker in one sequential pass over the file. */
async function downloadRowWeights() {
  clearAlert();
  const button = $('report-weights-button');
  button.disabled = true;
  const total = state.file.size;
  const status = (text) => { $('weights-status').textContent = text; };
  status('Reading the file for the row weights…');
  try {
    const { blob, rows, weighted } = await engine.rowWeights(state.file, state.report.json, (bytes) => {
      status(`Reading the file for the row weights: ${Math.floor((total ? bytes / total : 1) * 100)}%`);
    });
    download(blob, `${fileStem(state.file.name)}.privaudit-row-weights.csv`, 'text/csv');
    status(`Row weights: ${numberFormat.format(rows)} rows (${numberFormat.format(weighted)} weighted,`
      + ` ${numberFormat.format(rows - weighted)} left out of the audit with an empty weight).`);
  } catch (error) {
    status('');
    if (!(error && error.kind === 'cancelled')) showError(error);
  } finally {
    button.disabled = false;
  }
}

// ---- wiring -------------------------------------------------------------------

function restart() {
  clearAlert();
  driftPanel.set(null);
  testPanel.set(null);
  state.file = null;
  state.report = null;
  $('report-frame').removeAttribute('srcdoc');
  showView('choose');
  $('file-input').focus();
}

function wireDropZone() {
  const zone = $('drop-zone');
  // A file dropped anywhere else must not make the browser navigate to it.
  for (const type of ['dragover', 'drop']) window.addEventListener(type, (e) => e.preventDefault());
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file && !$('file-input').disabled) loadFile(file);
  });
}

function wire() {
  fitReportFrame($('report-frame'));
  $('file-input').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (file) loadFile(file);
  });
  $('sample-button').addEventListener('click', async () => {
    clearAlert();
    setBusy(true);
    try {
      const { file, spec } = await engine.sample();
      await loadFile(file, spec);
    } catch (error) {
      setBusy(false);
      showError(error);
    }
  });
  $('run-button').addEventListener('click', () => runAudit(false));
  $('quantile-passes').addEventListener('change', (e) => {
    if (state.spec) state.spec.profile = { ...(state.spec.profile || {}), quantile_passes: e.target.checked };
  });
  $('privacy-detect').addEventListener('change', (e) => {
    if (state.spec) state.spec.privacy = { ...(state.spec.privacy || {}), detect: e.target.checked };
  });
  $('cancel-button').addEventListener('click', cancelRun);
  $('spec-toml-button').addEventListener('click', downloadSpecToml);
  $('spec-file').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (file && state.file) loadSpecFile(file);
  });
  $('spec-json-button').addEventListener('click', downloadSpecJson);
  $('report-toml-button').addEventListener('click', downloadSpecToml);
  $('report-spec-button').addEventListener('click', downloadSpecJson);
  // A DP summary's download name says nothing about the data file unless the user opted in.
  const outName = () => (state.report.kind !== 'dp' ? `${fileStem(state.file.name)}.privaudit-report`
    : dpPanel.optIns().downloadNames ? `${fileStem(state.file.name)}.privaudit-dp-summary` : 'privaudit-dp-summary');
  $('report-html-button').addEventListener('click', () => download(state.report.html, `${outName()}.html`, 'text/html'));
  $('report-json-button').addEventListener('click', () => download(state.report.json, `${outName()}.json`, 'application/json'));
  $('report-weights-button').addEventListener('click', downloadRowWeights);
  $('report-csv-button').addEventListener('click', downloadTableCsv);
  $('another-button').addEventListener('click', restart);
  $('restart-button').addEventListener('click', restart);
  $('alert-close').addEventListener('click', clearAlert);
  wireDropZone();
  showView('choose');
}

wire();
