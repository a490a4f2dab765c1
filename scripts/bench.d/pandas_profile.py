#!/usr/bin/env python3
"""Run time of privaudit's column profile and dataset checks done with pandas + scipy, for
comparison with `privaudit profile` on the same file (a benchmark, not a test).

Per column: count, missing, distinct; numbers: mean, std (ddof 1), skew, kurtosis, min,
max, sum, zeros, negatives, p01 p05 p25 p50 p75 p95 p99 (numpy linear), a 20-bin
histogram, IQR (Tukey) and robust-z (MAD) outlier counts; strings: top 10 values, lengths,
leading/trailing whitespace, case-inconsistent values, numeric-looking values. Dataset:
duplicated rows, Pearson and Spearman matrices of the numeric columns. Prints seconds for
reading and for computing, and the peak memory (ru_maxrss).

    python3 -m venv /tmp/venv-bench
    /tmp/venv-bench/bin/pip install pandas==2.3.3 numpy==2.3.5 scipy==1.16.3
    /tmp/venv-bench/bin/python scripts/bench.d/pandas_profile.py bench-out/bench-1G.csv
"""

import argparse
import json
import resource
import time

import numpy as np
import pandas as pd

QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def numeric(s):
    x = s.dropna().to_numpy(dtype=float)
    x = x[np.isfinite(x)]
    q = np.quantile(x, QUANTILES) if len(x) else []
    q1, med, q3 = (q[2], q[3], q[4]) if len(x) else (np.nan,) * 3
    iqr = q3 - q1
    mad = np.median(np.abs(x - med)) if len(x) else np.nan
    robust = np.abs(x - med) / (1.4826 * mad) > 3.5 if mad and mad > 0 else np.zeros(len(x), bool)
    return {
        "mean": s.mean(), "std": s.std(), "skew": s.skew(), "kurt": s.kurt(), "min": s.min(), "max": s.max(),
        "sum": s.sum(), "zeros": int((s == 0).sum()), "negatives": int((s < 0).sum()),
        "quantiles": list(q), "histogram": np.histogram(x, bins=20)[0].tolist() if len(x) else [],
        "iqr_outliers": int(((x < q1 - 1.5 * iqr) | (x > q3 + 1.5 * iqr)).sum()) if len(x) else 0,
        "mad_outliers": int(robust.sum()),
    }


def text(s):
    v = s.dropna().astype(str)
    lengths = v.str.len()
    lower = v.str.strip().str.lower()
    per_lower = pd.DataFrame({"v": v, "l": lower}).drop_duplicates().groupby("l")["v"].nunique()
    return {
        "top": v.value_counts().head(10).to_dict(),
        "length": [lengths.min(), lengths.mean(), lengths.max()] if len(v) else None,
        "whitespace": int((v.str.strip() != v).sum()),
        "case_inconsistent_groups": int((per_lower > 1).sum()),
        "numeric_looking": int(pd.to_numeric(v, errors="coerce").notna().sum()),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    args = ap.parse_args()
    t0 = time.perf_counter()
    df = pd.read_csv(args.csv, low_memory=False)
    t1 = time.perf_counter()
    out = {"rows": len(df), "columns": {}}
    for name in df.columns:
        s = df[name]
        col = {"count": int(s.count()), "missing": int(s.isna().sum()), "distinct": int(s.nunique())}
        col.update(numeric(s) if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) else text(s))
        out["columns"][name] = col
    out["duplicated_rows"] = int(df.duplicated().sum())
    num = df.select_dtypes("number")
    out["pearson"] = num.corr().round(6).values.tolist()
    out["spearman"] = num.corr(method="spearman").round(6).values.tolist()
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = pd.io.common.file_exists(args.csv) and __import__("os").path.getsize(args.csv)
    print(json.dumps({
        "file": args.csv, "bytes": size, "rows": out["rows"], "read_s": round(t1 - t0, 2),
        "compute_s": round(t2 - t1, 2), "total_s": round(t2 - t0, 2),
        "mb_per_s": round(size / 1e6 / (t2 - t0), 1), "peak_rss_mib": round(peak, 1),
        "pandas": pd.__version__, "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
