// The DP panel of the preview step: the budget, the releases (queries) with the
// accuracy each would have, and the release button. Accuracies come from the
// engine's public plan (dp_plan): they depend only on ε, the weights, the
// declared keys and bounds — never on the file — so they update live and spend
// nothing. Keys, groups and bounds are typed by the user: the page never
// suggests them from the data (that would leak it).

const KINDS = ['count', 'histogram', 'mean', 'sum', 'quantiles', 'categories', 'fairness'];
const NEEDS = {
  count: [],
  histogram: ['column', 'keys'],
  mean: ['column', 'lower', 'upper'],
  sum: ['column', 'lower', 'upper'],
  quantiles: ['column', 'lower', 'upper', 'bins'],
  categories: ['column'],
  fairness: ['column', 'keys'],
};

const $ = (id) => document.getElementById(id);

/** "3/8" or "2" → number. */
function rational(text) {
  const [n, d = '1'] = String(text).split('/');
  return Number(n) / Number(d);
}

function formatEpsilon(x) {
  return x >= 1 ? x.toFixed(2).replace(/\.?0+$/, '') : x.toPrecision(2);
}

function describeQuery(q) {
  const parts = [];
  if (q.column) parts.push(`column ${q.column}`);
  if (q.protected) parts.push(`by ${q.protected}`);
  if (q.keys) parts.push(`keys ${q.keys.join(', ')}`);
  if (q.lower !== undefined && q.upper !== undefined) parts.push(`bounds [${q.lower}, ${q.upper}]`);
  if (q.bins) parts.push(`${q.bins} bins`);
  return parts.join('; ') || 'all rows';
}

function describeAccuracy(plan) {
  return plan.components.map((c) => {
    const tail = c.threshold ? ` (values kept when their noisy count ≥ ${c.threshold})` : '';
    return `${c.what}: ±${c.half_width}${tail}`;
  }).join('; ');
}

export class DpPanel {
  /** ctx: {engine, getSpec(), setSpec(spec), columns(), onRelease()} */
  constructor(ctx) {
    this.ctx = ctx;
    this.seq = 0;
    this.timer = 0;
    $('dp-kind').replaceChildren(...KINDS.map((k) => new Option(k, k)));
    $('dp-kind').addEventListener('change', () => this.showFields());
    $('dp-epsilon').addEventListener('input', () => this.setEpsilon(10 ** Number($('dp-epsilon').value)));
    $('dp-epsilon-number').addEventListener('change', () => this.setEpsilon(Number($('dp-epsilon-number').value)));
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
    $('dp-release-button').addEventListener('click', () => this.ctx.onRelease());
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
    const value = dp[this.budgetKey()] ?? 1;
    delete dp.epsilon;
    delete dp.rho;
    if (measure === 'zcdp') dp.measure = 'zcdp';
    else delete dp.measure;
    // Same noise scale for a count: ε-DP Laplace ≈ ρ = ε²/2 zCDP, and back.
    dp[this.budgetKey()] = Number((measure === 'zcdp' ? value * value / 2 : Math.sqrt(2 * value)).toPrecision(2));
    this.render();
  }

  /** Re-renders from the spec (after every preview). */
  render() {
    const dp = this.dp();
    const key = this.budgetKey();
    const budget = dp[key] ?? 1;
    $('dp-budget-label').textContent = key === 'rho'
      ? 'Total privacy budget ρ (zCDP; smaller: more private, noisier)'
      : 'Total privacy budget ε (smaller: more private, noisier)';
    $('dp-epsilon').value = String(Math.log10(budget));
    $('dp-epsilon-number').value = String(budget);
    $('dp-measure').value = dp.measure === 'zcdp' ? 'zcdp' : 'pure';
    const columns = this.ctx.columns();
    $('dp-person').replaceChildren(new Option('one row (no person column)', ''), ...columns.map((c) => new Option(`all rows with the same ${c}`, c)));
    $('dp-person').value = dp.person_column && columns.includes(dp.person_column) ? dp.person_column : '';
    $('dp-max-rows').value = String(dp.max_rows_per_person ?? 1);
    $('dp-max-rows').disabled = !dp.person_column;
    $('dp-min-count').value = String(dp.min_noisy_count ?? 0);
    $('dp-column').replaceChildren(...columns.map((c) => new Option(c, c)));
    this.showFields();
    this.refresh();
  }

  showFields() {
    const needs = NEEDS[$('dp-kind').value] || [];
    for (const field of ['column', 'keys', 'lower', 'upper', 'bins']) {
      $(`dp-${field}`).closest('label').hidden = !needs.includes(field);
    }
  }

  setEpsilon(eps) {
    if (!(eps > 0) || !Number.isFinite(eps)) return;
    const rounded = Number(eps.toPrecision(2));
    this.dp()[this.budgetKey()] = rounded;
    $('dp-epsilon-number').value = String(rounded);
    $('dp-epsilon').value = String(Math.log10(rounded));
    this.refresh();
  }

  addQuery() {
    const kind = $('dp-kind').value;
    const q = { kind };
    const needs = NEEDS[kind];
    if (needs.includes('column')) q[kind === 'fairness' ? 'protected' : 'column'] = $('dp-column').value;
    if (needs.includes('keys')) {
      q.keys = $('dp-keys').value.split(',').map((s) => s.trim()).filter(Boolean);
    }
    for (const f of ['lower', 'upper', 'bins']) {
      if (needs.includes(f) && $(`dp-${f}`).value !== '') q[f] = Number($(`dp-${f}`).value);
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
    const body = $('dp-body');
    let plan = null;
    let problem = '';
    try {
      plan = await this.ctx.engine.dpPlan(this.ctx.getSpec());
    } catch (error) {
      problem = error && error.message ? error.message : String(error);
    }
    if (seq !== this.seq) return;
    body.replaceChildren(...dp.queries.map((q, i) => this.row(q, i, plan && plan.queries[i])));
    $('dp-release-button').disabled = Boolean(problem);
    $('dp-guarantee').textContent = problem
      ? `Cannot release yet: ${problem}`
      : `The whole summary is (ε = ${formatEpsilon(plan.epsilon)}, δ = ${plan.delta ? plan.delta.toExponential(2) : 0})-differentially private`
        + ` for ${plan.max_rows_per_person === 1 ? 'one row = one person' : `at most ${plan.max_rows_per_person} rows per person`};`
        + ` accuracies hold with ${Math.round((1 - plan.alpha) * 100)} % probability per value.`;
  }

  row(q, i, plan) {
    const tr = document.createElement('tr');
    const cell = (text) => {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
      return td;
    };
    cell(plan ? plan.label : q.kind);
    cell(describeQuery(q));
    const weight = document.createElement('input');
    Object.assign(weight, { type: 'number', min: '1', step: '1', value: String(q.weight ?? 1), id: `dp-weight-${i}` });
    weight.setAttribute('aria-label', `Weight of release ${i + 1}`);
    weight.addEventListener('change', () => {
      const w = Math.max(1, Math.round(Number(weight.value) || 1));
      this.dp().queries[i].weight = w;
      this.refresh();
    });
    cell('').append(weight);
    cell(plan ? `${plan.loss.rho !== undefined ? 'ρ' : 'ε'} = ${formatEpsilon(rational(plan.loss.epsilon ?? plan.loss.rho))}` : '');
    const accuracy = cell(plan ? describeAccuracy(plan) : '');
    accuracy.className = 'dp-accuracy';
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
}
