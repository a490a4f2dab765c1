// The bias panel of the preview step: which columns are the protected attributes,
// the outcome (label) and the decision (a prediction column or a score with a
// threshold), and which value is the positive class — written into spec.bias.
// Protected attributes are the columns whose role is "protected" (set in the
// columns table). Value pickers offer the few distinct values the preview saw;
// this audit stays with the data owner, so that is safe here (the DP panel never
// does it).

const $ = (id) => document.getElementById(id);

function fillColumns(select, names, empty) {
  select.replaceChildren(...(empty ? [new Option(empty, '')] : []), ...names.map((n) => new Option(n, n)));
}

export class BiasPanel {
  /** ctx: {getSpec(), columns(): [{name, role, type, values}]} */
  constructor(ctx) {
    this.ctx = ctx;
    this.kind = null; // the decision kind the user chose, kept across renders
    $('bias-enabled').addEventListener('change', () => this.write());
    $('bias-decision-kind').addEventListener('change', () => { this.kind = $('bias-decision-kind').value; });
    for (const id of ['bias-label', 'bias-decision-kind', 'bias-prediction', 'bias-score', 'bias-reference', 'bias-ll144', 'bias-proxies']) {
      $(id).addEventListener('change', () => { this.write(); this.render(); });
    }
    for (const id of ['bias-positive-label', 'bias-positive-prediction', 'bias-threshold', 'bias-direction',
      'bias-favourable', 'bias-reference-group', 'bias-min-group', 'bias-intersections', 'bias-ll144-share',
      'bias-proxy-threshold', 'bias-weight', 'bias-metric-score']) {
      $(id).addEventListener('change', () => this.write());
    }
  }

  /** Forgets the user's choice of decision kind (another file or spec). */
  reset() {
    this.kind = null;
  }

  /** Fills the form from spec.bias (after every preview). */
  render() {
    const spec = this.ctx.getSpec();
    const b = spec.bias || {};
    const columns = this.ctx.columns();
    const names = columns.map((c) => c.name);
    const byRole = (role) => columns.filter((c) => c.role === role).map((c) => c.name);
    const protectedCols = b.protected && b.protected.length ? b.protected : byRole('protected');
    $('bias-protected').textContent = protectedCols.length
      ? protectedCols.join(', ')
      : 'none yet: give one or more columns the role "protected" in the table above';
    $('bias-enabled').checked = Boolean(spec.bias);
    fillColumns($('bias-label'), names, '(none: selection rates only)');
    $('bias-label').value = b.label ?? byRole('label')[0] ?? '';
    fillColumns($('bias-prediction'), names, '');
    $('bias-prediction').value = b.prediction ?? byRole('prediction')[0] ?? '';
    const numeric = columns.filter((c) => c.type === 'integer' || c.type === 'float').map((c) => c.name);
    fillColumns($('bias-score'), numeric, '');
    $('bias-score').value = b.score ?? byRole('score')[0] ?? '';
    fillColumns($('bias-metric-score'), numeric, byRole('score').length === 1 ? `the column with role score (${byRole('score')[0]})` : 'none');
    $('bias-metric-score').value = b.prediction !== undefined ? b.score ?? '' : '';
    const useScore = b.threshold !== undefined && b.threshold !== null;
    // The kind the user chose stands, whatever is filled in yet (a score picked before its
    // threshold is typed must not flip the form back); else what the spec says.
    const kind = this.kind || (useScore || (b.score && !b.prediction) ? 'score' : 'prediction');
    $('bias-decision-kind').value = kind;
    $('bias-prediction-fields').hidden = kind !== 'prediction';
    $('bias-score-fields').hidden = kind !== 'score';
    $('bias-positive-label').value = b.positive_label ?? '';
    $('bias-positive-prediction').value = b.positive_prediction ?? '';
    $('bias-threshold').value = useScore ? String(b.threshold) : '';
    $('bias-direction').value = b.score_direction ?? '>=';
    $('bias-favourable').checked = b.positive_is_favourable !== false;
    $('bias-reference').value = b.reference ?? 'largest';
    $('bias-reference-group').value = b.reference_group ?? '';
    $('bias-min-group').value = String(b.min_group_size ?? 30);
    $('bias-ll144').checked = b.ll144_exclude_below_share !== undefined && b.ll144_exclude_below_share !== null;
    $('bias-ll144-share').value = $('bias-ll144').checked ? String(b.ll144_exclude_below_share) : '';
    $('bias-ll144-share').closest('label').hidden = !$('bias-ll144').checked;
    $('bias-intersections').checked = b.intersections !== false;
    $('bias-proxies').checked = b.proxies !== false;
    $('bias-proxy-threshold').value = b.proxy_threshold ?? '';
    $('bias-proxy-threshold').closest('label').hidden = !$('bias-proxies').checked;
    const weighted = byRole('weight')[0];
    fillColumns($('bias-weight'), numeric, weighted ? `the column with role weight (${weighted})` : 'none: every row counts 1');
    $('bias-weight').value = b.weight ?? '';
    this.offerValues('bias-label-values', columns, $('bias-label').value);
    this.offerValues('bias-prediction-values', columns, $('bias-prediction').value);
  }

  offerValues(listId, columns, name) {
    const column = columns.find((c) => c.name === name);
    $(listId).replaceChildren(...((column && column.values) || []).map((v) => new Option(v, v)));
  }

  /** Writes the form into spec.bias (or removes it when the audit is off). */
  write() {
    const spec = this.ctx.getSpec();
    if (!$('bias-enabled').checked) {
      delete spec.bias;
      return;
    }
    const text = (id) => ($(id).value.trim() === '' ? undefined : $(id).value.trim());
    // Protected attributes are the columns with role "protected", unless a spec file named
    // them (bias.protected), which is kept.
    const named = spec.bias && spec.bias.protected;
    const b = named && named.length ? { protected: named } : {};
    const label = text('bias-label');
    if (label) {
      b.label = label;
      b.positive_label = $('bias-positive-label').value;
    }
    if ($('bias-decision-kind').value === 'score') {
      b.score = text('bias-score');
      const t = Number($('bias-threshold').value);
      if ($('bias-threshold').value !== '' && Number.isFinite(t)) b.threshold = t;
      if ($('bias-direction').value !== '>=') b.score_direction = $('bias-direction').value;
    } else {
      b.prediction = text('bias-prediction');
      b.positive_prediction = $('bias-positive-prediction').value;
      b.score = text('bias-metric-score');
    }
    // Defaults are left out, as in a spec written by hand: the page's spec is the CLI's.
    if (!$('bias-favourable').checked) b.positive_is_favourable = false;
    if ($('bias-reference').value !== 'largest') b.reference = $('bias-reference').value;
    const group = text('bias-reference-group');
    if (group) b.reference_group = group;
    const min = Math.round(Number($('bias-min-group').value));
    if (Number.isFinite(min) && min >= 0 && min !== 30) b.min_group_size = min;
    const number = (id) => ($(id).value.trim() === '' || !Number.isFinite(Number($(id).value)) ? undefined : Number($(id).value));
    if ($('bias-ll144').checked) b.ll144_exclude_below_share = number('bias-ll144-share') ?? 0.02;
    if (!$('bias-intersections').checked) b.intersections = false;
    if (!$('bias-proxies').checked) b.proxies = false;
    else b.proxy_threshold = number('bias-proxy-threshold');
    b.weight = text('bias-weight');
    for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
    spec.bias = b;
  }
}
