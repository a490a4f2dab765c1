#!/usr/bin/env python3
"""Run time of the bias metrics privaudit computes, with fairlearn, for comparison.

Reads a CSV with pandas, thresholds the score, and computes fairlearn MetricFrames of
selection rate, TPR, FPR, TNR, FNR, PPV, NPV, accuracy and balanced accuracy by each
protected attribute and by their intersection, plus the between-group differences and
ratios. Prints the seconds spent reading and computing, and peak memory (ru_maxrss).

    /tmp/fairness-ref/bin/python scripts/bench.d/fairlearn_bias.py loans.csv \
        --protected sex,race --label repaid --positive 1 --score model_score --threshold 0.5

Environment: scripts/reference/requirements-fairness.txt (fairlearn 0.15.0, pandas 2.3.3).
"""

import argparse
import json
import resource
import time

import pandas as pd
from fairlearn.metrics import (MetricFrame, count, false_negative_rate, false_positive_rate, selection_rate,
                               true_negative_rate, true_positive_rate)
from sklearn.metrics import accuracy_score, balanced_accuracy_score, precision_score


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--protected", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--positive", required=True)
    ap.add_argument("--score", required=True)
    ap.add_argument("--threshold", type=float, required=True)
    a = ap.parse_args()
    protected = a.protected.split(",")
    t0 = time.perf_counter()
    df = pd.read_csv(a.csv, usecols=protected + [a.label, a.score], dtype={p: "string" for p in protected})
    t1 = time.perf_counter()
    df = df.dropna(subset=[a.label, a.score])
    y = (df[a.label].astype(str) == a.positive).astype(int)
    pred = (df[a.score] >= a.threshold).astype(int)
    metrics = {
        "n": count,
        "selection_rate": selection_rate,
        "true_positive_rate": true_positive_rate,
        "false_positive_rate": false_positive_rate,
        "true_negative_rate": true_negative_rate,
        "false_negative_rate": false_negative_rate,
        "positive_predictive_value": lambda yt, yp: precision_score(yt, yp, zero_division=0),
        "accuracy": accuracy_score,
        "balanced_accuracy": balanced_accuracy_score,
    }
    groups = [[p] for p in protected] + ([protected] if len(protected) > 1 else [])
    sizes = []
    for g in groups:
        sf = df[g].fillna("(unknown)")
        mf = MetricFrame(metrics=metrics, y_true=y, y_pred=pred, sensitive_features=sf)
        mf.difference()
        mf.ratio()
        sizes.append(len(mf.by_group))
    t2 = time.perf_counter()
    print(json.dumps({
        "rows": int(len(df)),
        "read_seconds": round(t1 - t0, 2),
        "metrics_seconds": round(t2 - t1, 2),
        "total_seconds": round(t2 - t0, 2),
        "groups_per_breakdown": sizes,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
