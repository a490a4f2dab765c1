// Downloads of the preview and report steps: the spec (TOML, JSON), one table of the
// report as CSV, the row weights, the PIA and datasheet drafts, the generalised table.
// Blob + object URL + <a download>: nothing leaves the machine. Texts are written by the
// engine (spec TOML, formula-safe CSV, weights, drafts, generalised rows).

const $ = (id) => document.getElementById(id);
const numberFormat = new Intl.NumberFormat('en');

export function fileStem(name) {
  return (name || 'data').replace(/\.[^.]*$/, '') || 'data';
}

export function download(content, name, type) {
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

export class Downloads {
  /** ctx: {engine, state(): {file, spec, report}, clearAlert(), showError(error)} */
  constructor(ctx) {
    this.ctx = ctx;
  }

  stem() {
    return fileStem(this.ctx.state().file.name);
  }

  async specToml() {
    this.ctx.clearAlert();
    try {
      const toml = await this.ctx.engine.specToToml(this.ctx.state().spec);
      download(toml, `${this.stem()}.privaudit-spec.toml`, 'application/toml');
    } catch (error) {
      this.ctx.showError(error);
    }
  }

  specJson() {
    download(`${JSON.stringify(this.ctx.state().spec, null, 2)}\n`, `${this.stem()}.privaudit-spec.json`, 'application/json');
  }

  /** One table of the report as CSV (formula-safe; written by the engine). */
  async tableCsv() {
    this.ctx.clearAlert();
    const table = $('report-csv-table').value;
    try {
      const text = await this.ctx.engine.reportCsv(this.ctx.state().report.json, table);
      download(text, `${this.stem()}.privaudit-${table.replace('_', '-')}.csv`, 'text/csv');
    } catch (error) {
      this.ctx.showError(error);
    }
  }

  /** A download that reads the file again in a worker: the button is disabled and the
   *  status line shows the progress over `total` bytes, then `done(result)`. */
  async reread(buttonId, statusId, what, total, read, done) {
    this.ctx.clearAlert();
    const button = $(buttonId);
    button.disabled = true;
    const status = (text) => { $(statusId).textContent = text; };
    status(`Reading the file for the ${what}…`);
    try {
      const result = await read((bytes) => {
        status(`Reading the file for the ${what}: ${Math.floor((total ? bytes / total : 1) * 100)}%`);
      });
      status(done(result));
    } catch (error) {
      status('');
      if (!(error && error.kind === 'cancelled')) this.ctx.showError(error);
    } finally {
      button.disabled = false;
    }
  }

  /** Kamiran–Calders reweighing: one weight per row, from the audit's counts (AIF360
   *  Reweighing), read in a worker in one sequential pass over the file. */
  rowWeights() {
    const { file, report } = this.ctx.state();
    return this.reread('report-weights-button', 'weights-status', 'row weights', file.size,
      (progress) => this.ctx.engine.rowWeights(file, report.json, progress),
      ({ blob, rows, weighted }) => {
        download(blob, `${this.stem()}.privaudit-row-weights.csv`, 'text/csv');
        return `Row weights: ${numberFormat.format(rows)} rows (${numberFormat.format(weighted)} weighted,`
          + ` ${numberFormat.format(rows - weighted)} left out of the audit with an empty weight).`;
      });
  }

  /** The generalisations the report tried, offered for the generalised table (none: hidden). */
  async showGeneralisations(reportJson) {
    try {
      const list = await this.ctx.engine.whatIfs(reportJson);
      const { report } = this.ctx.state();
      if (!report || report.json !== reportJson) return;
      $('report-generalised-choice').replaceChildren(...list.map((w, i) => new Option(w.label, String(i))));
      this.whatIfs = list;
      $('report-generalised').hidden = list.length === 0;
    } catch (error) {
      this.ctx.showError(error);
    }
  }

  /** The generalised table at the chosen generalisation, rows of small classes suppressed
   *  (two reads of the file in a worker). */
  generalised() {
    const { file, report } = this.ctx.state();
    const w = (this.whatIfs || [])[Number($('report-generalised-choice').value)];
    if (!w) return undefined;
    return this.reread('report-generalised-button', 'generalised-status', 'generalised table', 2 * file.size,
      (progress) => this.ctx.engine.generalised(file, report.json, w.levels, w.suppress_below, progress),
      ({ blob, rows, suppressed }) => {
        download(blob, `${this.stem()}.privaudit-generalised.csv`, 'text/csv');
        return `Generalised table: ${numberFormat.format(rows)} rows, ${numberFormat.format(suppressed)} suppressed`
          + ` (in classes below ${w.suppress_below}); only the quasi-identifiers and sensitive attributes are written.`;
      });
  }

  /** The PIA or datasheet draft, written by the engine from the report (and the DP summary
   *  released for the same file in this tab, if any). */
  async draft() {
    this.ctx.clearAlert();
    const { report, lastDp } = this.ctx.state();
    const [kind, format] = $('report-draft-kind').value.split(':');
    const dp = lastDp && lastDp.sha256 === report.sha256 ? lastDp.json : '';
    try {
      const text = await this.ctx.engine.draft(report.json, kind, format, dp);
      const name = kind === 'pia' ? 'pia-draft' : 'datasheet-draft';
      download(text, `${this.stem()}.privaudit-${name}.${format}`, format === 'html' ? 'text/html' : 'text/markdown');
    } catch (error) {
      this.ctx.showError(error);
    }
  }
}
