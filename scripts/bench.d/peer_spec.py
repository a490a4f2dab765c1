"""Shared by duckdb_peer.py and polars_peer.py (benchmark peers, not part of privaudit):
reads the bias roles of a privaudit spec (TOML) and checks the peers' answers.

The roles: the protected attributes (in spec order), the label column and its positive
value ([bias] positive_label), the prediction column and its positive value
([bias] positive_prediction). The peers count, per group of GROUP BY CUBE(protected…),
n (rows), tp, fp, tn, fn, where y = (label = positive label), p = (prediction = positive
prediction), with SQL's three-valued logic: a row whose label or prediction is missing
(NULL) counts in n but in none of tp/fp/tn/fn.
"""

import json
import tomllib


class SpecError(Exception):
    """The spec lacks a role the peers need."""


def bias_roles(spec_path):
    """{protected: [..], label, positive_label, prediction, positive_prediction} of a spec."""
    with open(spec_path, "rb") as f:
        spec = tomllib.load(f)
    cols = spec.get("columns", [])
    protected = [c["name"] for c in cols if c.get("role") == "protected"]
    label = [c["name"] for c in cols if c.get("role") == "label"]
    prediction = [c["name"] for c in cols if c.get("role") == "prediction"]
    bias = spec.get("bias", {})
    if not protected or len(label) != 1 or len(prediction) != 1:
        raise SpecError(f"{spec_path}: needs protected columns and exactly one label and one prediction column "
                        f"(found protected {protected}, label {label}, prediction {prediction})")
    if "positive_label" not in bias or "positive_prediction" not in bias:
        raise SpecError(f"{spec_path}: [bias] needs positive_label and positive_prediction")
    return {
        "protected": protected,
        "label": label[0],
        "positive_label": str(bias["positive_label"]),
        "prediction": prediction[0],
        "positive_prediction": str(bias["positive_prediction"]),
    }


def as_number(text):
    """The value as an int or float when it is one, else None."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return None


def cube_row(protected, key, n, tp, fp, tn, fn):
    """One cell of the cube as JSON-ready dict: `groups` maps each attribute to its value,
    None when the value is missing, and leaves out attributes rolled up ("all")."""
    return {"groups": {a: v for a, v in zip(protected, key) if v is not ALL}, "n": int(n), "tp": int(tp),
            "fp": int(fp), "tn": int(tn), "fn": int(fn)}


class _All:
    """Marker of a rolled-up attribute in a cube key."""

    def __repr__(self):
        return "ALL"


ALL = _All()


def canonical(rows):
    """The cube rows sorted by a stable key (to compare two peers' answers)."""
    return sorted(rows, key=lambda r: json.dumps(r["groups"], sort_keys=True))
