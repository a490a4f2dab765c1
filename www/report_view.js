// The report step: the heading, the run summary, the Rust-rendered report in its frame,
// which downloads apply (a DP summary has no CSV tables, row weights or drafts), and the
// report/summary download names (a DP summary's name says nothing about the data file
// unless the user opted in).

import { download, fileStem } from './downloads.js';

const $ = (id) => document.getElementById(id);

export class ReportView {
  /** ctx: {state(): {file, spec, report}, downloads, dpOptIns(): {downloadNames}, formatBytes(n), showView(view)} */
  constructor(ctx) {
    this.ctx = ctx;
  }

  show() {
    const { report, file, spec } = this.ctx.state();
    const seconds = report.durationMs / 1000;
    const dp = report.kind === 'dp';
    $('report-heading').textContent = dp ? 'Differentially private summary' : 'Report';
    $('report-json-button').textContent = dp ? 'Download DP summary (JSON)' : 'Download report (JSON)';
    $('report-html-button').textContent = dp ? 'Download DP summary (HTML)' : 'Download report (HTML)';
    $('run-summary').textContent = `${file.name}: ${this.ctx.formatBytes(file.size)} ${dp ? 'summarised' : 'audited'} in ${seconds.toFixed(1)} s`
      + ` with ${report.workers} worker${report.workers === 1 ? '' : 's'} (${report.ranges} range${report.ranges === 1 ? '' : 's'}`
      + `${report.rereads ? `, ${report.rereads} re-read from a corrected record boundary` : ''}).`
      + ` SHA-256 ${report.sha256}${dp ? ' (kept in this browser\'s DP ledger; in the summary only if opted in)' : ''}.`
      + `${dp ? ` ${report.ledgerNote}` : ''}`;
    $('report-frame').srcdoc = report.html;
    // Row weights need the full audit of a label (the engine says so if they cannot be made).
    $('report-weights-button').hidden = dp || !(spec.bias && spec.bias.label);
    $('report-csv').hidden = dp;
    $('report-csv-table').querySelector('option[value="bias_groups"]').disabled = !spec.bias;
    $('report-csv-table').value = 'columns';
    $('report-weights-button').disabled = false;
    $('weights-status').textContent = '';
    $('report-drafts').hidden = dp;
    $('report-generalised').hidden = true;
    $('generalised-status').textContent = '';
    if (!dp) this.ctx.downloads.showGeneralisations(report.json);
    this.ctx.showView('report');
    $('report-heading').focus();
  }

  /** The download name of the report or DP summary, without extension. */
  outName() {
    const { report, file } = this.ctx.state();
    if (report.kind !== 'dp') return `${fileStem(file.name)}.privaudit-report`;
    return this.ctx.dpOptIns().downloadNames ? `${fileStem(file.name)}.privaudit-dp-summary` : 'privaudit-dp-summary';
  }

  wire() {
    const { downloads } = this.ctx;
    const report = () => this.ctx.state().report;
    $('report-html-button').addEventListener('click', () => download(report().html, `${this.outName()}.html`, 'text/html'));
    $('report-json-button').addEventListener('click', () => download(report().json, `${this.outName()}.json`, 'application/json'));
    $('report-toml-button').addEventListener('click', () => downloads.specToml());
    $('report-spec-button').addEventListener('click', () => downloads.specJson());
    $('report-weights-button').addEventListener('click', () => downloads.rowWeights());
    $('report-csv-button').addEventListener('click', () => downloads.tableCsv());
    $('report-draft-button').addEventListener('click', () => downloads.draft());
    $('report-generalised-button').addEventListener('click', () => downloads.generalised());
  }
}
