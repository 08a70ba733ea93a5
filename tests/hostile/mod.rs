//! Helpers shared by the hostile-rule, hostile-input, property, concurrency and fuzz-replay tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod inputs;

use std::path::{Path, PathBuf};

use cloudgate::{Date, Decision, Engine, EngineOptions, EvalOptions, Pack, PackError};

pub const MANIFEST: &str = r#"{"name":"hostile","version":"0","params":{"limit":3}}"#;

/// The repository's top folder (these helpers also serve the CLI package's tests, in cli/).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|dir| dir.join("rules/pack.json").exists())
        .map_or(here.clone(), Path::to_path_buf)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A rule file with a standard header; the body starts on line 6.
pub fn rule(id: &str, body: &str) -> (String, String) {
    rule_with(id, "deny", "all", body)
}

pub fn rule_with(id: &str, severity: &str, scenarios: &str, body: &str) -> (String, String) {
    (
        format!("{id}.rhai"),
        format!("//! id: {id}\n//! title: hostile {id}\n//! severity: {severity}\n//! scenarios: {scenarios}\n\n{body}\n"),
    )
}

pub fn pack(rules: Vec<(String, String)>) -> Result<Pack, PackError> {
    let mut files = vec![("pack.json".to_string(), MANIFEST.to_string())];
    files.extend(rules);
    Pack::from_sources(files)
}

pub fn engine_with(rules: Vec<(String, String)>, lenient: bool) -> Result<Engine, PackError> {
    Engine::with_options(
        pack(rules)?,
        EngineOptions {
            lenient,
            ..Default::default()
        },
    )
}

pub fn default_engine() -> Engine {
    Engine::default_pack().unwrap_or_else(|e| panic!("{e}"))
}

pub fn as_of() -> EvalOptions {
    EvalOptions {
        as_of: Some(Date::parse("2026-09-15").unwrap()),
        ..Default::default()
    }
}

/// The base requests of the default pack's tests, by scenario.
pub fn base_requests() -> Vec<(String, String)> {
    ["onboarding", "termination", "transfer", "removal"]
        .iter()
        .map(|s| {
            (
                s.to_string(),
                read(&root().join(format!("rules/tests/base/{s}.json"))),
            )
        })
        .collect()
}

pub fn base(scenario: &str) -> String {
    read(&root().join(format!("rules/tests/base/{scenario}.json")))
}

/// The sample requests: `../shared/examples` beside the checkout when present, else the
/// repository's copy in `examples/requests`.
pub fn shared_examples() -> Vec<(String, String)> {
    let shared = root().join("..").join("shared").join("examples");
    let dir = if shared.join("expected.json").exists() {
        shared
    } else {
        root().join("examples").join("requests")
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && p.file_name().is_some_and(|n| n != "expected.json")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                read(&p),
            )
        })
        .collect();
    out.sort();
    out
}

/// A decision as JSON without the one field that legitimately varies between runs.
pub fn comparable(d: &Decision) -> serde_json::Value {
    let mut v = serde_json::to_value(d).unwrap();
    v["stats"]["micros"] = serde_json::Value::Null;
    v
}

/// The process's peak resident set in bytes (Linux `VmHWM`); `None` elsewhere.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

pub const MEMORY_BOUND: u64 = 1 << 30;

pub fn assert_memory_bounded() {
    if let Some(peak) = peak_rss() {
        assert!(peak < MEMORY_BOUND, "peak RSS {} MiB", peak >> 20);
    }
}
