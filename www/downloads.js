// Downloads of the preview and report steps: the spec (TOML, JSON), one table of the
// report as CSV, the row weights. Blob + object URL + <a download>: nothing leaves the
// machine. Texts are written by the engine (spec TOML, formula-safe CSV, weights).

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

  /** Kamiran–Calders reweighing: one weight per row, from the audit's counts (AIF360
   *  Reweighing), read in a worker in one sequential pass over the file. */
  async rowWeights() {
    this.ctx.clearAlert();
    const { file, report } = this.ctx.state();
    const button = $('report-weights-button');
    button.disabled = true;
    const total = file.size;
    const status = (text) => { $('weights-status').textContent = text; };
    status('Reading the file for the row weights…');
    try {
      const { blob, rows, weighted } = await this.ctx.engine.rowWeights(file, report.json, (bytes) => {
        status(`Reading the file for the row weights: ${Math.floor((total ? bytes / total : 1) * 100)}%`);
      });
      download(blob, `${this.stem()}.privaudit-row-weights.csv`, 'text/csv');
      status(`Row weights: ${numberFormat.format(rows)} rows (${numberFormat.format(weighted)} weighted,`
        + ` ${numberFormat.format(rows - weighted)} left out of the audit with an empty weight).`);
    } catch (error) {
      status('');
      if (!(error && error.kind === 'cancelled')) this.ctx.showError(error);
    } finally {
      button.disabled = false;
    }
  }
}
