// The preview step's view of the file: facts (with the engine's row estimate), the
// structural problems the engine saw in the first MiB, and the columns table (type, date
// order, role, the engine's suggested role with its reason, a few example values or why
// they are hidden). Everything shown here was decided by the engine (preview in
// crate/preview.rs); suggestions are only applied when the user clicks. Data
// from the file reaches the DOM only through textContent and option text.

import { formatLabel, addSheetFact, isWorkbook } from './sources.js';

const $ = (id) => document.getElementById(id);

const numberFormat = new Intl.NumberFormat('en');
const DELIMITERS = { ',': 'comma (,)', ';': 'semicolon (;)', '\t': 'tab', tab: 'tab', '|': 'vertical bar (|)', ' ': 'space' };
const QUOTES = { '"': 'double quote (")', "'": "single quote (')" };
const LINE_ENDINGS = { '\n': 'LF (Unix)', '\r\n': 'CRLF (Windows)', '\r': 'CR', lf: 'LF (Unix)', crlf: 'CRLF (Windows)', cr: 'CR', mixed: 'mixed', none: 'none seen' };
const DATE_ORDERS = ['ymd', 'dmy', 'mdy'];

function describe(map, value) {
  if (value === null || value === undefined || value === '') return 'none';
  return map[value] || JSON.stringify(value);
}

function addFact(list, term, value) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

export function makeSelect(id, label, options, value, onChange) {
  const select = document.createElement('select');
  select.id = id;
  select.setAttribute('aria-label', label);
  const values = options.includes(value) ? options : [value, ...options];
  for (const option of values) select.append(new Option(option, option));
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

export class PreviewView {
  /** ctx: {state(): {file, preview, spec}, formatBytes(n), editColumn(i, field, value),
   *  applySuggestions([{index, role}])} */
  constructor(ctx) {
    this.ctx = ctx;
    $('suggest-apply-all').addEventListener('click', () => this.ctx.applySuggestions(this.pending()));
  }

  /** Suggestions whose role differs from the column's current role. */
  pending() {
    const { preview, spec } = this.ctx.state();
    return preview.columns
      .map((c, i) => ({ index: i, column: c, role: c.suggestion && c.suggestion.role, current: (spec.columns[i] || {}).role ?? c.role }))
      .filter((s) => s.role && s.role !== s.current);
  }

  render() {
    const { preview, file } = this.ctx.state();
    const facts = $('facts');
    facts.replaceChildren();
    addFact(facts, 'File', file.name);
    addFact(facts, 'Size', `${this.ctx.formatBytes(file.size)} (${numberFormat.format(file.size)} bytes)`);
    addFact(facts, preview.estimate && preview.estimate.exact ? 'Rows' : 'Rows (estimate)', (preview.estimate || {}).text || '');
    const encoding = preview.encoding || {};
    addFact(facts, 'Encoding', `${encoding.name || 'unknown'}${encoding.bom ? ', with byte order mark' : ''}`);
    addFact(facts, 'Format', formatLabel(preview));
    addSheetFact(facts, preview, (spec) => this.ctx.chooseSheet(spec));
    const dialect = preview.dialect || {};
    if (!preview.format || preview.format === 'csv') {
      addFact(facts, 'Delimiter', describe(DELIMITERS, dialect.delimiter));
      addFact(facts, 'Quote', describe(QUOTES, dialect.quote));
      addFact(facts, 'Header row', dialect.header ? 'yes' : 'no');
    }
    if (!isWorkbook(preview) && preview.format !== 'parquet') addFact(facts, 'Line ending', describe(LINE_ENDINGS, dialect.line_ending));
    if (preview.format === 'parquet' && preview.cuts) addFact(facts, 'Row groups', numberFormat.format(Math.max(1, preview.cuts.length - 1)));
    addFact(facts, 'Columns', numberFormat.format(preview.columns.length));

    const warnings = (preview.structure && preview.structure.warnings) || [];
    $('structure-list').replaceChildren(...warnings.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
    $('structure').hidden = warnings.length === 0;
    $('notices').replaceChildren(...(preview.notices || []).map((text) => Object.assign(document.createElement('li'), { textContent: text })));

    const pending = this.pending();
    $('suggest-bar').hidden = pending.length === 0;
    $('suggest-count').textContent = pending.map((s) => `${s.column.name} → ${s.role}`).join(', ');

    const focused = document.activeElement && document.activeElement.id;
    $('columns-body').replaceChildren(...preview.columns.map((column, i) => this.row(column, i)));
    if (focused && $(focused)) $(focused).focus();
  }

  row(column, i) {
    const { preview, spec } = this.ctx.state();
    const specColumn = spec.columns[i] || {};
    const tr = document.createElement('tr');
    const cell = (className = '') => {
      const td = document.createElement('td');
      if (className) td.className = className;
      tr.append(td);
      return td;
    };
    cell('index').textContent = String((column.index ?? i) + 1);
    cell('name').textContent = column.name;
    const type = specColumn.type ?? column.type;
    const typeCell = cell();
    typeCell.append(makeSelect(`type-${i}`, `Type of column ${column.name}`, preview.types || [], type,
      (v) => this.ctx.editColumn(i, 'type', v)));
    if (type === 'date' || type === 'datetime') {
      typeCell.append(' ', makeSelect(`date-order-${i}`, `Date field order of column ${column.name}`, DATE_ORDERS,
        specColumn.date_order ?? 'ymd', (v) => this.ctx.editColumn(i, 'date_order', v)));
    }
    const role = specColumn.role ?? column.role;
    cell().append(makeSelect(`role-${i}`, `Role of column ${column.name}`, preview.roles || [], role,
      (v) => this.ctx.editColumn(i, 'role', v)));
    const suggestion = cell('suggestion');
    const s = column.suggestion;
    if (s && s.role !== role) {
      const text = document.createElement('span');
      text.textContent = `${s.role}: ${s.reason} `;
      const use = Object.assign(document.createElement('button'), { type: 'button', className: 'link', textContent: `Use ${s.role}`, id: `suggest-${i}` });
      use.setAttribute('aria-label', `Use the suggested role ${s.role} for column ${column.name}`);
      use.addEventListener('click', () => this.ctx.applySuggestions([{ index: i, role: s.role }]));
      suggestion.append(text, use);
    } else if (s) {
      suggestion.textContent = `${s.role} (as suggested: ${s.reason})`;
      suggestion.classList.add('muted');
    }
    const examples = cell('examples');
    examples.id = `examples-${i}`;
    if (column.examples_hidden) {
      examples.textContent = `not shown: ${column.examples_hidden}`;
      examples.classList.add('muted');
    } else if (column.examples && column.examples.length) {
      examples.textContent = column.examples.join(' · ');
    } else {
      examples.textContent = 'no values in the first rows';
      examples.classList.add('muted');
    }
    return tr;
  }
}
