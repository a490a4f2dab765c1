#!/usr/bin/env python3
"""DuckDB as a benchmark peer of `privaudit audit --spec` (scripts/bench-bias; never a
runtime dependency of privaudit).

On the CSV file itself, with `SET threads = N` (default 2), times two queries, each reading
the file with `read_csv(path)` and the types DuckDB's sniffer picks (no table is loaded
first, nothing is cached between them):
  1. `SUMMARIZE SELECT * FROM read_csv(path)` (per column: min, max, approx_unique, avg,
     std, q25, q50, q75, count, null_percentage);
  2. the per-group confusion counts of the spec's bias roles (scripts/bench.d/peer_spec.py):
     `GROUP BY CUBE(protected…)` with n and tp/fp/tn/fn counted by FILTER.
Before them (not timed): `DESCRIBE SELECT * FROM read_csv(path)`, the sniffed types, which
also decide how the label and prediction are compared (a numeric column against a number,
any other as text).

Prints one JSON line: versions, threads, sniffed types, seconds of each query and their
sum, the cube, and peak memory (ru_maxrss of this process).

    bench-out/venv-peers/bin/python scripts/bench.d/duckdb_peer.py FILE.csv SPEC.toml [--threads 2]
    … duckdb_peer.py FILE.csv SPEC.toml --sql-only NAME   # the two queries as JSON, reading
                                                          # `NAME` (for DuckDB-WASM), no timing

Environment: scripts/bench.d/requirements-peers.txt (duckdb 2.0.1), installed by
scripts/bench-bias into bench-out/venv-peers.
"""

import argparse
import json
import os
import re
import resource
import sys
import time

import duckdb

from peer_spec import ALL, SpecError, as_number, bias_roles, canonical, cube_row

NUMERIC = re.compile(r"^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|REAL|DECIMAL\(\d+,\s*\d+\))$")


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def literal(text):
    return "'" + text.replace("'", "''") + "'"


def is_positive(column, value, types):
    """SQL for `column = value`, typed as DuckDB typed the column."""
    kind = types.get(column, "")
    if NUMERIC.match(kind) and as_number(value) is not None:
        return f"{ident(column)} = {value}"
    if kind == "VARCHAR":
        return f"{ident(column)} = {literal(value)}"
    return f"CAST({ident(column)} AS VARCHAR) = {literal(value)}"


def queries(source, roles, types):
    """{summarize, confusion}: the two timed queries, reading `source` (a path or a name)."""
    read = f"read_csv({literal(source)})"
    cols = ", ".join(ident(c) for c in roles["protected"])
    y = is_positive(roles["label"], roles["positive_label"], types)
    p = is_positive(roles["prediction"], roles["positive_prediction"], types)
    confusion = (
        f"SELECT {cols}, GROUPING({cols}) AS rolled_up, count(*) AS n, "
        "count(*) FILTER (WHERE y AND p) AS tp, count(*) FILTER (WHERE NOT y AND p) AS fp, "
        "count(*) FILTER (WHERE NOT y AND NOT p) AS tn, count(*) FILTER (WHERE y AND NOT p) AS fn "
        f"FROM (SELECT {cols}, {y} AS y, {p} AS p FROM {read}) GROUP BY CUBE({cols})"
    )
    return {"summarize": f"SUMMARIZE SELECT * FROM {read}", "confusion": confusion}


def cube(rows, protected):
    """Rows of the confusion query → peer_spec cube rows (GROUPING's bit set = rolled up;
    the first attribute is the highest bit)."""
    k = len(protected)
    out = []
    for r in rows:
        values, (rolled, n, tp, fp, tn, fn) = r[:k], r[k:]
        key = [ALL if (rolled >> (k - 1 - i)) & 1 else (None if v is None else str(v)) for i, v in enumerate(values)]
        out.append(cube_row(protected, key, n, tp, fp, tn, fn))
    return canonical(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("spec")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sql-only", metavar="NAME", help="print the queries reading NAME as JSON and stop")
    a = ap.parse_args()
    try:
        roles = bias_roles(a.spec)
    except (SpecError, OSError, ValueError) as e:
        sys.exit(f"duckdb_peer: {e}")
    con = duckdb.connect()
    con.execute(f"SET threads = {int(a.threads)}")
    t0 = time.perf_counter()
    described = con.execute(f"DESCRIBE SELECT * FROM read_csv({literal(a.csv)})").fetchall()
    describe_s = time.perf_counter() - t0
    types = {row[0]: row[1] for row in described}
    missing = [c for c in roles["protected"] + [roles["label"], roles["prediction"]] if c not in types]
    if missing:
        sys.exit(f"duckdb_peer: {a.csv} has no column {', '.join(missing)} (the spec's bias roles); columns: {', '.join(types)}")
    if a.sql_only:
        print(json.dumps({"name": a.sql_only, **queries(a.sql_only, roles, types), "roles": roles, "native_types": types}))
        return
    q = queries(a.csv, roles, types)
    t1 = time.perf_counter()
    summary = con.execute(q["summarize"]).fetchall()
    t2 = time.perf_counter()
    counts = con.execute(q["confusion"]).fetchall()
    t3 = time.perf_counter()
    print(json.dumps({
        "peer": "duckdb",
        "version": duckdb.__version__,
        "threads": int(con.execute("SELECT current_setting('threads')").fetchone()[0]),
        "file": a.csv,
        "bytes": os.path.getsize(a.csv),
        "loaded": "read_csv(path) in each query, types from the sniffer",
        "types": types,
        "describe_s": round(describe_s, 4),
        "summarize_s": round(t2 - t1, 4),
        "confusion_s": round(t3 - t2, 4),
        "seconds": round(t3 - t1, 4),
        "summarize_rows": len(summary),
        "rows": sum(r["n"] for r in cube(counts, roles["protected"]) if not r["groups"]),
        "cube": cube(counts, roles["protected"]),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
