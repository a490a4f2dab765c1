// The checks panel of the preview step: every gate of the engine's check registry
// (id, title, definition, default threshold and severity) with inputs that write
// spec.checks[id].threshold / .severity. The disparity checks also choose the gated
// metrics (spec.checks[id].metric, a list; none ticked = the engine's default) and the
// band (spec.checks[id].band), from the lists the registry gives. Per-column thresholds
// come from a spec file ("Load a spec"); they are kept as they are.

const $ = (id) => document.getElementById(id);

export class ChecksPanel {
  /** ctx: {engine, getSpec(), onChange(spec)} */
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
