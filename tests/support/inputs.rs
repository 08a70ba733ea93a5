//! The hostile-input corpus, shared by tests/hostile_input.rs (library) and cli/tests/cli.rs (exit codes).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::{json, Value};

use super::base;

/// A valid removal request with `patch` merged in at the top level.
pub fn removal_with(patch: Value) -> String {
    let mut base: Value = serde_json::from_str(&base("removal")).unwrap();
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    base.to_string()
}

/// The corpus: (name, request text, code, path).
pub fn corpus() -> Vec<(String, String, &'static str, String)> {
    let mut out: Vec<(String, String, &'static str, String)> = Vec::new();
    let mut add = |name: &str, text: String, code: &'static str, path: &str| {
        out.push((name.to_string(), text, code, path.to_string()))
    };

    // Shape of the text.
    add("empty", String::new(), "empty_input", "$");
    add("whitespace", " \n\t\r\n ".into(), "empty_input", "$");
    add("not json", "hello".into(), "not_json", "$");
    add("xml", "<request/>".into(), "not_json", "$");
    add(
        "bom",
        format!("\u{feff}{}", base("removal")),
        "not_json",
        "$",
    );
    add("array", "[]".into(), "invalid_type", "$");
    add("string", "\"request\"".into(), "invalid_type", "$");
    add("number", "42".into(), "invalid_type", "$");
    add("null", "null".into(), "invalid_type", "$");
    add(
        "two objects",
        format!("{} {}", base("removal"), base("removal")),
        "not_json",
        "$",
    );
    add(
        "nul byte",
        "{\"request_id\":\"R\0\",\"scenario\":\"removal\",\"removal\":{}}".into(),
        "not_json",
        "request_id",
    );
    add(
        "single quotes",
        "{'request_id':'R1'}".into(),
        "not_json",
        "$",
    );
    add(
        "trailing comma",
        "{\"request_id\":\"R1\",\"scenario\":\"removal\",\"removal\":{},}".into(),
        "not_json",
        "$",
    );

    // Depth: tens of thousands of levels, as arrays and as objects, at the top and inside a field.
    add("deep arrays", format!("{}{}", "[".repeat(50_000), "]".repeat(50_000)), "too_deep", "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]");
    add(
        "deep objects",
        format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000)),
        "too_deep",
        &vec!["a"; 32].join("."),
    );
    add("deep unclosed", "[".repeat(100_000), "too_deep", "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]");
    add(
        "deep inside a field",
        removal_with(json!({ "suppliers": [ { "regions": Value::String("@".into()) } ] })).replace("\"@\"", &format!("{}{}", "[".repeat(40_000), "]".repeat(40_000))),
        "too_deep",
        "suppliers[0].regions[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]",
    );

    // Size.
    add(
        "oversized",
        removal_with(json!({ "pad": "x".repeat(1 << 20) })),
        "too_large",
        "$",
    );
    add(
        "oversized whitespace",
        format!("{}{}", " ".repeat(1 << 20), base("removal")),
        "too_large",
        "$",
    );
    add(
        "huge array",
        removal_with(json!({ "data_assets": vec![json!({}); 20_000] })),
        "too_many_items",
        "data_assets[10000]",
    );
    add(
        "huge nested array",
        removal_with(json!({ "suppliers": [ { "regions": vec!["eu"; 10_001] } ] })),
        "too_many_items",
        "suppliers[0].regions[10000]",
    );
    add(
        "huge unknown array",
        removal_with(json!({ "extra": vec![0; 50_000] })),
        "too_many_items",
        "extra[10000]",
    );

    // Strings.
    add(
        "lone high surrogate",
        removal_with(json!({ "request_id": "@" })).replace("\"@\"", "\"R\\ud800\""),
        "invalid_string",
        "request_id",
    );
    add(
        "lone low surrogate",
        removal_with(json!({ "request_id": "@" })).replace("\"@\"", "\"\\udc00R\""),
        "invalid_string",
        "request_id",
    );
    add(
        "bad escape",
        removal_with(json!({ "request_id": "@" })).replace("\"@\"", "\"\\x41\""),
        "invalid_string",
        "request_id",
    );
    add(
        "control character",
        removal_with(json!({ "request_id": "@" })).replace("\"@\"", "\"a\u{1}b\""),
        "not_json",
        "request_id",
    );

    // Numbers out of range or not numbers at all.
    for (name, number, code) in [
        ("1e400", "1e400", "invalid_number"),
        ("-1e400", "-1e400", "invalid_number"),
        ("2^64", "18446744073709551616", "invalid_type"),
        ("2^63", "9223372036854775808", "invalid_value"),
        ("fraction", "30.5", "invalid_type"),
        ("NaN", "NaN", "not_json"),
        ("Infinity", "Infinity", "not_json"),
        ("leading zero", "030", "invalid_number"),
        ("plus", "+30", "not_json"),
        ("quoted", "\"30\"", "invalid_type"),
    ] {
        let mut req: Value = serde_json::from_str(&base("removal")).unwrap();
        req["agreement"]["notice_period_days"] = json!("@");
        add(
            &format!("number {name}"),
            req.to_string().replace("\"@\"", number),
            code,
            "agreement.notice_period_days",
        );
    }
    let mut req: Value = serde_json::from_str(&base("termination")).unwrap();
    req["agreement"]["sla"]["availability_target_pct"] = json!("@");
    add(
        "float 1e999",
        req.to_string().replace("\"@\"", "1e999"),
        "invalid_number",
        "agreement.sla.availability_target_pct",
    );

    // Impossible dates.
    for (name, date, code) in [
        ("feb 30", "2026-02-30", "invalid_date"),
        ("month 13", "2026-13-01", "invalid_date"),
        ("year 0", "0000-01-01", "invalid_date"),
        ("year 10000", "10000-01-01", "invalid_date"),
        ("feb 29 2026", "2026-02-29", "invalid_date"),
        ("day 0", "2026-01-00", "invalid_date"),
        ("slashes", "2026/01/01", "invalid_date"),
        ("words", "next tuesday", "invalid_date"),
        ("empty", "", "invalid_date"),
    ] {
        add(
            &format!("date {name}"),
            removal_with(json!({ "as_of": date })),
            code,
            "as_of",
        );
    }
    add(
        "date as number",
        removal_with(json!({ "as_of": 20260101 })),
        "invalid_type",
        "as_of",
    );

    // Wrong types in every block, and in the fields that steer evaluation.
    for block in [
        "requested_by",
        "customer",
        "provider",
        "service",
        "agreement",
        "data_assets",
        "suppliers",
        "removal",
    ] {
        // An array where an object belongs: see `blocks_given_as_arrays_are_refused` below.
        for (kind, value) in [
            ("string", json!("x")),
            ("number", json!(1)),
            ("bool", json!(true)),
        ] {
            add(
                &format!("{block} as {kind}"),
                removal_with(json!({ block: value })),
                "invalid_type",
                block,
            );
        }
        if matches!(block, "data_assets" | "suppliers") {
            add(
                &format!("{block} as object"),
                removal_with(json!({ block: {} })),
                "invalid_type",
                block,
            );
            add(
                &format!("{block} item as string"),
                removal_with(json!({ block: ["x"] })),
                "invalid_type",
                &format!("{block}[0]"),
            );
        }
    }
    for (scenario, block) in [
        ("onboarding", "onboarding"),
        ("termination", "termination"),
        ("transfer", "transfer"),
    ] {
        let mut req: Value = serde_json::from_str(&base(scenario)).unwrap();
        req[block] = json!("x");
        add(
            &format!("{block} as string"),
            req.to_string(),
            "invalid_type",
            block,
        );
        req[block] = json!(null);
        add(
            &format!("{block} null"),
            req.to_string(),
            "missing_scenario_block",
            block,
        );
        req.as_object_mut().unwrap().remove(block);
        add(
            &format!("{block} missing"),
            req.to_string(),
            "missing_scenario_block",
            block,
        );
    }
    add(
        "request_id number",
        removal_with(json!({ "request_id": 7 })),
        "invalid_type",
        "request_id",
    );
    add(
        "request_id null",
        removal_with(json!({ "request_id": null })),
        "invalid_type",
        "request_id",
    );
    add(
        "request_id blank",
        removal_with(json!({ "request_id": "  " })),
        "invalid_value",
        "request_id",
    );
    add(
        "scenario unknown",
        removal_with(json!({ "scenario": "upgrade" })),
        "unknown_scenario",
        "scenario",
    );
    // serde_json calls this a syntax error; the engine re-checks the JSON and reports the type.
    add(
        "scenario number",
        removal_with(json!({ "scenario": 1 })),
        "invalid_type",
        "scenario",
    );
    let mut req: Value = serde_json::from_str(&base("removal")).unwrap();
    req["agreement"]["notice_period_days"] = json!("@");
    add(
        "number hex",
        req.to_string().replace("\"@\"", "0x1E"),
        "not_json",
        "agreement",
    );
    add(
        "scenario case",
        removal_with(json!({ "scenario": "Removal" })),
        "unknown_scenario",
        "scenario",
    );
    let mut req: Value = serde_json::from_str(&base("removal")).unwrap();
    req.as_object_mut().unwrap().remove("request_id");
    add(
        "request_id missing",
        req.to_string(),
        "missing_field",
        "request_id",
    );
    add(
        "enum value",
        removal_with(json!({ "service": { "lifecycle_state": "zombie" } })),
        "invalid_value",
        "service.lifecycle_state",
    );
    add(
        "bool as string",
        removal_with(json!({ "customer": { "identity_verified": "yes" } })),
        "invalid_type",
        "customer.identity_verified",
    );
    add(
        "nested item type",
        removal_with(json!({ "data_assets": [ {}, { "formats": [1] } ] })),
        "invalid_type",
        "data_assets[1].formats[0]",
    );
    out
}
