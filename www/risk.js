// The "Privacy risk" panel of the preview step: which columns are quasi-identifiers
// and sensitive attributes (suggestions come from the engine, from the columns' names
// and types), the population size and risk threshold, and the generalisations to try —
// written into spec.privacy. The engine computes everything; the report shows it.

const $ = (id) => document.getElementById(id);

function checkbox(id, label, checked, note, onChange) {
  const wrap = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.id = id;
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  const text = document.createElement('span');
  text.textContent = note ? `${label} (${note})` : label;
  wrap.append(box, text);
  return wrap;
}

export class RiskPanel {
  /** ctx: {engine, getSpec(), onChange(spec)} — onChange re-resolves the edited spec. */
  constructor(ctx) {
    this.ctx = ctx;
    this.seq = 0;
    $('risk-population').addEventListener('change', () => this.writeNumbers());
    $('risk-threshold').addEventListener('change', () => this.writeNumbers());
    $('risk-add-button').addEventListener('click', () => this.addTry());
  }

  privacy() {
    const spec = this.ctx.getSpec();
    spec.privacy = spec.privacy || {};
    return spec.privacy;
  }

  /** Fills the panel from spec.privacy (after every preview). */
  async render() {
    const seq = ++this.seq;
    const spec = this.ctx.getSpec();
    let options = { suggested_quasi_identifiers: [], suggested_sensitive: [], ladders: [] };
    $('risk-error').textContent = '';
    try {
      options = await this.ctx.engine.privacyOptions(spec);
    } catch (error) {
      $('risk-error').textContent = error && error.message ? error.message : String(error);
    }
    if (seq !== this.seq) return;
    const p = spec.privacy || {};
    const chosen = new Set(p.quasi_identifiers || []);
    const sensitive = new Set(p.sensitive || []);
    const columns = (spec.columns || []).filter((c) => c.role !== 'identifier' && c.role !== 'ignore').map((c) => c.name);
    $('risk-qis').replaceChildren(...columns.map((name, i) => checkbox(`risk-qi-${i}`, name, chosen.has(name),
      options.suggested_quasi_identifiers.includes(name) ? 'suggested' : '', (on) => this.toggle('quasi_identifiers', name, on))));
    $('risk-sensitive').replaceChildren(...columns.map((name, i) => checkbox(`risk-sa-${i}`, name, sensitive.has(name),
      options.suggested_sensitive.includes(name) ? 'suggested' : '', (on) => this.toggle('sensitive', name, on))));
    $('risk-population').value = p.population ?? '';
    $('risk-threshold').value = String(p.risk_threshold ?? 0.2);
    $('risk-levels').replaceChildren(...options.ladders.map((l, i) => {
      const label = document.createElement('label');
      label.textContent = `${l.column} `;
      const select = document.createElement('select');
      select.id = `risk-level-${i}`;
      select.dataset.column = l.column;
      l.levels.forEach((name, level) => select.append(new Option(`${level}: ${name}`, String(level))));
      label.append(select);
      return label;
    }));
    $('risk-try-fields').hidden = options.ladders.length === 0;
    $('risk-tries').replaceChildren(...(p.what_if || []).map((w, i) => {
      const li = document.createElement('li');
      li.textContent = Object.entries(w).map(([c, l]) => `${c} = ${l}`).join(', ') || 'all exact';
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'link';
      remove.textContent = 'Remove';
      remove.addEventListener('click', () => this.removeTry(i));
      li.append(' ', remove);
      return li;
    }));
  }

  /** Adds or removes a column; what-ifs and ladders of columns no longer chosen go. */
  toggle(key, name, on) {
    const spec = structuredClone(this.ctx.getSpec());
    const p = spec.privacy || {};
    const list = new Set(p[key] || []);
    if (on) list.add(name); else list.delete(name);
    p[key] = [...list];
    if (key === 'quasi_identifiers') {
      p.what_if = (p.what_if || []).map((w) => Object.fromEntries(Object.entries(w).filter(([c]) => list.has(c))));
      if (p.ladders) p.ladders = Object.fromEntries(Object.entries(p.ladders).filter(([c]) => list.has(c)));
    }
    if (!(p.quasi_identifiers || []).length) {
      for (const k of ['sensitive', 'population', 'what_if', 'ladders', 'person']) delete p[k];
    }
    for (const k of Object.keys(p)) if (Array.isArray(p[k]) && !p[k].length) delete p[k];
    spec.privacy = p;
    this.ctx.onChange(spec);
  }

  /** Population size and τ (no re-resolve needed). */
  writeNumbers() {
    const p = this.privacy();
    const n = Math.round(Number($('risk-population').value));
    if ($('risk-population').value !== '' && Number.isFinite(n) && n >= 1) p.population = n; else delete p.population;
    const tau = Number($('risk-threshold').value);
    if (Number.isFinite(tau) && tau > 0 && tau <= 1 && tau !== 0.2) p.risk_threshold = tau; else delete p.risk_threshold;
  }

  addTry() {
    const spec = structuredClone(this.ctx.getSpec());
    const w = {};
    for (const select of $('risk-levels').querySelectorAll('select')) {
      const level = Number(select.value);
      if (level > 0) w[select.dataset.column] = level;
    }
    spec.privacy = spec.privacy || {};
    spec.privacy.what_if = [...(spec.privacy.what_if || []), w];
    this.ctx.onChange(spec);
  }

  removeTry(i) {
    const spec = structuredClone(this.ctx.getSpec());
    spec.privacy.what_if.splice(i, 1);
    if (!spec.privacy.what_if.length) delete spec.privacy.what_if;
    this.ctx.onChange(spec);
  }
}
