//! Shared helpers for the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use cloudgate::Engine;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/examples` beside the checkout, when present (CI has it; a lone clone may not).
pub fn shared_examples() -> Option<PathBuf> {
    let dir = root().join("..").join("shared").join("examples");
    dir.join("expected.json").exists().then_some(dir)
}

pub fn engine() -> Engine {
    Engine::default_pack().unwrap_or_else(|e| panic!("{e}"))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
