//! From untrusted text to a typed [`Request`], or to errors that say what to change and where.
//!
//! One pass ([`json`]): a reader made for the request types reads the text straight into them,
//! checking the limits as it goes, and stops at the first problem with its code and JSON path.
//! Only when it stops does the byte scanner run, so that a limit (size, depth, array length) is
//! reported where it is reached, whatever else is wrong; the scanner has no recursion, so
//! hostile nesting cannot exhaust the stack. The tests hold the reader to serde's derived
//! deserializers, which define what the request types accept.

use serde::Deserialize;

use super::error::{show_path, Step};
pub use super::error::{InputError, InputLimits};
use crate::decision::RequestHint;
use crate::request::{Request, Scenario};

/// Parses and validates a request. On failure also returns what could be salvaged
/// (id, scenario) so that the error decision is still labelled.
pub fn parse_request(
    text: &str,
    limits: &InputLimits,
) -> Result<Request, (Vec<InputError>, RequestHint)> {
    let fail = |e: InputError| (vec![e], RequestHint::default());
    if text.trim().is_empty() {
        return Err(fail(InputError::new(
            "empty_input",
            "the request is empty: send one JSON object",
            "$",
        )));
    }
    if text.len() > limits.max_bytes {
        return Err(fail(InputError::new(
            "too_large",
            format!(
                "the request is {} bytes; the limit is {} bytes",
                text.len(),
                limits.max_bytes
            ),
            "$",
        )));
    }
    let request = match super::reader::parse::<Request>(text, limits) {
        Ok(request) => request,
        Err(stop) => {
            // A limit is reported where the scanner finds it, whatever else is wrong.
            scan_structure(text, limits).map_err(fail)?;
            return Err((vec![stop.into_error(text)], salvage_hint(text)));
        }
    };
    check(request)
}

/// What the types cannot say: an identifier that is there, and the scenario's own block.
fn check(request: Request) -> Result<Request, (Vec<InputError>, RequestHint)> {
    let mut errors = Vec::new();
    if request.request_id.trim().is_empty() {
        errors.push(InputError::new(
            "invalid_value",
            "request_id is empty: give the request an identifier",
            "request_id",
        ));
    }
    if !request.has_scenario_block() {
        let block = request.scenario.as_str();
        errors.push(InputError::new(
            "missing_scenario_block",
            format!("scenario is `{block}` but the `{block}` block is missing or null"),
            block,
        ));
    }
    if errors.is_empty() {
        Ok(request)
    } else {
        Err((errors, hint_from(&request)))
    }
}

/// Text that is not JSON, as serde_json describes it: a stable code, its message without the
/// position suffix (the position is kept as line and column).
fn hint_from(request: &Request) -> RequestHint {
    RequestHint {
        request_id: Some(request.request_id.as_str().to_owned()),
        scenario: Some(request.scenario.as_str().to_string()),
        as_of: request.as_of.map(|d| d.to_string()),
    }
}

/// Best effort: the id and scenario of a request that failed validation elsewhere. Only from
/// an object (serde would read the label's fields from an array by position).
#[cold]
#[inline(never)]
fn salvage_hint(text: &str) -> RequestHint {
    if !text.trim_start().starts_with('{') {
        return RequestHint::default();
    }
    #[derive(Deserialize)]
    struct Label {
        #[serde(default)]
        request_id: Option<serde_json::Value>,
        #[serde(default)]
        scenario: Option<serde_json::Value>,
    }
    let label: Option<Label> = serde_json::from_str(text).ok();
    let as_str = |v: Option<serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => Some(s),
        _ => None,
    };
    match label {
        Some(l) => RequestHint {
            request_id: as_str(l.request_id),
            scenario: as_str(l.scenario).filter(|s| Scenario::ALL.iter().any(|k| k.as_str() == s)),
            as_of: None,
        },
        None => RequestHint::default(),
    }
}

struct Frame<'a> {
    is_array: bool,
    step: Option<Step<'a>>,
    items: usize,
}

fn path_of(stack: &[Frame]) -> String {
    show_path(stack.iter().filter_map(|frame| frame.step))
}

/// Checks nesting depth and array lengths in one pass over the bytes, without recursion.
/// Syntax is left to serde; this only needs to get strings and brackets right.
#[cold]
#[inline(never)]
pub(crate) fn scan_structure(text: &str, limits: &InputLimits) -> Result<(), InputError> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Find the end of the string, honouring escapes.
                let start = i + 1;
                let mut j = start;
                while let Some(&c) = bytes.get(j) {
                    match c {
                        b'\\' => j += 2,
                        b'"' => break,
                        _ => j += 1,
                    }
                }
                // A string directly inside an object, before a colon, is a key.
                if let Some(frame) = stack.last_mut() {
                    if !frame.is_array {
                        let mut k = j + 1;
                        while bytes.get(k).is_some_and(|c| c.is_ascii_whitespace()) {
                            k += 1;
                        }
                        if bytes.get(k) == Some(&b':') {
                            let key = text.get(start..j.min(text.len())).unwrap_or("?");
                            frame.step = Some(Step::Key(key));
                        }
                    }
                }
                i = j + 1;
                continue;
            }
            b'{' | b'[' => {
                if stack.len() >= limits.max_depth {
                    return Err(InputError::new(
                        "too_deep",
                        format!(
                            "the request nests deeper than {} levels; the contract needs fewer than 8",
                            limits.max_depth
                        ),
                        path_of(&stack),
                    ));
                }
                let is_array = b == b'[';
                stack.push(Frame {
                    is_array,
                    step: is_array.then_some(Step::Index(0)),
                    items: 0,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(frame) = stack.last_mut() {
                    if frame.is_array {
                        frame.items += 1;
                        frame.step = Some(Step::Index(frame.items));
                        if frame.items >= limits.max_array_len {
                            return Err(InputError::new(
                                "too_many_items",
                                format!(
                                    "this array has more than {} elements",
                                    limits.max_array_len
                                ),
                                path_of(&stack),
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use crate::json::error::json_error;

    fn err(text: &str) -> InputError {
        match parse_request(text, &InputLimits::default()) {
            Ok(_) => panic!("accepted: {text}"),
            Err((mut errors, _)) => errors.remove(0),
        }
    }

    /// The reference the reader is held to: serde's derived deserializers through
    /// serde_path_to_error, after the same limits (the parser this crate used before the
    /// reader explained errors itself).
    fn reference(
        text: &str,
        limits: &InputLimits,
    ) -> Result<Request, (Vec<InputError>, RequestHint)> {
        let fail = |e: InputError| (vec![e], RequestHint::default());
        if text.trim().is_empty() || text.len() > limits.max_bytes {
            return parse_request(text, limits);
        }
        scan_structure(text, limits).map_err(fail)?;
        if text.trim_start().starts_with('[') {
            return Err(fail(InputError::new("invalid_type", "an array", "$")));
        }
        match parse_with_paths(text) {
            Ok(request) => check(request),
            Err(err) => Err((vec![err], salvage_hint(text))),
        }
    }

    fn parse_with_paths(text: &str) -> Result<Request, InputError> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de)
            .map_err(classify)
            .and_then(|r| {
                de.end().map_err(|e| json_error(&e, "$".into()))?;
                Ok(r)
            })
    }

    fn display_path(path: &serde_path_to_error::Path) -> String {
        // serde_path_to_error writes `?` for a key it had not finished reading.
        let text = path.to_string();
        let text = text
            .trim_end_matches(".?")
            .trim_end_matches('?')
            .to_string();
        if text == "." || text.is_empty() {
            "$".into()
        } else {
            text
        }
    }

    fn join_path(base: &str, field: &str) -> String {
        if base == "$" {
            field.to_string()
        } else {
            format!("{base}.{field}")
        }
    }

    /// serde's error as a code and a path that points at the field (only codes and paths are
    /// compared: the reader words its own messages).
    fn classify(err: serde_path_to_error::Error<serde_json::Error>) -> InputError {
        let path = display_path(err.path());
        let inner = err.inner();
        if !matches!(inner.classify(), serde_json::error::Category::Data) {
            return json_error(inner, path);
        }
        let message = inner.to_string();
        let field = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(|field| join_path(&path, field))
        };
        // Both point at the field itself, as the reader does.
        let (code, path) = if let Some(at) = field("missing field `") {
            ("missing_field", at)
        } else if let Some(at) = field("duplicate field `") {
            ("invalid_value", at)
        } else if message.starts_with("unknown variant") && path == "scenario" {
            ("unknown_scenario", path)
        } else if message.contains("is not a date") || message.contains("is not a calendar date") {
            ("invalid_date", path)
        } else if message.starts_with("invalid type") {
            ("invalid_type", path)
        } else {
            ("invalid_value", path)
        };
        InputError::new(code, message, path)
    }

    const MIN: &str = r#"{"request_id":"R1","scenario":"removal","removal":{}}"#;

    #[test]
    fn accepts_the_minimal_request() {
        let r = parse_request(MIN, &InputLimits::default()).unwrap();
        assert_eq!(r.scenario, Scenario::Removal);
    }

    #[test]
    fn each_bad_input_has_a_code_and_a_path() {
        let cases: &[(&str, &str, &str)] = &[
            ("", "empty_input", "$"),
            ("   \n", "empty_input", "$"),
            ("not json", "not_json", "$"),
            (r#"{"request_id":"R1","scen"#, "truncated", "$"),
            ("[]", "invalid_type", "$"),
            (
                r#"{"scenario":"removal","removal":{}}"#,
                "missing_field",
                "request_id",
            ),
            (
                r#"{"request_id":"R1","scenario":"upgrade"}"#,
                "unknown_scenario",
                "scenario",
            ),
            (
                r#"{"request_id":"R1","scenario":"transfer"}"#,
                "missing_scenario_block",
                "transfer",
            ),
            (
                r#"{"request_id":"R1","scenario":"transfer","transfer":null}"#,
                "missing_scenario_block",
                "transfer",
            ),
            (
                r#"{"request_id":"","scenario":"removal","removal":{}}"#,
                "invalid_value",
                "request_id",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{"date":"2026-02-30"}}"#,
                "invalid_date",
                "removal.date",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{"date":20260201}}"#,
                "invalid_type",
                "removal.date",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{},"agreement":{"notice_period_days":1e400}}"#,
                "invalid_number",
                "agreement.notice_period_days",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{},"agreement":{"notice_period_days":99999999999999999999}}"#,
                "invalid_type",
                "agreement.notice_period_days",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{},"data_assets":[{},{"category":"cats"}]}"#,
                "invalid_value",
                "data_assets[1].category",
            ),
            (
                "{\"request_id\":\"R\\ud800\",\"scenario\":\"removal\",\"removal\":{}}",
                "invalid_string",
                "request_id",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{}} trailing"#,
                "not_json",
                "$",
            ),
            (
                r#"{"request_id":"R1","scenario":5,"removal":{}}"#,
                "invalid_type",
                "scenario",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{"scope":[]}}"#,
                "invalid_type",
                "removal.scope",
            ),
            (
                r#"{"request_id":"R1","scenario":"removal","removal":{},"agreement":["A-1"]}"#,
                "invalid_type",
                "agreement",
            ),
        ];
        for (text, code, path) in cases {
            let e = err(text);
            assert_eq!(
                (e.code.as_str(), e.path.as_str()),
                (*code, *path),
                "{text}: {}",
                e.message
            );
        }
    }

    #[test]
    fn errors_say_what_to_send_and_where() {
        let text =
            "{\"request_id\":\"R1\",\"scenario\":\"removal\",\n \"removal\":{\"date\":20260201}}";
        let e = err(text);
        assert_eq!(
            (e.code.as_str(), e.path.as_str(), e.line, e.column),
            ("invalid_type", "removal.date", Some(2), Some(20))
        );
        assert_eq!(
            e.message,
            "`removal.date` is a number; it must be a date string (YYYY-MM-DD)"
        );
        let e = err(
            r#"{"request_id":"R1","scenario":"removal","removal":{},"data_assets":[{},{"category":"cats"}]}"#,
        );
        assert_eq!(
            e.message,
            "`data_assets[1].category` is `cats`; it must be one of `customer_data`, `derived_data`, `account_data`, `provider_data`"
        );
        let e = err(
            r#"{"request_id":"R1","scenario":"removal","removal":{"date":"2026-01-01","date":"2026-01-02"}}"#,
        );
        assert_eq!(
            (e.code.as_str(), e.path.as_str(), e.message.as_str()),
            (
                "invalid_value",
                "removal.date",
                "`removal.date` appears twice in its object; send it once"
            )
        );
        let e = err(r#"{"request_id":"R1","removal":{}}"#);
        assert_eq!(
            (e.code.as_str(), e.path.as_str(), e.message.as_str()),
            (
                "missing_field",
                "scenario",
                "required field `scenario` is missing"
            )
        );
        let e = err(r#"{"request_id":"R1","scenario":"removal","removal":{"date":"2026-02-30"}}"#);
        assert_eq!(
            e.message,
            "`removal.date`: `2026-02-30` is not a calendar date (no such day in that month)"
        );
        // Syntax is serde_json's to describe, at the field being read.
        let e = err(r#"{"request_id":"R1","scenario":"removal","removal":{"date":tru}}"#);
        assert_eq!(
            (e.code.as_str(), e.path.as_str()),
            ("not_json", "removal.date")
        );
        assert!(
            e.message
                .starts_with("the request is not valid JSON: expected ident"),
            "{}",
            e.message
        );
        assert_eq!(
            err("\"R1\"").message,
            "the request is a string; send one JSON object"
        );
    }

    #[test]
    fn the_reader_recurses_at_most_64_levels_whatever_the_limit() {
        let limits = InputLimits {
            max_depth: 1000,
            ..InputLimits::default()
        };
        let deep = format!(
            r#"{{"request_id":"R1","scenario":"removal","removal":{{}},"x":{}{}}}"#,
            "[".repeat(100),
            "]".repeat(100)
        );
        let (errors, _) = parse_request(&deep, &limits).unwrap_err();
        let e = &errors[0];
        assert_eq!(e.code, "too_deep");
        assert_eq!(
            e.path, "x",
            "inside an unknown field the path stops at the field"
        );
        let nested = |levels: usize| {
            format!(
                r#"{{"request_id":"R1","scenario":"removal","removal":{{"media_disposal_records":{}{}}}}}"#,
                "[".repeat(levels),
                "]".repeat(levels)
            )
        };
        let (errors, _) = parse_request(&nested(100), &limits).unwrap_err();
        assert_eq!(errors[0].code, "too_deep");
        assert!(
            errors[0]
                .path
                .starts_with("removal.media_disposal_records[0][0]"),
            "{}",
            errors[0].path
        );
        assert!(parse_request(&nested(60), &limits).is_ok());
    }

    #[test]
    fn limits_are_enforced_before_parsing() {
        let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
        assert_eq!(err(&deep).code, "too_deep");
        let nested = r#"{"request_id":"R1","scenario":"removal","removal":{"removal_plan":{"asset_dispositions":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}}"#;
        let e = err(nested);
        assert_eq!(e.code, "too_deep");
        assert!(
            e.path
                .starts_with("removal.removal_plan.asset_dispositions[0]"),
            "{}",
            e.path
        );
        let big = format!(
            r#"{{"request_id":"{}","scenario":"removal","removal":{{}}}}"#,
            "x".repeat(2 << 20)
        );
        assert_eq!(err(&big).code, "too_large");
        let many = format!(
            r#"{{"request_id":"R","scenario":"removal","removal":{{}},"data_assets":[{}{{}}]}}"#,
            "{},".repeat(10_000)
        );
        let e = err(&many);
        assert_eq!(
            (e.code.as_str(), e.path.as_str()),
            ("too_many_items", "data_assets[10000]")
        );
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let text = format!(
            r#"{{"request_id":"{}\"]]","scenario":"removal","removal":{{}}}}"#,
            "[".repeat(100)
        );
        assert!(parse_request(&text, &InputLimits::default()).is_ok());
    }

    /// Every request the project has: the pack's bases and cases, the examples.
    fn known_requests() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let pack = crate::pack::Pack::embedded().unwrap();
        let bases = crate::cases::pack_bases(&pack.tests).unwrap();
        let mut out: Vec<String> = bases.values().map(|v| v.to_string()).collect();
        for (path, text) in pack
            .tests
            .iter()
            .filter(|(p, _)| !p.starts_with("tests/base/"))
        {
            out.extend(
                crate::cases::prepare(path, text, &bases)
                    .unwrap()
                    .into_iter()
                    .map(|c| c.text),
            );
        }
        for dir in ["examples/requests", "../shared/examples"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for p in paths.iter().filter(|p| !p.ends_with("expected.json")) {
                out.push(std::fs::read_to_string(p).unwrap());
            }
        }
        out
    }

    /// The reader gives what serde gives: the same request to the last bit, or the same error
    /// codes, paths and salvaged labels (messages are the reader's own). `Ok(true)` when the
    /// text was a valid request.
    fn same_both_ways(text: &str, limits: &InputLimits) -> Result<bool, String> {
        let shown = |r: Result<Request, (Vec<InputError>, RequestHint)>| match r {
            Ok(request) => format!("{request:?}"),
            Err((errors, hint)) => {
                let codes: Vec<_> = errors
                    .iter()
                    .map(|e| (e.code.clone(), e.path.clone()))
                    .collect();
                format!("{codes:?} {hint:?}")
            }
        };
        let ours = parse_request(text, limits);
        let valid = ours.is_ok();
        let (ours, serde) = (shown(ours), shown(reference(text, limits)));
        if ours == serde {
            Ok(valid)
        } else {
            let text: String = text.chars().take(400).collect();
            Err(format!("{text}\n reader: {ours}\n serde:  {serde}"))
        }
    }

    const SMALL: InputLimits = InputLimits {
        max_bytes: 1 << 20,
        max_depth: 4,
        max_array_len: 2,
    };

    #[test]
    fn reader_and_serde_agree_on_known_requests_and_their_mutations() {
        use serde_json::{json, Value};
        fn paths(v: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
            let children: Vec<(Value, &Value)> = match v {
                Value::Object(m) => m.iter().map(|(k, c)| (json!(k), c)).collect(),
                Value::Array(a) => a.iter().enumerate().map(|(i, c)| (json!(i), c)).collect(),
                _ => return,
            };
            for (step, child) in children {
                prefix.push(step);
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        fn at<'v>(v: &'v mut Value, path: &[Value]) -> &'v mut Value {
            path.iter().fold(v, |cur, step| match step {
                Value::String(k) => &mut cur[k.as_str()],
                Value::Number(i) => &mut cur[i.as_u64().unwrap() as usize],
                _ => unreachable!(),
            })
        }
        let replacements = [
            json!(null),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(-0.0),
            json!(1e300),
            json!(123_456_789_012_345_678_i64),
            json!(9_223_372_036_854_775_807_i64),
            json!(18_446_744_073_709_551_615_u64),
            json!(""),
            json!("x"),
            json!("2026-02-29"),
            json!("2024-02-29T00:00:00Z"),
            json!("é\n\"\\"),
            json!(true),
            json!([]),
            json!({}),
            json!([null]),
            json!({"a": [[{"b": 1e5}]], "c": "\u{1}"}),
            json!("customer"),
        ];
        let known = known_requests();
        assert!(known.len() > 500, "{}", known.len());
        let mut problems = Vec::new();
        let mut taken = 0;
        let mut check = |text: &str| {
            for limits in [InputLimits::default(), SMALL] {
                match same_both_ways(text, &limits) {
                    Ok(valid) => taken += usize::from(valid),
                    Err(e) => problems.push(e),
                }
            }
        };
        for text in &known {
            check(text);
        }
        // Every single-value edit of two examples (the pack cases are edits of the bases).
        for text in known.iter().rev().take(2) {
            let doc: Value = serde_json::from_str(text).unwrap();
            check(&serde_json::to_string_pretty(&doc).unwrap());
            let mut all = Vec::new();
            paths(&doc, &mut Vec::new(), &mut all);
            for path in &all {
                for r in &replacements {
                    let mut edited = doc.clone();
                    *at(&mut edited, path) = r.clone();
                    check(&edited.to_string());
                }
                let (last, parent) = path.split_last().unwrap();
                let mut edited = doc.clone();
                match (at(&mut edited, parent), last) {
                    (Value::Object(m), Value::String(k)) => {
                        let mut with_unknown = m.clone();
                        with_unknown.insert(format!("{k}_"), json!({"x": [1, {"y": null}]}));
                        m.remove(k);
                        let mut unknown = doc.clone();
                        *at(&mut unknown, parent) = Value::Object(with_unknown);
                        check(&unknown.to_string());
                    }
                    (Value::Array(a), Value::Number(i)) => {
                        a.remove(i.as_u64().unwrap() as usize);
                    }
                    _ => {}
                }
                check(&edited.to_string());
            }
        }
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            problems
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        // The comparison means something only if most texts were valid requests.
        assert!(taken > 1_500, "{taken}");
    }

    #[test]
    fn every_example_is_read() {
        for text in known_requests().iter().rev().take(8) {
            assert!(
                crate::json::reader::parse::<Request>(text, &InputLimits::default()).is_ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn reader_and_serde_agree_on_textual_oddities() {
        let base = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("rules/tests/base/termination.json"),
        )
        .unwrap();
        let edits: Vec<String> = vec![
            base.replacen('{', "{\"request_id\":\"dup\",", 1),
            base.replacen('{', "{\"request_id\":null,", 1),
            base.replacen("\"termination\"", "\"terminatio\\u006e\"", 2),
            base.replacen("\"scenario\"", "\"sce\\u006eario\"", 1),
            base.replacen(": ", ":\t\r\n ", 5),
            base.replacen(": ", ":\u{a0}", 1),
            base.replacen(",", ",,", 1),
            base.replacen("}", ",}", 1),
            base.replacen("2026", "2O26", 1),
            base.replacen("\"2026-", "\"\\u0032026-", 1),
            base.replacen("\"2026-", "\"\u{1}2026-", 1),
            format!("{base} \n"),
            format!("{base}x"),
            format!("{base}{{}}"),
            format!("\u{feff}{base}"),
            format!("[{base}]"),
            base.replacen("30", "3e1", 1),
            base.replacen("30", "30.0", 1),
            base.replacen("30", "-0", 1),
            base.replacen("30", "030", 1),
            base.replacen("30", "3.", 1),
            base.replacen("30", "30e", 1),
            base.replacen("30", "1e400", 1),
            base.replacen("30", "99999999999999999999", 1),
            base.replacen("30", "9007199254740993", 1),
            base.replacen("30", "9223372036854775807", 1),
            base.replacen("30", "9223372036854775808", 1),
            base.replacen("30", "-9223372036854775808", 1),
            base.replacen("30", "-9223372036854775809", 1),
            base.replacen("30", "18446744073709551616", 1),
            base.replacen("30", &"9".repeat(400), 1),
            base.replacen("\"termination\",", "{\"termination\": null},", 1),
            base.replacen("\"termination\",", "[\"termination\"],", 1),
            base.replacen("\"termination\",", "\"termination\" \"x\",", 1),
            base.replacen("\"scenario\":", "\"scenario\"", 1),
            base.replacen("]", ",]", 1),
            base.replacen("[", "[,", 1),
            base.replacen("30", "0.1e-400", 1),
            base.replacen("true", "tru", 1),
            base.replacen("true", "truex", 1),
            base.replacen("true", "TRUE", 1),
            base.replacen("null", "nul", 1),
            base.replace("\"", "'"),
        ];
        let mut problems = Vec::new();
        for text in &edits {
            for limits in [
                InputLimits::default(),
                SMALL,
                InputLimits {
                    max_depth: 0,
                    max_array_len: 0,
                    ..SMALL
                },
            ] {
                if let Err(e) = same_both_ways(text, &limits) {
                    problems.push(e);
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Random byte-level edits of a request: mostly broken JSON, which both must
        /// refuse the same way, and sometimes valid JSON of a surprising shape.
        #[test]
        fn reader_and_serde_agree_on_random_edits(
            edits in proptest::collection::vec((0usize..6000, 0usize..4, proptest::sample::select(vec![
                "", "\"", "{", "}", "[", "]", ",", ":", "0", "-", ".", "e", "1", "null", "true", " ", "\\", "\"x\"", "\u{1}", "é",
            ])), 1..4),
        ) {
            let mut text = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/requests/removal-allow.json"),
            ).unwrap();
            for (at, cut, insert) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) { at -= 1; }
                let mut end = (at + cut).min(text.len());
                while !text.is_char_boundary(end) { end += 1; }
                text.replace_range(at..end, insert);
            }
            for limits in [InputLimits::default(), SMALL] {
                proptest::prop_assert!(same_both_ways(&text, &limits).is_ok(), "{:?}", same_both_ways(&text, &limits));
            }
        }
    }

    #[test]
    fn strings_end_where_serde_says() {
        // Every position of every special byte, among plain ASCII and multi-byte UTF-8.
        for filler in ["abcdefghijklmnopqrstuvwxyz", "éé€€𝄞𝄞 ~\u{7f}"] {
            for special in ["\"", "\\", "\u{0}", "\u{1f}", "\n"] {
                for at in 0..filler.chars().count() {
                    let mut text: String = filler.chars().take(at).collect();
                    text.push_str(special);
                    text.extend(filler.chars().skip(at));
                    let quoted = format!("\"{text}\"");
                    let mut r = crate::json::reader::Reader::new(&quoted);
                    let plain: String = filler.chars().take(at).collect();
                    // A quote ends the string early; anything else is serde_json's to judge
                    // (a backslash may start a valid escape).
                    let expected = if special == "\"" {
                        Some(plain)
                    } else {
                        serde_json::from_str::<String>(&quoted).ok()
                    };
                    assert_eq!(
                        r.string().ok().map(|s| s.into_owned()),
                        expected,
                        "{quoted:?}"
                    );
                }
            }
            let quoted = format!("\"{filler}\"");
            assert_eq!(
                crate::json::reader::Reader::new(&quoted)
                    .string()
                    .ok()
                    .as_deref(),
                Some(filler)
            );
            assert!(
                crate::json::reader::Reader::new(&quoted[..quoted.len() - 1])
                    .string()
                    .is_err()
            );
        }
    }

    #[test]
    fn plain_dates_read_as_date_parse_reads_them() {
        let mut texts = Vec::new();
        for year in [
            1, 4, 99, 100, 400, 1582, 1899, 1900, 1970, 2000, 2024, 2026, 2100, 2400, 9999,
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    texts.push(format!("{year:04}-{month:02}-{day:02}"));
                }
            }
        }
        let mut day = Date::parse("1890-01-01").unwrap();
        while day.year() < 2130 {
            texts.push(day.to_string());
            day = day.add_days(1).unwrap();
        }
        texts.extend(
            [
                "0000-01-01",
                "+026-01-01",
                "2026-1-01",
                "2026-01-1x",
                "2026/01/01",
                "２026-01-01",
            ]
            .map(String::from),
        );
        for text in &texts {
            let plain = crate::calendar::plain_date(text);
            let careful = Date::parse_general(text).ok();
            assert_eq!(plain.is_some(), careful.is_some(), "{text}");
            if plain.is_some() {
                assert_eq!(plain, careful, "{text}");
            }
            assert_eq!(Date::parse(text).ok(), careful, "{text}");
        }
    }

    #[test]
    fn hint_survives_a_bad_field() {
        let (_, hint) = parse_request(
            r#"{"request_id":"R9","scenario":"removal","removal":{"date":"x"}}"#,
            &InputLimits::default(),
        )
        .unwrap_err();
        assert_eq!(hint.request_id.as_deref(), Some("R9"));
        assert_eq!(hint.scenario.as_deref(), Some("removal"));
    }
}
