//! What a refused request is told: the limits it was held to, each problem with a stable code,
//! a message and a JSON path. Shared by the byte scanner and the request reader, which both
//! write paths the same way.

use serde::{Deserialize, Serialize};

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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InputError {
    /// Stable, for programs: `not_json`, `invalid_type`, `missing_field`, `too_large`, …
    pub code: String,
    /// For people: what is wrong and what to change.
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

#[cold]
#[inline(never)]
pub(crate) fn json_error(err: &serde_json::Error, path: String) -> InputError {
    let full = err.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full.get(..cut).unwrap_or(&full).to_string(),
        None => full.clone(),
    };
    let (code, message) = if err.is_eof() {
        (
            "truncated",
            format!("the JSON text ends too early ({message}); send the whole request"),
        )
    } else {
        let code = if message.contains("surrogate") || message.contains("escape") {
            "invalid_string"
        } else if message.contains("number") {
            "invalid_number"
        } else if message.contains("recursion limit") {
            "too_deep"
        } else {
            "not_json"
        };
        (code, format!("the request is not valid JSON: {message}"))
    };
    InputError {
        code: code.into(),
        message,
        path,
        line: (err.line() > 0).then_some(err.line()),
        column: (err.column() > 0).then_some(err.column()),
    }
}

/// One step into the document, for error paths.
#[derive(Clone, Copy)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A JSON path as errors show it, `data_assets[0].region`, or `$` for the whole request; each key
/// at most 64 characters. The scanner and the reader both write paths with it.
pub(crate) fn show_path<'a>(steps: impl IntoIterator<Item = Step<'a>>) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.extend(k.chars().take(64));
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        "$".into()
    } else {
        out
    }
}
