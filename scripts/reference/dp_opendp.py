#!/usr/bin/env python3
"""Reference numbers for `privaudit::dp` from OpenDP (pinned: opendp==0.16.*).

Writes tests/data/reference/dp_opendp.json, which `tests/dp_stats.rs` compares against.
Regenerate from the repository root with:

    python3 -m venv /tmp/venv-opendp
    /tmp/venv-opendp/bin/pip install "opendp==0.16.*"
    /tmp/venv-opendp/bin/python scripts/reference/dp_opendp.py

Conventions recorded in the file:
- OpenDP's accuracies mean |err| < accuracy; privaudit's integer half-width is
  h = ceil(accuracy) - 1 (|err| <= h), see crate/dp/accuracy.rs.
- Sensitivity 1 everywhere; alpha = 0.05 (95 %); delta = 1e-6 for zCDP -> (eps, delta).
"""

import json
import math
import sys
from importlib.metadata import version
from pathlib import Path

import opendp.prelude as dp
from opendp import accuracy as acc

PINNED = "0.16."
ALPHA = 0.05
DELTA = 1e-6
OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "reference" / "dp_opendp.json"


def discrete_laplace(eps):
    scale = 1.0 / eps
    meas = dp.m.make_laplace(dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=scale)
    return {
        "epsilon": eps,
        "scale": scale,
        "map_epsilon": meas.map(1),
        "zcdp_rho": dp.c.make_pureDP_to_zCDP(meas).map(1),
        "accuracy": acc.discrete_laplacian_scale_to_accuracy(scale, ALPHA),
    }


def discrete_gaussian(rho):
    sigma = math.sqrt(1.0 / (2.0 * rho))
    meas = dp.m.make_gaussian(dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=sigma)
    profile = dp.c.make_zCDP_to_approxDP(meas).map(1)
    return {
        "rho": rho,
        "sigma": sigma,
        "map_rho": meas.map(1),
        "accuracy": acc.discrete_gaussian_scale_to_accuracy(sigma, ALPHA),
        "epsilon_at_delta": profile.epsilon(DELTA),
        "simple_epsilon_at_delta": rho + 2.0 * math.sqrt(rho * math.log(1.0 / DELTA)),
        "delta_at_epsilon": [[e, profile.delta(e)] for e in (0.5, 1.0, 2.0, 5.0)],
    }


def main():
    installed = version("opendp")
    if not installed.startswith(PINNED):
        sys.exit(f"opendp {installed} installed; this script is pinned to opendp=={PINNED}*")
    dp.enable_features("contrib")
    data = {
        "generator": "scripts/reference/dp_opendp.py",
        "opendp_version": installed,
        "alpha": ALPHA,
        "delta": DELTA,
        "discrete_laplace": [discrete_laplace(e) for e in (0.1, 0.5, 1.0, 2.0)],
        "discrete_gaussian": [discrete_gaussian(r) for r in (0.005, 0.05, 0.5)],
        # Large scales, where privaudit switches from exact sums to a conservative bound.
        "discrete_gaussian_accuracy": [
            [s, acc.discrete_gaussian_scale_to_accuracy(s, ALPHA)] for s in (100.0, 1e4, 1e6)
        ],
        # Inverses: OpenDP accuracy a = h + 1.
        "accuracy_to_discrete_laplace_scale": [
            [a, acc.accuracy_to_discrete_laplacian_scale(float(a), ALPHA)] for a in (1, 2, 4, 7, 31)
        ],
        "accuracy_to_discrete_gaussian_scale": [
            [a, acc.accuracy_to_discrete_gaussian_scale(float(a), ALPHA)] for a in (3, 7, 21)
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()
