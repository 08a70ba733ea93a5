//! Operator-level cases for the rule evaluator, in the style of Cedar's interpreter tests and
//! the data-driven cases of regorus and ZEN: `tests/operators/cases.json` is a table of small
//! Rhai expressions (or statement lists) and what each evaluates to, or how it fails.
//!
//! All the cases are decided at once, as one pack with one rule per case (`OP-0001`, …), over
//! one request. Case `n`'s rule is its `fns` (function definitions, which Rhai allows only at
//! the top level of a script), then
//!
//! ```text
//! let v = { <expr> };
//! fail(`${type_of(v)}:${v}`)
//! ```
//!
//! so that the finding's message is the value's type and display, `i64:3`. A case expects one of
//! - `value`: the finding is `fail` with exactly that message;
//! - `fail`: the same, for a case that fails before `v` is built (`need` of a missing field);
//! - `error`: the finding is `error` and its message contains the fragment; with
//!   `error_any: true` (type mismatches, whose wording is free) any error will do.
//!
//! The expectations are Rhai's own answers (its interpreter, Rhai 1.27), which the evaluator is
//! held to; `note` says why an answer may surprise. Every case is checked and every mismatch is
//! reported, with the cases that do not load.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::HashMap;

use cloudgate::{Date, Engine, EngineOptions, EvalOptions, Outcome, Pack};
use serde::Deserialize;

/// `limit` for `params.limit`; `public_holidays` for `working_days(a, b, "DE")`.
const MANIFEST: &str = r#"{"name":"operators","version":"0","params":{"limit":3,"public_holidays":{"DE":["2026-10-03","2026-12-25"]}}}"#;

#[derive(Deserialize)]
struct Table {
    #[allow(dead_code)]
    description: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expr: String,
    #[serde(default)]
    fns: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    fail: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_any: bool,
    /// Outside the rule language: the rule is refused when loaded, with a diagnostic that
    /// contains this.
    #[serde(default)]
    refused: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

enum Expect<'a> {
    /// The finding fails with exactly this message.
    Fail(&'a str),
    /// The finding is an error whose message contains this.
    Error(&'a str),
    AnyError,
    /// The rule does not load; the diagnostic contains this.
    Refused(&'a str),
}

impl Case {
    fn expect(&self) -> Result<Expect<'_>, String> {
        if let Some(r) = &self.refused {
            return Ok(Expect::Refused(r));
        }
        match (&self.value, &self.fail, &self.error, self.error_any) {
            (Some(v), None, None, false) | (None, Some(v), None, false) => Ok(Expect::Fail(v)),
            (None, None, Some(e), false) => Ok(Expect::Error(e)),
            (None, None, Some(_), true) => Ok(Expect::AnyError),
            _ => Err(
                "a case needs exactly one of value, fail and error (error_any only with error)"
                    .into(),
            ),
        }
    }

    fn label(&self) -> String {
        match &self.fns {
            Some(fns) => format!("{}   [fns: {}]", self.expr, fns.replace('\n', " ")),
            None => self.expr.clone(),
        }
    }
}

fn id(index: usize) -> String {
    format!("OP-{:04}", index + 1)
}

fn rule(index: usize, case: &Case) -> (String, String) {
    let id = id(index);
    let fns = case.fns.as_deref().unwrap_or("");
    (
        format!("{id}.rhai"),
        format!(
            "//! id: {id}\n//! title: operator case {}\n//! severity: deny\n//! scenarios: all\n\n{fns}\nlet v = {{ {} }};\nfail(`${{type_of(v)}}:${{v}}`)\n",
            index + 1,
            case.expr
        ),
    )
}

#[test]
fn operators() {
    let path = support::root()
        .join("tests")
        .join("operators")
        .join("cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: Table =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(!table.cases.is_empty(), "no cases in {}", path.display());

    let mut files = vec![("pack.json".to_string(), MANIFEST.to_string())];
    files.extend(
        table
            .cases
            .iter()
            .enumerate()
            .map(|(i, case)| rule(i, case)),
    );
    let pack = Pack::from_sources(files).unwrap_or_else(|e| panic!("{e}"));
    let engine = Engine::with_options(
        pack,
        EngineOptions {
            lenient: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let request = support::read(&support::root().join("examples/requests/termination-allow.json"));
    let options = EvalOptions {
        as_of: Some(Date::parse("2026-09-02").unwrap()),
        ..Default::default()
    };
    let decision = engine.evaluate_json(&request, &options);

    let mut not_loaded: HashMap<&str, Vec<&str>> = HashMap::new();
    for d in engine.diagnostics() {
        if let Some(rule) = d.rule.as_deref() {
            not_loaded.entry(rule).or_default().push(d.message.as_str());
        }
    }
    let findings: HashMap<&str, _> = decision.findings.iter().map(|f| (&*f.rule, f)).collect();

    let mut problems = Vec::new();
    for (i, case) in table.cases.iter().enumerate() {
        let id = id(i);
        let report = |expected: &str, got: String| {
            format!(
                "#{} {id}  {}\n      expected: {expected}\n      got:      {got}",
                i + 1,
                case.label()
            )
        };
        let expect = match case.expect() {
            Ok(e) => e,
            Err(why) => {
                problems.push(report("a well-formed case", why));
                continue;
            }
        };
        let expected = match expect {
            Expect::Fail(m) => format!("fail {m:?}"),
            Expect::Error(f) => format!("error containing {f:?}"),
            Expect::AnyError => "an error".to_string(),
            Expect::Refused(f) => format!("refused when loaded, saying {f:?}"),
        };
        if let (Expect::Refused(f), Some(messages)) = (&expect, not_loaded.get(id.as_str())) {
            if messages.iter().any(|m| m.contains(f)) {
                continue;
            }
        }
        if let Some(messages) = not_loaded.get(id.as_str()) {
            problems.push(report(
                &expected,
                format!("does not load: {}", messages.join("; ")),
            ));
            continue;
        }
        let Some(finding) = findings.get(id.as_str()) else {
            problems.push(report(&expected, "no finding".into()));
            continue;
        };
        let message = finding.message.as_deref().unwrap_or("");
        let ok = match expect {
            Expect::Fail(m) => finding.outcome == Outcome::Fail && message == m,
            Expect::Error(f) => finding.outcome == Outcome::Error && message.contains(f),
            Expect::AnyError => finding.outcome == Outcome::Error,
            Expect::Refused(_) => false,
        };
        if !ok {
            problems.push(report(
                &expected,
                format!("{} {message:?}", finding.outcome.as_str()),
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} operator cases ({}) do not match:\n{}",
        problems.len(),
        table.cases.len(),
        path.display(),
        problems.join("\n")
    );
}
