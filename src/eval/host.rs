//! The host functions' work, on the evaluator's values: what `need`, `da_scope`, `empty`,
//! `fail` and the others compute. Their names, arities and docs are in the one table of
//! [`crate::lang::host`]; the evaluator ([`super::machine`]) dispatches to these.

use rhai::{Array, Dynamic};

use crate::calendar::Date;
use crate::jurisdictions::Jurisdictions;
use crate::path::Step;

/// A rule's result, as built by `pass()`, `fail(...)` and `not_applicable(...)`.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleResult {
    /// With the values checked and the limit they met (`pass(explanation)`), which a decision
    /// carries only in explain mode.
    Pass(Option<String>),
    Fail {
        message: String,
        paths: Vec<String>,
    },
    NotApplicable {
        reason: String,
    },
}

pub use crate::value::ReadOnly;

/// Raised by `need` for a missing field; scripts cannot construct it, so only a real missing
/// field turns into a `fail` (not an `error`).
#[derive(Clone, Debug, PartialEq)]
pub struct MissingField(pub String);

/// Walks `steps` from `current` and hands the value found (if any, and not null) to `f`,
/// without cloning anything on the way.
pub(crate) fn walk<R>(
    current: &Dynamic,
    steps: &[Step],
    f: impl FnOnce(Option<&Dynamic>) -> R,
) -> R {
    if current.is_unit() {
        return f(None);
    }
    match steps.split_first() {
        None => f(Some(current)),
        Some((Step::Key(key), rest)) => match current.as_map_ref() {
            Ok(map) => match map.get(key.as_str()) {
                Some(next) => walk(next, rest, f),
                None => f(None),
            },
            Err(_) => f(None),
        },
        Some((Step::Index(i), rest)) => match current.as_array_ref() {
            Ok(array) => match array.get(*i) {
                Some(next) => walk(next, rest, f),
                None => f(None),
            },
            Err(_) => f(None),
        },
    }
}

pub(crate) fn is_empty_value(v: &Dynamic) -> bool {
    if v.is_unit() {
        return true;
    }
    if let Ok(s) = v.as_immutable_string_ref() {
        return s.trim().is_empty();
    }
    if let Ok(a) = v.as_array_ref() {
        return a.is_empty();
    }
    if let Ok(m) = v.as_map_ref() {
        return m.is_empty();
    }
    false
}

pub(crate) fn message_of(v: &Dynamic) -> String {
    if let Ok(a) = v.as_array_ref() {
        a.iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        v.to_string()
    }
}

pub(crate) fn paths_of(paths: &Array) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(paths.len());
    for p in paths {
        let p = p.to_string();
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// `da_scope`'s rule, whatever it reads from: the Data Act's switching chapter applies to a
/// customer in one of `params.da_jurisdictions` (`in_da`; `None` when the jurisdiction is
/// missing, which fails the calling rule naming it) with a production service.
fn da_scope(in_da: Option<bool>, non_production: bool) -> Result<bool, MissingField> {
    match in_da {
        Some(in_da) => Ok(in_da && !non_production),
        None => Err(MissingField("customer.jurisdiction".to_string())),
    }
}

/// `da_scope(req)`, read from the typed request.
pub(crate) fn da_scope_of(
    request: &crate::request::Request,
    places: &Jurisdictions,
) -> Result<bool, MissingField> {
    let jurisdiction = request
        .customer
        .as_ref()
        .and_then(|c| c.jurisdiction.as_ref());
    let non_production = request
        .service
        .as_ref()
        .and_then(|s| s.non_production)
        .unwrap_or(false);
    da_scope(jurisdiction.map(|j| places.is_da(j)), non_production)
}

/// `working_days(a, b, j)`: weekdays in (a, b] that are not public holidays of `j`.
pub(crate) fn working_days_in(a: Date, b: Date, places: &Jurisdictions, j: &str) -> i64 {
    a.working_days_except(b, places.holidays(j))
}

/// `da_scope(v)` of a value other than `req` itself (a map a rule built, a copy of `req`).
pub(crate) fn da_scope_value(v: &Dynamic, places: &Jurisdictions) -> Result<bool, MissingField> {
    let key = |k: &str| Step::Key(k.into());
    let in_da = walk(v, &[key("customer"), key("jurisdiction")], |found| {
        found.map(|j| {
            j.as_immutable_string_ref()
                .is_ok_and(|s| places.is_da(s.as_str()))
        })
    });
    let non_production = walk(v, &[key("service"), key("non_production")], |found| {
        found.and_then(|b| b.as_bool().ok()).unwrap_or(false)
    });
    da_scope(in_da, non_production)
}
