#!/usr/bin/env python3
"""Reference numbers for privaudit::fairness, from fairlearn, AIF360, Aequitas, scipy and statsmodels.

Writes three committed fixtures under tests/data/reference/:

* fairness_compas.json            COMPAS (ProPublica's unfiltered 7,214-row file): label two_year_recid,
                                  prediction decile_score >= 5, both orientations, breakdowns race, sex,
                                  race x sex.
* fairness_aequitas_samples.json  Aequitas' sample files (compas_for_aequitas, adult_rf_binary, nyc_sqf).
* fairness_stats.json             special functions, intervals and tests on grids (scipy, statsmodels).

Every breakdown records the per-group confusion counts, so the Rust tests feed counts to
privaudit::fairness and compare each number. Library versions are recorded in every file.

Rebuild (from the repository root; needs the fairness-data folder of the shared workspace):

    python3 -m venv /tmp/fairness-ref
    /tmp/fairness-ref/bin/pip install -r scripts/reference/requirements-fairness.txt
    /tmp/fairness-ref/bin/python scripts/reference/fairness.py --data ../shared/fairness-data
"""

import argparse
import json
import math
import warnings
from importlib.metadata import version
from pathlib import Path

import mpmath as mp
import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import erfc
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

import fairlearn.metrics as flm
from aif360.datasets import BinaryLabelDataset
from aif360.algorithms.preprocessing import Reweighing
from aif360.metrics import ClassificationMetric
from aequitas.bias import Bias
from aequitas.fairness import Fairness
from aequitas.group import Group

warnings.filterwarnings("ignore")

Z95 = stats.norm.isf(0.025)
SEP = " | "

# Conventions where a library's definition differs from privaudit's; tests skip or adapt these.
CONVENTION_DIFFERENCES = [
    "fairlearn: TPR/FPR/TNR/FNR of a group whose denominator is 0 are 0 (sklearn confusion_matrix(normalize='true')); "
    "privaudit: undefined, and the group is left out of max/min with a note.",
    "fairlearn difference/ratio include such 0-valued groups; privaudit excludes undefined groups, so its "
    "between-groups numbers differ exactly where a group has 0/0.",
    "AIF360: 0/0 is NaN and x/0 is inf or NaN; privaudit: undefined (null).",
    "Aequitas: *_disparity with a zero reference rate is 10.0; privaudit: ratio undefined (null).",
    "Aequitas: *_significance columns test other sub-populations (fpr on predicted positives); privaudit tests "
    "each metric on its own sub-population (Fisher / pooled z) and does not reproduce them.",
    "Aequitas ppr (share of all predicted positives) is not a per-group rate in privaudit.",
    "scipy fisher_exact counts tables with probability <= observed*(1+1e-14); privaudit uses 1+1e-7 (R); "
    "identical except for near-ties.",
    "statsmodels confint_proportions_2indep(method='log-adjusted') adds 0.5 to counts and nobs; privaudit's Katz "
    "interval adds 0.5 to every cell (n + 1) and only when a count is 0; fixtures use method='log' (no correction).",
    "fairlearn's precision via sklearn precision_score with zero_division=nan is undefined as in privaudit.",
]

METRICS = {  # privaudit / fairlearn name -> (numerator cells, denominator cells)
    "base_rate": (("tp", "fn"), ("tp", "fp", "tn", "fn")),
    "selection_rate": (("tp", "fp"), ("tp", "fp", "tn", "fn")),
    "true_positive_rate": (("tp",), ("tp", "fn")),
    "false_positive_rate": (("fp",), ("fp", "tn")),
    "true_negative_rate": (("tn",), ("fp", "tn")),
    "false_negative_rate": (("fn",), ("tp", "fn")),
    "positive_predictive_value": (("tp",), ("tp", "fp")),
    "negative_predictive_value": (("tn",), ("tn", "fn")),
    "false_discovery_rate": (("fp",), ("tp", "fp")),
    "false_omission_rate": (("fn",), ("tn", "fn")),
    "accuracy": (("tp", "tn"), ("tp", "fp", "tn", "fn")),
}
COMPARED = [m for m in METRICS if m != "base_rate"]


def clean(x):
    """JSON-safe: numpy scalars to Python, NaN to None, +-inf to strings."""
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return clean(x.tolist())
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        x = float(x)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    return x


def counts_of(frame):
    y, p = frame["label"].to_numpy(), frame["pred"].to_numpy()
    return {
        "tp": int(((y == 1) & (p == 1)).sum()),
        "fp": int(((y == 0) & (p == 1)).sum()),
        "tn": int(((y == 0) & (p == 0)).sum()),
        "fn": int(((y == 1) & (p == 0)).sum()),
    }


def rate(c, metric):
    num, den = METRICS[metric]
    return sum(c[k] for k in num), sum(c[k] for k in den)


def fairlearn_block(df, cols):
    y, p = df["label"], df["pred"]
    sf = df[cols] if len(cols) > 1 else df[cols[0]]
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, precision_score

    metrics = {
        "count": flm.count,
        "selection_rate": flm.selection_rate,
        "true_positive_rate": flm.true_positive_rate,
        "false_positive_rate": flm.false_positive_rate,
        "true_negative_rate": flm.true_negative_rate,
        "false_negative_rate": flm.false_negative_rate,
        "accuracy": accuracy_score,
        "balanced_accuracy": balanced_accuracy_score,
        "positive_predictive_value": lambda a, b: precision_score(a, b, zero_division=np.nan),
    }
    mf = flm.MetricFrame(metrics=metrics, y_true=y, y_pred=p, sensitive_features=sf)
    by_group = {}
    for idx, row in mf.by_group.iterrows():
        key = SEP.join(idx) if isinstance(idx, tuple) else str(idx)
        by_group[key] = {k: row[k] for k in metrics}
    out = {
        "by_group": by_group,
        "overall": dict(mf.overall),
        "difference_between_groups": dict(mf.difference(method="between_groups")),
        "ratio_between_groups": dict(mf.ratio(method="between_groups")),
        "difference_to_overall": dict(mf.difference(method="to_overall")),
        "ratio_to_overall": dict(mf.ratio(method="to_overall")),
    }
    for name in [
        "demographic_parity_difference",
        "demographic_parity_ratio",
        "equalized_odds_difference",
        "equalized_odds_ratio",
        "equal_opportunity_difference",
        "equal_opportunity_ratio",
    ]:
        out[name] = getattr(flm, name)(y, p, sensitive_features=sf)
    return out


def aif360_block(df, cols, groups, ref, favourable):
    """Every group (unprivileged) vs ref (privileged); favourable = label value AIF360 treats as favourable."""
    codes = {c: {v: i for i, v in enumerate(sorted(df[c].unique()))} for c in cols}
    num = pd.DataFrame({c: df[c].map(codes[c]) for c in cols})
    num["label"] = df["label"].astype(float)
    pred = num.copy()
    pred["label"] = df["pred"].astype(float)
    kw = dict(favorable_label=float(favourable), unfavorable_label=float(1 - favourable), label_names=["label"],
              protected_attribute_names=list(cols))
    ds_true = BinaryLabelDataset(df=num, **kw)
    ds_pred = BinaryLabelDataset(df=pred, **kw)

    def as_dict(key):
        return [{c: codes[c][v] for c, v in zip(cols, key.split(SEP))}]

    out = {"reference": ref, "favorable_label": favourable, "groups": {}}
    for g in groups:
        if g == ref:
            continue
        cm = ClassificationMetric(ds_true, ds_pred, unprivileged_groups=as_dict(g), privileged_groups=as_dict(ref))
        row = {}
        for name in [
            "statistical_parity_difference", "disparate_impact", "equal_opportunity_difference",
            "average_odds_difference", "average_abs_odds_difference", "equalized_odds_difference",
            "average_predictive_value_difference", "error_rate_difference", "error_rate_ratio",
            "true_positive_rate_difference", "false_positive_rate_difference", "false_positive_rate_ratio",
            "false_negative_rate_difference", "false_negative_rate_ratio", "false_discovery_rate_difference",
            "false_discovery_rate_ratio", "false_omission_rate_difference", "false_omission_rate_ratio",
        ]:
            row[name] = getattr(cm, name)()
        per = {}
        for name in ["base_rate", "selection_rate", "true_positive_rate", "false_positive_rate", "true_negative_rate",
                     "false_negative_rate", "positive_predictive_value", "negative_predictive_value",
                     "false_discovery_rate", "false_omission_rate", "accuracy"]:
            per[name] = getattr(cm, name)(privileged=False)
        row["group_metrics"] = per
        rw = Reweighing(unprivileged_groups=as_dict(g), privileged_groups=as_dict(ref)).fit(ds_true)
        row["reweighing"] = {"privileged_favorable": rw.w_p_fav, "privileged_unfavorable": rw.w_p_unfav,
                             "unprivileged_favorable": rw.w_up_fav, "unprivileged_unfavorable": rw.w_up_unfav}
        out["groups"][g] = row
    return out


def aequitas_block(df, cols, ref):
    col = "group" if len(cols) > 1 else cols[0]
    a = pd.DataFrame({"score": df["pred"].astype(float), "label_value": df["label"].astype(int)})
    a[col] = df[cols].astype(str).agg(SEP.join, axis=1) if len(cols) > 1 else df[cols[0]].astype(str)
    xtab, _ = Group().get_crosstabs(a, attr_cols=[col])
    b = Bias()
    pre = b.get_disparity_predefined_groups(xtab, original_df=a, ref_groups_dict={col: ref}, check_significance=False)
    major = b.get_disparity_major_group(xtab, original_df=a, check_significance=False)
    minm = b.get_disparity_min_metric(xtab, original_df=a, check_significance=False)
    fair = Fairness().get_group_value_fairness(pre)
    absolute = ["tpr", "tnr", "for", "fdr", "fpr", "fnr", "npv", "precision", "ppr", "pprev", "prev"]
    disp = [m + "_disparity" for m in absolute]
    out = {"reference": ref, "crosstab": {}, "predefined": {}, "major_group": {}, "min_metric": {}, "parity": {}}
    for frame, key, fields in [(xtab, "crosstab", ["tp", "fp", "tn", "fn", "group_size"] + absolute),
                               (pre, "predefined", disp), (major, "major_group", disp + [m + "_ref_group_value" for m in absolute]),
                               (minm, "min_metric", disp + [m + "_ref_group_value" for m in absolute])]:
        for _, r in frame.iterrows():
            out[key][r["attribute_value"]] = {f: r[f] for f in fields if f in r}
    pcols = [c for c in fair.columns if c.endswith(" Parity")]
    for _, r in fair.iterrows():
        out["parity"][r["attribute_value"]] = {c: r[c] for c in pcols}
    return out


def stats_block(groups, ref):
    """scipy / statsmodels numbers for each group vs ref, per metric on its own sub-population."""
    out = {}
    for m in COMPARED:
        rows, chosen = {}, []
        x2, n2 = rate(groups[ref], m)
        for g, c in groups.items():
            if g == ref:
                continue
            x1, n1 = rate(c, m)
            r = {"x1": x1, "n1": n1, "x2": x2, "n2": n2}
            if n1 > 0 and n2 > 0:
                r["fisher_p"] = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])[1]
                zs, zp = proportions_ztest([x1, x2], [n1, n2]) if 0 < x1 + x2 < n1 + n2 else (0.0, 1.0)
                r["z"], r["z_p"] = zs, zp
                r["newcombe"] = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
                if x1 > 0 and x2 > 0:
                    r["katz_log"] = confint_proportions_2indep(x1, n1, x2, n2, method="log", compare="ratio")
                s, f = x1 + x2, n1 + n2 - x1 - x2
                min_exp = min(n1 * s, n1 * f, n2 * s, n2 * f) / (n1 + n2)
                r["chosen"] = "fisher_exact" if min_exp < 5 else "two_proportion_z"
                chosen.append((g, r["fisher_p"] if min_exp < 5 else r["z_p"]))
            rows[g] = r
        if chosen:
            adj = multipletests([p for _, p in chosen], method="holm")[1]
            for (g, _), a in zip(chosen, adj):
                rows[g]["holm"] = a
        out[m] = rows
    wilson = {}
    for g, c in groups.items():
        wilson[g] = {}
        for m in METRICS:
            x, n = rate(c, m)
            wilson[g][m] = proportion_confint(x, n, alpha=0.05, method="wilson") if n > 0 else None
    return {"vs_reference": out, "wilson": wilson}


def breakdown(df, cols, ref, favourable):
    df = df.copy()
    key = df[cols].astype(str).agg(SEP.join, axis=1)
    groups = {g: counts_of(df[key == g]) for g in sorted(key.unique())}
    block = {
        "attributes": cols,
        "reference": ref,
        "groups": [{"group": g.split(SEP), **c} for g, c in groups.items()],
        "overall": counts_of(df),
        "fairlearn": fairlearn_block(df, cols),
        "aequitas": aequitas_block(df, cols, ref),
        "stats": stats_block(groups, ref),
        "aif360": aif360_block(df, cols, list(groups), ref, favourable),
    }
    return block


def versions():
    names = ["fairlearn", "aif360", "aequitas", "scipy", "statsmodels", "scikit-learn", "pandas", "numpy", "mpmath"]
    return {n: version(n) for n in names}


def dataset_block(df, breakdowns, favourable, note):
    return {
        "note": note,
        "rows": len(df),
        "breakdowns": {"_x_".join(cols): breakdown(df, cols, ref, favourable) for cols, ref in breakdowns},
    }


def compas(data):
    raw = pd.read_csv(data / "compas" / "compas-scores-two-years.csv")
    base = pd.DataFrame({"race": raw["race"], "sex": raw["sex"], "label": raw["two_year_recid"].astype(int),
                         "pred": (raw["decile_score"] >= 5).astype(int)})
    bds = [(["race"], "Caucasian"), (["sex"], "Male"), (["race", "sex"], "Caucasian | Male")]
    flipped = base.assign(label=1 - base["label"], pred=1 - base["pred"])
    return {
        "versions": versions(),
        "convention_differences": CONVENTION_DIFFERENCES,
        "source": "compas/compas-scores-two-years.csv (propublica/compas-analysis), all 7,214 rows",
        "datasets": {
            "compas_recid": dataset_block(base, bds, 1, "positive = two_year_recid 1, predicted positive = decile_score >= 5"),
            "compas_favourable0": dataset_block(flipped, bds, 1,
                                                "positive (favourable) = two_year_recid 0, predicted positive = decile_score < 5"),
        },
    }


def aequitas_samples(data):
    out = {"versions": versions(), "convention_differences": CONVENTION_DIFFERENCES, "datasets": {}}
    a = pd.read_csv(data / "aequitas" / "compas_for_aequitas.csv")
    a = pd.DataFrame({"race": a["race"], "sex": a["sex"], "label": a["label_value"].astype(int), "pred": a["score"].astype(int)})
    out["datasets"]["compas_for_aequitas"] = dataset_block(a, [(["race"], "Caucasian"), (["sex"], "Male")], 1, "score, label_value")
    d = pd.read_csv(data / "aequitas" / "adult_rf_binary.csv")
    d = pd.DataFrame({"race": d["race"], "gender": d["gender"], "label": d["label_value"].astype(int), "pred": d["score"].astype(int)})
    out["datasets"]["adult_rf_binary"] = dataset_block(d, [(["race"], "White"), (["gender"], "Male"), (["race", "gender"], "White | Male")], 1, "score, label_value")
    s = pd.read_csv(data / "aequitas" / "nyc_sqf_for_aequitas.csv")
    s = s.dropna(subset=["label_value"])
    s = pd.DataFrame({"race": s["race"], "sex": s["sex"], "label": s["label_value"].astype(int), "pred": s["score"].astype(int)})
    out["datasets"]["nyc_sqf"] = dataset_block(s, [(["race"], "WHITE")], 1, "rows with an empty label_value dropped (13); every score is 1")
    return out


def special():
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.075, 0.1, 0.2, 0.3, 0.425, 0.5, 0.6, 0.8,
          0.9, 0.925, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10]
    xs = [0.0, 1e-8, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0, 1.01, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0,
          10.0, 15.0, 20.0, 26.0, -0.5, -1.5, -3.0]
    zs = [0.0, 0.5, 1.0, 1.959963984540054, 2.5, 3.0, 5.0, 8.0, 10.0, 13.0, 20.0, 30.0, 37.0, -1.0, -4.0]
    tables = [(3, 4, 1, 4), (0, 10, 5, 10), (1, 20, 9, 21), (7, 12, 2, 15), (10, 10, 0, 10), (5, 8, 3, 8),
              (45, 120, 60, 118), (2, 1000, 12, 900), (300, 1000, 350, 1000), (0, 3, 0, 5), (3, 3, 5, 5),
              (50, 100, 50, 100), (17, 40, 23, 40), (805, 1795, 349, 1488), (1, 2, 1, 2), (9, 9, 1, 8),
              (5000, 10000, 5100, 10000), (120, 20000, 160, 20000)]
    wilson_cases = [(0, 1), (1, 1), (0, 20), (1, 20), (10, 20), (19, 20), (20, 20), (3, 7), (123, 4567), (1, 1000000)]
    fisher, z, newcombe, katz = [], [], [], []
    for x1, n1, x2, n2 in tables:
        fisher.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "p": stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])[1]})
        if 0 < x1 + x2 < n1 + n2:
            zs_, zp = proportions_ztest([x1, x2], [n1, n2])
            z.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": zs_, "p": zp})
        newcombe.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2,
                         "ci": confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")})
        if x1 > 0 and x2 > 0:
            katz.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2,
                         "ci": confint_proportions_2indep(x1, n1, x2, n2, method="log", compare="ratio")})
    holm_cases = [[0.01, 0.04, 0.03, 0.005], [0.2, 0.01, 0.03, 0.5, 0.001], [0.04, 0.04, 0.04], [1e-40, 0.7]]
    mp.mp.dps = 60  # mpmath: the exact value (to double precision) of each special function

    def exact_sf(z):
        return mp.erfc(mp.mpf(z) / mp.sqrt(2)) / 2

    def exact_ppf(p):
        return float(mp.findroot(lambda x: exact_sf(-x) - mp.mpf(p), stats.norm.ppf(p)))

    return {
        "versions": versions(),
        "z95": Z95,
        "z95_exact": exact_ppf(0.975),
        "normal_quantile": [{"p": p, "x": stats.norm.ppf(p), "exact": exact_ppf(p)} for p in ps],
        "erfc": [{"x": x, "y": erfc(x), "exact": float(mp.erfc(mp.mpf(x)))} for x in xs],
        "normal_sf": [{"z": v, "y": stats.norm.sf(v), "logsf": stats.norm.logsf(v), "exact": float(exact_sf(v)),
                       "exact_log": float(mp.log(exact_sf(v)))} for v in zs],
        "wilson": [{"x": x, "n": n, "ci": proportion_confint(x, n, alpha=0.05, method="wilson")} for x, n in wilson_cases],
        "fisher_exact": fisher,
        "two_proportion_z": z,
        "newcombe": newcombe,
        "katz_log": katz,
        "holm": [{"p": c, "adjusted": multipletests(c, method="holm")[1]} for c in holm_cases],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/fairness-data", type=Path)
    ap.add_argument("--out", default="tests/data/reference", type=Path)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, block in [("fairness_stats.json", special()), ("fairness_compas.json", compas(args.data)),
                        ("fairness_aequitas_samples.json", aequitas_samples(args.data))]:
        (args.out / name).write_text(json.dumps(clean(block), indent=1, sort_keys=True) + "\n")
        print("wrote", args.out / name)


if __name__ == "__main__":
    main()
