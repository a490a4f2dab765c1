#!/usr/bin/env python3
"""Reference numbers for the numeric column profile (privaudit::quality::profile), from pandas/numpy.

Writes tests/data/reference/profile.json: for every column of each real dataset below whose
present values all parse as numbers, the statistics pandas and numpy give:

    count, sum, mean, std (ddof 1), skew (Series.skew), kurt (Series.kurt), min, max, zeros,
    negatives, the quantiles p01 p05 p25 p50 p75 p95 p99 (numpy.quantile, method "linear") and
    the two order statistics each quantile interpolates (for the bound of sketch estimates),
    numpy.histogram counts and edges with privaudit's bin rule (integer edges of width w when
    every value is an integer: w = 1 up to 20 integers, else the smallest whole width giving
    at most 20 bins; otherwise 20 equal-width bins), and outlier counts: Tukey fences
    (x < Q1 - 1.5 IQR or x > Q3 + 1.5 IQR, numpy "linear" quartiles) and robust z
    (|x - m| / (1.4826 MAD) > 3.5, m = numpy.quantile(x, 0.5), MAD = numpy.quantile(|x - m|, 0.5);
    null when MAD = 0; also scipy.stats.median_abs_deviation), the occurrences of the median
    ((s == s.median()).sum()) and the mode: pandas value_counts().iloc[0] and its share when it
    holds more than half of the values (then it is the median), else share_at_most 0.5.

For every column whose present values are all ISO 8601 dates (YYYY-MM-DD) or date-times
(YYYY-MM-DD HH:MM:SS, read as UTC), it also writes (under "dates"): the count, nunique, min and
max of the parsed values (pandas.to_datetime) and the mode, value_counts().iloc[0] of the parsed
values, with its share.

For every column it also writes (under "missing") the missing values by kind, as privaudit
names them: 'token "na"' for each default token (compared stripped of ASCII white space and
lower-cased; 'token "" (empty field)' for the empty one) and 'field absent (short row)' for
fields pandas fills in short rows; only the kinds seen.

The CSV is read as privaudit reads it: every field as text, surrounding spaces trimmed, and the
default missing tokens of privaudit ("", NA, N/A, null, NULL, NaN, None, ?, -; compared
case-insensitively) taken as missing; a column is numeric when every other value parses as a
finite number. Columns are matched by position (pandas renames a repeated header `x` to
`x.1`). tests/profile_reference.rs compares only columns privaudit types as integer or
float, and first checks that the counts agree (the same values were read).

Rebuild (from the repository root; needs the fairness-data folder of the shared workspace):

    python3 -m venv /tmp/venv-mad
    /tmp/venv-mad/bin/pip install pandas==2.3.3 numpy==2.3.5 scipy==1.16.3
    /tmp/venv-mad/bin/python scripts/reference/profile.py --data ../shared/fairness-data
"""

import argparse
import json
import math
import re
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.stats

DATASETS = ["compas/compas-scores-two-years.csv", "aequitas/adult_rf_binary.csv"]
MISSING = {"", "na", "n/a", "null", "nan", "none", "?", "-"}
PROBS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def num(x):
    """A JSON-safe float: None for NaN."""
    x = float(x)
    return None if math.isnan(x) else x


def numeric_values(raw):
    """The values of a text column as floats, or None when some present value is not a number."""
    out = []
    for v in raw:
        v = v.strip()
        if v.lower() in MISSING:
            continue
        try:
            x = float(v)
        except ValueError:
            return None
        if not math.isfinite(x):
            return None
        out.append(x)
    return out if out else None


def profile(values):
    s = pd.Series(values, dtype="float64")
    a = s.to_numpy()
    return {
        "count": int(s.count()),
        "sum": num(math.fsum(values)),
        "mean": num(s.mean()),
        "std": num(s.std(ddof=1)),
        "skew": num(s.skew()),
        "kurt": num(s.kurt()),
        "min": num(s.min()),
        "max": num(s.max()),
        "zeros": int((a == 0).sum()),
        "negatives": int((a < 0).sum()),
        "quantiles": [[q, num(np.quantile(a, q, method="linear"))] for q in PROBS],
        # the order statistics numpy interpolates, x[floor(h)] and x[floor(h) + 1], h = (n-1)q
        # (the bound of privaudit's sketch estimates is relative to the larger magnitude)
        "neighbours": [neighbours(np.sort(a), q) for q in PROBS],
        "histogram": histogram(a),
        "outliers": outliers(a),
        "at_median": int((s == s.median()).sum()),
        "mode": mode(s),
    }


def mode(s):
    """pandas' most frequent value's count and share when it holds more than half the values."""
    vc = s.value_counts()
    top = int(vc.iloc[0])
    if 2 * top > len(s):
        assert vc.index[0] == s.median()
        return {"count": top, "share": top / len(s)}
    return {"share_at_most": 0.5}


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$")


def date_values(raw):
    """("date" | "datetime", the present values) when every present value is one ISO form."""
    vals = [v.strip() for v in raw if v.strip().lower() not in MISSING]
    for kind, pattern in (("date", DATE), ("datetime", DATETIME)):
        if vals and all(pattern.match(v) for v in vals):
            return kind, vals
    return None


def date_profile(kind, vals):
    t = pd.Series(pd.to_datetime(vals, format="ISO8601", utc=True))
    fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%dT%H:%M:%SZ"
    top = int(t.value_counts().iloc[0])
    return {
        "kind": kind,
        "count": int(t.count()),
        "distinct": int(t.nunique()),
        "min": t.min().strftime(fmt),
        "max": t.max().strftime(fmt),
        "mode": {"count": top, "share": top / int(t.count())},
    }


ASCII_WS = " \t\n\r\x0b\x0c"


def missing_by_token(raw):
    """{kind: count} of one column read as text (a NaN is a field absent from a short row)."""
    out = {}
    for v in raw:
        if not isinstance(v, str):
            what = "field absent (short row)"
        else:
            t = v.strip(ASCII_WS).lower()
            if t not in MISSING:
                continue
            what = 'token "" (empty field)' if t == "" else f'token "{t}"'
        out[what] = out.get(what, 0) + 1
    return out


def histogram(a):
    lo, hi = a.min(), a.max()
    integral = bool(np.all(a == np.floor(a)))
    if integral:
        # Integer edges: w integers per bin, w = 1 up to 20 integers, else the smallest
        # whole width giving at most 20 bins.
        w = max(1.0, math.ceil((hi - lo + 1) / 20))
        k = math.ceil((hi - lo + 1) / w)
        bins = np.arange(lo, lo + k * w + 1, w)
    else:
        bins = 20
    counts, edges = np.histogram(a, bins=bins)
    return {"counts": [int(c) for c in counts], "edges": [float(e) for e in edges]}


def outliers(a):
    q1, q3 = np.quantile(a, 0.25, method="linear"), np.quantile(a, 0.75, method="linear")
    iqr = q3 - q1
    low, high = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    out = {"iqr": {"low_fence": float(low), "high_fence": float(high), "count": int(((a < low) | (a > high)).sum())}}
    m = np.quantile(a, 0.5, method="linear")
    d = np.abs(a - m)
    mad = np.quantile(d, 0.5, method="linear")
    assert mad == scipy.stats.median_abs_deviation(a, scale=1.0)
    if mad > 0:
        out["robust_z"] = {"median": float(m), "mad": float(mad), "count": int((d / (1.4826 * mad) > 3.5).sum())}
    else:
        out["robust_z"] = None
    return out


def neighbours(v, q):
    h = (len(v) - 1) * q
    lo = int(math.floor(h))
    return [num(v[lo]), num(v[min(lo + 1, len(v) - 1)])]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/fairness-data")
    ap.add_argument("--out", default="tests/data/reference/profile.json")
    args = ap.parse_args()
    files = {}
    for rel in DATASETS:
        df = pd.read_csv(Path(args.data) / rel, dtype=str, keep_default_na=False, na_filter=False)
        cols, dates = [], []
        for i, c in enumerate(df.columns):
            vals = numeric_values(df.iloc[:, i])
            if vals is not None:
                cols.append({"index": i, "name": c, **profile(vals)})
            elif (d := date_values(df.iloc[:, i])) is not None:
                dates.append({"index": i, "name": c, **date_profile(*d)})
        missing = [{"index": i, "name": c, "by_token": missing_by_token(df.iloc[:, i])} for i, c in enumerate(df.columns)]
        files[rel] = {"rows": len(df), "columns": cols, "dates": dates, "missing": missing}
    out = {
        "generator": "scripts/reference/profile.py",
        "versions": {"pandas": version("pandas"), "numpy": version("numpy"), "scipy": version("scipy")},
        "conventions": [
            "pandas skew/kurt zero m2, m3 (and the kurtosis numerator and denominator) below 1e-14; "
            "privaudit computes them exactly and does not (same values for these datasets).",
        ],
        "files": files,
    }
    Path(args.out).write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
