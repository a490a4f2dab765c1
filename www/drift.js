// The drift panel of the preview step: an optional reference file. With one, the
// audit reads the reference first (spec.drift = true, its own dialect sniffed, the
// column types and roles of this file's spec) and the current file's report gets a
// drift section. The reference's data stays in the workers like the file's own.

const $ = (id) => document.getElementById(id);

const SNIFFED = ['delimiter', 'quote', 'header', 'encoding', 'decimal', 'thousands'];

export class DriftPanel {
  /** ctx: {formatBytes(n)} */
  constructor(ctx) {
    this.ctx = ctx;
    this.file = null;
    $('drift-file').addEventListener('change', (e) => {
      const file = e.target.files && e.target.files[0];
      e.target.value = '';
      if (file) this.set(file);
    });
    $('drift-clear').addEventListener('click', () => this.set(null));
  }

  set(file) {
    this.file = file;
    $('drift-chosen').textContent = file
      ? `Reference: ${file.name} (${this.ctx.formatBytes(file.size)}). The report compares this file with it.`
      : 'No reference file: the audit has no drift section.';
    $('drift-clear').hidden = !file;
    if (file) $('drift-panel').open = true;
  }

  /** The spec to preview the reference with: this file's spec (columns by name, missing
   *  tokens, profile, checks) with the dialect left to sniff, no bias audit, drift on. */
  referenceSpec(spec) {
    const input = { ...(spec.input || {}) };
    for (const key of SNIFFED) delete input[key];
    const { bias, dp, mode, ...rest } = spec;
    return { ...rest, input, drift: true };
  }
}
