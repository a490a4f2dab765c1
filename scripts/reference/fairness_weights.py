#!/usr/bin/env python3
"""Reference numbers for privaudit's weighted bias audit (`bias.weight`), from fairlearn's
MetricFrame with sample_params={"sample_weight": w} and its sample_weight disparities.

Writes (under tests/data/reference/):

* weights_synthetic.csv   a small deterministic table (groups a-d x F/M, label, decision,
                          a float weight column with 0, missing, negative, unparseable and
                          infinite weights, an integer weight column k in 0..3, a unit column);
* fairness_weights.json   per dataset and breakdown: per group n, Sum w, Kish n_eff
                          (Sum w)^2 / Sum w^2 (math.fsum), the weighted rates (fairlearn /
                          sklearn with sample_weight) and the Wilson interval on n_eff
                          (statsmodels proportion_confint with nobs = n_eff), and fairlearn's
                          demographic_parity_difference / ratio and equalized_odds_difference /
                          ratio with sample_weight.

Datasets: the synthetic table (weight = `weight`; rows with a missing, unparseable, negative or
infinite weight dropped, as privaudit does; weight-0 rows kept), and COMPAS (ProPublica's
7,214-row file; label two_year_recid, prediction decile_score >= 5, weight = age), when the
shared data folder is given.

Rebuild (from the repository root):

    python3 -m venv /tmp/venv-weights
    /tmp/venv-weights/bin/pip install fairlearn==0.15.0 pandas==2.3.3 scikit-learn==1.7.2 \
        scipy==1.16.3 numpy==2.3.5 statsmodels==0.14.5
    /tmp/venv-weights/bin/python scripts/reference/fairness_weights.py --data ../shared/fairness-data
"""

import argparse
import json
import math
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, precision_score
from statsmodels.stats.proportion import proportion_confint

import fairlearn.metrics as flm

warnings.filterwarnings("ignore")
SEP = " | "
OUT = Path("tests/data/reference")


def npv(y, p, sample_weight=None):
    return precision_score(1 - np.asarray(y), 1 - np.asarray(p), sample_weight=sample_weight, zero_division=np.nan)


def ppv(y, p, sample_weight=None):
    return precision_score(y, p, sample_weight=sample_weight, zero_division=np.nan)


METRICS = {
    "selection_rate": flm.selection_rate,
    "true_positive_rate": flm.true_positive_rate,
    "false_positive_rate": flm.false_positive_rate,
    "true_negative_rate": flm.true_negative_rate,
    "false_negative_rate": flm.false_negative_rate,
    "positive_predictive_value": ppv,
    "negative_predictive_value": npv,
    "accuracy": accuracy_score,
}
# Sub-population of each metric (Wilson's n_eff is taken over it).
SUBPOP = {
    "selection_rate": lambda d: d,
    "true_positive_rate": lambda d: d[d.label == 1],
    "false_positive_rate": lambda d: d[d.label == 0],
    "true_negative_rate": lambda d: d[d.label == 0],
    "false_negative_rate": lambda d: d[d.label == 1],
    "positive_predictive_value": lambda d: d[d.pred == 1],
    "negative_predictive_value": lambda d: d[d.pred == 0],
    "accuracy": lambda d: d,
}


def key_of(k):
    return SEP.join(str(x) for x in (k if isinstance(k, tuple) else (k,)))


def neff(w):
    s, q = math.fsum(w), math.fsum(x * x for x in w)
    return s, q, (s * s / q if q > 0 else 0.0)


def breakdown(d, attrs):
    sf = d[attrs] if len(attrs) > 1 else d[attrs[0]]
    w = d.w.to_numpy()
    mf = flm.MetricFrame(metrics=METRICS, y_true=d.label, y_pred=d.pred, sensitive_features=sf,
                         sample_params={m: {"sample_weight": w} for m in METRICS})
    groups = {}
    for k, row in mf.by_group.iterrows():
        key = k if isinstance(k, tuple) else (k,)
        g = d
        for a, v in zip(attrs, key):
            g = g[g[a] == v]
        s, _, n_eff = neff(g.w.tolist())
        rates = {}
        for m in METRICS:
            sub = SUBPOP[m](g)
            ss, _, ne = neff(sub.w.tolist())
            value = float(row[m])
            if ss == 0 or math.isnan(value):
                rates[m] = {"value": None, "wilson95": None, "effective_n": ne}
                continue
            lo, hi = proportion_confint(value * ne, ne, alpha=0.05, method="wilson")
            rates[m] = {"value": value, "wilson95": [float(lo), float(hi)], "effective_n": ne,
                        "denominator": ss}
        groups[key_of(k)] = {"n": int(len(g)), "weight": s, "effective_n": n_eff, "rates": rates}
    kw = dict(sensitive_features=sf, sample_weight=w)
    return {
        "attributes": attrs,
        "groups": groups,
        "demographic_parity_difference": flm.demographic_parity_difference(d.label, d.pred, **kw),
        "demographic_parity_ratio": flm.demographic_parity_ratio(d.label, d.pred, **kw),
        "equalized_odds_difference": flm.equalized_odds_difference(d.label, d.pred, **kw),
        "equalized_odds_ratio": flm.equalized_odds_ratio(d.label, d.pred, **kw),
        "equal_opportunity_difference": float(mf.difference()["true_positive_rate"]),
    }


def synthetic():
    rng = np.random.default_rng(20261203)
    n = 600
    group = rng.choice(["a", "b", "c", "d"], size=n, p=[0.4, 0.3, 0.2, 0.1])
    sex = rng.choice(["F", "M"], size=n)
    lift = {"a": 0.0, "b": 0.1, "c": -0.1, "d": 0.2}
    label = (rng.random(n) < 0.4 + np.array([lift[g] for g in group])).astype(int)
    pred = (rng.random(n) < 0.25 + 0.4 * label).astype(int)
    weight = [f"{x:.3f}" for x in rng.gamma(2.0, 0.7, size=n)]
    specials = ["0", "", "-1.5", "abc", "inf", "0"]
    for i, s in zip(range(7, n, 53), specials * 3):
        weight[i] = s
    k = rng.integers(0, 4, size=n)
    df = pd.DataFrame({"group": group, "sex": sex, "label": label, "decision": pred, "weight": weight,
                       "k": k, "one": 1})
    OUT.joinpath("weights_synthetic.csv").write_text(df.to_csv(index=False, lineterminator="\n"))
    w = pd.to_numeric(df.weight, errors="coerce")
    missing = int((df.weight == "").sum())
    ok = w.notna() & np.isfinite(w) & (w >= 0)
    d = pd.DataFrame({"group": group, "sex": sex, "label": label, "pred": pred, "w": w})[ok]
    return d, {"excluded_missing_weight": missing, "excluded_invalid_weight": int((~ok).sum()) - missing}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path)
    args = ap.parse_args()
    out = {
        "generator": "scripts/reference/fairness_weights.py",
        "versions": {p: version(p) for p in ["fairlearn", "pandas", "numpy", "scikit-learn", "statsmodels"]},
        "conventions": [
            "rate = Sum w(numerator rows) / Sum w(sub-population rows) (fairlearn sample_weight)",
            "Wilson 95 % interval with nobs = Kish n_eff = (Sum w)^2 / Sum w^2 of the sub-population, count = rate * n_eff",
            "rows with a missing, unparseable, negative or infinite weight are dropped; weight 0 rows kept",
        ],
        "datasets": {},
    }
    d, excluded = synthetic()
    out["datasets"]["synthetic"] = {
        "weight": "weight", **excluded,
        "breakdowns": [breakdown(d, a) for a in (["group"], ["sex"], ["group", "sex"])],
    }
    if args.data:
        raw = pd.read_csv(args.data / "compas" / "compas-scores-two-years.csv")
        c = pd.DataFrame({"race": raw["race"], "sex": raw["sex"], "label": raw["two_year_recid"].astype(int),
                          "pred": (raw["decile_score"] >= 5).astype(int), "w": raw["age"].astype(float)})
        out["datasets"]["compas"] = {
            "weight": "age", "excluded_missing_weight": 0, "excluded_invalid_weight": 0,
            "breakdowns": [breakdown(c, a) for a in (["race"], ["sex"], ["race", "sex"])],
        }
    OUT.joinpath("fairness_weights.json").write_text(json.dumps(out, indent=1, allow_nan=False) + "\n")


if __name__ == "__main__":
    main()
