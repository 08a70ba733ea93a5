//! The rules' view of a request (`cloudgate::eval::convert::to_dynamic`) is exactly what
//! `rhai::serde::to_dynamic` makes of the typed request: same keys, same types, same values,
//! on every request the project has (pack cases, examples, shared examples) and on every
//! single-field mutation of the examples that still parses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use cloudgate::input::{parse_request, InputLimits};
use cloudgate::Request;
use proptest::prelude::*;
use rhai::Dynamic;
use serde_json::{json, Value};

/// Where two Rhai values differ, if they do. Types are compared by name and by content;
/// floats bit for bit.
fn difference(a: &Dynamic, b: &Dynamic, path: &str) -> Option<String> {
    if a.type_name() != b.type_name() {
        return Some(format!("{path}: {} vs {}", a.type_name(), b.type_name()));
    }
    if a.is_read_only() != b.is_read_only() || a.tag() != b.tag() {
        return Some(format!("{path}: access mode or tag differs"));
    }
    if a.is_map() {
        let (a, b) = (
            a.read_lock::<rhai::Map>().unwrap(),
            b.read_lock::<rhai::Map>().unwrap(),
        );
        let keys = |m: &rhai::Map| m.keys().map(|k| k.to_string()).collect::<Vec<_>>();
        if keys(&a) != keys(&b) {
            return Some(format!("{path}: keys {:?} vs {:?}", keys(&a), keys(&b)));
        }
        return a
            .iter()
            .zip(b.iter())
            .find_map(|((k, x), (_, y))| difference(x, y, &format!("{path}.{k}")));
    }
    if a.is_array() {
        let (a, b) = (
            a.read_lock::<rhai::Array>().unwrap(),
            b.read_lock::<rhai::Array>().unwrap(),
        );
        if a.len() != b.len() {
            return Some(format!("{path}: {} vs {} items", a.len(), b.len()));
        }
        return a
            .iter()
            .zip(b.iter())
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, &format!("{path}[{i}]")));
    }
    let same = if a.is_string() {
        a.clone().into_immutable_string().ok() == b.clone().into_immutable_string().ok()
    } else if a.is_int() {
        a.as_int().ok() == b.as_int().ok()
    } else if a.is_float() {
        a.as_float().ok().map(f64::to_bits) == b.as_float().ok().map(f64::to_bits)
    } else if a.is_bool() {
        a.as_bool().ok() == b.as_bool().ok()
    } else if a.is_unit() {
        true
    } else {
        return Some(format!("{path}: unexpected type {}", a.type_name()));
    };
    (!same).then(|| format!("{path}: {a:?} vs {b:?}"))
}

fn check(request: &Request) -> Result<(), String> {
    let ours = cloudgate::eval::convert::to_dynamic(request);
    let serde = rhai::serde::to_dynamic(request).map_err(|e| e.to_string())?;
    if let Some(d) = difference(&ours, &serde, "req") {
        return Err(d);
    }
    check_lookups(request, &ours)
}

/// What the rules' path walk finds at `steps` of `v` (`None` at null, as `functions::walk`).
fn walk(v: &Dynamic, steps: &[Step]) -> Option<Dynamic> {
    if v.is_unit() {
        return None;
    }
    match steps.split_first() {
        None => Some(v.clone()),
        Some((Step::Key(k), rest)) => {
            let next = v.as_map_ref().ok()?.get(k.as_str())?.clone();
            walk(&next, rest)
        }
        Some((Step::Index(i), rest)) => {
            let next = v.as_array_ref().ok()?.get(*i)?.clone();
            walk(&next, rest)
        }
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn text(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Every path of the value, and next to each a few that find nothing (an unknown key, an index
/// past the end, a step into a scalar or a map by index).
fn value_paths(v: &Dynamic, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    for miss in [
        Step::Key("no_such_field".into()),
        Step::Index(0),
        Step::Index(999),
    ] {
        let mut p = prefix.clone();
        p.push(miss);
        out.push(p);
    }
    if let Ok(map) = v.as_map_ref() {
        for (k, item) in map.iter() {
            // Free JSON may have keys the path grammar cannot spell.
            if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            prefix.push(Step::Key(k.to_string()));
            value_paths(item, prefix, out);
            prefix.pop();
        }
    } else if let Ok(array) = v.as_array_ref() {
        for (i, item) in array.iter().enumerate() {
            prefix.push(Step::Index(i));
            value_paths(item, prefix, out);
            prefix.pop();
        }
    }
}

/// The compiled rules read fields through `lookup_path` instead of the whole value: it must
/// find exactly what the walk over the whole value finds, on every path.
fn check_lookups(request: &Request, whole: &Dynamic) -> Result<(), String> {
    let mut all = Vec::new();
    value_paths(whole, &mut Vec::new(), &mut all);
    for steps in all.iter().filter(|s| !s.is_empty()) {
        let path = text(steps);
        let expected = walk(whole, steps);
        let got = cloudgate::eval::convert::lookup_path(request, &path);
        match (&expected, &got) {
            (None, None) => {}
            (Some(a), Some(b)) => {
                if let Some(d) = difference(b, a, &path) {
                    return Err(format!("lookup {d}"));
                }
            }
            _ => {
                return Err(format!(
                    "lookup {path}: {got:?}, the walk finds {expected:?}"
                ))
            }
        }
    }
    Ok(())
}

/// Every request text the project has: pack cases (with their set/unset edits), the
/// repository's examples and the shared ones.
fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let engine = support::default_engine();
    let tests = &engine.pack().tests;
    let bases = cloudgate::cases::pack_bases(tests).unwrap();
    for (path, text) in tests {
        if path.starts_with("tests/base/") {
            out.push((path.clone(), text.clone()));
            continue;
        }
        for case in cloudgate::cases::prepare(path, text, &bases).unwrap() {
            out.push((format!("{path}: {}", case.name), case.text));
        }
    }
    let dir = support::root().join("examples/requests");
    let mut examples: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "expected.json"))
        .collect();
    examples.sort();
    for p in examples {
        out.push((p.display().to_string(), support::read(&p)));
    }
    out.extend(support::shared_examples());
    out
}

#[test]
fn same_value_as_serde_on_every_known_request() {
    let corpus = corpus();
    let mut problems = Vec::new();
    let mut parsed = 0;
    for (name, text) in &corpus {
        if let Ok(request) = parse_request(text, &InputLimits::default()) {
            parsed += 1;
            if let Err(e) = check(&request) {
                problems.push(format!("{name}: {e}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The pack has 512 cases; most of them are valid requests.
    assert!(parsed > 400, "only {parsed} of {} parsed", corpus.len());
}

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

fn at<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |cur, step| match step {
        Value::String(k) => &mut cur[k.as_str()],
        Value::Number(i) => &mut cur[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

/// Replacing any one value of an example (with values of every JSON type, including the
/// numbers serde treats specially) and keeping what still parses.
#[test]
fn same_value_as_serde_on_mutated_examples() {
    let replacements = [
        json!(null),
        json!(0),
        json!(-7),
        json!(1.5),
        json!(-0.0),
        json!(9_223_372_036_854_775_807_i64),
        json!(18_446_744_073_709_551_615_u64),
        json!(""),
        json!("2026-01-31T23:59:59+14:00"),
        json!(true),
        json!([]),
        json!({}),
        json!([{"a": [1, 2.5, null, "x", {"b": false}]}, 18_446_744_073_709_551_615_u64]),
    ];
    let mut problems = Vec::new();
    let mut parsed = 0;
    for (name, text) in support::base_requests() {
        let doc: Value = serde_json::from_str(&text).unwrap();
        let mut all = Vec::new();
        paths(&doc, &mut Vec::new(), &mut all);
        for path in &all {
            for r in &replacements {
                let mut edited = doc.clone();
                *at(&mut edited, path) = r.clone();
                if let Ok(request) = parse_request(&edited.to_string(), &InputLimits::default()) {
                    parsed += 1;
                    if let Err(e) = check(&request) {
                        problems.push(format!("{name} {path:?} = {r}: {e}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(parsed > 1_000, "{parsed}");
}

/// Free JSON (`removal.media_disposal_records`) of any shape converts as serde converts it.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn free_json_converts_as_serde_does(records in prop::collection::vec(arbitrary_json(), 0..4)) {
        let mut doc: Value = serde_json::from_str(&support::base("removal")).unwrap();
        doc["removal"]["media_disposal_records"] = Value::Array(records);
        let request = parse_request(&doc.to_string(), &InputLimits::default()).unwrap();
        prop_assert_eq!(check(&request), Ok(()));
    }
}
