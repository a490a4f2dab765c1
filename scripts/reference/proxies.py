#!/usr/bin/env python3
"""Reference numbers for privaudit's proxy detection (crate/fairness/proxy_stats.rs).

For each (protected attribute, column): bias-corrected Cramer's V (Bergsma 2013) for
categorical columns, from scipy.stats.chi2_contingency (no continuity correction) on the
pandas crosstab, each side capped at 50 levels (the 49 most frequent, ties by value, and
"(other)"); the correlation ratio eta for numeric columns, with math.fsum sums. Rows with a
missing protected value or column value are left out. Missing tokens are privaudit's
defaults (empty, NA, N/A, null, NaN, None, ?, -; trimmed, case-insensitive).

Intersections (race x sex): the protected level is the row's values joined by U+001F, a row
with any value missing left out; named "race × sex"; the same caps apply.

Writes tests/data/reference/proxies.json (COMPAS and a synthetic table) and the synthetic
table tests/data/reference/proxy_synthetic.csv. Same pinned environment as fairness.py:

    /tmp/fairness-ref/bin/python scripts/reference/proxies.py --data ../shared/fairness-data
"""

import argparse
import json
import math
import random
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency

MISSING = {"", "na", "n/a", "null", "nan", "none", "?", "-"}
MAX_LEVELS = 50


def read(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.apply(lambda s: s.map(lambda v: None if v.strip().lower() in MISSING else v))


def cap(margin):
    if len(margin) <= MAX_LEVELS:
        return {k: k for k in margin.index}
    order = sorted(margin.items(), key=lambda kv: (-kv[1], kv[0]))
    keep = {k for k, _ in order[: MAX_LEVELS - 1]}
    return {k: (k if k in keep else "(other)") for k in margin.index}


def cramers_v(p, c):
    ok = p.notna() & c.notna()
    p, c = p[ok], c[ok]
    n = len(p)
    if n == 0:
        return None, n
    p = p.map(cap(p.value_counts()))
    c = c.map(cap(c.value_counts()))
    table = pd.crosstab(p, c).to_numpy()
    r, k = table.shape
    if r < 2 or k < 2:
        return None, n
    chi2 = chi2_contingency(table, correction=False)[0]
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    rc = r - (r - 1) ** 2 / (n - 1)
    kc = k - (k - 1) ** 2 / (n - 1)
    d = min(rc - 1, kc - 1)
    return (math.sqrt(phi2 / d) if d > 0 else None), n


def eta(p, x):
    x = pd.to_numeric(x, errors="coerce")
    ok = p.notna() & x.notna() & np.isfinite(x)
    p, x = p[ok], x[ok].astype(float)
    n = len(x)
    if n < 2 or p.nunique() < 2:
        return None, n
    mean = math.fsum(x) / n
    ss_t = math.fsum((v - mean) ** 2 for v in x)
    ss_b = math.fsum(len(g) * (math.fsum(g) / len(g) - mean) ** 2 for _, g in x.groupby(p))
    return (math.sqrt(ss_b / ss_t) if ss_t > 0 else None), n


def protected_level(df, attrs):
    if isinstance(attrs, str):
        return attrs, df[attrs]
    known = df[attrs].notna().all(axis=1)
    joined = df[attrs].fillna("").agg("\x1f".join, axis=1)
    return " × ".join(attrs), joined.where(known, None)


def associations(df, protected, categorical, numeric):
    out = []
    for attrs in protected:
        a, p = protected_level(df, attrs)
        for col in categorical:
            v, n = cramers_v(p, df[col])
            out.append({"protected": a, "column": col, "measure": "cramers_v_bias_corrected", "value": v, "n": n})
        for col in numeric:
            v, n = eta(p, df[col])
            out.append({"protected": a, "column": col, "measure": "correlation_ratio", "value": v, "n": n})
    return out


def synthetic(path):
    """3,000 rows: a protected `group` (some missing), an 80-level proxy of it (pooling),
    a weakly related boolean, a strong and a weak numeric proxy (some missing), noise, and a
    random decision (the prediction of the audit, not a proxy candidate)."""
    rng = random.Random(20240611)
    rows = ["group,region,member,income,height,noise_level,decision\n"]
    for i in range(3000):
        g = rng.choice(["A", "B", "C", "C"]) if i % 97 else ""
        base = {"A": 0, "B": 30, "C": 55, "": 10}[g]
        region = f"r{(base + int(rng.gauss(0, 6))) % 80:02d}"
        member = "true" if rng.random() < (0.6 if g == "A" else 0.45) else "false"
        income = "" if i % 31 == 0 else f"{30000 + 9000 * {'A': 0, 'B': 1, 'C': 2, '': 1}[g] + rng.gauss(0, 8000):.2f}"
        height = f"{170 + rng.gauss(0, 9) + (2 if g == 'B' else 0):.1f}"
        noise = rng.randint(0, 9)
        decision = "approve" if rng.random() < 0.5 else "deny"
        rows.append(f"{g},{region},{member},{income},{height},{noise},{decision}\n")
    path.write_text("".join(rows))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/fairness-data")
    ap.add_argument("--out", default="tests/data/reference")
    args = ap.parse_args()
    out = Path(args.out)
    syn = out / "proxy_synthetic.csv"
    synthetic(syn)
    result = {
        "versions": {m: version(m) for m in ["numpy", "scipy", "pandas"]},
        "max_levels": MAX_LEVELS,
        "datasets": {
            "synthetic": associations(read(syn), ["group"], ["region", "member"], ["income", "height", "noise_level"]),
            # group x member as an intersection (member then protected, not a candidate).
            "synthetic_intersection": associations(read(syn), ["group", "member", ["group", "member"]], ["region"],
                                                   ["income", "height", "noise_level"]),
        },
    }
    compas = Path(args.data) / "compas" / "compas-scores-two-years.csv"
    if compas.exists():
        categorical = ["first", "last", "age_cat", "c_charge_degree", "c_charge_desc", "r_charge_degree",
                       "r_charge_desc", "vr_charge_degree", "vr_charge_desc", "score_text", "v_score_text"]
        numeric = ["age", "juv_fel_count", "juv_misd_count", "juv_other_count", "priors_count",
                   "days_b_screening_arrest", "c_days_from_compas", "is_recid", "r_days_from_arrest",
                   "is_violent_recid", "decile_score.1", "v_decile_score", "priors_count.1", "start", "end", "event"]
        result["datasets"]["compas"] = associations(read(compas), ["race", "sex", ["race", "sex"]], categorical, numeric)
    (out / "proxies.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
