//! Data-driven test cases, one JSON file per topic, shared by `cloudgate test`, the Rust
//! integration tests and the JS parity tests.
//!
//! ```json
//! { "base": "termination", "as_of": "2026-09-15",
//!   "cases": [ { "name": "notice too short",
//!                "set": { "termination.effective_date": "2026-09-20" },
//!                "unset": ["termination.change_id"],
//!                "expect": { "decision": "deny", "failing": ["TRM-002", "TRM-011"],
//!                            "outcomes": { "TRM-002": "fail" },
//!                            "message_contains": { "TRM-002": "2026-10-01" } } } ] }
//! ```
//!
//! A case starts from a base request (`tests/base/<base>.json` in the pack), or from its own
//! `request` (a JSON value, or `raw` text for inputs that are not JSON at all), then applies
//! `set` (path → value; `null` sets null) and `unset` (paths removed). `failing` is exact:
//! the ids of every rule whose outcome is `fail`, in any order. `params` (file or case level)
//! overrides pack parameters for that case, e.g. a catalogue or a narrower list of methods.
//! `as_of` is the caller's evaluation date: a request's own `as_of` still wins (domain.md).
//! `"explain": true` evaluates the case in explain mode, so that `message_contains` can check
//! what a passing finding says.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::calendar::Date;
use crate::decision::{Decision, Outcome, Verdict};
use crate::engine::{Engine, EvalOptions};
use crate::eval::coverage::Coverage;
use crate::path::{parse_path, Step as PathStep};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub params: serde_json::Map<String, Value>,
    pub cases: Vec<Case>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub request: Option<Value>,
    /// The request as raw text (for inputs that are not valid JSON).
    #[serde(default)]
    pub raw: Option<String>,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    #[serde(default)]
    pub unset: Vec<String>,
    #[serde(default)]
    pub params: serde_json::Map<String, Value>,
    /// Evaluate in explain mode: passing findings carry a message, which `message_contains`
    /// then checks too.
    #[serde(default)]
    pub explain: bool,
    pub expect: Expect,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Verdict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outcomes: BTreeMap<String, Outcome>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub message_contains: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub paths_include: BTreeMap<String, Vec<String>>,
    /// Input error codes, for requests that must be refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_to: Option<String>,
}

/// The outcome of one case: the problems (none when it passed), and what was expected beside
/// what the engine decided, for a reader who must see both.
#[derive(Clone, Debug, Serialize)]
pub struct CaseReport {
    pub file: String,
    pub name: String,
    /// The rule the case file is about (`tests/TRM-002.json` → `TRM-002`); empty for a file
    /// named otherwise.
    pub rule: String,
    pub passed: bool,
    pub problems: Vec<String>,
    pub expected: Expect,
    /// `None` when the case could not run (its parameters do not apply).
    pub actual: Option<Actual>,
}

/// What a decision says, in the terms a case expects it in.
#[derive(Clone, Debug, Serialize)]
pub struct Actual {
    pub decision: Verdict,
    pub failing: Vec<String>,
    pub outcomes: BTreeMap<String, Outcome>,
    /// Input error codes of a refused request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

impl Actual {
    fn of(decision: &Decision) -> Actual {
        Actual {
            decision: decision.decision,
            failing: decision.failing().into_iter().map(str::to_owned).collect(),
            outcomes: decision
                .findings
                .iter()
                .map(|f| (f.rule.to_string(), f.outcome))
                .collect(),
            errors: decision.errors.iter().map(|e| e.code.to_string()).collect(),
        }
    }
}

/// The rule a case file is named after: `tests/TRM-002.json` and `tests/TRM-002/x.json` are
/// about `TRM-002`.
pub fn rule_of_file(file: &str) -> &str {
    file.trim_start_matches("tests/")
        .split(['.', '/'])
        .next()
        .unwrap_or("")
}

/// One case made concrete: the text to evaluate, the options, and what to expect.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub file: String,
    pub name: String,
    pub text: String,
    pub as_of: Option<Date>,
    /// Parameter overrides (file-level merged with case-level); empty for most cases.
    pub params: serde_json::Map<String, Value>,
    pub explain: bool,
    pub expect: Expect,
}

/// Steps of a `set`/`unset` path such as `data_assets[0].deletion.status`.
fn path_steps(path: &str) -> Result<Vec<PathStep>, String> {
    match parse_path(path) {
        Some(steps) if !steps.is_empty() => Ok(steps),
        Some(_) => Err(format!("empty path `{path}`")),
        None => Err(format!("malformed path `{path}`")),
    }
}

/// Sets `path` to `value`, creating objects on the way; index `len` appends.
pub fn set_path(root: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let steps = path_steps(path)?;
    let mut current = root;
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        current = match step {
            PathStep::Key(key) => {
                if !current.is_object() {
                    *current = Value::Object(Default::default());
                }
                let map = current
                    .as_object_mut()
                    .ok_or_else(|| format!("`{path}`: not an object"))?;
                if last {
                    map.insert(key.to_string(), value);
                    return Ok(());
                }
                map.entry(key.to_string()).or_insert(Value::Null)
            }
            PathStep::Index(index) => {
                let array = current
                    .as_array_mut()
                    .ok_or_else(|| format!("`{path}`: not an array"))?;
                if *index == array.len() {
                    array.push(Value::Null);
                }
                let slot = array
                    .get_mut(*index)
                    .ok_or_else(|| format!("`{path}`: index {index} is past the end"))?;
                if last {
                    *slot = value;
                    return Ok(());
                }
                slot
            }
        };
    }
    Ok(())
}

/// Removes the field or array element at `path`; a missing path is an error (a stale case).
pub fn unset_path(root: &mut Value, path: &str) -> Result<(), String> {
    let mut steps = path_steps(path)?;
    let last = steps.pop().ok_or_else(|| format!("empty path `{path}`"))?;
    let mut current = root;
    for step in &steps {
        current = match step {
            PathStep::Key(key) => current.get_mut(key.as_str()),
            PathStep::Index(i) => current.get_mut(*i),
        }
        .ok_or_else(|| format!("`{path}` does not exist in the request"))?;
    }
    let removed = match last {
        PathStep::Key(key) => current
            .as_object_mut()
            .and_then(|m| m.remove(key.as_str()))
            .is_some(),
        PathStep::Index(i) => match current.as_array_mut() {
            Some(a) if i < a.len() => {
                a.remove(i);
                true
            }
            _ => false,
        },
    };
    if removed {
        Ok(())
    } else {
        Err(format!("`{path}` does not exist in the request"))
    }
}

/// Expands every case of a file into concrete requests. `bases` maps a base name to its JSON.
pub fn prepare(
    file: &str,
    text: &str,
    bases: &BTreeMap<String, Value>,
) -> Result<Vec<Prepared>, String> {
    let parsed: CaseFile =
        serde_json::from_str(text).map_err(|e| format!("{file}: not a case file: {e}"))?;
    let mut out = Vec::new();
    for case in parsed.cases {
        let label = format!("{file}: {}", case.name);
        let as_of_text = case.as_of.clone().or_else(|| parsed.as_of.clone());
        let as_of = match as_of_text {
            Some(t) => Some(Date::parse(&t).map_err(|e| format!("{label}: as_of: {e}"))?),
            None => None,
        };
        let text = if let Some(raw) = &case.raw {
            raw.clone()
        } else {
            let mut request = match (&case.request, case.base.as_ref().or(parsed.base.as_ref())) {
                (Some(r), _) => r.clone(),
                (None, Some(base)) => bases
                    .get(base)
                    .cloned()
                    .ok_or_else(|| format!("{label}: unknown base `{base}`"))?,
                (None, None) => return Err(format!("{label}: needs `base`, `request` or `raw`")),
            };
            for (path, value) in &case.set {
                set_path(&mut request, path, value.clone())
                    .map_err(|e| format!("{label}: set {e}"))?;
            }
            for path in &case.unset {
                unset_path(&mut request, path).map_err(|e| format!("{label}: unset {e}"))?;
            }
            request.to_string()
        };
        let mut params = parsed.params.clone();
        params.extend(case.params.clone());
        out.push(Prepared {
            file: file.to_string(),
            name: case.name,
            text,
            as_of,
            params,
            explain: case.explain,
            expect: case.expect,
        });
    }
    Ok(out)
}

/// Compares a decision with what a case expects; each mismatch is one line.
pub fn check(decision: &Decision, expect: &Expect) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(want) = expect.decision {
        if decision.decision != want {
            problems.push(format!(
                "decision is {} but {} was expected{}",
                decision.decision.as_str(),
                want.as_str(),
                summary(decision)
            ));
        }
    }
    if let Some(want) = &expect.failing {
        let mut got: Vec<&str> = decision.failing();
        got.sort_unstable();
        let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
        want.sort_unstable();
        if got != want {
            problems.push(format!(
                "failing rules are {got:?} but {want:?} were expected{}",
                summary(decision)
            ));
        }
    }
    for (rule, want) in &expect.outcomes {
        match decision.finding(rule) {
            Some(f) if f.outcome == *want => {}
            Some(f) => problems.push(format!(
                "{rule} is {} but {} was expected ({})",
                f.outcome.as_str(),
                want.as_str(),
                f.message.as_deref().unwrap_or("no message")
            )),
            None => problems.push(format!("{rule} did not run (expected {})", want.as_str())),
        }
    }
    for (rule, fragment) in &expect.message_contains {
        let message = decision
            .finding(rule)
            .and_then(|f| f.message.clone())
            .unwrap_or_default();
        if !message.contains(fragment.as_str()) {
            problems.push(format!(
                "{rule}'s message `{message}` does not contain `{fragment}`"
            ));
        }
    }
    for (rule, paths) in &expect.paths_include {
        let got = decision
            .finding(rule)
            .map(|f| f.paths.clone())
            .unwrap_or_default();
        for p in paths {
            if !got.contains(p) {
                problems.push(format!("{rule}'s paths {got:?} do not include `{p}`"));
            }
        }
    }
    if let Some(want) = &expect.errors {
        let got: Vec<&str> = decision.errors.iter().map(|e| e.code.as_str()).collect();
        let want: Vec<&str> = want.iter().map(String::as_str).collect();
        if got != want {
            problems.push(format!(
                "input errors are {got:?} but {want:?} were expected"
            ));
        }
    }
    if let Some(want) = &expect.lifecycle_to {
        let got = decision
            .lifecycle
            .as_ref()
            .map(|l| l.to.as_str())
            .unwrap_or("");
        if got != want {
            problems.push(format!(
                "lifecycle leads to `{got}` but `{want}` was expected"
            ));
        }
    }
    problems
}

fn summary(decision: &Decision) -> String {
    let notes: Vec<String> = decision
        .findings
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::Fail | Outcome::Error))
        .map(|f| {
            format!(
                "{} {}: {}",
                f.rule,
                f.outcome.as_str(),
                f.message.as_deref().unwrap_or("")
            )
        })
        .chain(
            decision
                .errors
                .iter()
                .map(|e| format!("{} at {}: {}", e.code, e.path, e.message)),
        )
        .collect();
    if notes.is_empty() {
        String::new()
    } else {
        format!(" [{}]", notes.join(" | "))
    }
}

/// Base requests of a pack: `tests/base/<name>.json`.
pub fn pack_bases(tests: &[(String, String)]) -> Result<BTreeMap<String, Value>, String> {
    let mut bases = BTreeMap::new();
    for (path, text) in tests {
        if let Some(name) = path
            .strip_prefix("tests/base/")
            .and_then(|n| n.strip_suffix(".json"))
        {
            let value: Value = serde_json::from_str(text).map_err(|e| format!("{path}: {e}"))?;
            bases.insert(name.to_string(), value);
        }
    }
    Ok(bases)
}

/// Every case of a pack's case files (its base requests aside), ready to decide.
pub fn pack_cases(tests: &[(String, String)]) -> Result<Vec<Prepared>, String> {
    let bases = pack_bases(tests)?;
    let mut cases = Vec::new();
    for (path, text) in tests.iter().filter(|(p, _)| !p.starts_with("tests/base/")) {
        cases.extend(prepare(path, text, &bases)?);
    }
    Ok(cases)
}

/// Runs every case file of the engine's own pack.
pub fn run_pack_tests(engine: &Engine) -> Result<Vec<CaseReport>, String> {
    run_tests(engine, &engine.pack().tests, None)
}

/// Runs the case files `tests` (path in the pack → text, the bases among them) on `engine`,
/// counting in `coverage` what the rules ran when it is given.
pub fn run_tests(
    engine: &Engine,
    tests: &[(String, String)],
    mut coverage: Option<&mut Coverage>,
) -> Result<Vec<CaseReport>, String> {
    Ok(pack_cases(tests)?
        .iter()
        .map(|case| run_case(engine, case, coverage.as_deref_mut()))
        .collect())
}

pub fn run_case(engine: &Engine, case: &Prepared, coverage: Option<&mut Coverage>) -> CaseReport {
    let report = |problems: Vec<String>, decision: Option<&Decision>| CaseReport {
        file: case.file.clone(),
        name: case.name.clone(),
        rule: rule_of_file(&case.file).to_owned(),
        passed: problems.is_empty(),
        problems,
        expected: case.expect.clone(),
        actual: decision.map(Actual::of),
    };
    let options = EvalOptions {
        as_of: case.as_of,
        explain: case.explain,
        record: false,
    };
    let decide = |engine: &Engine, coverage: Option<&mut Coverage>| match coverage {
        Some(coverage) => engine.evaluate_json_covered(&case.text, &options, coverage),
        None => engine.evaluate_json(&case.text, &options),
    };
    if case.params.is_empty() {
        let decision = decide(engine, coverage);
        return report(check(&decision, &case.expect), Some(&decision));
    }
    // Overridden parameters need their own engine (the digest changes too).
    let mut pack = engine.pack().clone();
    if let Err(e) = pack.override_params(&case.params) {
        return report(vec![format!("params: {e}")], None);
    }
    let options_engine = crate::engine::EngineOptions {
        limits: engine.limits().clone(),
        lenient: false,
    };
    match Engine::with_options(pack, options_engine) {
        Ok(custom) => {
            let decision = decide(&custom, coverage);
            report(check(&decision, &case.expect), Some(&decision))
        }
        Err(e) => report(vec![format!("params: {e}")], None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_and_unset_paths() {
        let mut v = json!({"a": {"b": [ {"c": 1} ]}});
        set_path(&mut v, "a.b[0].c", json!(2)).unwrap();
        set_path(&mut v, "a.b[1].d", json!("x")).unwrap();
        set_path(&mut v, "x.y", json!(null)).unwrap();
        assert_eq!(
            v,
            json!({"a": {"b": [ {"c": 2}, {"d": "x"} ]}, "x": {"y": null}})
        );
        unset_path(&mut v, "a.b[0]").unwrap();
        unset_path(&mut v, "x.y").unwrap();
        assert_eq!(v, json!({"a": {"b": [ {"d": "x"} ]}, "x": {}}));
        assert!(unset_path(&mut v, "a.zz").is_err());
        assert!(set_path(&mut v, "a.b[5]", json!(1)).is_err());
        assert!(set_path(&mut v, "a.b[x]", json!(1)).is_err());
    }
}
