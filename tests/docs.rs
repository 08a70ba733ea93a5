//! `docs/rules.md` is the committed traceability matrix; it must match the pack.
//! Regenerate with `cargo run -- rules --format markdown > docs/rules.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

#[test]
fn traceability_matrix_is_in_sync() {
    let engine = support::default_engine();
    let generated = cloudgate::report::traceability_markdown(&engine);
    let committed = support::read(&support::root().join("docs").join("rules.md"));
    assert!(
        committed.trim_end() == generated.trim_end(),
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}
