//! The re-identification gates and the glossary of the risk section.
//!
//! - `k_anonymity`: k (the smallest class), violated below the minimum (default 5);
//! - `sample_uniques`: rows in classes of size 1 / rows, violated above the maximum
//!   (default 0);
//! - `l_diversity`: distinct l, one outcome per sensitive attribute, violated below the
//!   minimum (default 2).
//!
//! All warn by default. A measure that could not be computed (more combinations than
//! `privacy.max_classes`, no rows) is `skipped` with the reason, never passed.

use super::report::RiskReport;
use crate::quality::checks::{self, CheckOutcome, RawChecks};
use crate::report::model::Definition;

/// The ids of the re-identification gates.
pub const IDS: [&str; 3] = ["k_anonymity", "sample_uniques", "l_diversity"];

/// The target k of the what-if table: the `k_anonymity` minimum, rounded up.
pub fn target_k(raw: &RawChecks) -> u64 {
    checks::threshold(raw, "k_anonymity", None).map_or(5, |t| t.ceil().max(1.0) as u64)
}

fn skipped(raw: &RawChecks, id: &str, column: Option<&str>, why: &str) -> Option<CheckOutcome> {
    checks::evaluate(raw, id, column, None, (0, 0)).map(|mut o| {
        o.note = Some(why.into());
        o
    })
}

/// The outcomes of the three gates.
pub fn outcomes(raw: &RawChecks, r: &RiskReport) -> Vec<CheckOutcome> {
    let why = r.note.as_deref().unwrap_or("not computed");
    let mut out = Vec::new();
    match &r.classes {
        Some(c) => {
            out.extend(checks::evaluate(raw, "k_anonymity", None, Some(c.k as f64), (c.k, c.rows)));
            out.extend(checks::outcome(raw, "sample_uniques", None, c.sample_uniques.rows, c.rows));
        }
        None => {
            out.extend(skipped(raw, "k_anonymity", None, why));
            out.extend(skipped(raw, "sample_uniques", None, why));
        }
    }
    for s in &r.sensitive_measures {
        out.extend(match &s.measures {
            Some(d) => checks::evaluate(
                raw,
                "l_diversity",
                Some(&s.column),
                Some(d.distinct_l as f64),
                (d.distinct_l, s.values),
            ),
            None => skipped(raw, "l_diversity", Some(&s.column), s.note.as_deref().unwrap_or(why)),
        });
    }
    out
}

/// The glossary of the re-identification section.
pub fn definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("quasi-identifier", "a column that does not identify a person alone but can in combination with outside data (age, dates, postal code, sex, occupation…), chosen by the user (privacy.quasi_identifiers)"),
        d("equivalence class", "the rows sharing one combination of quasi-identifier values; its size f counts rows. Missing is its own value (ARX): it matches only other missing values, whatever the token; values compare as typed (numbers by value, dates by day, text trimmed with case kept). Unparseable cells are values of their own"),
        d("k (k-anonymity)", "the size of the smallest class (Sweeney 2002; ARX KAnonymity, pycanon k_anonymity); gate k_anonymity (minimum, default 5, warn)"),
        d("sample uniques", "rows in classes of size 1, and their share of the rows (ARX RiskModelSampleUniqueness); gate sample_uniques (maximum share, default 0, warn). Rows in classes below 5 and below 10 likewise"),
        d("class-size histogram", "classes and rows per bucket of class sizes (1, 2, 3–4, 5–9, 10–19, 20–49, 50–99, 100–999, 1,000–9,999, 10,000+), the shape of Google Sensitive Data Protection's k-anonymity histogram; no combination of values is shown"),
        d("prosecutor risk", "the attacker knows the person is in the file (El Emam; ARX RiskModelSampleSummary): per row 1/f; highest = 1/k; average = classes / rows, the mean over rows (pycanon's average_rir averages over classes instead: 0.3056 against 0.3 on the textbook example); lowest = 1 / the largest class; records at risk = rows whose 1/f is strictly above τ (privacy.risk_threshold, default 0.2, i.e. classes below 5)"),
        d("journalist and marketer risk", "need the size of each combination in the population (a population table). Without one ARX takes the population to be the sample, which makes them equal to the prosecutor risk and its average: the report says \"same as prosecutor\" instead of showing other numbers"),
        d("population uniques", "estimated people of the population (size N, privacy.population) who are unique on the quasi-identifiers, assuming the file is a simple random sample (π = rows / N): Zayatz (1991) and Pitman (Hoshino 2001) as ARX implements them, the model chosen by Dankar et al.'s rule (π ≤ 0.1: Pitman, else Zayatz; SNB is not computed). \"Not estimable\" when a model fails (ARX shows 0); 0 by definition without sample uniques. The models can disagree by an order of magnitude: all are shown"),
        d("α-distinction / α-separation", "classes / rows, and 1 − Σ C(f, 2) / C(n, 2): the share of row pairs the quasi-identifiers tell apart (ARX RiskModelAttributes)"),
        d("l-diversity", "of a sensitive attribute within the classes (Machanavajjhala et al. 2007; ARX): distinct l = the fewest distinct values in a class (gate l_diversity, minimum 2, warn); entropy l = min over classes of exp(−Σ q ln q), natural log, real-valued (pycanon floors it to an integer); recursive (c, l): holds for every c above c* = max over classes of r₁ / (r_l + … + r_m), counts sorted descending (textbook and ARX, strict <; pycanon sorts ascending and returns another c). A missing sensitive value counts as a value"),
        d("t-closeness", "the largest distance between a class's distribution of the sensitive attribute and the whole table's (Li et al. 2007; ARX): equal distance ½ Σ |q − p| for categorical attributes, ordered distance (1/(m − 1)) Σ_i |Σ_{j ≤ i} (q_j − p_j)| over the table's m values in order for numbers and dates (rank spacing); undefined with one value. α = the largest share of one value in a class ((α, k)-anonymity over all values, as pycanon)"),
        d("what-if generalisation", "the classes regrouped after replacing each quasi-identifier by its ladder level (numbers → bands, ages → HIPAA 90+ and bands, dates → month → year, postal codes → characters masked from the right, rare categories → other, then *), computed from the exact counts of the original combinations without reading the file again; rows to suppress = rows in classes smaller than the target k (the k_anonymity minimum)"),
        d("information loss", "of a generalisation without suppression: discernibility DM* = Σ f² (ARX, pycanon discernability_metric); non-uniform entropy = Σ over quasi-identifiers of −Σ_v a_v log₂(a_v / b_g(v)), a_v rows holding v and b the rows of its generalised value (ARX MetricMDNUEntropyPrecomputed, sum); precision = mean of level / height (ARX MetricMDNMPrecision)"),
        d("memory cap", "privacy.max_classes (default 1,000,000) distinct combinations are counted exactly (and as many (combination, sensitive value) pairs per attribute); above it the class measures are not computed and the report says so — never an approximate k"),
    ]
}
