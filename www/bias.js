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
    $('bias-enabled').addEventListener('change', () => this.write());
    for (const id of ['bias-label', 'bias-decision-kind', 'bias-prediction', 'bias-score', 'bias-reference']) {
      $(id).addEventListener('change', () => { this.write(); this.render(); });
    }
    for (const id of ['bias-positive-label', 'bias-positive-prediction', 'bias-threshold', 'bias-direction',
      'bias-favourable', 'bias-reference-group', 'bias-min-group', 'bias-ll144', 'bias-intersections']) {
      $(id).addEventListener('change', () => this.write());
    }
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
    const useScore = b.threshold !== undefined && b.threshold !== null;
    if (document.activeElement !== $('bias-decision-kind')) $('bias-decision-kind').value = useScore ? 'score' : 'prediction';
    const kind = $('bias-decision-kind').value;
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
    $('bias-intersections').checked = b.intersections !== false;
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
    const b = {};
    const label = text('bias-label');
    if (label) {
      b.label = label;
      b.positive_label = $('bias-positive-label').value;
    }
    if ($('bias-decision-kind').value === 'score') {
      b.score = text('bias-score');
      const t = Number($('bias-threshold').value);
      if ($('bias-threshold').value !== '' && Number.isFinite(t)) b.threshold = t;
      b.score_direction = $('bias-direction').value;
    } else {
      b.prediction = text('bias-prediction');
      b.positive_prediction = $('bias-positive-prediction').value;
    }
    b.positive_is_favourable = $('bias-favourable').checked;
    b.reference = $('bias-reference').value;
    const group = text('bias-reference-group');
    if (group) b.reference_group = group;
    const min = Math.round(Number($('bias-min-group').value));
    if (Number.isFinite(min) && min >= 0) b.min_group_size = min;
    if ($('bias-ll144').checked) b.ll144_exclude_below_share = 0.02;
    b.intersections = $('bias-intersections').checked;
    for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
    spec.bias = b;
  }
}
