#!/usr/bin/env python3
"""Reference numbers for privaudit's score-based bias metrics, from scikit-learn, numpy and scipy.

Writes under tests/data/reference/:

* scores_synthetic.csv  a small synthetic table: ties, an all-positive group (B), an all-negative
                        group (C), scores on calibration bin edges (D), rows of unknown group,
                        rows with a missing score or a missing label.
* scores.json           per dataset, breakdown and group: n, positives, negatives, unlabelled,
                        AUC (sklearn roc_auc_score), Hanley-McNeil and DeLong standard errors and
                        95 % intervals, calibration_curve(n_bins=10, strategy="uniform") with bin
                        counts, expected calibration error, brier_score_loss, np.histogram counts on
                        the sample's 20 bins, threshold sweep, np.median of every scored row and
                        the rows strictly above it (LL144 scoring rate).

Datasets: the synthetic table; COMPAS (compas-scores-two-years.csv, score decile_score 1-10,
label two_year_recid = 1, breakdowns race, sex, race x sex) and the same with decile_score / 10
so that calibration is defined. Rows with a missing score are left out; rows with a missing
label count only for n, the histogram and the median (as privaudit does).

Rebuild (from the repository root; pinned versions in requirements-fairness.txt):

    /tmp/fairness-ref/bin/python scripts/reference/scores.py --data ../shared/fairness-data
"""

import argparse
import json
import math
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, roc_auc_score

Z95 = stats.norm.isf(0.025)
SEP = " | "
SWEEP_POINTS = 101


def clean(x):
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return clean(x.tolist())
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return None if math.isnan(x) else x
    return x


def interval(a, se):
    return {"se": se, "ci95": [max(0.0, a - Z95 * se), min(1.0, a + Z95 * se)]}


def hanley_mcneil(a, p, n):
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    var = (a * (1 - a) + (p - 1) * (q1 - a * a) + (n - 1) * (q2 - a * a)) / (p * n)
    return interval(a, math.sqrt(max(var, 0.0)))


def delong(y, s):
    """Fast DeLong (Sun & Xu 2014) with midranks; independent of privaudit's bin walk."""
    pos, neg = s[y == 1], s[y == 0]
    m, n = len(pos), len(neg)
    tx, ty = stats.rankdata(pos), stats.rankdata(neg)
    tz = stats.rankdata(np.concatenate([pos, neg]))
    a = tz[:m].sum() / m / n - (m + 1) / 2 / n
    v01 = (tz[:m] - tx) / n
    v10 = 1 - (tz[m:] - ty) / m
    var = np.var(v01, ddof=1) / m + np.var(v10, ddof=1) / n
    return a, interval(roc_auc_score(y, s), math.sqrt(var))


def sweep(y, s, thresholds, strict):
    out = {"selection_rate": [], "true_positive_rate": [], "false_positive_rate": []}
    p, n = int((y == 1).sum()), int((y == 0).sum())
    for t in thresholds:
        sel = s > t if strict else s >= t
        ps, ns = int((sel & (y == 1)).sum()), int((sel & (y == 0)).sum())
        out["selection_rate"].append((ps + ns) / (p + n) if p + n else None)
        out["true_positive_rate"].append(ps / p if p else None)
        out["false_positive_rate"].append(ns / n if n else None)
    return out


def group_block(frame, ctx):
    s_all = frame["score"].to_numpy(dtype=float)
    lab = frame.dropna(subset=["label"])
    y, s = lab["label"].to_numpy(dtype=int), lab["score"].to_numpy(dtype=float)
    p, n = int((y == 1).sum()), int((y == 0).sum())
    out = {"n": len(frame), "positives": p, "negatives": n, "unlabelled": len(frame) - len(lab)}
    if p and n:
        a = roc_auc_score(y, s)
        out["auc"] = a
        out["hanley_mcneil"] = hanley_mcneil(a, p, n)
        if p >= 2 and n >= 2:
            a_mw, dl = delong(y, s)
            out["delong"] = dl
            out["auc_midrank"] = a_mw
    else:
        out["auc"] = None
    if ctx["probabilities"] and len(y):
        prob_true, prob_pred = calibration_curve(y, s, n_bins=10, strategy="uniform", pos_label=1)
        binids = np.searchsorted(np.linspace(0.0, 1.0, 11)[1:-1], s)
        total = np.bincount(binids, minlength=10)
        nz = total[total != 0]
        out["calibration"] = {"prob_true": prob_true, "prob_pred": prob_pred, "bin_total": total,
                              "ece": float(np.sum(nz / len(y) * np.abs(prob_true - prob_pred)))}
        out["brier"] = brier_score_loss(y, s, labels=[0, 1])
    out["histogram"] = np.histogram(s_all, bins=ctx["edges"])[0]
    out["above_median"] = int((s_all > ctx["median"]).sum())
    out["sweep"] = sweep(y, s, ctx["thresholds"], ctx["strict"])
    return out


def dataset(df, breakdowns, strict, note):
    """df: columns score (NaN = missing), label (NaN = missing), and the protected columns."""
    df = df.dropna(subset=["score"])
    s = df["score"].to_numpy(dtype=float)
    distinct = np.unique(s)
    lo, hi = float(s.min()), float(s.max())
    thresholds = distinct if len(distinct) <= SWEEP_POINTS else np.linspace(lo, hi, SWEEP_POINTS)
    ctx = {"probabilities": lo >= 0 and hi <= 1, "median": float(np.median(s)), "strict": strict,
           "edges": np.histogram_bin_edges(s, bins=20), "thresholds": thresholds}
    out = {"note": note, "rows_scored": len(df), "median": ctx["median"], "histogram_edges": ctx["edges"],
           "thresholds": thresholds, "probabilities": ctx["probabilities"],
           "overall": group_block(df, ctx), "breakdowns": {}}
    for cols in breakdowns:
        groups = {}
        for key, frame in df.groupby([df[c].fillna("(unknown)") for c in cols], sort=True):
            key = key if isinstance(key, tuple) else (key,)
            groups[SEP.join(key)] = group_block(frame, ctx)
        out["breakdowns"]["_x_".join(cols)] = groups
    return out


def synthetic():
    rng = np.random.RandomState(20261123)
    rows = []
    for i in range(300):  # A: two-decimal scores, many ties, labels ~ Bernoulli(score)
        sc = round(rng.uniform(), 2)
        rows.append(("A", "F" if i % 3 else "M", int(rng.uniform() < sc), f"{sc:.2f}"))
    for i in range(40):  # B: every label positive
        rows.append(("B", "F" if i % 2 else "M", 1, f"{round(rng.uniform(0.3, 1.0), 2):.2f}"))
    for i in range(30):  # C: every label negative
        rows.append(("C", "M", 0, f"{round(rng.uniform(0.0, 0.6), 2):.2f}"))
    edges = ["0", "0.1", "0.2", "0.3", "0.30000000000000004", "0.5", "0.7", "0.9", "1"]
    for i in range(100):  # D: scores on calibration bin edges
        rows.append(("D", "F" if i % 2 else "M", int(rng.uniform() < 0.4), edges[i % len(edges)]))
    for i in range(50):  # unknown group, three decimals (more than 101 distinct scores in all)
        sc = round(rng.uniform(), 3)
        rows.append(("", "F", int(rng.uniform() < sc), f"{sc:.3f}"))
    for i in range(10):  # missing score
        rows.append(("A", "M", i % 2, "NA" if i % 2 else ""))
    for i in range(15):  # missing label
        rows.append(("A" if i % 3 else "D", "F", "", f"{round(rng.uniform(), 2):.2f}"))
    order = rng.permutation(len(rows))
    lines = ["group,sex,label,score"] + [",".join(str(v) for v in rows[i]) for i in order]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/fairness-data", type=Path)
    ap.add_argument("--out", default="tests/data/reference", type=Path)
    args = ap.parse_args()
    csv = synthetic()
    (args.out / "scores_synthetic.csv").write_text(csv)
    syn = pd.read_csv(args.out / "scores_synthetic.csv", keep_default_na=False, dtype=str)
    # Python's float() parses correctly rounded; pandas.to_numeric reads 0.30000000000000004 as 0.3.
    num = lambda v: float(v) if v not in ("", "NA") else np.nan  # noqa: E731
    syn = pd.DataFrame({"group": syn["group"].replace("", np.nan), "sex": syn["sex"],
                        "label": syn["label"].map(num), "score": syn["score"].map(num)})
    raw = pd.read_csv(args.data / "compas" / "compas-scores-two-years.csv")
    compas = pd.DataFrame({"race": raw["race"], "sex": raw["sex"], "label": raw["two_year_recid"].astype(float),
                           "score": raw["decile_score"].astype(float)})
    bds = [["race"], ["sex"], ["race", "sex"]]
    out = {
        "versions": {n: version(n) for n in ["scikit-learn", "numpy", "pandas", "scipy"]},
        "datasets": {
            "synthetic": dataset(syn, [["group"], ["sex"], ["group", "sex"]], False,
                                 "scores_synthetic.csv: label 1 positive, score >= threshold"),
            "compas_decile": dataset(compas, bds, False, "COMPAS all 7,214 rows, score decile_score (1-10), "
                                     "label two_year_recid = 1, sweep score >= t"),
            "compas_decile_over_10": dataset(compas.assign(score=compas["score"] / 10), bds, True,
                                             "as compas_decile with score decile_score / 10, sweep score > t"),
        },
    }
    (args.out / "scores.json").write_text(json.dumps(clean(out), indent=1, sort_keys=True) + "\n")
    print("wrote", args.out / "scores.json", "and", args.out / "scores_synthetic.csv")


if __name__ == "__main__":
    main()
