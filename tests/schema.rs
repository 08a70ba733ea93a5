//! The request's JSON Schema as the npm package ships it (js/schema.json, `cloudgate/schema.json`,
//! `engine.schema()`), from which js/request.d.ts and the portal's labels and enumerations are
//! generated. It must be exactly what `cloudgate schema` prints, and document every field.
//!
//! The comparison needs the library's `schema` feature, which the command line turns on: a
//! workspace `cargo test` (make test) builds the library with it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use serde_json::Value;

const REGENERATE: &str =
    "regenerate it with `cargo run -- schema > js/schema.json && node js/tools/gen-types.mjs`";

fn committed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("js")
        .join("schema.json")
}

fn committed_text() -> String {
    std::fs::read_to_string(committed_path())
        .unwrap_or_else(|e| panic!("cannot read js/schema.json ({e}); {REGENERATE}"))
}

#[cfg(feature = "schema")]
#[test]
fn the_committed_schema_is_what_cloudgate_schema_prints() {
    // `cloudgate schema` prints the pretty JSON and a newline.
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(&cloudgate::request_schema()).unwrap()
    );
    let committed = committed_text();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "js/schema.json differs from the schema of src/request.rs (first at line {line}: \
             committed {:?}, generated {:?}); {REGENERATE}",
            committed.lines().nth(line - 1).unwrap_or("<end of file>"),
            generated.lines().nth(line - 1).unwrap_or("<end of file>"),
        );
    }
}

/// The decision's schema, from which js/decision.d.ts is generated, is what
/// `cloudgate schema --decision` prints.
#[cfg(feature = "schema")]
#[test]
fn the_committed_decision_schema_is_what_cloudgate_prints() {
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(&cloudgate::decision_schema()).unwrap()
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("js/decision.schema.json");
    assert!(
        std::fs::read_to_string(&path).is_ok_and(|committed| committed == generated),
        "js/decision.schema.json differs from the decision's Rust types; regenerate it with \
         `cargo run -- schema --decision > js/decision.schema.json && node js/tools/gen-types.mjs`"
    );
}

/// Every place a field is declared: (where, the field's schema).
fn fields(schema: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let mut blocks = vec![("Request".to_string(), schema)];
    if let Some(definitions) = schema["definitions"].as_object() {
        blocks.extend(definitions.iter().map(|(name, def)| (name.clone(), def)));
    }
    for (block, def) in blocks {
        if let Some(properties) = def["properties"].as_object() {
            out.extend(
                properties
                    .iter()
                    .map(|(name, field)| (format!("{block}.{name}"), field)),
            );
        }
    }
    out
}

fn non_empty(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.trim().is_empty())
}

#[test]
fn every_field_has_a_title_and_a_description() {
    let schema: Value = serde_json::from_str(&committed_text()).unwrap();
    let fields = fields(&schema);
    assert!(fields.len() > 150, "only {} fields found", fields.len());
    let missing: Vec<&str> = fields
        .iter()
        .filter(|(_, f)| !non_empty(&f["title"]) || !non_empty(&f["description"]))
        .map(|(at, _)| at.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "fields without a title or a description (a `/// # Title` line, a blank `///`, then the \
         description, in src/request.rs): {missing:?}"
    );
}

#[test]
fn every_enumeration_has_a_description() {
    let schema: Value = serde_json::from_str(&committed_text()).unwrap();
    let enums: Vec<(&String, &Value)> = schema["definitions"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, d)| d.get("enum").is_some() || d.get("oneOf").is_some())
        .collect();
    assert!(enums.len() >= 20, "only {} enumerations found", enums.len());
    for (name, def) in enums {
        assert!(
            non_empty(&def["description"]),
            "enumeration {name} has no description"
        );
        // A documented value is a `oneOf` entry of its own, with its description.
        for entry in def["oneOf"].as_array().into_iter().flatten() {
            assert!(entry["enum"].is_array(), "{name}: {entry}");
        }
    }
}
