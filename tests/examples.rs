//! Every shared example is decided exactly as `../shared/examples/expected.json` says.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use cloudgate::EvalOptions;
use serde_json::Value;

#[test]
fn shared_examples_match_expected() {
    let Some(dir) = support::shared_examples_dir() else {
        eprintln!("../shared/examples not present: skipped");
        return;
    };
    let expected: Value = serde_json::from_str(&support::read(&dir.join("expected.json"))).unwrap();
    let engine = support::default_engine();
    let mut problems = Vec::new();
    let cases = expected.as_object().unwrap();
    assert!(
        cases.len() >= 8,
        "expected.json lists {} examples",
        cases.len()
    );
    for (file, want) in cases {
        let decision =
            engine.evaluate_json(&support::read(&dir.join(file)), &EvalOptions::default());
        let mut failing: Vec<&str> = decision.failing();
        failing.sort_unstable();
        let mut want_failing: Vec<&str> = want["failing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        want_failing.sort_unstable();
        let want_decision = want["decision"].as_str().unwrap();
        if decision.decision.as_str() != want_decision || failing != want_failing {
            problems.push(format!(
                "{file}: got {} {:?}, expected {want_decision} {want_failing:?}; errors: {:?}",
                decision.decision.as_str(),
                failing,
                decision.erroring()
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
