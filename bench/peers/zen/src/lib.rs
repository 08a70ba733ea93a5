//! Nothing here: the crate is its bench (benches/zen.rs).
