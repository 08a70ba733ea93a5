//! Data-driven cases in `tests/cases/*.json` (format: `cloudgate::cases`), over the base
//! requests of the default pack. One file per topic; every case is reported, not just the first.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use cloudgate::cases::{pack_bases, prepare, run_case};

#[test]
fn case_files() {
    let engine = support::default_engine();
    let bases = pack_bases(&engine.pack().tests).unwrap();
    let dir = support::root().join("tests").join("cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for case in prepare(&name, &support::read(path), &bases).unwrap() {
            count += 1;
            let report = run_case(&engine, &case, None);
            if !report.passed {
                failures.push(format!(
                    "{} :: {}\n    {}",
                    report.file,
                    report.name,
                    report.problems.join("\n    ")
                ));
            }
        }
    }
    assert!(count > 0, "no cases found in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_default_pack_passes_its_own_tests() {
    let engine = support::default_engine();
    let reports = cloudgate::cases::run_pack_tests(&engine).unwrap();
    let failed: Vec<_> = reports.iter().filter(|r| !r.passed).collect();
    assert!(!reports.is_empty());
    assert!(failed.is_empty(), "{failed:#?}");
}

/// Every pack case's decision (allow, deny, review, error, input errors) written by the
/// hand-written writer is the text serde_json writes.
#[test]
fn decisions_are_written_as_serde_writes_them() {
    let engine = support::default_engine();
    let bases = pack_bases(&engine.pack().tests).unwrap();
    let mut count = 0;
    for (path, text) in engine
        .pack()
        .tests
        .iter()
        .filter(|(p, _)| !p.starts_with("tests/base/"))
    {
        for case in prepare(path, text, &bases).unwrap() {
            let d = engine.evaluate_json(&case.text, &cloudgate::EvalOptions::default());
            let text = serde_json::to_string(&d).unwrap();
            assert_eq!(d.to_json(), text, "{}", case.name);
            assert_eq!(engine.decision_json(&d), text, "{}", case.name);
            assert_eq!(
                from_lean(&engine, &engine.decision_lean_json(&d)),
                serde_json::from_str::<serde_json::Value>(&text).unwrap(),
                "{}",
                case.name
            );
            count += 1;
        }
    }
    assert!(count > 400, "{count}");
}

/// The engine writes each rule's fixed fields from a copy made once; a decision that was
/// edited, or came from another engine, must still be written as it is, field for field.
#[test]
fn decisions_edited_after_the_engine_are_written_as_they_are() {
    use std::sync::Arc;

    let engine = support::default_engine();
    let other = cloudgate::Engine::new(engine.pack().clone()).unwrap();
    let text = support::read(&support::root().join("examples/requests/termination-deny.json"));
    let options = cloudgate::EvalOptions {
        as_of: Some(cloudgate::Date::parse("2026-09-02").unwrap()),
        ..Default::default()
    };
    let d = engine.evaluate_json(&text, &options);
    assert!(d.findings.len() > 5);
    let same = |d: &cloudgate::Decision| {
        let text = serde_json::to_string(d).unwrap();
        assert_eq!(engine.decision_json(d), text);
        assert_eq!(other.decision_json(d), text);
        let value = serde_json::from_str::<serde_json::Value>(&text).unwrap();
        assert_eq!(from_lean(&engine, &engine.decision_lean_json(d)), value);
        assert_eq!(from_lean(&other, &other.decision_lean_json(d)), value);
        assert_eq!(d.to_json(), text);
    };
    same(&d);
    same(&other.evaluate_json(&text, &options));
    let edits: [fn(&mut cloudgate::Decision); 8] = [
        |d| d.findings[1].title = Arc::from("Another \"title\""),
        |d| d.findings[2].severity = cloudgate::Severity::Info,
        |d| d.findings[0].rule = "XYZ-001".into(),
        |d| Arc::make_mut(&mut d.findings[3].clauses).clear(),
        |d| d.findings[3].clauses = Arc::new((*d.findings[3].clauses).clone()),
        |d| d.findings.reverse(),
        |d| {
            d.findings.remove(1);
        },
        |d| d.pack.version.push_str("-edited"),
    ];
    for edit in edits {
        let mut edited = d.clone();
        edit(&mut edited);
        same(&edited);
    }
}

/// The decision the JS wrapper builds from the engine's lean text (js/core.js, `#assemble`):
/// each `[index, outcome, paths(, message)]` finding completed from the engine's rules, the
/// pack from the engine's when it is `0`.
fn from_lean(engine: &cloudgate::Engine, lean: &str) -> serde_json::Value {
    use serde_json::{json, Value};
    let rules: Vec<_> = engine.rules().collect();
    let mut d: Value = serde_json::from_str(lean).unwrap();
    for finding in d["findings"].as_array_mut().unwrap() {
        let Some(parts) = finding.as_array() else {
            continue;
        };
        let rule = rules[parts[0].as_u64().unwrap() as usize];
        let mut full = json!({
            "rule": rule.id,
            "title": rule.title,
            "severity": rule.severity,
            "outcome": parts[1],
            "paths": parts[2],
            "clauses": rule.clauses,
        });
        if let Some(message) = parts.get(3) {
            full["message"] = message.clone();
        }
        if let Some(actor) = rule.actor {
            full["actor"] = json!(actor);
        }
        *finding = full;
    }
    if d["pack"] == json!(0) {
        d["pack"] = serde_json::to_value(engine.pack_info()).unwrap();
    }
    d
}

/// Explain mode (domain.md §2): over every pack case, each passing finding carries a message
/// naming what was checked, and without explain none does; the decisions are the same.
#[test]
fn explain_puts_a_message_on_every_pass_and_only_then() {
    use cloudgate::{EvalOptions, Outcome};
    let engine = support::default_engine();
    let bases = pack_bases(&engine.pack().tests).unwrap();
    let mut missing = Vec::new();
    let mut passes = 0;
    for (path, text) in engine
        .pack()
        .tests
        .iter()
        .filter(|(p, _)| !p.starts_with("tests/base/"))
    {
        for case in prepare(path, text, &bases).unwrap() {
            if !case.params.is_empty() {
                continue;
            }
            let plain = EvalOptions {
                as_of: case.as_of,
                ..Default::default()
            };
            let explained = EvalOptions {
                explain: true,
                ..plain.clone()
            };
            let a = engine.evaluate_json(&case.text, &plain);
            let b = engine.evaluate_json(&case.text, &explained);
            assert_eq!(a.decision, b.decision, "{}", case.name);
            for (fa, fb) in a.findings.iter().zip(&b.findings) {
                assert_eq!(
                    (&fa.rule, fa.outcome),
                    (&fb.rule, fb.outcome),
                    "{}",
                    case.name
                );
                if fa.outcome == Outcome::Pass {
                    passes += 1;
                    assert!(
                        fa.message.is_none(),
                        "{}: {} without explain",
                        case.name,
                        fa.rule
                    );
                    if fb.message.as_deref().is_none_or(|m| m.trim().len() < 10) {
                        missing.push(format!("{} ({})", fb.rule, case.name));
                    }
                } else {
                    assert_eq!(fa.message, fb.message, "{}: {}", case.name, fa.rule);
                }
            }
        }
    }
    assert!(passes > 5_000, "{passes}");
    assert!(
        missing.is_empty(),
        "passes without an explanation:\n{}",
        missing.join("\n")
    );
}
