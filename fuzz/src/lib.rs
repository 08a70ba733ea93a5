//! The fuzz entry points. They depend only on `cloudgate` and `serde_json`, so the main crate's
//! tests/fuzz_replay.rs includes this file and replays the saved corpora on a stable toolchain.
//! Each entry panics (a finding for the fuzzer) when an invariant of the engine is broken.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use cloudgate::{
    Date, Decision, Engine, EngineOptions, EvalOptions, Limits, Outcome, Pack, Verdict,
};

fn options() -> EvalOptions {
    EvalOptions {
        as_of: Date::parse("2026-09-15").ok(),
        ..Default::default()
    }
}

fn default_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::default_pack().unwrap())
}

/// What every decision must satisfy, whatever the input.
pub fn check_decision(d: &Decision) {
    let folded = Decision::fold(&d.findings);
    if d.errors.is_empty() {
        assert_eq!(
            d.decision, folded,
            "the decision is not the fold of its findings"
        );
    } else {
        assert_eq!(
            d.decision,
            Verdict::Error,
            "a refused request was not an error"
        );
        assert!(d.findings.is_empty(), "rules ran on a refused request");
        for e in &d.errors {
            assert!(
                !e.code.is_empty() && !e.path.is_empty() && !e.message.is_empty(),
                "{e:?}"
            );
        }
    }
    for f in &d.findings {
        if f.outcome == Outcome::Error {
            assert!(
                f.message.is_some() && f.position.is_some(),
                "error finding without message or position: {f:?}"
            );
        }
    }
    let text = serde_json::to_string(d).unwrap();
    let back: Decision = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, d, "the decision does not survive JSON");
}

/// Any bytes as a request to the default pack. Deterministic: evaluating twice agrees.
pub fn eval_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let engine = default_engine();
    let d = engine.evaluate_json(text, &options());
    check_decision(&d);
    let mut again = engine.evaluate_json(text, &options());
    again.stats.micros = d.stats.micros;
    assert_eq!(again, d, "two evaluations of the same request differ");
}

/// A request every rule of a fuzzed pack is run against.
const REQUEST: &str = r#"{"request_id":"F-1","scenario":"removal","as_of":"2026-09-15",
  "customer":{"id":"C","jurisdiction":"DE","contacts":[{"id":"k1","role":"dpo"}]},
  "service":{"lifecycle_state":"data_retained"},
  "data_assets":[{"id":"d1","deletion":{"status":"verified"},"backups":[{"id":"b1","deleted":true}]}],
  "removal":{"scope":"customer_instance","date":"2026-10-01"}}"#;

const MANIFEST: &str = r#"{"name":"fuzz","version":"0","params":{"days":30,"regions":["eu"]}}"#;

/// Any bytes as a rule (with a standard header), or, when the bytes hold a NUL, as
/// `pack.json` NUL rule file. Strict and lenient loading must agree; a lenient engine's broken
/// rules must make the decision `error`.
pub fn load_rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (manifest, rule) = match text.split_once('\0') {
        Some((m, r)) => (m.to_string(), r.to_string()),
        None => (
            MANIFEST.to_string(),
            format!("//! id: F-1\n//! title: fuzzed\n//! severity: deny\n//! scenarios: all\n\n{text}\n"),
        ),
    };
    let files = vec![
        ("pack.json".to_string(), manifest),
        ("rules/F-1.rhai".to_string(), rule),
    ];
    let Ok(pack) = Pack::from_sources(files) else {
        return;
    };
    // Small budgets: the fuzzer should spend its time on many inputs, not on one loop.
    let limits = Limits {
        max_operations: 20_000,
        max_millis_per_rule: 200,
        ..Limits::default()
    };
    let strict = Engine::with_options(
        pack.clone(),
        EngineOptions {
            limits: limits.clone(),
            lenient: false,
        },
    );
    let lenient = Engine::with_options(
        pack.clone(),
        EngineOptions {
            limits: limits.clone(),
            lenient: true,
        },
    );
    let lenient = match lenient {
        Ok(e) => e,
        Err(e) => {
            assert!(strict.is_err(), "lenient refused what strict loaded: {e}");
            return;
        }
    };
    assert_eq!(
        strict.is_ok(),
        lenient.diagnostics().is_empty(),
        "strict and lenient disagree"
    );
    for d in lenient.diagnostics() {
        assert!(!d.code.is_empty() && !d.message.is_empty(), "{d:?}");
    }
    let d = lenient.evaluate_json(REQUEST, &options());
    check_decision(&d);
    if !lenient.diagnostics().is_empty() && d.errors.is_empty() && !d.findings.is_empty() {
        assert_eq!(
            d.decision,
            Verdict::Error,
            "a rule that does not compile did not make the decision error"
        );
    }
    // The engine is unchanged by what the rule did: the same request decides the same way.
    let mut again = lenient.evaluate_json(REQUEST, &options());
    again.stats.micros = d.stats.micros;
    if d.findings
        .iter()
        .all(|f| f.message.as_deref() != Some("the rule was stopped: it ran past its time budget"))
    {
        assert_eq!(
            again.findings, d.findings,
            "two evaluations of the same rule differ"
        );
    }
}
