// Panels of the preview step that take a second file, read in this tab like the file
// itself before the audit:
// - drift: a reference file (spec.drift = true on both runs); the report gets a drift
//   section;
// - train/test overlap: a test file read with this (training) file's column types and
//   roles; the report's dataset section gets the overlap.
// The second file's spec is this file's spec (columns by name, types, roles, missing
// tokens, checks) with its own dialect sniffed.

const $ = (id) => document.getElementById(id);

const SNIFFED = ['delimiter', 'quote', 'header', 'encoding', 'decimal', 'thousands'];

export class SecondFilePanel {
  /** ctx: {prefix ('drift' | 'test'), none (text without a file), chosen(file) (text with one),
   *  formatBytes(n)} */
  constructor(ctx) {
    this.ctx = ctx;
    this.file = null;
    const id = (suffix) => $(`${ctx.prefix}-${suffix}`);
    this.el = { input: id('file'), chosen: id('chosen'), clear: id('clear'), panel: id('panel') };
    this.el.input.addEventListener('change', (e) => {
      const file = e.target.files && e.target.files[0];
      e.target.value = '';
      if (file) this.set(file);
    });
    this.el.clear.addEventListener('click', () => this.set(null));
  }

  set(file) {
    this.file = file;
    this.el.chosen.textContent = file ? this.ctx.chosen(file, this.ctx.formatBytes(file.size)) : this.ctx.none;
    this.el.clear.hidden = !file;
    if (file) this.el.panel.open = true;
  }

  /** The spec to preview the second file with: this file's spec with the dialect left to
   *  sniff and not in DP mode; `drift` on for a drift reference, off for a test file. A
   *  drift reference needs no bias audit; a test file keeps it (the label role). */
  secondSpec(spec) {
    const input = { ...(spec.input || {}) };
    for (const key of SNIFFED) delete input[key];
    const { bias, dp, mode, ...rest } = spec;
    return this.ctx.prefix === 'drift' ? { ...rest, input, drift: true } : { ...rest, bias, input, drift: false };
  }
}
