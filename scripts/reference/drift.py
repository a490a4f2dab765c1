"""Reference numbers for the drift comparison (tests/drift.rs).

Pinned: evidently 0.7.11 (its legacy stattests and default test choice), pandas 2.3.3
(evidently 0.7.11 does not import under pandas 3), numpy 2.4.6, scipy 1.17.1.

    python3 -m venv /tmp/drift-ref
    /tmp/drift-ref/bin/pip install evidently==0.7.11 pandas==2.3.3
    /tmp/drift-ref/bin/python scripts/reference/drift.py

Writes the synthetic pairs tests/data/reference/drift_{small,large}_{ref,cur}.csv and the
fixture tests/data/reference/drift.json. With ../shared/fairness-data present it also
adds COMPAS split by sex (reference = Male rows, current = Female rows; and a small variant
whose reference is the first 900 Male rows). The split is made on raw lines (field 6,
`sex`), exactly as the Rust test does, so both read the same bytes.

Per column: Evidently's default test (registry._get_default_stattest) and its p-value or
distance with its drift verdict, computed by Evidently itself; the raw statistics from
scipy; PSI with privaudit's convention (10 reference-decile bins at probabilities i/10,
numpy linear, unique edges, a value on an edge in the lower bin — np.searchsorted side
"left"; categories per value; empty shares floored at 1e-4), which is not Evidently's PSI.
Dates are compared as days since 1970 (numeric), as privaudit does.
"""

import json
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

from evidently.legacy.calculations.stattests.registry import get_stattest
from evidently.legacy.core import ColumnType

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "reference")


def synthetic(rng, n, shifted, new_category):
    age = np.round(rng.normal(43 if shifted else 40, 10, n)).astype(int)
    income = np.round(rng.lognormal(10, 0.5, n) * (1.05 if shifted else 1.0), 2)
    probs = [0.25, 0.25, 0.3, 0.2] if shifted else [0.4, 0.3, 0.2, 0.1]
    region = rng.choice(["A", "B", "C", "D"], n, p=probs).astype(object)
    if new_category:
        region[rng.random(n) < 0.01] = "E"
    flag = np.where(rng.random(n) < (0.45 if shifted else 0.4), "yes", "no")
    grade = rng.choice([1, 2, 3, 4], n, p=[0.1, 0.2, 0.3, 0.4])
    days = rng.integers(19723 + (30 if shifted else 0), 19723 + 365 + (30 if shifted else 0), n)
    when = pd.to_datetime(days, unit="D").strftime("%Y-%m-%d")
    score = np.round(rng.random(n), 4)
    ids = [f"r{'c' if shifted else 'r'}{i:06d}" for i in range(n)]
    return pd.DataFrame(
        {"id": ids, "age": age, "income": income, "region": region, "flag": flag, "grade": grade, "when": when, "score": score}
    )


def write(df, name):
    path = os.path.join(OUT, name)
    df.to_csv(path, index=False, lineterminator="\n")
    return path


def psi(r, c):
    r = np.where(r == 0, 1e-4, r)
    c = np.where(c == 0, 1e-4, c)
    return float(np.sum((c - r) * np.log(c / r)))


def column_stats(ref, cur, numeric):
    out = {"n_ref": int(len(ref)), "n_cur": int(len(cur))}
    distinct = int(pd.concat([ref, cur]).nunique())
    out["distinct"] = distinct
    ftype = ColumnType.Numerical if numeric else ColumnType.Categorical
    test = get_stattest(ref, cur, ftype, None)
    value, drifted = test.func(ref, cur, ftype, test.default_threshold)
    out["method"] = {"ks": "ks", "chisquare": "chi_square", "z": "z_test", "wasserstein": "wasserstein_normed", "jensenshannon": "jensen_shannon"}[test.name]
    out["value"] = float(value)
    out["threshold"] = float(test.default_threshold)
    out["drifted"] = bool(drifted)
    raw = {}
    keys = sorted(pd.concat([ref, cur]).unique())
    rc = np.array([(ref == k).sum() for k in keys], dtype=float)
    cc = np.array([(cur == k).sum() for k in keys], dtype=float)
    if numeric:
        ks = stats.ks_2samp(ref.values, cur.values)
        raw["ks_statistic"] = float(ks.statistic)
        raw["ks_p_value"] = float(ks.pvalue)
        raw["wasserstein"] = float(stats.wasserstein_distance(ref.values, cur.values))
        raw["reference_std"] = float(np.std(ref.values))
        raw["wasserstein_normed"] = raw["wasserstein"] / max(raw["reference_std"], 0.001)
        edges = np.unique(np.quantile(ref.values.astype(float), [i / 10 for i in range(1, 10)]))
        rb = np.bincount(np.searchsorted(edges, ref.values, side="left"), minlength=len(edges) + 1)
        cb = np.bincount(np.searchsorted(edges, cur.values, side="left"), minlength=len(edges) + 1)
        out["psi"] = psi(rb / len(ref), cb / len(cur))
        raw["psi_bins"] = int(len(edges) + 1)
    else:
        out["psi"] = psi(rc / len(ref), cc / len(cur))
        raw["psi_bins"] = len(keys)
    if not numeric or distinct <= 5:
        if len(keys) >= 2:
            with np.errstate(divide="ignore", invalid="ignore"):
                chi = stats.chisquare(cc, rc * len(cur) / len(ref))
            raw["chi_square_p_value"] = float(chi.pvalue)
            if np.isfinite(chi.statistic):
                raw["chi_square"] = float(chi.statistic)
        raw["jensen_shannon"] = float(distance.jensenshannon(rc / len(ref), cc / len(cur)))
    out["raw"] = raw
    return out


def compare(ref_df, cur_df, columns):
    """columns: name -> "numeric" | "categorical" | "date" (numeric, not counted)."""
    result = {"reference_rows": len(ref_df), "current_rows": len(cur_df), "columns": {}}
    counted = drifted = 0
    for name, kind in columns.items():
        ref, cur = ref_df[name], cur_df[name]
        if kind == "date":
            ref = (pd.to_datetime(ref) - pd.Timestamp("1970-01-01")).dt.days
            cur = (pd.to_datetime(cur) - pd.Timestamp("1970-01-01")).dt.days
        ref = ref.replace([np.inf, -np.inf], np.nan).dropna()
        cur = cur.replace([np.inf, -np.inf], np.nan).dropna()
        c = column_stats(ref, cur, kind != "categorical")
        result["columns"][name] = c
        if kind != "date":
            counted += 1
            drifted += c["drifted"]
    result["counted"] = counted
    result["drifted"] = drifted
    result["share"] = drifted / counted
    result["dataset_drift"] = drifted / counted >= 0.5
    return result


def main():
    rng = np.random.default_rng(20240611)
    cases = {}
    syn_cols = {"age": "numeric", "income": "numeric", "region": "categorical", "flag": "categorical", "grade": "numeric", "when": "date", "score": "numeric"}
    for size, (n_ref, n_cur, new) in {"small": (600, 10_500, True), "large": (3000, 2500, False)}.items():
        ref = synthetic(rng, n_ref, False, False)
        cur = synthetic(rng, n_cur, True, new)
        write(ref, f"drift_{size}_ref.csv")
        write(cur, f"drift_{size}_cur.csv")
        ref = pd.read_csv(os.path.join(OUT, f"drift_{size}_ref.csv"))
        cur = pd.read_csv(os.path.join(OUT, f"drift_{size}_cur.csv"))
        cases[f"synthetic_{size}"] = compare(ref, cur, syn_cols)
    compas = os.path.join(ROOT, "..", "shared", "fairness-data", "compas", "compas-scores-two-years.csv")
    if os.path.exists(compas):
        with open(compas, newline="") as f:
            lines = f.read().split("\n")
        header, rows = lines[0], [l for l in lines[1:] if l]
        male = [l for l in rows if l.split(",")[5] == "Male"]
        female = [l for l in rows if l.split(",")[5] == "Female"]
        cols = {"age": "numeric", "priors_count": "numeric", "decile_score": "numeric", "juv_fel_count": "numeric", "race": "categorical", "c_charge_degree": "categorical", "age_cat": "categorical", "two_year_recid": "numeric"}
        import io

        read = lambda ls: pd.read_csv(io.StringIO("\n".join([header] + ls) + "\n"), keep_default_na=False, na_values=[""])
        cur = read(female)
        cases["compas_by_sex"] = compare(read(male), cur, cols)
        cases["compas_by_sex_small"] = compare(read(male[:900]), cur, cols)
    else:
        print("notice: ../shared/fairness-data not found; COMPAS cases skipped", file=sys.stderr)
    versions = {"evidently": "0.7.11", "pandas": pd.__version__, "numpy": np.__version__, "scipy": __import__("scipy").__version__}
    with open(os.path.join(OUT, "drift.json"), "w") as f:
        json.dump({"versions": versions, "cases": cases}, f, indent=1, sort_keys=True, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
