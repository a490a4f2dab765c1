//! Generalisation ladders: per quasi-identifier, one label per level for every value
//! (`shared/PRIVACY_RISK.md` §5; ARX hierarchy builders). Level 0 is the value itself, the
//! top level is `*` (suppressed). A missing or unparseable value stays itself on every
//! level below the top (ARX keeps `NULL` as `NULL`).
//!
//! | kind | levels |
//! |---|---|
//! | `numeric` | exact → bands of each width (default 5, 10, 20; `[lo, lo + w)`, lo a multiple of w) → `*` |
//! | `age` | exact → exact with ages ≥ 90 pooled as `90+` (HIPAA §164.514(b)(2)(i)(C)) → bands of each width with `90+` → `*` |
//! | `date` | day → month (`YYYY-MM`) → year → `*` (date-times start with the exact time, then the day) |
//! | `mask` | exact → the last 1, 2, 3, 4 characters replaced by `*` (`13053` → `1305*` → `130**` …; ARX redaction right to left) → `*` |
//! | `category` | exact → values held by fewer than m rows become `other` (default m = 10) → `*` |
//! | `suppress` | exact → `*` |

use super::key::Value;
use crate::ingest::value::{civil_from_days, ColumnType};
use serde::{Deserialize, Serialize};

/// The kind of a ladder and its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Ladder {
    /// Numeric bands of increasing width.
    Numeric {
        /// Band widths, one level each.
        widths: Vec<f64>,
    },
    /// Ages: HIPAA top-coding, then bands.
    Age {
        /// Band widths after the top-coding level.
        widths: Vec<f64>,
        /// Ages at or above this are pooled (`90+`).
        top: f64,
    },
    /// Calendar dates (or date-times when `time` is set).
    Date {
        /// The column holds date-times (one more level: the day).
        time: bool,
    },
    /// Characters masked from the right.
    Mask {
        /// Characters masked, one level each.
        masks: Vec<u32>,
    },
    /// Rare values pooled as `other`.
    Category {
        /// Values with fewer rows than this become `other`, one level each.
        min_counts: Vec<u64>,
    },
    /// Exact or `*`.
    Suppress,
}

/// Default band widths.
pub const DEFAULT_WIDTHS: [f64; 3] = [5.0, 10.0, 20.0];
/// Default characters masked per level.
pub const DEFAULT_MASKS: [u32; 4] = [1, 2, 3, 4];
/// Default rare-value threshold.
pub const DEFAULT_MIN_COUNT: u64 = 10;
/// HIPAA's age top code.
pub const HIPAA_TOP_AGE: f64 = 90.0;

/// Lower-case whole-word tokens of a column name (`PostalCode`, `zip_code` → postal, code / zip, code).
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        cur.extend(ch.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// True when a column name says it holds postal codes.
pub fn is_postal_name(name: &str) -> bool {
    let t = name_tokens(name);
    t.iter().any(|w| {
        matches!(w.as_str(), "zip" | "zipcode" | "postcode" | "postal" | "postalcode" | "plz" | "postleitzahl")
    })
}

/// True when a column name says it holds ages.
pub fn is_age_name(name: &str) -> bool {
    name_tokens(name).iter().any(|w| matches!(w.as_str(), "age" | "alter" | "edad" | "leeftijd" | "âge"))
}

impl Ladder {
    /// The default ladder of a column from its type and name.
    pub fn default_for(name: &str, ty: ColumnType) -> Ladder {
        if is_postal_name(name) && !matches!(ty, ColumnType::Date | ColumnType::Datetime | ColumnType::Boolean) {
            return Ladder::Mask { masks: DEFAULT_MASKS.to_vec() };
        }
        match ty {
            ColumnType::Integer | ColumnType::Float if is_age_name(name) => {
                Ladder::Age { widths: DEFAULT_WIDTHS.to_vec(), top: HIPAA_TOP_AGE }
            }
            ColumnType::Integer | ColumnType::Float => Ladder::Numeric { widths: DEFAULT_WIDTHS.to_vec() },
            ColumnType::Date => Ladder::Date { time: false },
            ColumnType::Datetime => Ladder::Date { time: true },
            ColumnType::Boolean => Ladder::Suppress,
            ColumnType::Categorical | ColumnType::Text | ColumnType::Identifier => {
                Ladder::Category { min_counts: vec![DEFAULT_MIN_COUNT] }
            }
        }
    }

    /// The top level (`*`); levels run from 0 to this.
    pub fn height(&self) -> u32 {
        let steps = match self {
            Ladder::Numeric { widths } => widths.len(),
            Ladder::Age { widths, .. } => widths.len() + 1,
            Ladder::Date { time } => 2 + usize::from(*time),
            Ladder::Mask { masks } => masks.len(),
            Ladder::Category { min_counts } => min_counts.len(),
            Ladder::Suppress => 0,
        };
        steps as u32 + 1
    }

    /// The name of the ladder kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Ladder::Numeric { .. } => "numeric",
            Ladder::Age { .. } => "age",
            Ladder::Date { .. } => "date",
            Ladder::Mask { .. } => "mask",
            Ladder::Category { .. } => "category",
            Ladder::Suppress => "suppress",
        }
    }

    /// What level `level` does, for people.
    pub fn level_name(&self, level: u32) -> String {
        if level == 0 {
            return "exact".into();
        }
        if level >= self.height() {
            return "* (suppressed)".into();
        }
        let i = level as usize - 1;
        let num = crate::report::fmt::number;
        match self {
            Ladder::Numeric { widths } => format!("bands of {}", num(widths[i])),
            Ladder::Age { top, .. } if i == 0 => format!("exact, {}+ pooled", num(*top)),
            Ladder::Age { widths, top } => format!("{}-year bands, {}+ pooled", num(widths[i - 1]), num(*top)),
            Ladder::Date { time: true } => ["day", "month", "year"][i].into(),
            Ladder::Date { time: false } => ["month", "year"][i].into(),
            Ladder::Mask { masks } => format!("last {} masked", masks[i]),
            Ladder::Category { min_counts } => {
                format!("values under {} rows → other", crate::report::fmt::count(min_counts[i]))
            }
            Ladder::Suppress => "* (suppressed)".into(),
        }
    }

    /// The value of `v` at `level`; `count` is the number of rows holding `v` exactly
    /// (used by the `category` ladder).
    pub fn generalise(&self, level: u32, v: &Value, count: u64) -> Value {
        if level == 0 {
            return v.clone();
        }
        if level >= self.height() {
            return Value::Any;
        }
        if matches!(v, Value::Missing) {
            return Value::Missing;
        }
        let i = level as usize - 1;
        match self {
            Ladder::Numeric { widths } => number(v).map_or_else(|| v.clone(), |x| band(x, widths[i], is_int(v), None)),
            Ladder::Age { widths, top } => match number(v) {
                None => v.clone(),
                Some(x) if x >= *top => Value::Label(format!("{}+", plain(*top))),
                Some(_) if i == 0 => v.clone(),
                Some(x) => band(x, widths[i - 1], is_int(v), Some(*top)),
            },
            Ladder::Date { time } => date(v, if *time { i } else { i + 1 }),
            Ladder::Mask { masks } => mask(v, masks[i]),
            Ladder::Category { min_counts } if count < min_counts[i] => Value::Label("other".into()),
            Ladder::Category { .. } | Ladder::Suppress => v.clone(),
        }
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(x) => Some(*x as f64),
        Value::Float(x) if x.is_finite() => Some(*x),
        _ => None,
    }
}

fn is_int(v: &Value) -> bool {
    matches!(v, Value::Int(_))
}

/// The band `[lo, lo + w)` holding `x`, lo a multiple of `w` (capped below `top`).
fn band(x: f64, w: f64, int: bool, top: Option<f64>) -> Value {
    let mut k = (x / w).floor();
    // x / w is rounded: correct the band index against the exact products.
    if k * w > x {
        k -= 1.0;
    } else if (k + 1.0) * w <= x {
        k += 1.0;
    }
    let lo = k * w;
    let mut hi = lo + w;
    if let Some(t) = top {
        hi = hi.min(t);
    }
    Value::Label(if int && lo >= 0.0 && lo.fract() == 0.0 && hi.fract() == 0.0 {
        format!("{}-{}", plain(lo), plain(hi - 1.0))
    } else {
        format!("[{}, {})", plain(lo), plain(hi))
    })
}

/// A number in a label: ASCII, no thousands separators, shortest round trip.
fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Date levels: 0 day (date-times only), 1 month, 2 year.
fn date(v: &Value, step: usize) -> Value {
    let days = match v {
        Value::Date(d) => *d,
        Value::Datetime(s) => s.div_euclid(86_400),
        _ => return v.clone(),
    };
    let (y, m, d) = civil_from_days(days);
    Value::Label(match step {
        0 => format!("{y:04}-{m:02}-{d:02}"),
        1 => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}"),
    })
}

fn mask(v: &Value, k: u32) -> Value {
    let text = match v {
        Value::Text(s) | Value::Invalid(s) | Value::Label(s) => s.clone(),
        other => other.text(),
    };
    let n = text.chars().count();
    let keep = n.saturating_sub(k as usize);
    let mut out: String = text.chars().take(keep).collect();
    out.extend(std::iter::repeat_n('*', n - keep));
    Value::Label(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(v: Value) -> String {
        v.text()
    }

    #[test]
    fn ladders_generalise_as_documented() {
        let num = Ladder::Numeric { widths: vec![5.0, 10.0] };
        assert_eq!(num.height(), 3);
        assert_eq!(label(num.generalise(1, &Value::Int(23), 1)), "20-24");
        assert_eq!(label(num.generalise(2, &Value::Int(-3), 1)), "[-10, 0)");
        assert_eq!(label(num.generalise(1, &Value::Float(24.5), 1)), "[20, 25)");
        assert_eq!(label(num.generalise(3, &Value::Int(23), 1)), "*");
        assert_eq!(num.generalise(1, &Value::Missing, 1), Value::Missing);
        let age = Ladder::Age { widths: vec![10.0], top: 90.0 };
        assert_eq!(age.height(), 3);
        assert_eq!(label(age.generalise(1, &Value::Int(93), 1)), "90+");
        assert_eq!(label(age.generalise(1, &Value::Int(47), 1)), "47");
        assert_eq!(label(age.generalise(2, &Value::Int(87), 1)), "80-89");
        let date = Ladder::Date { time: false };
        let d = Value::Date(crate::ingest::value::days_from_civil(2013, 8, 14));
        assert_eq!(
            (label(date.generalise(1, &d, 1)), label(date.generalise(2, &d, 1))),
            ("2013-08".into(), "2013".into())
        );
        assert_eq!(label(Ladder::Date { time: true }.generalise(1, &Value::Datetime(86_399), 1)), "1970-01-01");
        let zip = Ladder::Mask { masks: vec![1, 2] };
        assert_eq!(label(zip.generalise(2, &Value::Text("13053".into()), 1)), "130**");
        assert_eq!(label(zip.generalise(1, &Value::Int(14850), 1)), "1485*");
        let cat = Ladder::Category { min_counts: vec![3] };
        assert_eq!(label(cat.generalise(1, &Value::Text("rare".into()), 2)), "other");
        assert_eq!(label(cat.generalise(1, &Value::Text("common".into()), 3)), "common");
    }

    #[test]
    fn defaults_follow_names_and_types() {
        assert_eq!(name_tokens("PostalCode_2"), vec!["postal", "code", "2"]);
        assert_eq!(Ladder::default_for("zip", ColumnType::Integer).kind(), "mask");
        assert_eq!(Ladder::default_for("age", ColumnType::Integer).kind(), "age");
        assert_eq!(Ladder::default_for("page_views", ColumnType::Integer).kind(), "numeric");
        assert_eq!(Ladder::default_for("dob", ColumnType::Date).height(), 3);
        assert_eq!(Ladder::default_for("race", ColumnType::Categorical).kind(), "category");
        assert_eq!(Ladder::default_for("smoker", ColumnType::Boolean).height(), 1);
    }
}
