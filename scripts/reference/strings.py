#!/usr/bin/env python3
"""Reference numbers for privaudit's string and date checks (crate/quality/text.rs).

Pinned environment: Python 3.11+, pandas==2.3.3, numpy==2.3.5
    python3 -m venv /tmp/venv-strprof && /tmp/venv-strprof/bin/pip install pandas==2.3.3 numpy==2.3.5
    /tmp/venv-strprof/bin/python scripts/reference/strings.py --data ../shared/fairness-data

Writes tests/data/reference/strings_synthetic.csv (a deterministic synthetic table) and
tests/data/reference/strings.json (the numbers below for it and for COMPAS).

Every column is read as text (dtype=str, keep_default_na=False). A cell is missing when,
stripped of ASCII white space and lower-cased, it is one of privaudit's default missing
tokens (empty, NA, N/A, null, NaN, None, ?, -). Over the non-missing values v of a column:
- whitespace      = (v.str.strip() != v).sum()   (the fixture has no U+001C-U+001F, which
                    Python strips and Unicode does not call white space)
- leading         = (v.str.lstrip() != v).sum()  (first character is white space)
- trailing        = (v.str.rstrip() != v).sum()  (last character is white space)
- numeric_looking = np.isfinite(pd.to_numeric(v, errors="coerce")).sum()
- case groups     = keys k = v.str.strip().str.lower() with more than one distinct v;
                    rows = rows whose key is such a k
- dates           = pd.to_datetime(v, format=F, errors="coerce"), F = "%Y-%m-%d" or
                    "%Y-%m-%d %H:%M:%S"; future = (dt.normalize() > as_of).sum();
                    unparseable = dt.isna().sum()
"""

import argparse
import json
import random
from pathlib import Path

import numpy as np
import pandas as pd

MISSING = {"", "na", "n/a", "null", "nan", "none", "?", "-"}
ASCII_WS = " \t\n\x0c\r"
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/data/reference"
AS_OF = {"synthetic": "2026-12-03", "compas": "2014-01-01"}
FORMATS = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%d %H:%M:%S"}


def synthetic_rows(n=400, seed=20261203):
    rnd = random.Random(seed)
    sexes = ["Male", "male", "MALE", " Male", "Female", "female", "Female ", "F", "NA", "Other"]
    codes = ["12", "3.5", "abc", "1e3", " 7 ", "+4", "-", "N/A", "inf", "x1", "12.", "007", "1,5", "\u00a05"]
    cities = ["Zürich", "zürich", "ZÜRICH ", "São Paulo", "são paulo", "\u00a0Bern", "Bern", "Genève", "GENÈVE", "Oslo"]
    dates = ["2026-12-04", "2030-01-01", "2026-12-03", "2026-12-02", "2020-02-29", "2026-13-01", "soon", "", "1999-12-31"]
    times = ["2026-12-03 23:59:59", "2026-12-04 00:00:00", "2025-01-01 08:00:00", "2031-06-30 12:00:00", "never", ""]
    rows = []
    for i in range(n):
        rows.append({
            "sex": rnd.choice(sexes),
            "code": rnd.choice(codes),
            "city": rnd.choice(cities),
            "visit": rnd.choice(dates),
            "visit_time": rnd.choice(times),
            "account": str(100000 + rnd.randrange(10**6)),
            "product": f"P{rnd.randrange(300):03d}",
        })
    return rows


def write_synthetic(path):
    rows = synthetic_rows()
    cols = list(rows[0])
    lines = [",".join(cols)]
    for r in rows:
        lines.append(",".join('"' + r[c] + '"' if (" " in r[c] or "," in r[c]) else r[c] for c in cols))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def is_missing(x):
    return x.strip(ASCII_WS).lower() in MISSING


def column_numbers(s, as_of):
    v = s[~s.map(is_missing)]
    out = {"present": int(len(v))}
    out["whitespace"] = int((v.str.strip() != v).sum())
    out["leading"] = int((v.str.lstrip() != v).sum())
    out["trailing"] = int((v.str.rstrip() != v).sum())
    out["numeric_looking"] = int(np.isfinite(pd.to_numeric(v, errors="coerce")).sum())
    key = v.str.strip().str.lower()
    spellings = v.groupby(key).nunique()
    bad = set(spellings[spellings > 1].index)
    out["case_groups"] = len(bad)
    out["case_rows"] = int(key.isin(bad).sum())
    limit = pd.Timestamp(as_of)
    for kind, fmt in FORMATS.items():
        dt = pd.to_datetime(v, format=fmt, errors="coerce")
        out[kind] = {"future": int((dt.dt.normalize() > limit).sum()), "unparseable": int(dt.isna().sum())}
    return out


def dataset(path, as_of):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {"as_of": as_of, "columns": {c: column_numbers(df[c], as_of) for c in df.columns if c.strip()}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared/fairness-data"))
    args = ap.parse_args()
    synth = OUT / "strings_synthetic.csv"
    write_synthetic(synth)
    out = {
        "versions": {"pandas": pd.__version__, "numpy": np.__version__},
        "datasets": {"synthetic": dataset(synth, AS_OF["synthetic"])},
    }
    compas = Path(args.data) / "compas/compas-scores-two-years.csv"
    if compas.exists():
        out["datasets"]["compas"] = dataset(compas, AS_OF["compas"])
    (OUT / "strings.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
