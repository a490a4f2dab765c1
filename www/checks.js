// The checks panel of the preview step: every gate of the engine's check registry
// (id, title, definition, default threshold and severity) with inputs that write
// spec.checks[id].threshold / .severity. The disparity checks also choose the gated
// metrics (spec.checks[id].metric, a list; none ticked = the engine's default) and the
// band (spec.checks[id].band), from the lists the registry gives, and the group size
// below which they skip a group (spec.checks[id].min_group_size, also for
// group_missing_gap). Per-column checks take a threshold per column
// (spec.checks[id].columns = {column: threshold}).

const $ = (id) => document.getElementById(id);

export class ChecksPanel {
  /** ctx: {engine, getSpec(), columns(): column names, onChange(spec)} */
  constructor(ctx) {
    this.ctx = ctx;
    this.registry = null;
  }

  async render() {
    if (!this.registry) this.registry = await this.ctx.engine.checkRegistry();
    const checks = (this.ctx.getSpec() || {}).checks || {};
    const focused = document.activeElement && document.activeElement.id;
    $('checks-body').replaceChildren(...this.registry.map((def) => this.row(def, checks[def.id] || {})));
    if (focused && focused.startsWith('check-') && $(focused)) $(focused).focus();
  }

  row(def, current) {
    const tr = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    const title = document.createElement('span');
    title.textContent = def.title;
    const id = document.createElement('code');
    id.textContent = def.id;
    name.append(title, document.createElement('br'), id);
    const doc = document.createElement('td');
    doc.textContent = `${def.doc}${def.per_column ? ' (per column)' : ''}`;
    const thresholdCell = document.createElement('td');
    const input = document.createElement('input');
    input.type = 'number';
    input.step = 'any';
    input.min = '0';
    if (def.share) input.max = '1';
    input.id = `check-threshold-${def.id}`;
    input.setAttribute('aria-label', `${def.minimum ? 'Minimum' : 'Maximum'} for ${def.title}`);
    input.placeholder = String(def.threshold);
    const value = current.min ?? current.max ?? current.threshold;
    input.value = value === undefined || value === null ? '' : String(value);
    input.addEventListener('change', () => this.write(def.id, { threshold: input.value === '' ? undefined : Number(input.value) }));
    const bound = document.createElement('span');
    bound.className = 'muted';
    bound.textContent = def.minimum ? ' minimum' : ' maximum';
    thresholdCell.append(input, bound);
    const severityCell = document.createElement('td');
    const select = document.createElement('select');
    select.id = `check-severity-${def.id}`;
    select.setAttribute('aria-label', `Severity of ${def.title}`);
    select.append(new Option(`default (${def.severity})`, ''), new Option('warn', 'warn'), new Option('fail', 'fail'));
    select.value = current.severity || '';
    select.addEventListener('change', () => this.write(def.id, { severity: select.value || undefined }));
    severityCell.append(select);
    if (def.disparity && def.metrics) thresholdCell.append(this.disparityFields(def, current));
    if (def.disparity || def.id === 'group_missing_gap') thresholdCell.append(this.groupSize(def, current));
    if (def.per_column) thresholdCell.append(this.perColumn(def, current));
    tr.append(name, doc, thresholdCell, severityCell);
    return tr;
  }

  /** The gated metrics (checkboxes) and the band of a disparity check. */
  disparityFields(def, current) {
    const box = document.createElement('fieldset');
    box.className = 'check-metrics';
    const legend = document.createElement('legend');
    legend.textContent = 'Gated metrics (none ticked: the default)';
    box.append(legend);
    const chosen = current.metric === undefined ? [] : [].concat(current.metric);
    const ticks = def.metrics.map((m) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.id = `check-metric-${def.id}-${m.name}`;
      input.value = m.name;
      input.checked = chosen.includes(m.name);
      label.append(input, ` ${m.label}`);
      box.append(label);
      return input;
    });
    for (const input of ticks) {
      input.addEventListener('change', () => {
        const names = ticks.filter((t) => t.checked).map((t) => t.value);
        this.write(def.id, { metric: names.length ? names : undefined });
      });
    }
    const band = document.createElement('select');
    band.id = `check-band-${def.id}`;
    band.setAttribute('aria-label', `Band of ${def.title}`);
    band.append(new Option('band: default (adverse)', ''), ...def.bands.map((b) => new Option(`band: ${b}`, b)));
    band.value = current.band || '';
    band.addEventListener('change', () => this.write(def.id, { band: band.value || undefined }));
    box.append(band);
    return box;
  }

  /** Groups with fewer rows are skipped (`min_group_size`; default: bias.min_group_size or 30). */
  groupSize(def, current) {
    const label = document.createElement('label');
    label.className = 'check-extra';
    const input = Object.assign(document.createElement('input'), { type: 'number', min: '0', step: '1', id: `check-group-size-${def.id}` });
    input.value = current.min_group_size ?? '';
    input.placeholder = 'default';
    input.addEventListener('change', () => this.write(def.id, { min_group_size: input.value === '' ? undefined : Math.round(Number(input.value)) }));
    label.append('skip groups under (rows) ', input);
    return label;
  }

  /** Thresholds for single columns: the list, and a column + threshold to add. */
  perColumn(def, current) {
    const box = document.createElement('div');
    box.className = 'check-extra';
    const columns = current.columns || {};
    for (const [column, value] of Object.entries(columns)) {
      const item = document.createElement('span');
      item.textContent = `${column}: ${value} `;
      const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'link', textContent: 'remove' });
      remove.setAttribute('aria-label', `Remove the threshold of ${def.id} for column ${column}`);
      remove.addEventListener('click', () => {
        const next = { ...columns };
        delete next[column];
        this.write(def.id, { columns: Object.keys(next).length ? next : undefined });
      });
      item.append(remove);
      box.append(item, document.createElement('br'));
    }
    const select = Object.assign(document.createElement('select'), { id: `check-column-${def.id}` });
    select.setAttribute('aria-label', `Column for a threshold of ${def.title}`);
    select.append(...this.ctx.columns().map((c) => new Option(c, c)));
    const input = Object.assign(document.createElement('input'), { type: 'number', step: 'any', min: '0', id: `check-column-threshold-${def.id}` });
    input.setAttribute('aria-label', `Threshold of ${def.title} for that column`);
    const add = Object.assign(document.createElement('button'), { type: 'button', className: 'link', textContent: 'add for this column', id: `check-column-add-${def.id}` });
    add.addEventListener('click', () => {
      if (input.value === '' || !select.value) return;
      this.write(def.id, { columns: { ...columns, [select.value]: Number(input.value) } });
    });
    box.append('per column: ', select, ' ', input, ' ', add);
    return box;
  }

  write(id, change) {
    const spec = structuredClone(this.ctx.getSpec());
    const checks = { ...(spec.checks || {}) };
    const entry = { ...(checks[id] || {}) };
    if ('threshold' in change) {
      delete entry.min;
      delete entry.max;
    }
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) delete entry[key];
      else entry[key] = value;
    }
    if (Object.keys(entry).length) checks[id] = entry;
    else delete checks[id];
    spec.checks = checks;
    this.ctx.onChange(spec);
  }
}
