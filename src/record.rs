//! The audit record of a decision (domain.md §2, option `record`): which decision this was, of
//! which exact input, when, and by which engine. The one part of a decision that is not a pure
//! function of request, pack and `as_of`, so it is added only on request.
//!
//! `input_digest` is taken over the request's RFC 8785 canonical JSON: key order, whitespace and
//! number spelling do not change it, so the same request gives the same digest whether it came
//! as a JS object, as text or as a file to the CLI (all three reach the engine as JSON text).
//!
//! The canonical form is written here, over `serde_json`'s value, with the standard library's
//! shortest float digits. The `serde_jcs` crate does the same job with its own serializer and
//! float formatter: with it the record added 36 KB gzip to the edge module (296 → 332 KB),
//! with this 19 KB (→ 315 KB; `scripts/build-wasm.sh`, gzip -9).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The engine that decided, for the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EngineInfo {
    pub name: String,
    pub version: String,
}

impl EngineInfo {
    pub fn this() -> EngineInfo {
        EngineInfo {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Record {
    /// A random UUID (version 4), unique per decision.
    pub decision_id: String,
    /// `sha256:` over the request's canonical JSON (RFC 8785); over its bytes as given when it
    /// is not JSON at all.
    pub input_digest: String,
    /// When the decision was made, UTC, RFC 3339 with milliseconds.
    pub evaluated_at: String,
    pub engine: EngineInfo,
}

impl Record {
    /// The record of a decision on `text`, made now.
    pub fn of(text: &str) -> Record {
        let input_digest = input_digest(text);
        let evaluated_at = crate::clock::now_utc_rfc3339();
        let decision_id = uuid_v4(&input_digest, &evaluated_at);
        Record {
            decision_id,
            input_digest,
            evaluated_at,
            engine: EngineInfo::this(),
        }
    }
}

/// `sha256:<hex>` of the canonical form of the JSON `text` (RFC 8785), or of `text` itself when
/// it is not JSON.
pub fn input_digest(text: &str) -> String {
    let canonical = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .map(|value| canonical_json(&value));
    let bytes = canonical.as_ref().map_or(text.as_bytes(), |c| c.as_bytes());
    crate::digest::sha256_label(&Sha256::digest(bytes))
}

/// RFC 8785: object members sorted by their names' UTF-16 code units, no whitespace, strings
/// with only the escapes JSON requires, numbers as ECMAScript writes a double.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => es_number(n.as_f64().unwrap_or(0.0), out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (key, item)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u00");
                let n = u32::from(c) as u8;
                out.push(hex(n >> 4));
                out.push(hex(n & 15));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A double as ECMAScript's `Number.prototype.toString` writes it (RFC 8785 §3.2.2.3): the
/// shortest digits that round-trip, laid out by the spec's rules.
fn es_number(x: f64, out: &mut String) {
    if x == 0.0 || !x.is_finite() {
        // -0 is written 0; JSON has no NaN or infinity, so they cannot reach here.
        out.push('0');
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    // Rust's `{:e}` writes the shortest digits that round-trip, as `D[.F]e[-]E`: take the
    // digits, and n with value = 0.digits × 10^n.
    let shortest = format!("{:e}", x.abs());
    let (mantissa, exponent) = match shortest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
        None => (shortest.as_str(), 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = int.chars().chain(frac.chars()).collect();
    let mut n = int.len() as i32 + exponent;
    let leading = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..leading);
    n -= leading as i32;
    let kept = digits.trim_end_matches('0').len();
    digits.truncate(kept);
    let k = digits.len() as i32;
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (a, b) = digits.split_at(n as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        out.push_str(&(n - 1).unsigned_abs().to_string());
    }
}

fn hex(n: u8) -> char {
    char::from_digit(u32::from(n), 16).unwrap_or('0')
}

/// A version 4 UUID from the system's random source (`getrandom`: the OS natively,
/// `crypto.getRandomValues` in wasm). Should that source fail, the bytes come from a hash of
/// the input digest, the time and a per-process counter instead: still unique in practice,
/// and a decision is never refused for want of randomness.
fn uuid_v4(input_digest: &str, evaluated_at: &str) -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut hasher = Sha256::new();
        hasher.update(input_digest.as_bytes());
        hasher.update(evaluated_at.as_bytes());
        hasher.update(n.to_le_bytes());
        hasher.update(crate::clock::now_micros().to_le_bytes());
        for (b, h) in bytes.iter_mut().zip(hasher.finalize()) {
            *b = h;
        }
    }
    // Version 4 and the RFC 4122 variant.
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x40;
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(hex(byte >> 4));
        out.push(hex(byte & 15));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_ignores_key_order_whitespace_and_number_spelling() {
        let a = input_digest(r#"{"b": 1.0, "a": [true, null, "é"], "c": {"y": 2e0, "x": 10}}"#);
        let b = input_digest("{\"a\":[true,null,\"\\u00e9\"],\"c\":{\"x\":10,\"y\":2},\"b\":1}");
        assert_eq!(a, b);
        assert!(a.starts_with("sha256:") && a.len() == 71);
        assert_ne!(
            a,
            input_digest(r#"{"b": 2, "a": [true, null, "é"], "c": {"y": 2, "x": 10}}"#)
        );
        // Not JSON: the bytes as given.
        assert_ne!(input_digest("{"), input_digest("{ "));
    }

    #[test]
    fn rfc_8785_canonical_form() {
        // The canonical text is what is hashed: RFC 8785's own example of key order and numbers.
        let value: serde_json::Value =
            serde_json::from_str(r#"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}"#)
                .unwrap();
        assert_eq!(
            canonical_json(&value),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    #[test]
    fn numbers_as_ecmascript_writes_them() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (100.0, "100"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.2345e-7, "1.2345e-7"),
            (9007199254740993.0, "9007199254740992"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.1, "0.1"),
            (123.456, "123.456"),
        ];
        for (x, want) in cases {
            let mut out = String::new();
            es_number(x, &mut out);
            assert_eq!(out, want, "{x:e}");
        }
    }

    #[test]
    fn ids_are_version_4_and_differ() {
        let a = Record::of("{}");
        let b = Record::of("{}");
        assert_ne!(a.decision_id, b.decision_id);
        assert_eq!(a.input_digest, b.input_digest);
        let id = a.decision_id.as_bytes();
        assert_eq!(id.len(), 36);
        assert_eq!(id[14], b'4');
        assert!(matches!(id[19], b'8' | b'9' | b'a' | b'b'));
        assert_eq!(a.engine, EngineInfo::this());
        assert!(
            a.evaluated_at.ends_with('Z') && a.evaluated_at.len() == 24,
            "{}",
            a.evaluated_at
        );
    }
}
