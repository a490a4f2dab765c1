#!/usr/bin/env python3
"""polars as a benchmark peer of `privaudit audit --spec` (scripts/bench-bias; never a
runtime dependency of privaudit).

With POLARS_MAX_THREADS = N (default 2; set before polars is imported), times:
  1. `pl.read_csv(path, infer_schema_length=10000, try_parse_dates=True)`: the whole file
     into memory, types (dates included) inferred from the first 10,000 rows;
  2. `df.describe()` (count, null_count, mean, std, min, quartiles, max per column) and
     `df.select(pl.all().n_unique())` (exact distinct counts);
  3. the per-group confusion counts of the spec's bias roles (scripts/bench.d/peer_spec.py):
     one `group_by` per subset of the protected attributes (polars has no CUBE), n and
     tp/fp/tn/fn as sums of boolean expressions (a missing label or prediction counts in
     n only, as in SQL).
Prints one JSON line: versions, threads, inferred types, seconds of each step and their
sum, the cube, and peak memory (ru_maxrss of this process).

    bench-out/venv-peers/bin/python scripts/bench.d/polars_peer.py FILE.csv SPEC.toml [--threads 2]

Environment: scripts/bench.d/requirements-peers.txt (polars 2.1.0), installed by
scripts/bench-bias into bench-out/venv-peers.
"""

import argparse
import itertools
import json
import os
import resource
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("spec")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    os.environ["POLARS_MAX_THREADS"] = str(a.threads)
    import polars as pl  # after POLARS_MAX_THREADS: polars reads it once, at import

    from peer_spec import ALL, SpecError, as_number, bias_roles, canonical, cube_row

    try:
        roles = bias_roles(a.spec)
    except (SpecError, OSError, ValueError) as e:
        sys.exit(f"polars_peer: {e}")

    def positive(df, column, value):
        dtype = df.schema[column]
        if dtype.is_numeric() and as_number(value) is not None:
            return pl.col(column) == as_number(value)
        return pl.col(column).cast(pl.String) == value

    t0 = time.perf_counter()
    df = pl.read_csv(a.csv, infer_schema_length=10000, try_parse_dates=True)
    t1 = time.perf_counter()
    described = df.describe()
    distinct = df.select(pl.all().n_unique())
    t2 = time.perf_counter()
    missing = [c for c in roles["protected"] + [roles["label"], roles["prediction"]] if c not in df.schema]
    if missing:
        sys.exit(f"polars_peer: {a.csv} has no column {', '.join(missing)} (the spec's bias roles)")
    y = positive(df, roles["label"], roles["positive_label"])
    p = positive(df, roles["prediction"], roles["positive_prediction"])
    counts = [pl.len().alias("n"), (y & p).sum().alias("tp"), (~y & p).sum().alias("fp"),
              (~y & ~p).sum().alias("tn"), (y & ~p).sum().alias("fn")]
    protected = roles["protected"]
    parts = []
    for k in range(len(protected) + 1):
        for keys in itertools.combinations(protected, k):
            parts.append((keys, df.group_by(list(keys)).agg(counts) if keys else df.select(counts)))
    t3 = time.perf_counter()
    cube = []
    for keys, frame in parts:
        for row in frame.iter_rows(named=True):
            key = [(None if row[c] is None else str(row[c])) if c in keys else ALL for c in protected]
            cube.append(cube_row(protected, key, row["n"], row["tp"], row["fp"], row["tn"], row["fn"]))
    print(json.dumps({
        "peer": "polars",
        "version": pl.__version__,
        "threads": pl.thread_pool_size(),
        "file": a.csv,
        "bytes": os.path.getsize(a.csv),
        "loaded": "pl.read_csv(path, infer_schema_length=10000, try_parse_dates=True), the whole file in memory",
        "types": {c: str(t) for c, t in df.schema.items()},
        "read_s": round(t1 - t0, 4),
        "describe_s": round(t2 - t1, 4),
        "confusion_s": round(t3 - t2, 4),
        "seconds": round(t3 - t0, 4),
        "describe_rows": described.height,
        "distinct_columns": distinct.width,
        "rows": df.height,
        "cube": canonical(cube),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
