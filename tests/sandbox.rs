//! Runaway and broken rules become `error` findings within the limits, and the same engine
//! then decides the next request correctly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::time::{Duration, Instant};

use cloudgate::{Engine, EngineOptions, EvalOptions, Outcome, Pack, Verdict};

const MANIFEST: &str = r#"{"name":"hostile","version":"0","params":{}}"#;

fn rule(id: &str, body: &str) -> (String, String) {
    (
        format!("{id}.rhai"),
        format!(
            "//! id: {id}\n//! title: hostile\n//! severity: deny\n//! scenarios: all\n\n{body}\n"
        ),
    )
}

fn engine_with(
    rules: Vec<(String, String)>,
    lenient: bool,
) -> Result<Engine, cloudgate::PackError> {
    let mut files = vec![("pack.json".to_string(), MANIFEST.to_string())];
    files.extend(rules);
    let pack = Pack::from_sources(files)?;
    Engine::with_options(
        pack,
        EngineOptions {
            lenient,
            ..Default::default()
        },
    )
}

fn request() -> String {
    support::read(&support::root().join("rules/tests/base/termination.json"))
}

#[test]
fn runaway_rules_become_errors_and_the_engine_stays_usable() {
    let hostile = [
        ("H-LOOP", "loop {}", "operations"),
        ("H-RECURSE", "fn f(x) { f(x + 1) } f(0)", "too deeply"),
        ("H-STRING", "let s = \"x\"; loop { s += s; }", "too large"),
        ("H-ARRAY", "let a = [1]; loop { a += a; }", "too large"),
        ("H-THROW", "throw \"boom\"", "boom"),
        ("H-TYPE", "42", "did not end with"),
        ("H-UNDEF", "fail(nobody_defined_me)", "nobody_defined_me"),
        (
            "H-HOSTCALL",
            "let d = \"2026-01-01\"; loop { d = add_days(d, 1); }",
            "",
        ),
    ];
    let sources = hostile.iter().map(|(id, body, _)| rule(id, body)).collect();
    // Lenient: H-UNDEF is refused when loaded, and becomes an `error` finding.
    let engine = engine_with(sources, true).unwrap();
    let started = Instant::now();
    let decision = engine.evaluate_json(&request(), &EvalOptions::default());
    let took = started.elapsed();
    assert_eq!(decision.decision, Verdict::Error);
    for (id, _, fragment) in hostile {
        let f = decision.finding(id).unwrap();
        assert_eq!(f.outcome, Outcome::Error, "{id}: {:?}", f.message);
        let message = f.message.clone().unwrap_or_default();
        assert!(message.contains(fragment), "{id}: {message}");
        assert!(f.position.is_some(), "{id} has no position");
    }
    assert!(took < Duration::from_secs(5), "hostile pack took {took:?}");

    // The same engine, a well-behaved request and pack: still correct.
    let good = engine_with(
        vec![rule(
            "G-1",
            "if req.scenario == \"termination\" { pass() } else { fail(\"x\") }",
        )],
        false,
    )
    .unwrap();
    assert_eq!(
        good.evaluate_json(&request(), &EvalOptions::default())
            .decision,
        Verdict::Allow
    );
    let again = engine.evaluate_json(&request(), &EvalOptions::default());
    assert_eq!(again.failing(), decision.failing());
    assert_eq!(again.erroring(), decision.erroring());
}

#[test]
fn a_single_loop_is_stopped_well_under_a_second() {
    let engine = engine_with(vec![rule("H-LOOP", "loop {}")], false).unwrap();
    let started = Instant::now();
    let d = engine.evaluate_json(&request(), &EvalOptions::default());
    assert_eq!(d.decision, Verdict::Error);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    let real = support::default_engine();
    assert_ne!(
        real.evaluate_json(&request(), &EvalOptions::default())
            .decision,
        Verdict::Error
    );
}

#[test]
fn compile_time_refusals_name_file_line_and_column() {
    let err = engine_with(vec![rule("S-1", "let x = ;")], false)
        .err()
        .unwrap();
    let d = &err.0[0];
    assert_eq!(
        (d.code.as_str(), d.file.as_str(), d.line),
        ("syntax", "S-1.rhai", Some(6))
    );
    let err = engine_with(vec![rule("S-2", "eval(\"1\")")], false)
        .err()
        .unwrap();
    assert_eq!(err.0[0].line, Some(6));
    let err = engine_with(vec![rule("S-3", "fn days(a, b) { 0 }\npass()")], false)
        .err()
        .unwrap();
    assert_eq!(
        (err.0[0].code.as_str(), err.0[0].line),
        ("shadows_host_function", Some(6))
    );
}

#[test]
fn lenient_engines_keep_broken_rules_as_error_findings() {
    let engine = engine_with(vec![rule("S-1", "let x = ;"), rule("OK-1", "pass()")], true).unwrap();
    assert_eq!(engine.diagnostics().len(), 1);
    let d = engine.evaluate_json(&request(), &EvalOptions::default());
    assert_eq!(d.decision, Verdict::Error);
    assert_eq!(
        d.finding("S-1").unwrap().position.as_ref().map(|p| p.line),
        Some(6)
    );
    assert_eq!(d.finding("OK-1").unwrap().outcome, Outcome::Pass);
}

#[test]
fn rules_cannot_change_the_request_for_the_next_rule() {
    let engine = engine_with(
        vec![
            rule("A-1", "req.scenario = \"removal\"; pass()"),
            rule("A-2", "if req.scenario == \"termination\" { pass() } else { fail(\"request was changed\") }"),
        ],
        true,
    )
    .unwrap();
    let d = engine.evaluate_json(&request(), &EvalOptions::default());
    assert_eq!(d.finding("A-1").unwrap().outcome, Outcome::Error);
    assert_eq!(d.finding("A-2").unwrap().outcome, Outcome::Pass);
}

/// A pack of many runaway rules costs one request's budget, not one per rule: once the rules
/// have spent `max_operations_per_request` between them, each rule still to run is an `error`
/// finding at once, and the engine serves the next request with a fresh budget.
#[test]
fn many_runaway_rules_share_one_budget() {
    let rules = (0..30)
        .map(|i| rule(&format!("R-{i:02}"), "let i = 0; loop { i += 1; }"))
        .collect();
    let engine = Engine::with_options(
        {
            let mut files = vec![("pack.json".to_string(), MANIFEST.to_string())];
            files.extend::<Vec<_>>(rules);
            Pack::from_sources(files).unwrap()
        },
        EngineOptions {
            limits: cloudgate::Limits {
                max_operations: 100_000,
                max_operations_per_request: 450_000,
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    for _ in 0..2 {
        let d = engine.evaluate_json(&request(), &EvalOptions::default());
        assert_eq!(d.decision, Verdict::Error);
        assert!(d.stats.operations <= 450_000, "{}", d.stats.operations);
        let messages: Vec<&str> = d
            .findings
            .iter()
            .map(|f| f.message.as_deref().unwrap_or(""))
            .collect();
        let per_rule = messages
            .iter()
            .filter(|m| m.contains("after 100000 operations"))
            .count();
        let per_request = messages
            .iter()
            .filter(|m| m.contains("max_operations_per_request"))
            .count();
        assert_eq!((per_rule, per_request), (4, 26), "{messages:?}");
    }
}
