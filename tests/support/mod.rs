//! The helpers of the integration tests, in one module: every file of tests/ takes them with
//! `mod support;`, and the CLI package's tests (cli/tests/cli.rs) with
//! `#[path = "../../tests/support/mod.rs"] mod support;`, so paths are found from the
//! repository's top folder whichever package runs them.
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

/// The repository's top folder: the nearest folder up from the running package's manifest that
/// holds the default pack (the library's tests run in it, the CLI's in cli/ below it).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|dir| dir.join("rules/pack.json").exists())
        .map_or(here.clone(), Path::to_path_buf)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The default pack's engine.
pub fn default_engine() -> Engine {
    Engine::default_pack().unwrap_or_else(|e| panic!("{e}"))
}

/// The evaluation date the tests decide on when a request gives none.
pub fn as_of() -> EvalOptions {
    EvalOptions {
        as_of: Some(Date::parse("2026-09-15").unwrap()),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Requests

/// The base request of the default pack's tests for one scenario.
pub fn base(scenario: &str) -> String {
    read(&root().join(format!("rules/tests/base/{scenario}.json")))
}

/// The base requests of the default pack's tests, by scenario.
pub fn base_requests() -> Vec<(String, String)> {
    ["onboarding", "termination", "transfer", "removal"]
        .iter()
        .map(|s| (s.to_string(), base(s)))
        .collect()
}

/// The folder of sample requests and their `expected.json`: `../shared/examples` beside the
/// checkout when it has an `expected.json` (CI has it), else the repository's copy in
/// `examples/requests`, so the samples are checked on a lone clone too. `None` when neither
/// has one.
pub fn shared_examples_dir() -> Option<PathBuf> {
    let shared = root().join("..").join("shared").join("examples");
    let local = root().join("examples").join("requests");
    [shared, local]
        .into_iter()
        .find(|dir| dir.join("expected.json").exists())
}

/// The sample requests of [`shared_examples_dir`] as (file name, text), sorted by name;
/// `expected.json` itself left out.
pub fn shared_examples() -> Vec<(String, String)> {
    let Some(dir) = shared_examples_dir() else {
        return Vec::new();
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

// ---------------------------------------------------------------------------------------------
// Packs of hand-written rules

pub const MANIFEST: &str = r#"{"name":"hostile","version":"0","params":{"limit":3}}"#;

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

// ---------------------------------------------------------------------------------------------
// Decisions and resources

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
