//! Property tests: the default pack (and small packs written here) on requests no test case
//! wrote, the base requests of rules/tests/base with 1–4 fields deleted, nulled or replaced.
//! Each property can fail, and says which realistic bug it is there to catch:
//!
//! - the decision is the fold of its findings by the precedence of domain.md §2 (error > deny >
//!   review > allow), worked out here without `Decision::fold` or `Verdict`'s order, and a failed
//!   deny-severity finding makes it `deny` or `error` ([`check_decision`]);
//! - a pack written to give known outcomes gets exactly those findings and the verdict their
//!   precedence gives ([`a_pack_decides_as_its_rules_were_written`]);
//! - the findings are the rules of the pack that apply to the request's scenario, each once, in
//!   pack order, with the rule's severity ([`check_decision`]);
//! - a decision's JSON round-trips, and the hand-written writer writes what serde writes
//!   ([`check_decision`]);
//! - a request with a fixed `as_of` decides byte for byte alike every time and whatever the
//!   caller's date ([`a_fixed_as_of_makes_the_decision_deterministic`]);
//! - removing a field a `need(...)` deny rule reads never gives `allow`: the engine fails closed
//!   ([`removing_a_needed_field_never_allows`],
//!   [`default_pack_needed_fields_never_allow_when_removed`]);
//! - cloudgate's evaluator and Rhai's interpreter (tests/oracle) decide alike, and no state is
//!   carried from one request to the next.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod oracle;
mod support;

use cloudgate::{Date, Decision, Engine, EvalOptions, Outcome, Severity, Verdict};
use proptest::prelude::*;
use serde_json::{json, Value};
use support::*;

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

/// The verdict domain.md §2 gives a set of (severity, outcome) contributions, worked out
/// without the library's `Verdict::of_finding`, `Decision::fold` or the order `Verdict` derives,
/// so that a slip in any of those shows.
fn by_precedence(
    refused: bool,
    contributions: impl IntoIterator<Item = (Severity, Outcome)> + Clone,
) -> Verdict {
    let any = |severity: Option<Severity>, outcome: Outcome| {
        contributions
            .clone()
            .into_iter()
            .any(|(s, o)| o == outcome && severity.is_none_or(|want| s == want))
    };
    if refused || any(None, Outcome::Error) {
        Verdict::Error
    } else if any(Some(Severity::Deny), Outcome::Fail) {
        Verdict::Deny
    } else if any(Some(Severity::Warn), Outcome::Fail) {
        Verdict::Review
    } else {
        Verdict::Allow
    }
}

/// What every decision of `engine` must satisfy, whatever the request.
fn check_decision(engine: &Engine, d: &Decision) {
    // The verdict is the precedence fold of the findings. Catches: a warn failure counted as
    // deny or an info failure as review, an `error` finding or a refused request that does not
    // make the decision `error`, or `Verdict`'s variants reordered so that its derived `max`
    // picks the weaker verdict.
    let contributions: Vec<(Severity, Outcome)> =
        d.findings.iter().map(|f| (f.severity, f.outcome)).collect();
    assert_eq!(
        d.decision,
        by_precedence(!d.errors.is_empty(), contributions),
        "{}",
        d.to_json()
    );
    // Fails closed: a deny rule that failed never lets the request through or down to review.
    // Catches a fold that lets a later pass or review overwrite an earlier deny.
    if d.findings
        .iter()
        .any(|f| f.severity == Severity::Deny && f.outcome == Outcome::Fail)
    {
        assert!(
            matches!(d.decision, Verdict::Deny | Verdict::Error),
            "{}",
            d.to_json()
        );
    }

    if d.errors.is_empty() {
        // One finding per rule that applies to the scenario, once each, in pack order, with the
        // rule's own severity. Catches: a rule run for the wrong scenario or left out, rules run
        // in file order or in the order the default pack was lowered at build time rather than
        // the pack's, a rule run twice, a finding carrying another severity than its rule's
        // (which the fold above would trust).
        let scenario = d
            .scenario
            .as_deref()
            .expect("a decided request names its scenario");
        let want: Vec<(&str, Severity)> = engine
            .pack()
            .rules
            .iter()
            .filter(|r| r.meta.scenarios.iter().any(|s| s.as_str() == scenario))
            .map(|r| (r.meta.id.as_str(), r.meta.severity))
            .collect();
        let got: Vec<(&str, Severity)> =
            d.findings.iter().map(|f| (&*f.rule, f.severity)).collect();
        assert_eq!(got, want, "findings of a {scenario} request");
    } else {
        // A refused request runs no rule, and says what and where.
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

    // The JSON round-trips, and the hand-written writer the CLI and the wasm module use writes
    // what serde writes. Catches a field added to `Decision` but not to the writer (or written
    // under another name), and escaping that differs from serde's.
    let text = serde_json::to_string(d).unwrap();
    let back: Decision = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, d);
    assert_eq!(d.to_json(), text);
    assert_eq!(engine.decision_json(d), text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// No mutated request panics the engine, and every decision passes [`check_decision`].
    #[test]
    fn mutated_requests_decide_by_precedence_in_pack_order(text in arb_request()) {
        let engine = shared_engine();
        let d = engine.evaluate_json(&text, &as_of());
        check_decision(engine, &d);
    }
}

/// How a rule of [`a_pack_decides_as_its_rules_were_written`] ends.
#[derive(Clone, Copy, Debug)]
enum Ending {
    Pass,
    Fail,
    NotApplicable,
    Throw,
}

impl Ending {
    fn body(self) -> &'static str {
        match self {
            Ending::Pass => "pass()",
            Ending::Fail => "fail(\"failed on purpose\")",
            Ending::NotApplicable => "not_applicable(\"not this time\")",
            Ending::Throw => "throw \"boom\"",
        }
    }

    fn outcome(self) -> Outcome {
        match self {
            Ending::Pass => Outcome::Pass,
            Ending::Fail => Outcome::Fail,
            Ending::NotApplicable => Outcome::NotApplicable,
            Ending::Throw => Outcome::Error,
        }
    }
}

const SEVERITIES: &[(&str, Severity)] = &[
    ("deny", Severity::Deny),
    ("warn", Severity::Warn),
    ("info", Severity::Info),
];

const SCENARIO_LISTS: &[&str] = &[
    "all",
    "onboarding",
    "termination",
    "transfer",
    "removal",
    "termination, transfer",
    "onboarding, removal",
];

/// 1–6 rules as (severity, scenarios, ending), and a shuffle of their ids, so that the files'
/// order is not the ids' order.
fn arb_rules() -> impl Strategy<Value = (Vec<(usize, usize, Ending)>, Vec<usize>)> {
    let ending = prop_oneof![
        3 => Just(Ending::Pass),
        3 => Just(Ending::Fail),
        1 => Just(Ending::NotApplicable),
        1 => Just(Ending::Throw),
    ];
    prop::collection::vec((0..SEVERITIES.len(), 0..SCENARIO_LISTS.len(), ending), 1..7)
        .prop_flat_map(|rules| {
            let ids: Vec<usize> = (0..rules.len()).collect();
            (Just(rules), Just(ids).prop_shuffle())
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// A pack whose rules end as written gets, on a valid request, exactly those rules of the
    /// request's scenario with those outcomes, and the verdict their precedence gives. The
    /// expectation comes from the pack as written, not from the decision, so this catches what
    /// [`check_decision`] cannot: an outcome misreported (a `throw` recorded as a fail, a
    /// `not_applicable` as a pass) or a rule's `scenarios` header misread.
    #[test]
    fn a_pack_decides_as_its_rules_were_written(
        (rules, ids) in arb_rules(),
        scenario in prop::sample::select(vec!["onboarding", "termination", "transfer", "removal"]),
    ) {
        let written: Vec<(String, Severity, &str, Ending)> = rules
            .iter()
            .zip(&ids)
            .map(|(&(severity, scenarios, ending), id)| {
                (format!("R-{id}"), SEVERITIES[severity].1, SCENARIO_LISTS[scenarios], ending)
            })
            .collect();
        let engine = engine_with(
            written
                .iter()
                .zip(&rules)
                .map(|((id, _, scenarios, ending), &(severity, ..))| {
                    rule_with(id, SEVERITIES[severity].0, scenarios, ending.body())
                })
                .collect(),
            false,
        )
        .unwrap();
        let d = engine.evaluate_json(&base(scenario), &as_of());
        check_decision(&engine, &d);
        prop_assert!(d.errors.is_empty(), "{:?}", d.errors);

        let applies = |scenarios: &str| {
            scenarios == "all" || scenarios.split(", ").any(|s| s == scenario)
        };
        let mut want: Vec<(String, Severity, Outcome)> = written
            .iter()
            .filter(|(_, _, scenarios, _)| applies(scenarios))
            .map(|(id, severity, _, ending)| (id.clone(), *severity, ending.outcome()))
            .collect();
        want.sort_by(|a, b| a.0.cmp(&b.0));
        let mut got: Vec<(String, Severity, Outcome)> = d
            .findings
            .iter()
            .map(|f| (f.rule.to_string(), f.severity, f.outcome))
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        prop_assert_eq!(&got, &want);
        prop_assert_eq!(
            d.decision,
            by_precedence(false, want.iter().map(|(_, s, o)| (*s, *o)))
        );
    }
}

/// A decision's exact JSON, but for the time it took.
fn exact_json(engine: &Engine, mut d: Decision) -> String {
    d.stats.micros = 0;
    engine.decision_json(&d)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// With `as_of` in the request, deciding twice gives the same JSON byte for byte, also when
    /// the caller passes another date or none (then the engine would fall back to today's).
    /// Catches: the caller's date or the clock preferred to the request's (decisions that change
    /// from one day to the next), anything iterated in a `HashMap`'s per-instance random order
    /// into findings, paths or clauses, and state carried from one decision into the next.
    #[test]
    fn a_fixed_as_of_makes_the_decision_deterministic(text in arb_request()) {
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["as_of"] = json!("2026-09-15");
        let text = v.to_string();
        let engine = shared_engine();
        let first = engine.evaluate_json(&text, &EvalOptions::default());
        if first.errors.is_empty() {
            prop_assert_eq!(first.as_of.as_deref(), Some("2026-09-15"));
        }
        let first = exact_json(engine, first);
        let again = exact_json(engine, engine.evaluate_json(&text, &EvalOptions::default()));
        prop_assert_eq!(&first, &again);
        let other_day = EvalOptions {
            as_of: Some(Date::parse("2031-03-01").unwrap()),
            ..Default::default()
        };
        let later = exact_json(engine, engine.evaluate_json(&text, &other_day));
        prop_assert_eq!(&first, &later);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() })]

    /// cloudgate's evaluator and Rhai's interpreter (the oracle, tests/oracle) decide alike,
    /// also on requests no test case wrote (tests/compiled.rs covers the written ones).
    #[test]
    fn the_evaluator_decides_as_rhai_does(text in arb_request()) {
        let mut fast = shared_engine().evaluate_json(&text, &as_of());
        let mut slow = oracle_of_default_pack().decide(&text, &as_of());
        for d in [&mut fast, &mut slow] {
            d.stats.micros = 0;
            d.stats.operations = 0;
        }
        prop_assert_eq!(&fast.findings, &slow.findings);
        prop_assert_eq!(&fast.errors, &slow.errors);
        prop_assert_eq!(fast.decision, slow.decision);
    }
}

fn oracle_of_default_pack() -> &'static oracle::Oracle {
    static ORACLE: std::sync::OnceLock<oracle::Oracle> = std::sync::OnceLock::new();
    ORACLE.get_or_init(|| oracle::Oracle::new(default_engine()))
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
        check_decision(needing_engine(), &d);
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
