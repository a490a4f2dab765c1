// The DP panel of the preview step: the budget, the releases (queries) with the
// accuracy each would have, the file's ledger (spent, cap, remaining; export and
// import), the opt-ins, and the release button. Accuracies, warnings, refusals and
// ledger sentences come from the engine (dp_plan, ledger): they depend only on the
// settings and the ledger — never on the file's contents — so they update live and
// spend nothing. Keys, groups and bounds are typed by the user: the page never
// suggests them from the data (that would leak it). UI only: no number is computed here.

import * as store from './ledger.js';

const KINDS = ['count', 'histogram', 'mean', 'sum', 'quantiles', 'categories', 'fairness'];
const NEEDS = {
  count: [],
  histogram: ['column', 'keys'],
  mean: ['column', 'lower', 'upper', 'decimals'],
  sum: ['column', 'lower', 'upper', 'decimals'],
  quantiles: ['column', 'lower', 'upper', 'bins', 'probabilities'],
  categories: ['column'],
  fairness: ['column', 'keys', 'reference'],
};

const $ = (id) => document.getElementById(id);

function message(error) {
  return error && typeof error.message === 'string' ? error.message : String(error);
}

function describeQuery(q) {
  const parts = [];
  if (q.column) parts.push(`column ${q.column}`);
  if (q.protected) parts.push(`by ${q.protected}`);
  if (q.keys) parts.push(`keys ${q.keys.join(', ')}`);
  if (q.lower !== undefined && q.upper !== undefined) parts.push(`bounds [${q.lower}, ${q.upper}]`);
  if (q.bins) parts.push(`${q.bins} bins`);
  if (q.decimals) parts.push(`${q.decimals} decimals`);
  if (q.probabilities) parts.push(`probabilities ${q.probabilities.join(', ')}`);
  if (q.reference_group) parts.push(`reference ${q.reference_group}`);
  return parts.join('; ') || 'all rows';
}

function download(text, name) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name, rel: 'noopener' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export class DpPanel {
  /** ctx: {engine, getSpec(), columns(), fileHash() → Promise<hex>, onRelease()} */
  constructor(ctx) {
    this.ctx = ctx;
    this.seq = 0;
    this.timer = 0;
    this.planOk = false;
    this.view = null; // the engine's ledger view for this file and plan
    this.sha = null;
    $('dp-kind').replaceChildren(...KINDS.map((k) => new Option(k, k)));
    $('dp-kind').addEventListener('change', () => {
      $('dp-add-error').textContent = '';
      this.showFields();
    });
    $('dp-epsilon').addEventListener('input', () => this.setBudget(Number((10 ** Number($('dp-epsilon').value)).toPrecision(2))));
    $('dp-epsilon-number').addEventListener('change', () => this.setBudget(Number($('dp-epsilon-number').value)));
    $('dp-add-button').addEventListener('click', () => this.addQuery());
    $('dp-measure').addEventListener('change', () => this.setMeasure($('dp-measure').value));
    $('dp-person').addEventListener('change', () => {
      const dp = this.dp();
      if ($('dp-person').value) dp.person_column = $('dp-person').value;
      else { delete dp.person_column; delete dp.max_rows_per_person; }
      this.render();
    });
    $('dp-max-rows').addEventListener('change', () => {
      this.dp().max_rows_per_person = Math.max(1, Math.round(Number($('dp-max-rows').value) || 1));
      this.refresh();
    });
    $('dp-min-count').addEventListener('change', () => {
      this.dp().min_noisy_count = Math.max(0, Math.round(Number($('dp-min-count').value) || 0));
      this.refresh();
    });
    $('dp-include-sha').addEventListener('change', () => {
      if ($('dp-include-sha').checked) this.dp().include_sha256 = true;
      else delete this.dp().include_sha256;
    });
    $('dp-release-button').addEventListener('click', () => this.ctx.onRelease());
    $('dp-panel').addEventListener('toggle', () => { if ($('dp-panel').open) this.findFile(); });
    $('dp-cap-button').addEventListener('click', () => this.setCap());
    $('dp-ledger-export').addEventListener('click', () => this.exportLedger());
    $('dp-ledger-import').addEventListener('change', (e) => {
      const file = e.target.files && e.target.files[0];
      e.target.value = '';
      if (file) this.importLedger(file);
    });
  }

  dp() {
    const spec = this.ctx.getSpec();
    if (!spec.dp) spec.dp = { epsilon: 1, queries: [{ kind: 'count' }] };
    return spec.dp;
  }

  /** The budget's key in the spec: `epsilon` (pure) or `rho` (zCDP). */
  budgetKey() {
    return this.dp().measure === 'zcdp' ? 'rho' : 'epsilon';
  }

  setMeasure(measure) {
    const dp = this.dp();
    if ((dp.measure === 'zcdp') === (measure === 'zcdp')) return;
    const value = dp[this.budgetKey()] > 0 ? dp[this.budgetKey()] : 1;
    delete dp.epsilon;
    delete dp.rho;
    if (measure === 'zcdp') dp.measure = 'zcdp';
    else delete dp.measure;
    // Same noise scale for a count: ε-DP Laplace ≈ ρ = ε²/2 zCDP, and back.
    dp[this.budgetKey()] = Number((measure === 'zcdp' ? value * value / 2 : Math.sqrt(2 * value)).toPrecision(2));
    this.render();
  }

  /** Opt-ins the release and the downloads read. */
  optIns() {
    return { ledgerFileName: $('dp-ledger-name').checked, downloadNames: $('dp-download-names').checked };
  }

  /** Re-renders from the spec (after every preview). */
  render() {
    const dp = this.dp();
    const key = this.budgetKey();
    const budget = dp[key];
    $('dp-budget-label').textContent = key === 'rho'
      ? 'Total privacy budget ρ (zCDP; smaller: more private, noisier)'
      : 'Total privacy budget ε (smaller: more private, noisier)';
    if (budget > 0) $('dp-epsilon').value = String(Math.log10(budget));
    $('dp-epsilon-number').value = String(budget ?? '');
    $('dp-measure').value = dp.measure === 'zcdp' ? 'zcdp' : 'pure';
    const columns = this.ctx.columns();
    $('dp-person').replaceChildren(new Option('one row (no person column)', ''), ...columns.map((c) => new Option(`all rows with the same ${c}`, c)));
    $('dp-person').value = dp.person_column && columns.includes(dp.person_column) ? dp.person_column : '';
    $('dp-max-rows').value = String(dp.max_rows_per_person ?? 1);
    $('dp-max-rows').disabled = !dp.person_column;
    $('dp-min-count').value = String(dp.min_noisy_count ?? 0);
    $('dp-include-sha').checked = Boolean(dp.include_sha256);
    const chosen = $('dp-column').value; // a render (after any preview) keeps the column being chosen
    $('dp-column').replaceChildren(...columns.map((c) => new Option(c, c)));
    if (columns.includes(chosen)) $('dp-column').value = chosen;
    this.showFields();
    this.refresh();
    if ($('dp-panel').open) this.findFile();
  }

  showFields() {
    const needs = NEEDS[$('dp-kind').value] || [];
    for (const field of ['column', 'keys', 'lower', 'upper', 'bins', 'decimals', 'probabilities', 'reference']) {
      $(`dp-${field}`).closest('label').hidden = !needs.includes(field);
    }
  }

  /** Whatever was typed goes into the spec: the engine says what is wrong with it. */
  setBudget(value) {
    this.dp()[this.budgetKey()] = Number.isFinite(value) ? value : 0;
    $('dp-epsilon-number').value = String(this.dp()[this.budgetKey()]);
    if (value > 0) $('dp-epsilon').value = String(Math.log10(value));
    this.refresh();
  }

  /** Adds a release only if the engine accepts it (its message otherwise). */
  async addQuery() {
    const kind = $('dp-kind').value;
    const q = { kind };
    const needs = NEEDS[kind];
    if (needs.includes('column')) q[kind === 'fairness' ? 'protected' : 'column'] = $('dp-column').value;
    const keys = $('dp-keys').value.split(',').map((s) => s.trim()).filter(Boolean);
    if (needs.includes('keys') && keys.length) q.keys = keys;
    for (const f of ['lower', 'upper', 'bins', 'decimals']) {
      if (needs.includes(f) && $(`dp-${f}`).value !== '') q[f] = Number($(`dp-${f}`).value);
    }
    const probabilities = $('dp-probabilities').value.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (needs.includes('probabilities') && probabilities.length) q.probabilities = probabilities;
    if (needs.includes('reference') && $('dp-reference').value.trim()) q.reference_group = $('dp-reference').value.trim();
    const candidate = structuredClone(this.ctx.getSpec());
    candidate.dp = { ...this.dp(), queries: [...this.dp().queries, q] };
    // A budget still being typed must not hide what is wrong with the release itself.
    if (!(candidate.dp[this.budgetKey()] > 0)) candidate.dp[this.budgetKey()] = 1;
    $('dp-add-error').textContent = '';
    try {
      await this.ctx.engine.dpPlan(candidate);
    } catch (error) {
      $('dp-add-error').textContent = `Not added: ${message(error)}`;
      return;
    }
    this.dp().queries.push(q);
    this.refresh();
  }

  /** Debounced: asks the engine for the public plan and shows each accuracy. */
  refresh() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.plan(), 120);
  }

  async plan() {
    const seq = ++this.seq;
    const dp = this.dp();
    let plan = null;
    let problem = '';
    try {
      plan = await this.ctx.engine.dpPlan(this.ctx.getSpec());
    } catch (error) {
      problem = message(error);
    }
    if (seq !== this.seq) return;
    $('dp-body').replaceChildren(...dp.queries.map((q, i) => this.row(q, i, plan, plan && plan.queries[i])));
    this.planOk = !problem;
    $('dp-epsilon-number').setAttribute('aria-invalid', String(/privacy budget/.test(problem)));
    const warnings = plan ? plan.warnings : [];
    $('dp-warning').textContent = warnings.join(' ');
    $('dp-warning').hidden = !warnings.length;
    $('dp-guarantee').textContent = problem ? `Cannot release yet: ${problem}` : plan.guarantee;
    await this.showLedger();
  }

  row(q, i, plan, qp) {
    const tr = document.createElement('tr');
    const cell = (text) => {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
      return td;
    };
    cell(qp ? qp.label : q.kind);
    cell(describeQuery(q));
    const weight = document.createElement('input');
    Object.assign(weight, { type: 'number', min: '1', step: '1', value: String(q.weight ?? 1), id: `dp-weight-${i}` });
    weight.setAttribute('aria-label', `Weight of release ${i + 1}`);
    weight.addEventListener('change', () => {
      this.dp().queries[i].weight = Math.max(1, Math.round(Number(weight.value) || 1));
      this.refresh();
    });
    cell('').append(weight);
    cell(qp ? `${qp.loss.rho !== undefined ? 'ρ' : 'ε'} = ${qp.loss.epsilon ?? qp.loss.rho}` : '');
    cell(qp ? plan.accuracy[i] : '').className = 'dp-accuracy';
    const remove = document.createElement('button');
    Object.assign(remove, { type: 'button', className: 'link', textContent: 'Remove' });
    remove.setAttribute('aria-label', `Remove release ${i + 1}`);
    remove.addEventListener('click', () => {
      this.dp().queries.splice(i, 1);
      this.refresh();
    });
    cell('').append(remove);
    return tr;
  }

  // ---- the ledger --------------------------------------------------------------

  /** The stored ledger's text (an empty ledger when none is stored). */
  async ledgerText() {
    return (await store.load()) || this.ctx.engine.ledger('empty');
  }

  /** Computes the file's SHA-256 (once per file) to find it in the ledger. */
  async findFile() {
    const file = this.ctx.file();
    if (!file || this.hashing === file) return;
    this.hashing = file;
    this.sha = null;
    $('dp-ledger-file').textContent = 'Computing the file\'s SHA-256 to find it in the ledger…';
    try {
      const sha = await this.ctx.fileHash();
      if (this.hashing === file) this.sha = sha;
    } catch (error) {
      this.hashing = null;
      $('dp-ledger-file').textContent = `The file's SHA-256 could not be computed: ${message(error)}`;
    }
    await this.showLedger();
  }

  /** The engine's view of this file in the ledger, for the current plan. */
  async showLedger() {
    const persistent = store.persistent() ? '' : ' This browser does not allow IndexedDB here: the ledger is kept for this tab only; export it before closing.';
    $('dp-ledger-where').textContent = `Kept in this browser for this page's origin.${persistent}`;
    this.view = null;
    if (this.sha && this.planOk) {
      try {
        this.view = await this.ctx.engine.ledger('view', { ledger: await this.ledgerText(), sha256: this.sha, spec: this.ctx.getSpec() });
      } catch (error) {
        $('dp-ledger-release').textContent = message(error);
      }
    }
    const v = this.view;
    if (v) {
      $('dp-ledger-file').textContent = `This file, ${v.file}: ${v.status}`;
      $('dp-ledger-release').textContent = v.release;
      $('dp-cap-measure').textContent = v.measure;
      if (document.activeElement !== $('dp-cap')) $('dp-cap').value = v.cap === null ? '' : String(v.cap);
      $('dp-ledger-body').replaceChildren(...v.rows.map((r) => {
        const tr = document.createElement('tr');
        for (const text of [r.released_at, r.loss, r.charged, r.guarantee, r.queries]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.append(td);
        }
        return tr;
      }));
    } else if (this.sha) {
      $('dp-ledger-release').textContent = this.planOk ? '' : 'Fix the settings above to see what this summary would cost.';
    }
    $('dp-cap-button').disabled = !this.sha;
    $('dp-release-button').disabled = !this.planOk || Boolean(v && !v.can_release);
  }

  async setCap() {
    $('dp-ledger-note').textContent = '';
    try {
      const ledger = await this.ctx.engine.ledger('cap', {
        ledger: await this.ledgerText(), sha256: this.sha, spec: this.ctx.getSpec(), cap: Number($('dp-cap').value) || 0,
      });
      await store.save(ledger);
    } catch (error) {
      $('dp-ledger-note').textContent = message(error);
    }
    await this.showLedger();
  }

  async exportLedger() {
    download(await this.ledgerText(), 'privaudit-dp-ledger.json');
  }

  async importLedger(file) {
    $('dp-ledger-note').textContent = '';
    try {
      const { ledger, notes } = await this.ctx.engine.ledger('merge', { ledger: await this.ledgerText(), imported: await file.text() });
      await store.save(ledger);
      $('dp-ledger-note').textContent = `Ledger imported: ${notes.join('; ')}.`;
    } catch (error) {
      $('dp-ledger-note').textContent = `Not imported: ${message(error)}`;
    }
    await this.showLedger();
  }

  /** After a release: the engine's ledger with it recorded. */
  async recorded(ledger) {
    if (ledger) await store.save(ledger);
  }

  /** Before a release (the run's own SHA-256): the ledger's text to check it against, or
   *  false when the user declines a further release of a file that already has some. A
   *  refusal (over the cap) is thrown with the engine's sentence. */
  async beforeRelease(sha256) {
    const text = await this.ledgerText();
    const view = await this.ctx.engine.ledger('view', { ledger: text, sha256, spec: { ...this.ctx.getSpec(), mode: 'dp' } });
    if (!view.can_release) throw { kind: 'dp', message: `${view.release} Nothing was released.` };
    if (view.rows.length && !window.confirm(`This file already has DP releases in the ledger: ${view.status} ${view.release}`
      + ' Releasing again spends more budget: the new noise does not replace the old, and together they reveal more. Release anyway?')) {
      return false;
    }
    return text;
  }
}
