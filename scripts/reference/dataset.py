#!/usr/bin/env python3
"""Reference numbers for privaudit's dataset checks (crate/quality/dataset/).

Per case (a CSV, the columns left out as role `ignore`, the label, the columns that are
not features): pandas df.duplicated() (repeats after the first occurrence), distinct rows
and rows occurring more than once (groupby(dropna=False).size() > 1), df.T.duplicated()
(each duplicate paired with the first equal column), value_counts() of the label, and
conflicting labels (groupby(features, dropna=False)[label].nunique() > 1 among labelled
rows); examples as 1-based data rows (pandas index + 1): the 5 duplicated records, and the
5 conflicting feature combinations, whose first row comes earliest, each with its first 5
rows (and, for conflicts, each row's label as written); target leakage with the
proxy-detection reference (scripts/reference/proxies.py:
scipy chi2_contingency for the bias-corrected Cramer's V, math.fsum for eta).

Cells are typed as privaudit types them: missing tokens (empty, NA, N/A, null, NaN, None,
?, -; trimmed, case-insensitive) are NaN; a column whose every other value parses as a
number holds floats (so 1 = 1.0); columns of true/false, yes/no, t/f, y/n hold booleans (a boolean label
prints as true/false, as privaudit prints it); other cells are the
text as written (no trimming).

Writes tests/data/reference/dataset.json and the synthetic table
tests/data/reference/dataset_synthetic.csv. Pinned environment:

    python3 -m venv /tmp/venv-rownums
    /tmp/venv-rownums/bin/pip install pandas==2.3.3 numpy==2.3.5 scipy==1.16.3
    /tmp/venv-rownums/bin/python scripts/reference/dataset.py --data ../shared/fairness-data
"""

import argparse
import json
import random
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import proxies  # noqa: E402  (same statistics as proxy detection)

MISSING = proxies.MISSING
# privaudit's boolean words (ingest::value::parse_bool); 1/0 columns are numbers.
TRUE = {"true", "t", "yes", "y"}
FALSE = {"false", "f", "no", "n"}


def parse_number(v):
    try:
        return float(v.strip().replace("_", "!"))  # Python accepts 1_000; privaudit does not
    except ValueError:
        return None


def read(path, ignore):
    """(typed frame, text frame): the text frame holds the values as privaudit prints them."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw[[c for c in raw.columns if c not in ignore]]
    typed, text, kinds = {}, {}, {}
    for c in raw.columns:
        s = raw[c].map(lambda v: None if v.strip().lower() in MISSING else v)
        present = s.dropna()
        nums = present.map(parse_number)
        if len(present) and nums.notna().all() and not present.str.strip().str.lower().isin(["inf", "-inf", "infinity"]).any():
            x = s.map(lambda v: np.nan if v is None else parse_number(v)).astype(float)
            typed[c] = x
            ints = bool(np.all(np.mod(x.dropna(), 1) == 0))
            text[c] = x.map(lambda v: None if np.isnan(v) else (str(int(v)) if ints else repr(v)))
            kinds[c] = "numeric"
        elif len(present) and present.str.strip().str.lower().isin(TRUE | FALSE).all():
            typed[c] = s.map(lambda v: np.nan if v is None else v.strip().lower() in TRUE).astype(object)
            text[c] = s.map(lambda v: None if v is None else str(v.strip().lower() in TRUE).lower())
            kinds[c] = "categorical"
        else:
            typed[c] = s.map(lambda v: np.nan if v is None else v).astype(object)
            text[c] = s
            kinds[c] = "categorical"
    return pd.DataFrame(typed), pd.DataFrame(text), kinds


EXAMPLES = 5


def first_rows(frame, by):
    """Per group of `frame` by the columns `by` (NaN equal to NaN): the index values of its
    rows in order, for groups of more than one row, by first row; the first EXAMPLES groups."""
    gid = frame.groupby(by, dropna=False, sort=False).ngroup().to_numpy()
    idx = frame.index.to_numpy()
    groups = {}
    for g, i in zip(gid, idx):
        groups.setdefault(int(g), []).append(int(i))
    return [v for v in sorted(groups.values(), key=lambda v: v[0]) if len(v) > 1]


def block(path, ignore, label, not_features, leakage):
    df, text, kinds = read(path, ignore)
    rows = len(df)
    sizes = df.groupby(list(df.columns), dropna=False).size()
    dup_t = df.T.duplicated()
    dup_cols = []
    cols = list(df.columns)
    for j, c in enumerate(cols):
        if dup_t[c]:
            first = next(a for a in cols[:j] if df[a].equals(df[c]) or
                         ((df[a].isna() & df[c].isna()) | (df[a].astype(object) == df[c].astype(object))).all())
            dup_cols.append({"column": c, "duplicate_of": first})
    out = {
        "rows": rows,
        "duplicate_rows": int(df.duplicated().sum()),
        "distinct_rows": int(len(sizes)),
        "duplicated_records": int((sizes > 1).sum()),
        "duplicate_columns": dup_cols,
        "duplicate_examples": [[i + 1 for i in v[:EXAMPLES]] for v in first_rows(df, list(df.columns))[:EXAMPLES]],
    }
    if label is None:
        return out
    lab = text[label]
    labelled = lab.notna()
    counts = lab[labelled].value_counts()
    out["label"] = {
        "column": label,
        "missing": int((~labelled).sum()),
        "classes": sorted(([str(k), int(v)] for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0])),
    }
    features = [c for c in cols if c != label and c not in not_features]
    g = df[labelled].assign(_label=lab[labelled]).groupby(features, dropna=False)["_label"]
    nun = g.nunique()
    out["label"]["features"] = features
    out["label"]["conflicts"] = {
        "feature_groups": int(len(nun)),
        "conflicting_groups": int((nun > 1).sum()),
        "rows": int((g.transform("nunique") > 1).sum()),
    }
    examples = []
    for v in first_rows(df[labelled], features):
        if lab[v].nunique() > 1 and len(examples) < EXAMPLES:
            examples.append({"rows": [i + 1 for i in v[:EXAMPLES]], "labels": [str(x) for x in lab[v[:EXAMPLES]]]})
    out["label"]["conflicts"]["examples"] = examples
    leaks = []
    for c in leakage:
        v, n = proxies.cramers_v(lab, text[c])
        entry = {"column": c, "cramers_v": v, "n_v": n}
        if kinds[c] == "numeric":
            e, m = proxies.eta(lab, df[c])
            entry.update({"correlation_ratio": e, "n_eta": m})
        leaks.append(entry)
    out["label"]["leakage"] = leaks
    return out


def overlap(path, ignore, label, not_features, train_rows, test_rows):
    """Train = data rows [a, b), test = data rows [c, d) of one file (typed as one file)."""
    df, text, _ = read(path, ignore)
    df = df.assign(_label=text[label])
    train, test = df.iloc[train_rows[0]:train_rows[1]], df.iloc[test_rows[0]:test_rows[1]]
    cols = [c for c in df.columns if c != "_label"]
    hit = test[cols].merge(train[cols].drop_duplicates(), how="left", on=cols, indicator=True)["_merge"]
    features = [c for c in cols if c != label and c not in not_features]

    def labels(part):
        part = part[part["_label"].notna()]
        g = part.groupby(features, dropna=False)["_label"]
        sets = g.agg(lambda x: tuple(sorted(set(x)))).rename("labels").reset_index()
        return sets.merge(g.size().rename("rows").reset_index(), on=features)
    # pandas merges NaN keys with NaN keys: a missing cell equals a missing cell.
    m = labels(test).merge(labels(train), on=features, suffixes=("_te", "_tr"))
    bad = m[[not (len(a) == 1 and a == b) for a, b in zip(m["labels_tr"], m["labels_te"])]]
    return {
        "train_rows": list(train_rows), "test_rows": list(test_rows),
        "rows_in_train": int((hit == "both").sum()),
        "conflicting_groups": int(len(bad)),
        "conflicting_rows": int(bad["rows_te"].sum()),
    }


def synthetic(path):
    """600 rows over 4 features and a label: exact repeats (also spelled 1 vs 1.0 and with
    a different missing token), a duplicated column, conflicting labels, a leaky feature,
    text that differs only by a space, and some missing labels."""
    rng = random.Random(20261203)
    lines = ["colour,size,size_copy,amount,note,outcome,leak\n"]
    for i in range(600):
        colour = rng.choice(["red", "green", "blue", "red "])
        size = rng.randint(1, 4)
        size_s = rng.choice([f"{size}", f"{size}.0"])
        amount = rng.choice(["", "NA", "10", "10.0", "12.5"])
        note = rng.choice(["", "n/a", "late", "early"])
        outcome = rng.choice(["yes", "no", "no", "yes", ""]) if i % 53 else ""
        leak = {"yes": 1, "no": 0, "": rng.randint(0, 1)}[outcome] * (3 + rng.randint(0, 5) * 2) if i % 71 else rng.choice([0, 1])
        lines.append(f"{colour},{size_s},{size},{amount},{note},{outcome},{leak}\n")
    path.write_text("".join(lines))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/fairness-data")
    ap.add_argument("--out", default="tests/data/reference")
    args = ap.parse_args()
    out = Path(args.out)
    syn = out / "dataset_synthetic.csv"
    synthetic(syn)
    data = Path(args.data)
    cases = {
        "synthetic": (syn, [], "outcome", [], ["colour", "size", "size_copy", "amount", "note", "leak"]),
    }
    compas = data / "compas" / "compas-scores-two-years.csv"
    if compas.exists():
        cases["compas"] = (compas, [], "two_year_recid", ["id", "c_case_number", "r_case_number", "vr_case_number"],
                           ["sex", "race", "age_cat", "score_text", "is_recid", "event", "priors_count", "age",
                            "decile_score"])
        keep = ["sex", "age_cat", "race", "juv_fel_count", "juv_misd_count", "juv_other_count", "priors_count",
                "c_charge_degree", "two_year_recid"]
        names = pd.read_csv(compas, nrows=0).columns
        cases["compas_few"] = (compas, [c for c in names if c not in keep], "two_year_recid", [],
                               ["sex", "age_cat", "race", "priors_count", "juv_fel_count"])
    aeq = data / "aequitas"
    if aeq.exists():
        cases["compas_for_aequitas"] = (aeq / "compas_for_aequitas.csv", ["entity_id"], "label_value", ["score"],
                                        ["race", "sex", "age_cat"])
        cases["adult_rf_binary"] = (aeq / "adult_rf_binary.csv", ["entity_id"], "label_value", ["score"],
                                    ["education", "gender", "race"])
        cases["nyc_sqf"] = (aeq / "nyc_sqf_for_aequitas.csv", [], "label_value", ["score"], ["race", "sex"])
    result = {
        "versions": {m: version(m) for m in ["pandas", "numpy", "scipy"]},
        "cases": {k: {"file": str(v[0].relative_to(data.parent)) if k != "synthetic" else str(v[0]),
                      "ignore": v[1], "label_column": v[2], "not_features": v[3], **block(*v)}
                  for k, v in cases.items()},
    }
    result["overlap"] = {"synthetic": overlap(syn, [], "outcome", [], (0, 400), (300, 600))}
    if compas.exists():
        c = cases["compas_few"]
        result["overlap"]["compas_few"] = overlap(compas, c[1], "two_year_recid", [], (0, 5000), (4000, 7214))
    (out / "dataset.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
