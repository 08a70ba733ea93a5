//! From untrusted text to a typed [`Request`], or to errors that say what to change and where.
//!
//! Two passes: a byte scanner enforces the size, depth and array-length limits before any
//! recursive parser sees the text (so hostile nesting cannot exhaust the stack), then serde
//! checks types, enums and dates, and reports the JSON path of the first problem.

use serde::{Deserialize, Serialize};

use crate::decision::RequestHint;
use crate::request::{Request, Scenario};

/// Bounds on a request, checked before parsing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InputLimits {
    /// Largest request accepted, in bytes of JSON text.
    pub max_bytes: usize,
    /// Deepest nesting of arrays and objects accepted.
    pub max_depth: usize,
    /// Most elements accepted in any one array.
    pub max_array_len: usize,
}

impl Default for InputLimits {
    fn default() -> Self {
        InputLimits {
            max_bytes: 1024 * 1024,
            max_depth: 32,
            max_array_len: 10_000,
        }
    }
}

/// One reason a request was refused. `code` is stable for programs; `message` is for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub code: String,
    pub message: String,
    /// JSON path of the offending value (`data_assets[0].region`), `$` for the whole request.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl InputError {
    pub fn new(code: &str, message: impl Into<String>, path: impl Into<String>) -> Self {
        InputError {
            code: code.into(),
            message: message.into(),
            path: path.into(),
            line: None,
            column: None,
        }
    }
}

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
    scan_structure(text, limits).map_err(fail)?;
    if text.trim_start().starts_with('[') {
        return Err(fail(InputError::new(
            "invalid_type",
            "the request is a JSON array; send one JSON object",
            "$",
        )));
    }

    // Fast path: plain serde_json. Path tracking costs more than the parse itself, so it is
    // paid only to explain a request that failed (the same parse again, with paths).
    let parsed = match serde_json::from_str::<Request>(text) {
        Ok(request) => Ok(request),
        Err(_) => parse_with_paths(text),
    };
    match parsed {
        Ok(request) => {
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
        Err(mut err) => {
            // serde_json reports a number where an enum belongs as a syntax error; if the text
            // is valid JSON after all, the problem is the value's type.
            if err.code == "not_json"
                && err.path != "$"
                && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
            {
                err.code = "invalid_type".into();
                err.message = format!(
                    "`{}` has the wrong type: expected one of its allowed strings",
                    err.path
                );
            }
            Err((vec![err], salvage_hint(text)))
        }
    }
}

/// The slow parse, for a request already known to be invalid: serde with JSON paths.
fn parse_with_paths(text: &str) -> Result<Request, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de)
        .map_err(classify)
        .and_then(|r| {
            de.end().map_err(|e| InputError {
                line: Some(e.line()),
                column: Some(e.column()),
                ..InputError::new(
                    "not_json",
                    "the request is not valid JSON: text follows the request object",
                    "$",
                )
            })?;
            Ok(r)
        })
}

fn hint_from(request: &Request) -> RequestHint {
    RequestHint {
        request_id: Some(request.request_id.clone()),
        scenario: Some(request.scenario.as_str().to_string()),
        as_of: request.as_of.map(|d| d.to_string()),
    }
}

/// Best effort: the id and scenario of a request that failed validation elsewhere.
fn salvage_hint(text: &str) -> RequestHint {
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

/// Turns serde's message into a stable code, a path that points at the field, and a message
/// without serde's position suffix (the position is kept as line and column).
fn classify(err: serde_path_to_error::Error<serde_json::Error>) -> InputError {
    let path = display_path(err.path());
    let inner = err.inner();
    let (line, column) = (inner.line(), inner.column());
    let full = inner.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full.get(..cut).unwrap_or(&full).to_string(),
        None => full.clone(),
    };
    use serde_json::error::Category;
    let (code, path, message) = match inner.classify() {
        Category::Eof => (
            "truncated",
            path,
            format!("the JSON text ends too early ({message}); send the whole request"),
        ),
        Category::Syntax | Category::Io => {
            let code = if message.contains("surrogate") || message.contains("escape") {
                "invalid_string"
            } else if message.contains("number") {
                "invalid_number"
            } else if message.contains("recursion limit") {
                "too_deep"
            } else {
                "not_json"
            };
            (
                code,
                path,
                format!("the request is not valid JSON: {message}"),
            )
        }
        Category::Data => {
            if let Some(field) = message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.strip_suffix('`'))
            {
                let at = join_path(&path, field);
                (
                    "missing_field",
                    at.clone(),
                    format!("required field `{at}` is missing"),
                )
            } else if message.starts_with("unknown variant") && path == "scenario" {
                (
                    "unknown_scenario",
                    path,
                    format!(
                        "{message}: scenario must be onboarding, termination, transfer or removal"
                    ),
                )
            } else if message.contains("is not a date")
                || message.contains("is not a calendar date")
            {
                ("invalid_date", path, message)
            } else if message.starts_with("invalid type") {
                ("invalid_type", path, message)
            } else {
                ("invalid_value", path, message)
            }
        }
    };
    InputError {
        code: code.into(),
        message,
        path,
        line: (line > 0).then_some(line),
        column: (column > 0).then_some(column),
    }
}

/// One step into the document, for error paths.
enum Step {
    Key(String),
    Index(usize),
}

struct Frame {
    is_array: bool,
    step: Option<Step>,
    items: usize,
}

fn path_of(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match &frame.step {
            Some(Step::Key(k)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Some(Step::Index(i)) => out.push_str(&format!("[{i}]")),
            None => {}
        }
    }
    if out.is_empty() {
        "$".into()
    } else {
        out
    }
}

/// Checks nesting depth and array lengths in one pass over the bytes, without recursion.
/// Syntax is left to serde; this only needs to get strings and brackets right.
fn scan_structure(text: &str, limits: &InputLimits) -> Result<(), InputError> {
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
                            frame.step = Some(Step::Key(key.chars().take(64).collect()));
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

    fn err(text: &str) -> InputError {
        match parse_request(text, &InputLimits::default()) {
            Ok(_) => panic!("accepted: {text}"),
            Err((mut errors, _)) => errors.remove(0),
        }
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
