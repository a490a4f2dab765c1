#!/usr/bin/env python3
"""Reference numbers for privaudit's re-identification risk (crate/privacy/risk/).

Pinned environment: Python 3.11, pycanon==1.3.6 (which pins pandas==2.3.3, numpy==2.0.2,
scipy==1.15.3)
    python3 -m venv /tmp/venv-risk && /tmp/venv-risk/bin/pip install -r scripts/reference/requirements-risk.txt
    /tmp/venv-risk/bin/python scripts/reference/risk.py --data ../shared/fairness-data

Writes tests/data/reference/risk_people.csv (a deterministic synthetic table of people)
and tests/data/reference/risk.json: for COMPAS and the people table, for several sets of
quasi-identifiers (and one generalisation: age in decades) and sensitive attributes:

- from pycanon (data read with dtype=str, keep_default_na=False, numeric columns
  converted explicitly, reset_index(drop=True) first — pycanon silently errs on a
  shuffled index): k_anonymity, sizes_ec (n_ec, min_ec, max_ec), l_diversity (distinct),
  t_closeness (equal distance for text, ordered for numbers), entropy_l_diversity (which
  pycanon floors to an integer: compared as floor), max_rir, average_rir (pycanon's mean
  over classes, kept to document the difference from ARX's mean over rows);
- from the formulas in shared/PRIVACY_RISK.md, with pandas group-bys (pycanon differs
  or lacks them): the class-size histogram c_j, sample uniques, rows in classes below 5
  and 10, ARX's average risk (classes / rows), records at risk (1/f > tau, strict),
  entropy l as a real number (natural log), recursive (c, l = 2) c* = max r1 / sum_{i>=2} r_i,
  t with both distances, alpha-distinction and separation.

No missing values are fed to pycanon (its handling differs with the number of QIs); the
missing-value convention is tested against ARX's numbers in tests/privacy_risk.rs.
"""

import argparse
import json
import math
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pycanon
import scipy
from pycanon import anonymity, metrics

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/data/reference"
TAU = 0.2


def people(n=3000, seed=20261216):
    rnd = random.Random(seed)
    occupations = ["nurse", "teacher", "clerk", "driver", "engineer", "farmer", "artist", "judge"]
    weights = [20, 18, 25, 15, 10, 6, 4, 2]
    diagnoses = ["flu", "asthma", "diabetes", "hiv", "cancer", "none"]
    rows = []
    for _ in range(n):
        age = min(99, max(18, int(rnd.gauss(45, 16))))
        sex = rnd.choice(["F", "M"]) if rnd.random() > 0.01 else "X"
        zip_code = f"{rnd.choice(['130', '148', '021', '947']) }{rnd.randint(0, 60):02d}"
        occ = rnd.choices(occupations, weights)[0]
        diag = rnd.choices(diagnoses, [20, 15, 10, 2, 5, 48])[0]
        income = int(round(rnd.lognormvariate(10.3, 0.5), -3))
        rows.append((age, sex, zip_code, occ, diag, income))
    return pd.DataFrame(rows, columns=["age", "sex", "zip", "occupation", "diagnosis", "income"])


def formulas(df, qi, sas, numeric):
    g = df.groupby(qi, sort=True, dropna=False)
    sizes = g.size()
    n = int(sizes.sum())
    hist = sizes.value_counts().sort_index()
    out = {
        "rows": n,
        "classes": int(len(sizes)),
        "k": int(sizes.min()),
        "largest": int(sizes.max()),
        "histogram": {str(int(j)): int(c) for j, c in hist.items()},
        "sample_uniques": int((sizes == 1).sum()),
        "below_5": int(sizes[sizes < 5].sum()),
        "below_10": int(sizes[sizes < 10].sum()),
        "average_risk_arx": len(sizes) / n,
        "records_at_risk": int(sizes[1.0 / sizes > TAU].sum()),
        "distinction": len(sizes) / n,
        "separation": 1 - float((sizes * (sizes - 1) / 2).sum()) / (n * (n - 1) / 2),
        "sensitive": {},
    }
    for sa in sas:
        total = df[sa].value_counts().sort_index()
        p = total / n
        values = list(total.index)
        ent, cstar, t = math.inf, 0.0, 0.0
        for _, part in g:
            counts = part[sa].value_counts()
            q = counts / len(part)
            ent = min(ent, math.exp(-float((q * np.log(q)).sum())))
            desc = sorted(counts.tolist(), reverse=True)
            tail = sum(desc[1:])
            cstar = None if (cstar is None or tail == 0) else max(cstar, desc[0] / tail)
            qq = q.reindex(values, fill_value=0.0)
            if numeric[sa]:
                d = float(np.abs(np.cumsum(qq.values - p.values)).sum()) / (len(values) - 1)
            else:
                d = 0.5 * float(np.abs(qq.values - p.values).sum())
            t = max(t, d)
        out["sensitive"][sa] = {"entropy_l": ent, "recursive_c": cstar, "t": t, "distance": "ordered" if numeric[sa] else "equal"}
    return out


def pycanon_numbers(df, qi, sas):
    df = df.reset_index(drop=True)
    s = metrics.sizes_ec(df, qi)
    out = {
        "k": int(anonymity.k_anonymity(df, qi)),
        "n_ec": int(s["n_ec"]),
        "min_ec": int(s["min_ec"]),
        "max_ec": int(s["max_ec"]),
        "max_rir": float(metrics.max_rir(df, qi)),
        "average_rir_over_classes": float(metrics.average_rir(df, qi)),
        "sensitive": {},
    }
    for sa in sas:
        out["sensitive"][sa] = {
            "l_diversity": int(anonymity.l_diversity(df, qi, [sa])),
            "entropy_l_floored": int(anonymity.entropy_l_diversity(df, qi, [sa])),
            "t_closeness": float(anonymity.t_closeness(df, qi, [sa])),
        }
    return out


def case(name, df, qi, sas, numeric, toml):
    return {
        "name": name,
        "quasi_identifiers": qi,
        "sensitive": sas,
        "spec": toml,
        "pycanon": pycanon_numbers(df, qi, sas),
        "formulas": formulas(df, qi, sas, numeric),
    }


def spec(qi, sas, extra=""):
    q = ", ".join(f'"{c}"' for c in qi)
    s = ", ".join(f'"{c}"' for c in sas)
    return f"[privacy]\nquasi_identifiers = [{q}]\nsensitive = [{s}]\nrisk_threshold = {TAU}\n{extra}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared/fairness-data"))
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    cases = []

    ppl = people()
    ppl.to_csv(OUT / "risk_people.csv", index=False)
    ppl = pd.read_csv(OUT / "risk_people.csv", dtype=str, keep_default_na=False)
    for c in ["age", "income"]:
        ppl[c] = pd.to_numeric(ppl[c])
    num = {"diagnosis": False, "income": True, "occupation": False}
    for qi in (["occupation"], ["sex", "occupation"], ["age", "sex", "zip"]):
        cases.append(case(f"people {'+'.join(qi)}", ppl, qi, ["diagnosis", "income"], num, spec(qi, ["diagnosis", "income"])))
    decades = ppl.copy()
    decades["age"] = decades["age"] // 10 * 10
    extra = '[privacy.ladders.age]\nkind = "numeric"\nwidths = [10]\n[[privacy.what_if]]\nage = 1\n'
    qi = ["age", "occupation"]
    c = case("people age in decades (what-if)", decades, qi, ["diagnosis", "income"], num, spec(qi, ["diagnosis", "income"], extra))
    c["what_if"] = [1, 0]
    cases.append(c)

    compas_path = Path(args.data) / "compas/compas-scores-two-years.csv"
    cp = pd.read_csv(compas_path, dtype=str, keep_default_na=False)
    for c in ["age", "priors_count", "juv_fel_count"]:
        cp[c] = pd.to_numeric(cp[c])
    num = {"c_charge_degree": False, "priors_count": True, "score_text": False}
    for qi in (["sex", "race"], ["age_cat", "sex"], ["age_cat", "race"], ["age", "sex", "race"], ["age_cat", "sex", "race", "juv_fel_count"]):
        cases.append(case(f"compas {'+'.join(qi)}", cp, qi, ["c_charge_degree", "priors_count", "score_text"], num,
                          spec(qi, ["c_charge_degree", "priors_count", "score_text"])))

    doc = {
        "generator": "scripts/reference/risk.py",
        "versions": {"pycanon": pycanon.__version__, "pandas": pd.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "tau": TAU,
        "cases": cases,
    }
    (OUT / "risk.json").write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(cases)} cases")


if __name__ == "__main__":
    main()
