// The rest of the spec, in the page: how the file is read ([input]), the profile's options
// ([profile], show_sensitive_values among them), correlations ([correlations]), the dataset
// checks ([dataset]), reference shares of protected columns ([representativeness]) and the
// DP summary's remaining settings (dp.delta, dp.alpha, dp.dataset). Each control writes one
// spec key; an empty field removes it (the engine's default). The engine validates every
// value when the preview is refreshed and names the field in its message. UI only.

const $ = (id) => document.getElementById(id);

const choice = (values) => values.map((v) => (Array.isArray(v) ? v : [v, v]));

// [section, path, label, kind, options]; kind: select | bool | number | text | date | tokens.
const FIELDS = [
  ['Reading the file', 'input.delimiter', 'Delimiter', 'select', choice([[',', 'comma (,)'], [';', 'semicolon (;)'], ['tab', 'tab'], ['|', 'vertical bar (|)'], [' ', 'space']])],
  ['Reading the file', 'input.quote', 'Quote character', 'select', choice([['"', 'double quote (")'], ["'", "single quote (')"]])],
  ['Reading the file', 'input.header', 'First row is the header', 'select', [[true, 'yes'], [false, 'no']]],
  ['Reading the file', 'input.encoding', 'Encoding', 'select', choice(['utf-8', 'windows-1252', 'utf-16le', 'utf-16be'])],
  ['Reading the file', 'input.decimal', 'Decimal separator', 'select', choice([['.', 'point (.)'], [',', 'comma (,)']])],
  ['Reading the file', 'input.thousands', 'Thousands separator', 'select', choice([['', 'none'], [',', 'comma (,)'], ['.', 'point (.)'], [' ', 'space'], ["'", "apostrophe (')"]])],
  ['Reading the file', 'input.date_order', 'Ambiguous dates (03/04/2024) are', 'select', [['', 'decided from the values'], ['dmy', 'day first'], ['mdy', 'month first']]],
  ['Reading the file', 'input.missing_tokens', 'Missing values (comma-separated; empty cells:', 'tokens'],
  ['Reading the file', 'input.max_field_bytes', 'Longest field (bytes)', 'number'],
  ['Profile', 'profile.show_sensitive_values', 'Show sensitive values (identifier-like, personal-data and high-cardinality columns) in the preview and the report', 'bool'],
  ['Profile', 'profile.top_k', 'Top values per column', 'number'],
  ['Profile', 'profile.quantile_values_in_memory', 'Values per column kept for exact quantiles', 'number'],
  ['Profile', 'profile.as_of', 'Future dates are after (default: the run\'s date)', 'date'],
  ['Correlations', 'correlations.enabled', 'Correlations', 'select', [['', 'automatic: only with at most 10 numeric and categorical columns'], [true, 'on'], [false, 'off']]],
  ['Correlations', 'correlations.max_numeric_columns', 'Numeric columns kept', 'number'],
  ['Correlations', 'correlations.max_categorical_columns', 'Categorical columns kept', 'number'],
  ['Correlations', 'correlations.max_levels', 'Most values of a categorical column', 'number'],
  ['Correlations', 'correlations.spearman_rows', 'Rows kept for Spearman\'s ρ', 'number'],
  ['Dataset checks', 'dataset.enabled', 'Dataset checks (duplicates, label balance, conflicting labels, leakage)', 'select', [[true, 'on'], [false, 'off']]],
  ['Dataset checks', 'dataset.max_distinct_rows', 'Distinct rows counted exactly', 'number'],
  ['DP summary', 'dp.delta', 'δ (zCDP summaries stated as (ε, δ); default 1e-7)', 'number'],
  ['DP summary', 'dp.alpha', 'Accuracies hold with probability 1 − α (default 0.05)', 'number'],
  ['DP summary', 'dp.dataset', 'Public description of the dataset (printed in the summary)', 'text'],
];

function get(spec, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), spec);
}

/** Sets (or, for undefined, removes) `path`; drops objects left empty. */
function set(spec, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  let o = spec;
  for (const k of keys) {
    if (o[k] == null || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  if (value === undefined) delete o[last];
  else o[last] = value;
  if (keys.length === 1 && Object.keys(spec[keys[0]]).length === 0) delete spec[keys[0]];
}

const fieldId = (path) => `opt-${path.replace(/\./g, '-')}`;

export class OptionsPanel {
  /** ctx: {getSpec(), columns(): preview columns, onChange(spec, {reread})} */
  constructor(ctx) {
    this.ctx = ctx;
    this.built = false;
  }

  build() {
    const body = $('options-body');
    let fieldset = null;
    for (const [section, path, label, kind, options] of FIELDS) {
      if (!fieldset || fieldset.dataset.section !== section) {
        fieldset = Object.assign(document.createElement('fieldset'), { className: 'dp-add' });
        fieldset.dataset.section = section;
        fieldset.append(Object.assign(document.createElement('legend'), { textContent: section }));
        body.append(fieldset);
      }
      fieldset.append(this.control(path, label, kind, options));
    }
    const rep = Object.assign(document.createElement('fieldset'), { className: 'dp-add', id: 'opt-representativeness' });
    body.append(rep);
    this.built = true;
  }

  control(path, label, kind, options) {
    const wrap = document.createElement('label');
    const id = fieldId(path);
    let input;
    if (kind === 'select') {
      input = document.createElement('select');
      for (const [value, text] of options) input.append(new Option(text, JSON.stringify(value)));
    } else if (kind === 'bool') {
      input = Object.assign(document.createElement('input'), { type: 'checkbox' });
    } else {
      input = Object.assign(document.createElement('input'), { type: kind === 'number' ? 'number' : kind === 'date' ? 'date' : 'text' });
      if (kind === 'number') input.step = 'any';
    }
    input.id = id;
    input.addEventListener('change', () => this.write(path, kind, input));
    if (kind === 'tokens') {
      const empty = Object.assign(document.createElement('input'), { type: 'checkbox', id: `${id}-empty` });
      empty.addEventListener('change', () => this.write(path, kind, input));
      const span = document.createElement('span');
      span.append(`${label} `, empty, ' missing)');
      wrap.append(span, input);
    } else if (kind === 'bool') {
      const span = document.createElement('span');
      span.append(input, ` ${label}`);
      wrap.append(span);
    } else {
      wrap.append(label, input);
    }
    return wrap;
  }

  write(path, kind, input) {
    const spec = structuredClone(this.ctx.getSpec());
    let value;
    if (kind === 'select') value = input.value === '""' && path !== 'input.thousands' ? undefined : JSON.parse(input.value);
    else if (kind === 'bool') value = input.checked || undefined;
    else if (kind === 'number') value = input.value === '' ? undefined : Number(input.value);
    else if (kind === 'tokens') {
      const tokens = input.value.split(',').map((t) => t.trim()).filter(Boolean);
      value = [...($(`${input.id}-empty`).checked ? [''] : []), ...tokens];
    } else value = input.value === '' ? undefined : input.value;
    set(spec, path, value);
    // How the file is read decides the inferred column types: those are inferred again.
    this.ctx.onChange(spec, { reread: path.startsWith('input.') });
  }

  /** Fills every control from the spec (after every preview). */
  render() {
    if (!this.built) this.build();
    const spec = this.ctx.getSpec();
    const focused = document.activeElement && document.activeElement.id;
    for (const [, path, , kind] of FIELDS) {
      const input = $(fieldId(path));
      if (input.id === focused) continue;
      const value = get(spec, path);
      if (kind === 'select') {
        const v = JSON.stringify(value ?? (path === 'dataset.enabled' ? true : ''));
        if (![...input.options].some((o) => o.value === v)) input.append(new Option(String(value), v));
        input.value = v;
      }
      else if (kind === 'bool') input.checked = Boolean(value);
      else if (kind === 'tokens') {
        const tokens = Array.isArray(value) ? value : [];
        $(`${input.id}-empty`).checked = tokens.includes('');
        input.value = tokens.filter((t) => t !== '').join(', ');
      } else input.value = value ?? '';
    }
    this.renderShares(spec);
    if (focused && focused.startsWith('opt-share-') && $(focused)) $(focused).focus();
  }

  /** Reference shares ([representativeness.<column>]) for each protected column's values. */
  renderShares(spec) {
    const box = $('opt-representativeness');
    const protectedCols = this.ctx.columns().filter((c) => c.role === 'protected');
    box.replaceChildren(Object.assign(document.createElement('legend'), { textContent: 'Reference shares of protected columns (representativeness)' }));
    if (!protectedCols.length) {
      box.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Give a column the role "protected" to compare its group shares with reference shares (a census, the applicant pool).' }));
    }
    const shares = spec.representativeness || {};
    for (const c of protectedCols) {
      const values = [...new Set([...(c.values || []), ...Object.keys(shares[c.name] || {})])];
      if (!values.length) {
        box.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: `${c.name}: more than 20 values in the first rows; set its shares in a spec file.` }));
      }
      values.forEach((v, k) => {
        const input = Object.assign(document.createElement('input'), { type: 'number', step: 'any', min: '0', max: '1', id: `opt-share-${c.index}-${k}` });
        input.value = shares[c.name] && shares[c.name][v] !== undefined ? String(shares[c.name][v]) : '';
        input.addEventListener('change', () => {
          const next = structuredClone(this.ctx.getSpec());
          const map = { ...((next.representativeness || {})[c.name] || {}) };
          if (input.value === '') delete map[v];
          else map[v] = Number(input.value);
          next.representativeness = { ...(next.representativeness || {}), [c.name]: map };
          if (!Object.keys(map).length) delete next.representativeness[c.name];
          if (!Object.keys(next.representativeness).length) delete next.representativeness;
          this.ctx.onChange(next);
        });
        const label = document.createElement('label');
        label.append(`${c.name} = ${v}`, input);
        box.append(label);
      });
    }
  }
}
