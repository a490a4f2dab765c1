#!/usr/bin/env python3
"""Reference numbers for privaudit's correlations, quality by protected group and
representativeness (crate/quality/correlation*.rs, group_quality*.rs, representativeness.rs).

* Pearson and Spearman matrices: pandas DataFrame.corr(method="pearson" / "spearman"),
  pairwise complete (pandas' default), on the integer/float columns privaudit detects.
* Bias-corrected Cramer's V (Bergsma 2013): scipy.stats.chi2_contingency (no continuity
  correction) on the pandas crosstab of the rows where both values are known; only pairs of
  categorical columns with at most 50 distinct values (privaudit leaves wider ones out).
* Correlation ratio eta: math.fsum sums per level, rows where both are known.
* Missing cells per protected group (missing protected value = "(unknown)").
* scipy.stats.chisquare(f_obs, f_exp) of observed group counts against reference shares.

Missing tokens are privaudit's defaults (empty, NA, N/A, null, NaN, None, ?, -; trimmed,
case-insensitive). Pinned environment (Python 3.11+):

    python3 -m venv /tmp/venv-corr
    /tmp/venv-corr/bin/pip install pandas==2.3.3 scipy==1.16.3 numpy==2.3.5
    /tmp/venv-corr/bin/python scripts/reference/correlation.py --data ../shared/fairness-data

Writes tests/data/reference/correlation.json.
"""

import argparse
import json
import math
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, chisquare

MISSING = {"", "na", "n/a", "null", "nan", "none", "?", "-"}
MAX_LEVELS = 50

# The columns privaudit detects as integer/float and as categorical (checked by the test:
# the report's matrix must list exactly these).
DATASETS = {
    "compas": {
        "path": "compas/compas-scores-two-years.csv",
        "numeric": [
            "age", "juv_fel_count", "decile_score", "juv_misd_count", "juv_other_count", "priors_count",
            "days_b_screening_arrest", "c_days_from_compas", "is_recid", "r_days_from_arrest",
            "is_violent_recid", "decile_score.1", "v_decile_score", "priors_count.1", "start", "end",
            "event", "two_year_recid",
        ],
        "categorical": [
            "first", "last", "sex", "age_cat", "race", "c_charge_degree", "c_charge_desc", "r_charge_degree",
            "r_charge_desc", "violent_recid", "vr_charge_degree", "vr_charge_desc", "type_of_assessment",
            "score_text", "v_type_of_assessment", "v_score_text",
        ],
        "protected": ["sex", "race"],
        "shares": {
            "race": {"African-American": 0.13, "Caucasian": 0.6, "Hispanic": 0.18, "Asian": 0.06,
                     "Native American": 0.01},
        },
    },
    "aequitas_adult": {
        "path": "aequitas/adult_rf_binary.csv",
        "numeric": ["label_value", "score"],
        "categorical": ["education", "gender", "race"],
        "protected": ["gender", "race"],
        "shares": {"gender": {"Female": 0.33, "Male": 0.67}},
    },
}


def read(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.apply(lambda s: s.map(lambda v: None if v.strip().lower() in MISSING else v))


def num(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def cramers_v(a, b):
    ok = a.notna() & b.notna()
    a, b = a[ok], b[ok]
    n = len(a)
    if n == 0:
        return None, n
    table = pd.crosstab(a, b).to_numpy()
    r, k = table.shape
    if r < 2 or k < 2 or n < 2:
        return None, n
    chi2 = chi2_contingency(table, correction=False)[0]
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    rc = r - (r - 1) ** 2 / (n - 1)
    kc = k - (k - 1) ** 2 / (n - 1)
    d = min(rc - 1, kc - 1)
    if d <= 0:
        return None, n
    return min(1.0, math.sqrt(phi2 / d)), n


def eta(x, g):
    ok = x.notna() & g.notna()
    x, g = x[ok].astype(float), g[ok]
    n = len(x)
    groups = [x[g == lv].tolist() for lv in sorted(g.unique())]
    if len(groups) < 2 or n < 2:
        return None, n
    mean = math.fsum(x) / n
    ss_total = math.fsum((v - mean) ** 2 for v in x)
    if ss_total == 0:
        return None, n
    ss_between = math.fsum(len(gr) * (math.fsum(gr) / len(gr) - mean) ** 2 for gr in groups)
    return math.sqrt(min(1.0, max(0.0, ss_between / ss_total))), n


def dataset(root, cfg):
    df = read(root / cfg["path"])
    numeric = df[cfg["numeric"]].astype(float)
    pearson = numeric.corr(method="pearson")
    spearman = numeric.corr(method="spearman")
    pairs = []
    nn = cfg["numeric"]
    for i, a in enumerate(nn):
        for b in nn[i + 1:]:
            n = int((numeric[a].notna() & numeric[b].notna()).sum())
            pairs.append({"a": a, "b": b, "measure": "pearson", "value": num(pearson.loc[a, b]), "n": n})
            pairs.append({"a": a, "b": b, "measure": "spearman", "value": num(spearman.loc[a, b]), "n": n})
    cats = [c for c in cfg["categorical"] if df[c].dropna().nunique() <= MAX_LEVELS]
    for i, a in enumerate(cats):
        for b in cats[i + 1:]:
            v, n = cramers_v(df[a], df[b])
            pairs.append({"a": a, "b": b, "measure": "cramers_v_bias_corrected", "value": v, "n": n})
    for a in nn:
        for b in cats:
            v, n = eta(df[a], df[b])
            pairs.append({"a": a, "b": b, "measure": "correlation_ratio", "value": v, "n": n})
    groups = {}
    for p in cfg["protected"]:
        key = df[p].fillna("(unknown)")
        groups[p] = {
            "rows": {k: int(v) for k, v in key.value_counts().sort_index().items()},
            "missing": {
                c: {k: int(v) for k, v in df[c].isna().groupby(key).sum().sort_index().items()}
                for c in df.columns
                if c != p
            },
        }
    rep = {}
    for col, shares in cfg["shares"].items():
        known = df[col].dropna()
        counts = known.value_counts()
        n = len(known)
        cats_ = sorted(shares)
        obs = [int(counts.get(k, 0)) for k in cats_]
        exp = [shares[k] * n for k in cats_]
        rest = 1.0 - sum(shares.values())
        if rest > 1e-6:
            obs.append(int(n - sum(obs)))
            exp.append(rest * n)
            cats_ = cats_ + ["(other)"]
        stat, p_value = chisquare(np.array(obs, dtype=float), np.array(exp))
        rep[col] = {"shares": shares, "groups": cats_, "observed": obs, "expected": exp,
                    "statistic": float(stat), "df": len(obs) - 1, "p_value": float(p_value)}
    return {"rows": len(df), "numeric": nn, "categorical": cfg["categorical"], "pairs": pairs,
            "groups": groups, "representativeness": rep}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/fairness-data")
    ap.add_argument("--out", default="tests/data/reference/correlation.json")
    args = ap.parse_args()
    root = Path(args.data)
    out = {
        "versions": {k: version(k) for k in ("pandas", "scipy", "numpy")},
        "generator": "scripts/reference/correlation.py",
        "datasets": {name: dataset(root, cfg) for name, cfg in DATASETS.items()},
    }
    Path(args.out).write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
