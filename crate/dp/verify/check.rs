//! The verifier's bookkeeping: where a claim is (which release, which part), reading
//! fields of the untrusted JSON without panicking, and recording each claim checked and
//! each one that fails.

use serde_json::Value;
use std::fmt::Display;

use super::{Failure, Unreadable};
use crate::dp::accounting::PrivacyLoss;
use crate::dp::Rational;

/// Where a claim sits: a release (1-based, with its label) and a part of it.
#[derive(Clone, Debug, Default)]
pub(super) struct At {
    pub release: Option<String>,
    pub part: Option<String>,
}

impl At {
    /// The summary as a whole.
    pub fn summary() -> At {
        At::default()
    }
    /// Release `number` (from 1) with its label.
    pub fn release(number: usize, label: &str) -> At {
        At { release: Some(format!("release {number} ({label})")), part: None }
    }
    /// A part of this place ("component 1 (counts per key)", "cell `Leeds`").
    pub fn part(&self, part: impl Into<String>) -> At {
        let part = part.into();
        At {
            release: self.release.clone(),
            part: Some(match &self.part {
                Some(p) => format!("{p}, {part}"),
                None => part,
            }),
        }
    }
}

/// The claims checked so far and those that failed.
#[derive(Default)]
pub(super) struct Checker {
    pub checked: usize,
    pub failures: Vec<Failure>,
    pub skipped: Vec<String>,
}

impl Checker {
    /// Records a failed claim.
    pub fn fail(&mut self, at: &At, claim: &str, message: impl Into<String>, stated: String, expected: String) {
        self.failures.push(Failure {
            release: at.release.clone(),
            part: at.part.clone(),
            claim: claim.into(),
            message: message.into(),
            stated,
            expected,
        });
    }

    /// Checks that a stated value equals the value recomputed from the public parameters.
    /// `what` names the value, `how` says how the expected one was obtained.
    pub fn equal<T: PartialEq + Display>(
        &mut self,
        at: &At,
        claim: &str,
        what: &str,
        stated: T,
        expected: T,
        how: &str,
    ) {
        self.checked += 1;
        if stated != expected {
            let message = format!("{what} is {stated}, but {how} gives {expected}");
            self.fail(at, claim, message, stated.to_string(), expected.to_string());
        }
    }

    /// Checks a condition; `message` says what is wrong when it does not hold.
    pub fn holds(&mut self, at: &At, claim: &str, ok: bool, message: impl FnOnce() -> (String, String, String)) {
        self.checked += 1;
        if !ok {
            let (m, stated, expected) = message();
            self.fail(at, claim, m, stated, expected);
        }
    }

    /// A field that must be present (it may be `null` where the schema allows it).
    pub fn field<'a>(&mut self, at: &At, obj: &'a Value, key: &str) -> Option<&'a Value> {
        self.checked += 1;
        match obj.get(key) {
            Some(v) => Some(v),
            None => {
                let m = format!("the field `{key}` is missing (schema privaudit.dp-summary/1)");
                self.fail(at, "schema", m, "(missing)".into(), format!("a `{key}` field"));
                None
            }
        }
    }

    /// A present field of the right type, read by `read`; `kind` names the type.
    fn typed<'a, T>(
        &mut self,
        at: &At,
        obj: &'a Value,
        key: &str,
        kind: &str,
        read: impl Fn(&'a Value) -> Option<T>,
    ) -> Option<T> {
        let v = self.field(at, obj, key)?;
        let out = read(v);
        if out.is_none() {
            let m = format!("the field `{key}` should be {kind}, found {}", short(v));
            self.fail(at, "schema", m, short(v), kind.into());
        }
        out
    }

    pub fn str<'a>(&mut self, at: &At, obj: &'a Value, key: &str) -> Option<&'a str> {
        self.typed(at, obj, key, "a string", Value::as_str)
    }
    pub fn u64(&mut self, at: &At, obj: &Value, key: &str) -> Option<u64> {
        self.typed(at, obj, key, "a whole number", Value::as_u64)
    }
    pub fn f64(&mut self, at: &At, obj: &Value, key: &str) -> Option<f64> {
        self.typed(at, obj, key, "a number", Value::as_f64)
    }
    pub fn array<'a>(&mut self, at: &At, obj: &'a Value, key: &str) -> Option<&'a Vec<Value>> {
        self.typed(at, obj, key, "a list", Value::as_array)
    }
    pub fn object<'a>(&mut self, at: &At, obj: &'a Value, key: &str) -> Option<&'a Value> {
        self.typed(at, obj, key, "an object", |v| v.is_object().then_some(v))
    }
    /// A field that is either `null` or a number.
    pub fn opt_f64(&mut self, at: &At, obj: &Value, key: &str) -> Option<Option<f64>> {
        self.typed(at, obj, key, "a number or null", |v| if v.is_null() { Some(None) } else { v.as_f64().map(Some) })
    }
    /// A field that is either `null` or a whole number.
    pub fn opt_u64(&mut self, at: &At, obj: &Value, key: &str) -> Option<Option<u64>> {
        self.typed(
            at,
            obj,
            key,
            "a whole number or null",
            |v| if v.is_null() { Some(None) } else { v.as_u64().map(Some) },
        )
    }
    /// An exact rational written as `"num/den"` or `"num"`.
    pub fn rational(&mut self, at: &At, obj: &Value, key: &str) -> Option<Rational> {
        self.typed(at, obj, key, "an exact rational such as \"3/8\"", |v| {
            v.as_str().and_then(|s| Rational::try_from(s.to_string()).ok())
        })
    }
    /// A privacy loss `{kind: pure, epsilon}` or `{kind: zcdp, rho}`.
    pub fn loss(&mut self, at: &At, obj: &Value, key: &str) -> Option<PrivacyLoss> {
        self.typed(at, obj, key, "a privacy loss such as {\"kind\": \"pure\", \"epsilon\": \"1/2\"}", |v| {
            serde_json::from_value(v.clone()).ok()
        })
    }
}

/// A short rendering of a JSON value for messages.
pub(super) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// The text must be a JSON object with the DP summary's schema name.
pub(super) fn parse(text: &str) -> Result<Value, Unreadable> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| Unreadable(format!("this is not JSON ({e}); a DP summary is the .json file privaudit wrote")))?;
    match v.get("schema").and_then(Value::as_str) {
        Some(crate::dp::DP_SCHEMA) => Ok(v),
        Some(other) => Err(Unreadable(format!(
            "this JSON has the schema `{other}`, not `{}`: it is not a DP summary",
            crate::dp::DP_SCHEMA
        ))),
        None => Err(Unreadable(format!(
            "this JSON has no `schema` field `{}`: it is not a privaudit DP summary",
            crate::dp::DP_SCHEMA
        ))),
    }
}
