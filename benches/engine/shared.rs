//! What the native benches share (`benches/engine` and the peers' crates in `bench/peers/`,
//! which include this file by `#[path]`): the examples they decide, cloudgate's verdict in the
//! terms every peer is held to, and the percentile of a sorted sample.

use std::path::{Path, PathBuf};

use cloudgate::{Engine, EvalOptions, Outcome};

/// The termination examples under the repository `root`: its copy, then the shared one, then
/// (for `allow`) the pack's test base.
pub fn example(root: &Path, kind: &str) -> Option<(PathBuf, String)> {
    let candidates = [
        root.join(format!("examples/requests/termination-{kind}.json")),
        root.join(format!("../shared/examples/termination-{kind}.json")),
        PathBuf::from(format!("/work/shared/examples/termination-{kind}.json")),
    ];
    for path in candidates {
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Some((path, text));
        }
    }
    if kind == "allow" {
        let path = root.join("rules/tests/base/termination.json");
        return std::fs::read_to_string(&path).ok().map(|t| (path, t));
    }
    None
}

/// The decision and the sorted ids of the rules that fail or err: what a peer must give too.
pub fn cloudgate_verdict(
    engine: &Engine,
    text: &str,
    options: &EvalOptions,
) -> (String, Vec<String>) {
    let d = engine.evaluate_json(text, options);
    let mut failing: Vec<String> = d
        .findings
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::Fail | Outcome::Error))
        .map(|f| f.rule.to_string())
        .collect();
    failing.sort();
    (d.decision.as_str().to_string(), failing)
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}
