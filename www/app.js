// The page: choose a file → check the preview → run → read the report.
// UI only: every engine call goes through pool.js to a worker. Data from the
// file reaches the DOM only through textContent, select options' text, and the
// report's sandboxed iframe (srcdoc, no scripts), sized to its content (frame.js).

import { Engine } from './pool.js';
import { BiasPanel } from './bias.js';
import { DpPanel } from './dp.js';
import { SecondFilePanel } from './drift.js';
import { ChecksPanel } from './checks.js';
import { RiskPanel } from './risk.js';
import { fitReportFrame } from './frame.js';
import { VerifyView } from './verify.js';
import { PreviewView } from './preview.js';
import { OptionsPanel } from './options.js';
import { SavedSettings } from './settings.js';
import { Progress } from './progress.js';
import { Downloads } from './downloads.js';
import { ReportView } from './report_view.js';
import { clearAlert, formatBytes, showAlert, showError, wireDropZone } from './page.js';

const $ = (id) => document.getElementById(id);
const engine = new Engine();
const numberFormat = new Intl.NumberFormat('en');
// The preview's columns with the spec's current type and role.
const columnsNow = () => (state.preview ? state.preview.columns.map((c, i) => ({ ...c, ...(state.spec.columns[i] || {}), type: (state.spec.columns[i] || {}).type ?? c.type })) : []);
const biasPanel = new BiasPanel({ getSpec: () => state.spec, columns: columnsNow });
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
const checksPanel = new ChecksPanel({
  engine, getSpec: () => state.spec, columns: () => columnsNow().map((c) => c.name), onChange: (spec) => editSpec(spec),
});
const optionsPanel = new OptionsPanel({
  getSpec: () => state.spec, columns: columnsNow, onChange: (spec, { reread } = {}) => editSpec(reread ? reinfer(spec) : spec),
});
const progress = new Progress((n) => formatBytes(n));
const downloads = new Downloads({ engine, state: () => state, clearAlert: () => clearAlert(), showError: (e) => showError(e) });
const savedSettings = new SavedSettings({
  headerKey: () => state.preview && state.preview.header_key,
  apply: async (spec) => {
    clearAlert();
    try {
      biasPanel.reset();
      choose(spec.columns);
      await refreshPreview(spec);
      showAlert('The last settings for this header are in use.', 'info');
    } catch (error) {
      showError(error);
    }
  },
});
const previewView = new PreviewView({
  state: () => state,
  formatBytes: (n) => formatBytes(n),
  editColumn: (i, field, value) => editColumn(i, field, value),
  applySuggestions: (list) => applySuggestions(list),
  // A workbook's other sheet is previewed afresh: its own columns, header and types.
  chooseSheet: (spec) => refreshPreview(spec).catch(showError),
});
const reportView = new ReportView({
  state: () => state, downloads, dpOptIns: () => dpPanel.optIns(), formatBytes: (n) => formatBytes(n), showView: (v) => showView(v),
});
const riskPanel = new RiskPanel({ engine, getSpec: () => state.spec, onChange: (spec) => editSpec(spec) });

const state = {
  file: null,
  preview: null, // the engine's preview object
  spec: null, // the RawSpec being edited (opaque except columns[i].type/role)
  specOk: false,
  previewSeq: 0,
  report: null, // {json, html, ...} of the last run
  chosen: new Map(), // column name → {type, role, date_order} the user (or a spec file) chose
  sha: null, // {file, hex: Promise<string>}: the file's SHA-256 for the DP ledger
};

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
  state.chosen = new Map();
  choose(startSpec.columns);
  biasPanel.reset();
  setBusy(true);
  try {
    await refreshPreview(startSpec);
    savedSettings.offer();
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
  const sent = JSON.stringify(spec || {});
  const { preview, version } = await engine.preview(state.file, spec);
  if (seq !== state.previewSeq) return;
  // A panel that writes in place (bias form, checkboxes) changed the spec meanwhile: resolve
  // that instead of dropping the change.
  if (spec && state.spec === spec && JSON.stringify(spec) !== sent) {
    await refreshPreview(spec);
    return;
  }
  state.preview = preview;
  state.spec = preview.spec;
  state.specOk = true;
  $('engine-version').textContent = version;
  renderPreview();
  biasPanel.render();
  dpPanel.render();
  optionsPanel.render();
  await checksPanel.render();
  await riskPanel.render();
  $('run-button').disabled = false;
}

function renderPreview() {
  const profile = (state.spec && state.spec.profile) || {};
  $('quantile-passes').checked = Boolean(profile.quantile_passes);
  $('privacy-detect').checked = !(state.spec && state.spec.privacy && state.spec.privacy.detect === false);
  if (Number.isFinite(profile.quantile_values_in_memory)) {
    $('quantile-budget').textContent = numberFormat.format(profile.quantile_values_in_memory);
  }
  previewView.render();
  savedSettings.render();
}

/** Applies suggested roles the user chose ([{index, role}]). */
async function applySuggestions(list) {
  if (!list.length) return;
  const spec = structuredClone(state.spec);
  for (const { index, role } of list) {
    spec.columns[index].role = role;
    choose([{ name: spec.columns[index].name, role }]);
  }
  await editSpec(spec);
}

async function editColumn(i, field, value) {
  const spec = structuredClone(state.spec);
  spec.columns[i][field] = value;
  choose([{ name: spec.columns[i].name, [field]: value }]);
  await editSpec(spec);
}

/** Notes column settings as the user's own (kept when the file is read differently). */
function choose(columns = []) {
  for (const { name, ...fields } of columns) {
    const kept = Object.fromEntries(['type', 'role', 'date_order'].filter((k) => fields[k] != null).map((k) => [k, fields[k]]));
    state.chosen.set(name, { ...(state.chosen.get(name) || {}), ...kept });
  }
}

/** After a change to how the file is read ([input]): the columns the user did not set are
 *  inferred again (types, date orders and identifier roles depend on it). */
function reinfer(spec) {
  return { ...spec, columns: [...state.chosen].map(([name, fields]) => ({ name, ...fields })) };
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

/** With a second file chosen in `panel`: reads it (a first part of the run) and resolves
 *  to its side (drift data of a reference, dataset state of a test file) for this file's
 *  run; null without one. */
async function readSecondFile(panel, sideOf) {
  const file = panel.file;
  if (!file) return null;
  const { preview } = await engine.preview(file, panel.secondSpec(state.spec));
  const { side } = await engine.audit(file, preview.spec, {
    splittable: preview.splittable !== false,
    onProgress: (p) => progress.update({ ...p, reference: `${sideOf === 'test' ? 'test file' : 'drift reference'} ${file.name}` }),
    sideOf,
  });
  progress.restart(); // the rate and ETA shown next are this file's
  return side;
}

async function runAudit(dp = false) {
  if (!state.file || !state.specOk) return;
  clearAlert();
  savedSettings.save(state.spec);
  $('run-file').textContent = state.file.name;
  $('progress').value = 0;
  $('progress-text').textContent = `0 bytes of ${formatBytes(state.file.size)}`;
  $('hash-text').textContent = '';
  $('run-phase').textContent = 'Starting the workers…';
  showView('running');
  $('cancel-button').disabled = false;
  $('cancel-button').focus();
  progress.reset();
  try {
    const { notices = [], encoding = {}, dialect = {} } = state.preview;
    const meta = { notices, bom: Boolean(encoding.bom), line_ending: dialect.line_ending };
    const reference = dp ? null : await readSecondFile(driftPanel, 'reference');
    const test = dp ? null : await readSecondFile(testPanel, 'test');
    let spec = dp ? { ...state.spec, mode: 'dp' } : state.spec;
    if (reference) spec = { ...spec, drift: true };
    const report = await engine.audit(state.file, spec, {
      splittable: state.preview.splittable !== false, onProgress: (p) => progress.update(p), meta, reference, test,
      beforeRelease: dp ? (sha256) => dpPanel.beforeRelease(sha256) : null,
      releaseMeta: dp && dpPanel.optIns().ledgerFileName ? { ledger_file_name: state.file.name } : {},
    });
    report.kind = dp ? 'dp' : 'audit';
    if (dp) {
      await dpPanel.recorded(report.ledger);
      const view = await engine.ledger('view', { ledger: report.ledger, sha256: report.sha256, spec: { ...state.spec, mode: 'dp' } });
      report.ledgerNote = `The ledger for this file: ${view.status}`;
      state.lastDp = { sha256: report.sha256, json: report.json }; // for the PIA draft of the same file
    }
    state.report = report;
    reportView.show();
  } catch (error) {
    showView('preview');
    if (error && error.kind === 'cancelled') {
      showAlert(dp ? 'Nothing was released; no budget was spent.' : 'The audit was cancelled. Nothing was kept; you can run it again.', 'info');
    } else {
      showError(error);
    }
    $('run-button').focus();
  } finally {
    progress.stop();
  }
}

function cancelRun() {
  $('cancel-button').disabled = true;
  engine.cancel();
}

/** Replaces the spec with a spec file (as `privaudit audit --spec` reads it), resolved
 *  against this file: column types and roles, bias audit, checks, DP releases. */
async function loadSpecFile(file) {
  clearAlert();
  try {
    const spec = await engine.readSpec(await file.text());
    biasPanel.reset();
    state.chosen = new Map();
    choose(spec.columns);
    await refreshPreview(spec);
    showAlert(`Spec ${file.name} loaded: the columns, panels and checks now follow it.`, 'info');
  } catch (error) {
    showError(error);
  }
}

// ---- wiring -------------------------------------------------------------------

/** From the report (or DP summary): back to the preview with every setting as it was;
 *  running again re-reads the same file. */
function backToSettings() {
  clearAlert();
  state.report = null;
  $('report-frame').removeAttribute('srcdoc');
  showView('preview');
  $('preview-heading').focus();
}

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
  // Detection also decides which examples the preview may show: resolve again.
  $('privacy-detect').addEventListener('change', (e) => {
    if (state.spec) editSpec({ ...state.spec, privacy: { ...(state.spec.privacy || {}), detect: e.target.checked } });
  });
  $('cancel-button').addEventListener('click', cancelRun);
  $('spec-toml-button').addEventListener('click', () => downloads.specToml());
  $('spec-file').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (file && state.file) loadSpecFile(file);
  });
  $('spec-json-button').addEventListener('click', () => downloads.specJson());
  reportView.wire();
  $('another-button').addEventListener('click', restart);
  $('restart-button').addEventListener('click', restart);
  $('back-button').addEventListener('click', backToSettings);

  $('alert-close').addEventListener('click', clearAlert);
  wireDropZone((file) => { if (!$('file-input').disabled) loadFile(file); });
  showView('choose');
}

wire();
