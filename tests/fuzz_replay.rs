//! Replays the saved fuzz corpora (fuzz/corpus/<target>/*) through the fuzz entry points on
//! the stable toolchain, so every input the fuzzers kept, and every crash they found and we
//! fixed, stays checked by `cargo test`. The fuzzers themselves run with scripts/fuzz.sh.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../fuzz/src/lib.rs"]
mod entries;

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn replay(target: &str, entry: fn(&[u8])) {
    let files = corpus(target);
    assert!(
        files.len() >= 10,
        "{target}: only {} corpus files",
        files.len()
    );
    let mut failed = Vec::new();
    for (name, bytes) in &files {
        if std::panic::catch_unwind(|| entry(bytes)).is_err() {
            failed.push(name.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs broke an invariant: {failed:?}",
        failed.len(),
        files.len()
    );
}

#[test]
#[ignore = "replayed once by `make test-fuzz` (scripts/test-fuzz.sh), not again by `cargo test`"]
fn eval_json_corpus() {
    replay("eval_json", entries::eval_json);
}

#[test]
#[ignore = "replayed once by `make test-fuzz` (scripts/test-fuzz.sh), not again by `cargo test`"]
fn load_rules_corpus() {
    replay("load_rules", entries::load_rules);
}
