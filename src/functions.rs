//! Host functions the rules call, written in Rust so that rules stay short and the hot work
//! (path lookups, date arithmetic) runs as native code. Every function here is bounded in time
//! by its input, and none panics.
//!
//! | function | returns |
//! |---|---|
//! | `need(v, "a.b[0].c")`, `need(v, path, prefix)` | the value; when missing or null the rule *fails* naming the path |
//! | `field(v, path)`, `field(v, path, default)` | the value, `()` / `default` when missing or null |
//! | `present(v, path)` | true when present and not null |
//! | `empty(x)` | true for `()`, `""`, `[]`, `#{}` |
//! | `days(a, b)` | calendar days b − a |
//! | `add_days(d, n)`, `add_months(d, n)` | a date; months clamp to month end |
//! | `working_days(a, b)`, `working_days(a, b, j)` | Monday–Friday days after a up to b; with j, not counting `params.public_holidays[j]` |
//! | `min_date(a, b)`, `max_date(a, b)`, `is_date(s)` | dates |
//! | `is_eu(code)`, `is_eea(code)` | EU (with its separately coded territories) and EEA membership |
//! | `da_scope(req)`, `is_da_jurisdiction(code)` | Data Act switching scope; `code` in `params.da_jurisdictions` |
//! | `is_adequate(code)` | `code` in `params.adequacy_jurisdictions` |
//! | `join(array, sep)` | text |
//! | `pass()`, `pass(explanation)`, `fail(msg)`, `fail(msg, paths)`, `not_applicable(reason)` | a rule's result |

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, FuncRegistration, Position, Shared};

use crate::calendar::{is_eea, is_eu, Date};
use crate::jurisdictions::Jurisdictions;

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

/// How the engine hands rules the request (`req`) and the parameters (`params`): read-only,
/// and cheap to pass around.
///
/// Why not a plain constant map: Rhai copies a constant each time a rule passes it in call
/// style (`need(req, "…")`), and for the request that deep copy was most of the cost of a
/// decision. Behind a [`Shared`] pointer the copy is a reference
/// count. Rules read through the host functions, `req.field` / `req["field"]` (an indexer
/// without a setter) and `"key" in req`; nothing can write to it, not even to add a key.
#[derive(Clone)]
pub struct ReadOnly {
    /// The constant's name in the rules, for the error when a rule tries to write to it.
    name: &'static str,
    value: Shared<Dynamic>,
}

impl ReadOnly {
    pub fn wrap(name: &'static str, value: Dynamic) -> Dynamic {
        Dynamic::from(ReadOnly::new(name, value))
    }

    pub fn new(name: &'static str, value: Dynamic) -> ReadOnly {
        ReadOnly {
            name,
            value: Shared::new(value),
        }
    }

    /// The value behind the pointer, for the compiled form of the rules (which reads it in place).
    pub(crate) fn inner(&self) -> &Dynamic {
        &self.value
    }

    fn refuse_write(&self) -> Box<EvalAltResult> {
        Box::new(EvalAltResult::ErrorAssignmentToConstant(
            self.name.to_string(),
            Position::NONE,
        ))
    }

    /// A member, itself read-only so that `req.data_assets.push(x)` is refused as before.
    pub(crate) fn member(&self, key: &str) -> Dynamic {
        match self.value.as_map_ref() {
            Ok(map) => map
                .get(key)
                .cloned()
                .map_or(Dynamic::UNIT, Dynamic::into_read_only),
            Err(_) => Dynamic::UNIT,
        }
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.value
            .as_map_ref()
            .is_ok_and(|map| map.contains_key(key))
    }
}

/// Raised by `need` for a missing field; scripts cannot construct it, so only a real missing
/// field turns into a `fail` (not an `error`).
#[derive(Clone, Debug, PartialEq)]
pub struct MissingField(pub String);

/// Names a rule may not define as its own functions: shadowing them could silently change
/// what a rule checks.
pub const HOST_FUNCTIONS: &[&str] = &[
    "need",
    "field",
    "present",
    "empty",
    "days",
    "add_days",
    "add_months",
    "working_days",
    "min_date",
    "max_date",
    "is_date",
    "is_eu",
    "is_eea",
    "is_adequate",
    "is_da_jurisdiction",
    "da_scope",
    "join",
    "pass",
    "fail",
    "not_applicable",
];

type Res<T> = Result<T, Box<EvalAltResult>>;

fn runtime_error(message: String) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(message.into(), Position::NONE))
}

/// Splits `a.b[0].c` into steps. Returns `None` for a malformed path. One grammar for the
/// rules' lookups and the test cases' `set`/`unset`.
pub(crate) fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i)?, part.get(i..)?),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Step::Key(name.into()));
        } else if out.is_empty() && rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let index: usize = rest.get(1..close)?.parse().ok()?;
            out.push(Step::Index(index));
            rest = rest.get(close + 1..)?;
        }
    }
    Some(out)
}

/// One step of a field path. Keys are owned (inline for up to 23 bytes, so parsing a path
/// rarely allocates) so that the compiled form of a rule can keep its paths parsed.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Key(rhai::Identifier),
    Index(usize),
}

/// Walks `path` from `root` and hands the value found (if any, and not null) to `f`, without
/// cloning anything on the way. Recursion depth is the number of steps in the path.
fn lookup<R>(root: &Dynamic, path: &str, f: impl FnOnce(Option<&Dynamic>) -> R) -> Res<R> {
    let parsed =
        parse_path(path).ok_or_else(|| runtime_error(format!("malformed field path `{path}`")))?;
    Ok(walk(root, &parsed, f))
}

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

fn get_value(root: &Dynamic, path: &str) -> Res<Dynamic> {
    lookup(root, path, |v| v.cloned().unwrap_or(Dynamic::UNIT))
}

pub(crate) fn need_value(root: &Dynamic, path: &str, prefix: &str) -> Res<Dynamic> {
    match lookup(root, path, |v| v.cloned())? {
        Some(v) => Ok(v),
        None => {
            let full = if prefix.is_empty() {
                path.to_string()
            } else {
                format!("{prefix}.{path}")
            };
            Err(Box::new(EvalAltResult::ErrorRuntime(
                Dynamic::from(MissingField(full)),
                Position::NONE,
            )))
        }
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

pub(crate) fn date(text: &str) -> Res<Date> {
    Date::parse(text).map_err(|e| runtime_error(e.to_string()))
}

fn date_result(d: Result<Date, crate::calendar::DateError>) -> Res<String> {
    d.map(|d| d.to_string())
        .map_err(|e| runtime_error(e.to_string()))
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

/// Whether the Data Act's switching chapter applies: a customer in one of the pack's
/// `da_jurisdictions` (the Union by default) and a production service. A missing jurisdiction
/// fails the calling rule (fail closed) rather than guessing either way.
pub(crate) fn da_scope(req: &Dynamic, places: &Jurisdictions) -> Res<bool> {
    let jurisdiction = need_value(req, "customer.jurisdiction", "")?;
    let in_scope = jurisdiction
        .as_immutable_string_ref()
        .map(|s| places.is_da(s.as_str()))
        .unwrap_or(false);
    let non_production = get_value(req, "service.non_production")?
        .as_bool()
        .unwrap_or(false);
    Ok(in_scope && !non_production)
}

/// `da_scope` of the typed request, for the compiled form: the same answer, and the same missing
/// field, as `da_scope` over the rules' view of it.
pub(crate) fn da_scope_of(
    request: &crate::request::Request,
    places: &Jurisdictions,
) -> Result<bool, MissingField> {
    let Some(jurisdiction) = request
        .customer
        .as_ref()
        .and_then(|c| c.jurisdiction.as_ref())
    else {
        return Err(MissingField("customer.jurisdiction".to_string()));
    };
    let non_production = request
        .service
        .as_ref()
        .and_then(|s| s.non_production)
        .unwrap_or(false);
    Ok(places.is_da(jurisdiction) && !non_production)
}

/// `working_days(a, b, j)`: weekdays in (a, b] that are not public holidays of `j`.
pub(crate) fn working_days_in(a: Date, b: Date, places: &Jurisdictions, j: &str) -> i64 {
    a.working_days_except(b, places.holidays(j))
}

/// Registers every host function. Names avoid those of Rhai's packages (`get`, `min`, …):
/// an exact-type package function would otherwise win over a `Dynamic`-typed one here. Functions that take the request by reference are marked
/// pure so that Rhai passes the (constant) request without copying it. `places`: the pack's
/// place parameters, which the Data Act scope, adequacy and holidays read.
pub fn register(engine: &mut Engine, places: Arc<Jurisdictions>) {
    engine.register_type_with_name::<RuleResult>("RuleResult");
    engine.register_type_with_name::<MissingField>("MissingField");
    // Shown as `map`, which is what rules have always been told `req` and `params` are.
    engine.register_type_with_name::<ReadOnly>("map");
    engine.register_indexer_get(|v: &mut ReadOnly, key: &str| v.member(key));
    // A write (`req.x = 1`, `req["x"] = 1`) reaches this setter, which refuses it naming the
    // constant. Marked pure only so that Rhai calls it on a constant and the rule author reads
    // "Cannot modify constant req" rather than a message about indexers (it writes nothing).
    FuncRegistration::new("index$set$")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, _: &str, _: Dynamic| -> Res<()> {
            Err(v.refuse_write())
        });
    engine.register_fn("contains", |v: &mut ReadOnly, key: &str| v.contains(key));
    engine.register_fn("to_string", |v: &mut ReadOnly| v.value.to_string());
    engine.register_fn("to_debug", |v: &mut ReadOnly| format!("{:?}", *v.value));
    FuncRegistration::new("need")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str| {
            need_value(&v.value, path, "")
        });
    FuncRegistration::new("need")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str, prefix: &str| {
            need_value(&v.value, path, prefix)
        });
    FuncRegistration::new("field")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str| {
            get_value(&v.value, path)
        });
    FuncRegistration::new("field")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str, default: Dynamic| {
            lookup(&v.value, path, |found| found.cloned().unwrap_or(default))
        });
    FuncRegistration::new("present")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str| {
            lookup(&v.value, path, |found| found.is_some())
        });
    let p = places.clone();
    FuncRegistration::new("da_scope")
        .with_purity(true)
        .register_into_engine(engine, move |v: &mut ReadOnly| da_scope(&v.value, &p));

    FuncRegistration::new("need")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str| {
            need_value(v, path, "")
        });
    FuncRegistration::new("need")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str, prefix: &str| {
            need_value(v, path, prefix)
        });
    FuncRegistration::new("field")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str| get_value(v, path));
    FuncRegistration::new("field")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str, default: Dynamic| {
            lookup(v, path, |found| found.cloned().unwrap_or(default))
        });
    FuncRegistration::new("present")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str| {
            lookup(v, path, |found| found.is_some())
        });
    FuncRegistration::new("empty")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic| is_empty_value(v));
    let p = places.clone();
    FuncRegistration::new("da_scope")
        .with_purity(true)
        .register_into_engine(engine, move |v: &mut Dynamic| da_scope(v, &p));

    engine.register_fn("days", |a: &str, b: &str| -> Res<i64> {
        Ok(date(a)?.days_until(date(b)?))
    });
    engine.register_fn("working_days", |a: &str, b: &str| -> Res<i64> {
        Ok(date(a)?.working_days_until(date(b)?))
    });
    let p = places.clone();
    engine.register_fn(
        "working_days",
        move |a: &str, b: &str, j: &str| -> Res<i64> {
            Ok(working_days_in(date(a)?, date(b)?, &p, j))
        },
    );
    engine.register_fn("working_days", |a: &str, b: &str, _: ()| -> Res<i64> {
        Ok(date(a)?.working_days_until(date(b)?))
    });
    engine.register_fn("add_days", |d: &str, n: i64| -> Res<String> {
        date_result(date(d)?.add_days(n))
    });
    engine.register_fn("add_months", |d: &str, n: i64| -> Res<String> {
        date_result(date(d)?.add_months(n))
    });
    engine.register_fn("min_date", |a: &str, b: &str| -> Res<String> {
        Ok(date(a)?.min(date(b)?).to_string())
    });
    engine.register_fn("max_date", |a: &str, b: &str| -> Res<String> {
        Ok(date(a)?.max(date(b)?).to_string())
    });
    engine.register_fn("is_date", |s: &str| Date::parse(s).is_ok());
    engine.register_fn("is_date", |_: ()| false);
    engine.register_fn("is_eea", |code: &str| is_eea(code));
    engine.register_fn("is_eea", |_: ()| false);
    engine.register_fn("is_eu", |code: &str| is_eu(code));
    engine.register_fn("is_eu", |_: ()| false);
    let p = places.clone();
    engine.register_fn("is_adequate", move |code: &str| p.is_adequate(code));
    engine.register_fn("is_adequate", |_: ()| false);
    let p = places;
    engine.register_fn("is_da_jurisdiction", move |code: &str| p.is_da(code));
    engine.register_fn("is_da_jurisdiction", |_: ()| false);
    engine.register_fn("join", |a: Array, sep: &str| {
        a.iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(sep)
    });

    engine.register_fn("pass", || RuleResult::Pass(None));
    engine.register_fn("pass", |explanation: Dynamic| {
        RuleResult::Pass(Some(message_of(&explanation)))
    });
    engine.register_fn("fail", |message: Dynamic| RuleResult::Fail {
        message: message_of(&message),
        paths: Vec::new(),
    });
    engine.register_fn("fail", |message: Dynamic, paths: Array| RuleResult::Fail {
        message: message_of(&message),
        paths: paths_of(&paths),
    });
    engine.register_fn("fail", |message: Dynamic, path: &str| RuleResult::Fail {
        message: message_of(&message),
        paths: vec![path.to_string()],
    });
    engine.register_fn("not_applicable", |reason: &str| RuleResult::NotApplicable {
        reason: reason.to_string(),
    });
    engine.register_fn("not_applicable", || RuleResult::NotApplicable {
        reason: String::new(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> Dynamic {
        let json = serde_json::json!({
            "a": { "b": [ { "c": 1 }, { "c": null } ], "s": "", "t": "x" }
        });
        crate::convert::ToRhai::to_rhai(&json)
    }

    #[test]
    fn paths_walk_maps_and_arrays() {
        let r = req();
        assert_eq!(get_value(&r, "a.b[0].c").unwrap().as_int().unwrap(), 1);
        assert!(get_value(&r, "a.b[1].c").unwrap().is_unit());
        assert!(get_value(&r, "a.b[9].c").unwrap().is_unit());
        assert!(get_value(&r, "a.t.x").unwrap().is_unit());
        assert!(lookup(&r, "a.b[x]", |_| ()).is_err());
        assert!(lookup(&r, "a.b[0", |_| ()).is_err());
    }

    #[test]
    fn need_reports_the_full_path() {
        let r = req();
        let err = need_value(&r, "b[1].c", "data.a").unwrap_err();
        match *err {
            EvalAltResult::ErrorRuntime(v, _) => {
                assert_eq!(
                    v.cast::<MissingField>(),
                    MissingField("data.a.b[1].c".into())
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn emptiness() {
        let r = req();
        assert!(is_empty_value(&get_value(&r, "a.s").unwrap()));
        assert!(!is_empty_value(&get_value(&r, "a.t").unwrap()));
        assert!(is_empty_value(&Dynamic::UNIT));
        assert!(is_empty_value(&Dynamic::from_array(vec![])));
    }
}
