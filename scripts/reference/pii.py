#!/usr/bin/env python3
"""Reference values for privaudit's personal-data detectors (crate/privacy/detect).

Pinned environment: Python 3.11+, python-stdnum==2.2, phonenumbers==9.0.43
    python3 -m venv /tmp/venv-pii && /tmp/venv-pii/bin/pip install python-stdnum==2.2 phonenumbers==9.0.43
    /tmp/venv-pii/bin/python scripts/reference/pii.py

Writes tests/data/reference/pii.json: for each detector, values that python-stdnum (or, for
phones, libphonenumber) generates as valid — compact and in the library's own `format()`
writing — and near misses made from them: one digit changed, two adjacent digits swapped,
one digit dropped or added, an IBAN moved to a country with another length. Every case
carries the library's verdict (`reference`, from `is_valid`) and the verdict privaudit must
give (`expected`); they differ only where privaudit's documented rules do:
- payment cards: python-stdnum has Luhn only; privaudit also needs a listed issuer range
  and length (`expected` false for a Luhn-valid number with an unlisted prefix);
- UK NINO: not in python-stdnum 2.2 (`stdnum.gb.nino` does not exist); generated from the
  format rules (HMRC's prefix and suffix letters), `reference` null;
- phones: libphonenumber's example numbers per region and type in E.164, international and
  national writing must validate; near misses that privaudit's length rules reject
  (too few digits, no such country code, NANP area code 1xx) must not.
Seeded (random.Random(16)), so the file is the same on every run.
"""

import json
import random
import re
from pathlib import Path

import phonenumbers
import stdnum
from stdnum import iban, luhn, verhoeff
from stdnum.br import cpf
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.in_ import aadhaar
from stdnum.iso7064 import mod_11_10
from stdnum.nl import bsn
from stdnum.se import personnummer
from stdnum.us import ssn

OUT = Path(__file__).resolve().parents[2] / "tests/data/reference/pii.json"
RNG = random.Random(16)
N = 30


def digits(n):
    return "".join(RNG.choice("0123456789") for _ in range(n))


def near_misses(value):
    """One digit changed, adjacent digits swapped, one dropped, one added (digits only)."""
    pos = [i for i, c in enumerate(value) if c.isdigit()]
    out = []
    i = RNG.choice(pos)
    out.append(("digit_changed", value[:i] + str((int(value[i]) + 1 + RNG.randrange(9)) % 10) + value[i + 1:]))
    pairs = [(a, b) for a, b in zip(pos, pos[1:]) if b == a + 1 and value[a] != value[b]]
    if pairs:
        a, b = RNG.choice(pairs)
        out.append(("swapped", value[:a] + value[b] + value[a] + value[b + 1:]))
    i = RNG.choice(pos)
    out.append(("digit_dropped", value[:i] + value[i + 1:]))
    out.append(("digit_added", value[:i] + RNG.choice("0123456789") + value[i:]))
    return out


def cases(kind, module, values, fmt=None, extra=()):
    out = []
    for v in values:
        writings = [v] + ([fmt(v)] if fmt else [])
        for w in dict.fromkeys(writings):
            ok = module.is_valid(w)
            assert ok, (kind, w)
            out.append({"kind": kind, "value": w, "how": "valid", "reference": ok, "expected": ok})
        for how, m in near_misses(v):
            ok = module.is_valid(m)
            out.append({"kind": kind, "value": m, "how": how, "reference": ok, "expected": ok})
    for how, v in extra:
        ok = module.is_valid(v)
        out.append({"kind": kind, "value": v, "how": how, "reference": ok, "expected": ok})
    return out


def gen_ssn():
    vals = []
    while len(vals) < N:
        v = digits(9)
        if ssn.is_valid(v):
            vals.append(ssn.format(v))
    policy = [("policy_area_9xx", "900-12-3456"), ("policy_sample_123456789", "123-45-6789"),
              ("known_invalid", "078-05-1120"), ("area_000", "000-12-3456"), ("area_666", "666-12-3456")]
    return cases("us_ssn", ssn, vals, extra=policy)


def gen_nhs():
    vals = []
    while len(vals) < N:
        v = digits(9)
        for d in "0123456789":
            if nhs.is_valid(v + d):
                vals.append(v + d)
    return cases("uk_nhs", nhs, vals[:N], fmt=nhs.format)


def gen_bsn():
    vals = []
    while len(vals) < N:
        v = str(RNG.randrange(1, 10)) + digits(7)
        vals += [v + d for d in "0123456789" if bsn.is_valid(v + d)][:1]
    return cases("nl_bsn", bsn, vals, fmt=bsn.format)


def gen_personnummer():
    vals = []
    while len(vals) < N:
        y, m, d = RNG.randrange(1930, 2020), RNG.randrange(1, 13), RNG.randrange(1, 29)
        body = f"{y % 100:02d}{m:02d}{d:02d}" + digits(3)
        v = body[:6] + "-" + body[6:] + luhn.calc_check_digit(body)
        assert personnummer.is_valid(v), v
        vals.append(v)
    long_form = [("valid_long", "19" + v) for v in vals[:5]]
    return cases("se_personnummer", personnummer, vals, fmt=lambda v: v.replace("-", ""), extra=long_form)


def gen_aadhaar():
    vals = []
    while len(vals) < N:
        v = str(RNG.randrange(2, 10)) + digits(10)
        v += verhoeff.calc_check_digit(v)
        if aadhaar.is_valid(v):
            vals.append(v)
    return cases("in_aadhaar", aadhaar, vals, fmt=aadhaar.format)


def gen_cpf():
    vals = []
    for _ in range(N):
        v = digits(9)
        vals.append(v + cpf._calc_check_digits(v))
    return cases("br_cpf", cpf, vals, fmt=cpf.format)


def gen_dni():
    vals = []
    for _ in range(N):
        v = digits(8)
        vals.append(v + dni.calc_check_digit(v))
    return cases("es_dni", dni, vals)


def gen_nie():
    vals = []
    for _ in range(N):
        v = RNG.choice("XYZ") + digits(7)
        vals.append(v + nie.calc_check_digit(v))
    return cases("es_nie", nie, vals)


def gen_nir():
    vals = []
    for i in range(N):
        dept = "2A" if i % 7 == 0 else ("2B" if i % 7 == 1 else f"{RNG.randrange(1, 96):02d}")
        v = str(RNG.randrange(1, 3)) + f"{RNG.randrange(0, 100):02d}{RNG.randrange(1, 13):02d}" + dept + digits(6)
        vals.append(v + nir.calc_check_digits(v))
    return cases("fr_nir", nir, vals, fmt=nir.format)


def gen_idnr():
    vals = []
    while len(vals) < N:
        ds = RNG.sample("0123456789", 9)
        if ds[0] == "0":
            continue
        ds.insert(RNG.randrange(1, 10), RNG.choice(ds))  # one digit twice
        v = "".join(ds)
        v += mod_11_10.calc_check_digit(v)
        if idnr.is_valid(v):
            vals.append(v)
    return cases("de_steuer_id", idnr, vals, fmt=idnr.format)


def gen_iban():
    lines = (Path(stdnum.__file__).parent / "iban.dat").read_text().splitlines()
    structures = {}
    for line in lines:
        if line and not line.startswith(("#", " ")):
            cc, rest = line.split(" ", 1)
            structures[cc] = rest.split('bban="', 1)[1].split('"', 1)[0]
    vals = []
    for cc in RNG.sample(sorted(structures), N):
        bban = ""
        for count, cls in re.findall(r"(\d+)!([nac])", structures[cc]):
            alphabet = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}[cls]
            bban += "".join(RNG.choice(alphabet) for _ in range(int(count)))
        v = cc + "00" + bban
        v = cc + iban.calc_check_digits(v) + bban
        assert iban.is_valid(v, check_country=False), v
        vals.append(v)

    class NoCountry:
        @staticmethod
        def is_valid(v):
            return iban.is_valid(v, check_country=False)

    out = cases("iban", NoCountry, vals, fmt=iban.format)
    # The same BBAN under a country with another IBAN length (check digits recomputed).
    length = {cc: 4 + sum(int(n) for n in re.findall(r"(\d+)!", st)) for cc, st in structures.items()}
    for v in vals[:10]:
        other = next(c for c in sorted(structures) if length[c] != len(v))
        m = other + iban.calc_check_digits(other + "00" + v[4:]) + v[4:]
        ok = NoCountry.is_valid(m)
        out.append({"kind": "iban", "value": m, "how": "wrong_country_length", "reference": ok, "expected": ok})
    return out


ISSUERS = [("4", 16), ("4", 13), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16), ("34", 15), ("37", 15),
           ("6011", 16), ("65", 16), ("3528", 16), ("3589", 19), ("300", 14), ("36", 14), ("62", 16), ("62", 19)]
# The lengths each issuer uses (privaudit's documented rule, crate/privacy/detect/card.rs):
# Visa 13/16/19, Mastercard 16, Amex 15, JCB 16-19, Diners 14-19, and any 6 prefix
# (Discover, UnionPay, Maestro) 13-19.
LENGTHS = {"4": {13, 16, 19}, "51": {16}, "55": {16}, "2221": {16}, "2720": {16}, "34": {15}, "37": {15},
           "6011": set(range(13, 20)), "65": set(range(13, 20)), "62": set(range(13, 20)),
           "3528": set(range(16, 20)), "3589": set(range(16, 20)), "300": set(range(14, 20)),
           "36": set(range(14, 20))}


def gen_cards():
    out = []
    for prefix, length in ISSUERS * 2:
        body = prefix + digits(length - len(prefix) - 1)
        v = body + luhn.calc_check_digit(body)
        for w in (v, " ".join(v[i:i + 4] for i in range(0, len(v), 4)) if length == 16 else v):
            out.append({"kind": "payment_card", "value": w, "how": "valid", "reference": luhn.is_valid(w.replace(" ", "")),
                        "expected": True})
        for how, m in near_misses(v):
            ok = luhn.is_valid(m)
            # A dropped or added digit may leave the issuer's lengths; Luhn alone may still pass.
            # (A changed or swapped first digit may change the issuer: those stay Luhn-only.)
            fits = len(m) in LENGTHS[prefix] and m.startswith(prefix)
            out.append({"kind": "payment_card", "value": m, "how": how, "reference": ok, "expected": ok and fits})
    for prefix in ["1", "7", "8", "9"]:
        body = prefix + digits(14)
        v = body + luhn.calc_check_digit(body)
        out.append({"kind": "payment_card", "value": v, "how": "unknown_issuer", "reference": luhn.is_valid(v),
                    "expected": False})
    return out


def gen_nino():
    """UK NINO from HMRC's format rules (no python-stdnum module in 2.2)."""
    first = [c for c in "ABCEGHJKLMNOPRSTWXYZ"]
    second = [c for c in "ABCEGHJKLMNPRSTWXYZ"]
    bad_prefix = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
    out = []
    while len(out) < N:
        p = RNG.choice(first) + RNG.choice(second)
        if p in bad_prefix:
            continue
        v = p + digits(6) + RNG.choice("ABCD")
        out.append({"kind": "uk_nino", "value": v, "how": "valid", "reference": None, "expected": True})
        out.append({"kind": "uk_nino", "value": " ".join([v[:2], v[2:4], v[4:6], v[6:8], v[8]]), "how": "valid",
                    "reference": None, "expected": True})
    for v, how in [("DA123456C", "first_letter_D"), ("AO123456C", "second_letter_O"), ("GB123456A", "prefix_GB"),
                   ("AB123456E", "suffix_E"), ("AB12345C", "digit_dropped")]:
        out.append({"kind": "uk_nino", "value": v, "how": how, "reference": None, "expected": False})
    return out


def gen_phones():
    F, T = phonenumbers.PhoneNumberFormat, phonenumbers.PhoneNumberType
    out = []
    for region in ["US", "GB", "DE", "FR", "NL", "IN", "BR"]:
        for t in [T.FIXED_LINE, T.MOBILE]:
            n = phonenumbers.example_number_for_type(region, t)
            for f in [F.E164, F.INTERNATIONAL, F.NATIONAL]:
                v = phonenumbers.format_number(n, f)
                out.append({"kind": "phone", "value": v, "how": "valid", "reference": phonenumbers.is_valid_number(n),
                            "expected": True})
            e164 = phonenumbers.format_number(n, F.E164)
            for how, m in [("too_short", e164[:5]), ("no_country_code_28", "+28" + e164[3:]),
                           ("too_long", e164 + "12345678")]:
                try:
                    ok = phonenumbers.is_valid_number(phonenumbers.parse(m, None))
                except phonenumbers.NumberParseException:
                    ok = False
                out.append({"kind": "phone", "value": m, "how": how, "reference": ok, "expected": False})
    for how, m in [("nanp_area_1xx", "+1 101-555-0123"), ("nanp_exchange_1xx", "(201) 155-0123")]:
        ok = phonenumbers.is_valid_number(phonenumbers.parse(m, "US"))
        out.append({"kind": "phone", "value": m, "how": how, "reference": ok, "expected": False})
    return out


def main():
    assert stdnum.__version__ == "2.2", stdnum.__version__
    assert phonenumbers.__version__ == "9.0.43", phonenumbers.__version__
    all_cases = []
    for gen in [gen_ssn, gen_nhs, gen_bsn, gen_personnummer, gen_aadhaar, gen_cpf, gen_dni, gen_nie, gen_nir,
                gen_idnr, gen_iban, gen_cards, gen_nino, gen_phones]:
        all_cases += gen()
    doc = {"python_stdnum": stdnum.__version__, "phonenumbers": phonenumbers.__version__, "seed": 16,
           "cases": all_cases}
    # One case per line: small diffs when a generator changes.
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"}, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(c, ensure_ascii=False) for c in all_cases)
    OUT.write_text(head + ', "cases": [\n' + body + "\n]}\n")
    kinds = {}
    for c in all_cases:
        kinds.setdefault(c["kind"], [0, 0])[c["expected"]] += 1
    print(OUT, {k: f"{v[1]} valid, {v[0]} invalid" for k, v in kinds.items()})


if __name__ == "__main__":
    main()
