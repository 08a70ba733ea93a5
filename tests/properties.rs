//! Property tests over mutated requests: no panic, always one of the four decisions, never
//! `allow` once a field a deny rule needs is gone, and no state carried between requests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod hostile;

use cloudgate::{Decision, Engine, Outcome, Verdict};
use hostile::*;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Every path into a JSON value: object keys and array indexes.
fn paths(v: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                prefix.push(Step::Key(k.clone()));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                prefix.push(Step::Index(i));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete,
    Null,
    Replace(Value),
}

fn parent_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut cur = root;
    for step in path {
        cur = match step {
            Step::Key(k) => cur.get_mut(k.as_str())?,
            Step::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

fn apply(root: &mut Value, path: &[Step], m: &Mutation) {
    let Some((last, parent_path)) = path.split_last() else {
        return;
    };
    let Some(parent) = parent_mut(root, parent_path) else {
        return;
    };
    match (last, m, parent) {
        (Step::Key(k), Mutation::Delete, Value::Object(o)) => {
            o.remove(k);
        }
        (Step::Index(i), Mutation::Delete, Value::Array(a)) if *i < a.len() => {
            a.remove(*i);
        }
        (Step::Key(k), Mutation::Null, Value::Object(o)) => {
            o.insert(k.clone(), Value::Null);
        }
        (Step::Index(i), Mutation::Null, Value::Array(a)) if *i < a.len() => a[*i] = Value::Null,
        (Step::Key(k), Mutation::Replace(v), Value::Object(o)) => {
            o.insert(k.clone(), v.clone());
        }
        (Step::Index(i), Mutation::Replace(v), Value::Array(a)) if *i < a.len() => {
            a[*i] = v.clone()
        }
        _ => {}
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[a-z0-9_ -]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("2026-09-15"),
            Just("2026-02-30"),
            Just("0001-01-01"),
            Just("9999-12-31"),
            Just("active"),
            Just("DE"),
            Just("customer")
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => Just(Mutation::Delete),
        2 => Just(Mutation::Null),
        1 => Just(Mutation::Replace(json!("x"))),
        1 => Just(Mutation::Replace(json!(1))),
        1 => Just(Mutation::Replace(json!([]))),
        1 => Just(Mutation::Replace(json!({}))),
        1 => Just(Mutation::Replace(json!(true))),
        3 => arb_json().prop_map(Mutation::Replace),
    ]
}

/// A base request with 1–4 mutations at (index into its paths, mutation).
fn arb_request() -> impl Strategy<Value = String> {
    let bases: Vec<Value> = base_requests()
        .into_iter()
        .map(|(_, t)| serde_json::from_str(&t).unwrap())
        .collect();
    (
        0..bases.len(),
        prop::collection::vec((any::<prop::sample::Index>(), arb_mutation()), 1..5),
    )
        .prop_map(move |(b, muts)| {
            let mut v = bases[b].clone();
            for (index, m) in muts {
                let mut all = Vec::new();
                paths(&v, &mut Vec::new(), &mut all);
                if all.is_empty() {
                    break;
                }
                let path = index.get(&all).clone();
                apply(&mut v, &path, &m);
            }
            v.to_string()
        })
}

fn check_shape(engine: &Engine, d: &Decision) {
    assert!(matches!(
        d.decision,
        Verdict::Allow | Verdict::Review | Verdict::Deny | Verdict::Error
    ));
    assert_eq!(
        d.decision,
        Decision::fold(&d.findings).max(if d.errors.is_empty() {
            Verdict::Allow
        } else {
            Verdict::Error
        })
    );
    if !d.errors.is_empty() {
        assert!(d.findings.is_empty());
        for e in &d.errors {
            assert!(!e.code.is_empty() && !e.path.is_empty() && !e.message.is_empty());
        }
    }
    for f in &d.findings {
        if f.outcome == Outcome::Error {
            assert!(f.position.is_some() && f.message.is_some(), "{f:?}");
        }
    }
    assert_eq!(d.stats.rules_evaluated, d.findings.len());
    let text = serde_json::to_string(d).unwrap();
    let back: Decision = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, d);
    // The hand-written writer the CLI and the wasm module use writes what serde writes.
    assert_eq!(d.to_json(), text);
    assert_eq!(engine.decision_json(d), text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_requests_never_panic_and_get_one_of_four_decisions(text in arb_request()) {
        let engine = shared_engine();
        let d = engine.evaluate_json(&text, &as_of());
        check_shape(engine, &d);
        prop_assert_eq!(comparable(&d), comparable(&engine.evaluate_json(&text, &as_of())));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() })]

    /// The compiled form of the rules (src/compiled) and Rhai's interpreter decide alike, also
    /// on requests no test case wrote (tests/compiled.rs covers the written ones).
    #[test]
    fn compiled_and_interpreted_rules_decide_alike(text in arb_request()) {
        let fast = shared_engine().evaluate_json(&text, &as_of());
        let slow = interpreted_engine().evaluate_json(&text, &as_of());
        prop_assert_eq!(&fast.findings, &slow.findings);
        prop_assert_eq!(&fast.errors, &slow.errors);
        prop_assert_eq!(fast.decision, slow.decision);
    }
}

fn interpreted_engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::with_options(
            cloudgate::Pack::embedded().unwrap(),
            cloudgate::EngineOptions {
                interpreted_only: true,
                ..Default::default()
            },
        )
        .unwrap()
    })
}

fn shared_engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(default_engine)
}

/// Deny rules that each `need` one field, and a pass-through rule. Removing or nulling any of
/// those fields, whatever else changed, must never yield `allow`.
const NEEDED: &[&str] = &[
    "customer.jurisdiction",
    "customer.identity_verified",
    "service.lifecycle_state",
    "agreement.notice_period_days",
    "data_assets[0].deletion.status",
    "requested_by.party",
];

fn needing_engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut rules: Vec<_> = NEEDED
            .iter()
            .enumerate()
            .map(|(i, path)| {
                rule(
                    &format!("N-{i}"),
                    &format!("let v = need(req, \"{path}\"); pass()"),
                )
            })
            .collect();
        rules.push(rule_with("INFO-1", "info", "all", "fail(\"noted\")"));
        engine_with(rules, false).unwrap()
    })
}

fn remove_path(v: &mut Value, dotted: &str, null: bool) {
    let mut steps = Vec::new();
    for part in dotted.split('.') {
        match part.split_once('[') {
            Some((name, rest)) => {
                steps.push(Step::Key(name.to_string()));
                steps.push(Step::Index(rest.trim_end_matches(']').parse().unwrap()));
            }
            None => steps.push(Step::Key(part.to_string())),
        }
    }
    apply(
        v,
        &steps,
        if null {
            &Mutation::Null
        } else {
            &Mutation::Delete
        },
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn removing_a_needed_field_never_allows(text in arb_request(), which in 0..NEEDED.len(), null in any::<bool>()) {
        let mut v: Value = match serde_json::from_str(&text) { Ok(v) => v, Err(_) => return Ok(()) };
        remove_path(&mut v, NEEDED[which], null);
        let d = needing_engine().evaluate_json(&v.to_string(), &as_of());
        check_shape(needing_engine(), &d);
        prop_assert_ne!(d.decision, Verdict::Allow);
        if d.errors.is_empty() {
            let f = d.finding(&format!("N-{which}")).unwrap();
            prop_assert!(matches!(f.outcome, Outcome::Fail | Outcome::Error), "{:?}", f);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// A then B on one engine decides B exactly as a fresh engine does.
    #[test]
    fn no_state_leaks_between_requests(a in arb_request(), b in arb_request()) {
        let engine = default_engine();
        engine.evaluate_json(&a, &as_of());
        let after_a = engine.evaluate_json(&b, &as_of());
        let fresh = default_engine().evaluate_json(&b, &as_of());
        prop_assert_eq!(comparable(&after_a), comparable(&fresh));
    }
}

/// The default pack's own deny rules: for each literal `need(req, "path")` a rule reaches
/// unconditionally (unindented, before its first `if`, `for`, `while` or `return`), removing
/// that field from a base request of the rule's scenarios never gives `allow`. (Needs inside
/// branches may legitimately not be reached once another field changes.)
#[test]
fn default_pack_needed_fields_never_allow_when_removed() {
    let engine = shared_engine();
    let pack = engine.pack();
    let mut checked = 0;
    let mut problems = Vec::new();
    for r in pack
        .rules
        .iter()
        .filter(|r| r.meta.severity == cloudgate::Severity::Deny)
    {
        for line in r.source.lines() {
            let code = line.trim_start();
            if line.starts_with(char::is_whitespace) || code.starts_with("//") {
                continue;
            }
            if ["if ", "for ", "while ", "return", "loop", "fn "]
                .iter()
                .any(|k| code.starts_with(k) || code.contains(&format!(" {k}")))
            {
                break;
            }
            let Some(at) = line.find("need(req, \"") else {
                continue;
            };
            let rest = &line[at + 11..];
            let Some(end) = rest.find('"') else { continue };
            let path = &rest[..end];
            for (scenario, text) in base_requests() {
                if !r.meta.scenarios.iter().any(|s| s.as_str() == scenario) {
                    continue;
                }
                let mut v: Value = serde_json::from_str(&text).unwrap();
                remove_path(&mut v, path, false);
                let d = engine.evaluate_json(&v.to_string(), &as_of());
                checked += 1;
                if d.decision == Verdict::Allow {
                    problems.push(format!(
                        "{} needs {path}: removing it from {scenario} still allows",
                        r.meta.id
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 10, "only {checked} unconditional needs found");
}
