//! Shared helpers for the integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use cloudgate::Engine;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/examples` beside the checkout when present (CI has it), else the copy in
/// `examples/requests`, so the examples are checked on a lone clone too.
pub fn shared_examples() -> Option<PathBuf> {
    let shared = root().join("..").join("shared").join("examples");
    let local = root().join("examples").join("requests");
    [shared, local]
        .into_iter()
        .find(|dir| dir.join("expected.json").exists())
}

pub fn engine() -> Engine {
    Engine::default_pack().unwrap_or_else(|e| panic!("{e}"))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
