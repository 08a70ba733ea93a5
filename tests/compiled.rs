//! The differential test: cloudgate's evaluator decides as Rhai's interpreter (the oracle,
//! tests/oracle) does, on every pack test case, the shared examples, thousands of generated
//! requests, and rules written to probe the language's corners (mixed types, floats, ranges,
//! missing values, errors). Decisions are compared whole, but for the timing and the operation
//! count, and but for the wording and place of an error: a rule that errs must err in both.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod oracle;
mod support;

use cloudgate::cases::pack_cases;
use cloudgate::{Decision, Engine, EngineOptions, EvalOptions, Pack};
use oracle::Oracle;
use serde_json::Value;
use support::*;

fn both(pack: Pack) -> (Engine, Oracle) {
    let fast = Engine::with_options(pack.clone(), EngineOptions::default()).unwrap();
    (fast, Oracle::pack(pack))
}

/// The decision without what legitimately differs between the two ways of running a rule.
fn comparable(d: &Decision) -> Value {
    let mut v = serde_json::to_value(d).unwrap();
    if let Some(stats) = v.get_mut("stats").and_then(Value::as_object_mut) {
        stats.remove("micros");
        stats.remove("operations");
    }
    v
}

fn assert_same(fast: &Engine, slow: &Oracle, label: &str, text: &str, options: &EvalOptions) {
    let a = comparable(&fast.evaluate_json(text, options));
    let b = comparable(&slow.decide(text, options));
    assert_eq!(a, b, "{label}: cloudgate's and Rhai's decisions differ");
}

#[test]
fn every_pack_case_decides_alike() {
    let pack = Pack::embedded().unwrap();
    let (fast, slow) = both(pack.clone());
    let mut count = 0;
    // Both modes: explanations are built only in explain mode, and must then be the same too.
    for (case, explain) in pack_cases(&pack.tests)
        .unwrap()
        .into_iter()
        .flat_map(|case| [(case.clone(), false), (case, true)])
    {
        let options = EvalOptions {
            as_of: case.as_of,
            explain,
            record: false,
        };
        let label = format!("{}: {}", case.file, case.name);
        if case.params.is_empty() {
            assert_same(&fast, &slow, &label, &case.text, &options);
        } else {
            let mut custom = pack.clone();
            custom.override_params(&case.params).unwrap();
            let (f, s) = both(custom);
            assert_same(&f, &s, &label, &case.text, &options);
        }
        count += 1;
    }
    assert!(count >= 1000, "only {count} cases");
}

#[test]
fn shared_examples_decide_alike() {
    let (fast, slow) = both(Pack::embedded().unwrap());
    let dir = root().join("examples/requests");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = read(&path);
            assert_same(&fast, &slow, &path.display().to_string(), &text, &as_of());
            count += 1;
        }
    }
    assert!(count >= 4);
}

/// Each probe is a rule body whose last expression is shown through `fail(`${…}`)`, so that a
/// difference in any intermediate value changes the decision.
const PROBES: &[(&str, &str)] = &[
    (
        "int-arith",
        r#"let a = 7; a += 5; a -= 2; a = a * 3; fail(`${a} ${-a} ${a > 29} ${a >= 30} ${a < 31} ${a <= 29}`)"#,
    ),
    ("overflow", r#"let a = 9223372036854775807; a += 1; pass()"#),
    (
        "string-ops",
        r#"let s = "ab"; s += "cd"; fail(`${s + "e"} ${"h" + 1} ${1 + "h"} ${s + true} ${s < "b"} ${s == "abcd"} ${s != "x"} ${s.len()} ${"ÄÖ".len()} ${s.to_upper()} ${"MiX".to_lower()} ${"".is_empty()}`)"#,
    ),
    (
        "string-unit",
        r#"let s = () + "x"; let t = "y" + (); fail(`${s}${t}${()}|`)"#,
    ),
    (
        "mixed-compare",
        r#"fail(`${1 == "1"} ${1 != "1"} ${() == ()} ${() != ()} ${() < ()} ${"a" > ()} ${[] == ()} ${true == 1} ${true < false}`)"#,
    ),
    (
        "floats",
        r#"let f = 1.5; let g = f + 1; fail(`${f} ${g} ${f * 2} ${f - 2} ${f == 1.5} ${f > 1} ${1 < f} ${0.1 + 0.2 == 0.3} ${type_of(f)} ${2.0}`)"#,
    ),
    (
        "float-zero",
        r#"fail(`${0.0 == 0} ${0.0 >= 0.0} ${0.0 > 0} ${-0.0 < 0.0}`)"#,
    ),
    (
        "arrays",
        r#"let a = [1, "x", ()]; let b = [1, "x", ()]; a.push(true); b += [true]; fail(`${a == b} ${a != b} ${[1] == [1, 2]} ${"x" in a} ${2 in a} ${a.len()} ${a.is_empty()} ${[].is_empty()} ${join(a, "/")} ${a[1]} ${type_of(a)}`)"#,
    ),
    (
        "array-concat",
        r#"let a = [1] + [2, [3]]; fail(`${a.len()} ${join(a, ",")}`)"#,
    ),
    (
        "maps",
        r#"let m = params; fail(`${m.limit} ${m["limit"]} ${m.nothing == ()} ${"limit" in m} ${type_of(m)} ${type_of(req)} ${"scenario" in req}`)"#,
    ),
    (
        // More distinct computed paths than a call keeps parsed (eight), met twice each.
        "computed-paths",
        r#"let out = []; for round in 0..2 { for i in 0..12 { let p = if i < 2 { `data_assets[${i}].id` } else if i < 6 { `customer.contacts[${i - 2}].email` } else { `agreement.x${i}` }; out.push(field(req, p, "-")); } } fail(join(out, ","))"#,
    ),
    (
        // Longer than a call keeps (256 bytes): parsed at each call.
        "computed-path-long",
        r#"let p = "agreement"; for i in 0..60 { p += ".abcd"; } let q = "customer"; for i in 0..60 { q += ".contacts"; } fail(`${field(req, p, "-")} ${field(req, p, "-")} ${field(req, q + ".id", "-")}`)"#,
    ),
    (
        "computed-path-malformed",
        r#"let p = "data_assets[x]"; fail(`${field(req, p)}`)"#,
    ),
    (
        "req-members",
        r#"let s = req.service; fail(`${req.scenario} ${s.lifecycle_state} ${req["request_id"]} ${req.nothing == ()}`)"#,
    ),
    ("index-errors", r#"let a = [1]; let x = a[3]; pass()"#),
    ("negative-index", r#"let a = [1, 2]; fail(`${a[-1]}`)"#),
    (
        "ranges",
        r#"let t = 0; for i in 0..5 { t += i; } for i in 2..=3 { t += i * 10; } for (x, i) in ["a", "b"] { t += i; } fail(`${t}`)"#,
    ),
    (
        "loops",
        r#"let n = 0; while n < 10 { n += 1; if n == 3 { continue; } if n == 7 { break; } } let m = 0; loop { m += 1; if m > 4 { break; } } fail(`${n} ${m}`)"#,
    ),
    (
        "logic",
        r#"let a = true; let b = false; fail(`${a && b} ${a || b} ${!a} ${a && !b || b}`)"#,
    ),
    (
        "logic-type-error",
        r#"let c = 1; if c { pass() } else { pass() }"#,
    ),
    (
        "and-type-error",
        r#"let s = "s"; let x = s && true; pass()"#,
    ),
    (
        "coalesce",
        r#"let x = () ?? () ?? 3; let y = 1 ?? 2; fail(`${x} ${y}`)"#,
    ),
    (
        "paths",
        r#"let p = "customer.jurisdiction"; let j = need(req, p); let c = field(req, "customer.contacts", []); let first = field(c, "[0].id", "none"); fail(`${j} ${first} ${present(req, "service")} ${present(req, "nope.x")} ${field(req, "nope", 5)}`)"#,
    ),
    (
        "need-missing",
        r#"let x = need(req, "customer.nope"); pass()"#,
    ),
    (
        "need-prefix",
        r#"let a = field(req, "customer"); let x = need(a, "nope", "customer"); pass()"#,
    ),
    (
        "need-empty-prefix",
        r#"let a = field(req, "customer"); let x = need(a, "nope", ""); pass()"#,
    ),
    (
        "need-bad-prefix",
        r#"let a = field(req, "customer"); let x = need(a, "nope", 3); pass()"#,
    ),
    // Lists and objects read from the request stay views into it in the compiled form
    // (src/compiled/eval.rs, `View`): every use of one must give what Rhai gives.
    (
        "views-walked",
        r#"let cs = field(req, "customer.contacts", []); let ids = []; for (c, i) in cs { ids.push(`${i}:${field(c, "id", "?")}:${field(c, "authorised_signatory")}:${present(c, "role")}`); } fail(`${cs.len()} ${cs.is_empty()} ${join(ids, ",")} ${field(cs[0], "id")} ${need(cs[1], "role", "customer.contacts[1]")}`)"#,
    ),
    (
        "views-as-values",
        r#"let cs = field(req, "customer.contacts", []); let c = cs[0]; let a = need(req, "agreement"); fail(`${type_of(cs)} ${type_of(c)} ${"id" in c} ${empty(cs)} ${empty(a.sla)} ${a.notice_period_days} ${a["dpa_signed"]} ${cs.len() + 1}`)"#,
    ),
    (
        "views-of-scalars",
        r#"let fs = field(req, "agreement.exit_plan.export_formats", []); let t = ""; for f in fs { t += f; } fail(`${t} ${join(fs, "+")} ${fs[0]} ${fs[1]} ${fs.len()} ${"json" in fs} ${fs.extract(1, 1).len()} ${fs == ["json", "parquet"]}`)"#,
    ),
    (
        "views-changed",
        r#"let fs = field(req, "agreement.exit_plan.export_formats", []); fs.push("csv"); let g = field(req, "agreement.exit_plan.export_formats"); g += ["xml"]; let h = need(req, "customer.contacts"); h.insert(0, 1); fail(`${fs.len()} ${g.len()} ${h.len()} ${field(req, "agreement.exit_plan.export_formats").len()}`)"#,
    ),
    (
        "views-out-of-range",
        r#"let cs = field(req, "customer.contacts", []); let x = cs[99]; pass()"#,
    ),
    (
        "views-negative-index",
        r#"let cs = field(req, "customer.contacts", []); fail(`${field(cs[-1], "id")}`)"#,
    ),
    (
        "views-key-index",
        r#"let a = need(req, "agreement"); fail(`${a["id"]} ${a["nope"] == ()}`)"#,
    ),
    (
        "views-for-object",
        r#"let a = need(req, "agreement"); for x in a { pass() } pass()"#,
    ),
    (
        "views-default-and-return",
        r#"let d = field(req, "nope", field(req, "customer.contacts")); d"#,
    ),
    (
        "views-in-results",
        r#"let cs = field(req, "customer.contacts", []); fail("x", [cs[0].id, cs[1]["id"]])"#,
    ),
    (
        "views-compared",
        r#"let cs = field(req, "customer.contacts", []); let c = cs[0]; fail(`${c in cs} ${c == cs[0]} ${cs == field(req, "customer.contacts")} ${c != cs[1]}`)"#,
    ),
    (
        "views-properties",
        r#"let a = need(req, "agreement"); let cs = field(req, "customer.contacts", []); let c = cs[0]; fail(`${a.notice_period_days} ${a.nope} ${a.sla.rto_hours} ${a.exit_plan.export_formats.len()} ${c.id} ${c.authorised_signatory} ${c.nope == ()} ${cs[1].role}`)"#,
    ),
    (
        "views-property-of-list",
        r#"let cs = field(req, "customer.contacts", []); fail(`${cs.len}`)"#,
    ),
    (
        "views-empty",
        r#"let cs = field(req, "customer.contacts", []); let none = field(req, "agreement.exempt_data_categories", []); fail(`${empty(cs)} ${empty(none)} ${empty(field(req, "agreement.exportable_data_categories"))} ${empty(need(req, "agreement"))} ${empty(cs[0])} ${empty(field(req, "nope"))}`)"#,
    ),
    (
        "views-against-scalars",
        r#"let a = need(req, "agreement"); let cs = field(req, "customer.contacts", []); fail(`${a == ()} ${a != ()} ${() == cs} ${() != cs} ${a == "x"} ${cs != 1} ${a < 1.5} ${cs >= true} ${a <= "a"} ${cs > ()} ${a == #{}} ${cs != []}`)"#,
    ),
    (
        "views-against-scalars-arithmetic",
        r#"let cs = field(req, "customer.contacts", []); let x = cs + 1; pass()"#,
    ),
    (
        "views-shown",
        r#"let cs = field(req, "customer.contacts", []); fail(`${cs[0]} ${cs}`)"#,
    ),
    ("malformed-path", r#"let x = need(req, "a[x"); pass()"#),
    (
        "computed-bad-path",
        r#"let p = "a..b["; let x = field(req, p); pass()"#,
    ),
    (
        "dates",
        r#"fail(`${days("2026-01-31", "2026-03-01")} ${working_days("2026-09-04", "2026-09-08")} ${add_days("2026-12-31", 1)} ${add_months("2026-01-31", 1)} ${min_date("2026-01-02", "2026-01-01")} ${max_date("2026-01-02", "2026-01-01")} ${is_date("2026-02-30")} ${is_date(())} ${is_eea("DE")} ${is_eea(())} ${is_eea("US")}`)"#,
    ),
    ("bad-date", r#"let x = add_days("2026-13-01", 1); pass()"#),
    (
        "date-type",
        r#"let x = add_days("2026-01-01", "1"); pass()"#,
    ),
    (
        "empty",
        r#"fail(`${empty(())} ${empty("  ")} ${empty([])} ${empty(#{})} ${empty(0)} ${empty(req)}`)"#,
    ),
    ("da-scope", r#"fail(`${da_scope(req)}`)"#),
    (
        "results",
        r#"let r = if as_of > "2026-01-01" { not_applicable() } else { pass() }; r"#,
    ),
    (
        "na-reason",
        r#"not_applicable(`scenario ${scenario}, to ${lifecycle.to}`)"#,
    ),
    ("fail-path", r#"fail(["one", "two"], "x.y")"#),
    ("fail-paths", r#"fail("m", ["a", "b", "a"])"#),
    ("fail-bad-paths", r#"fail("m", 3)"#),
    ("not-a-result", r#"let x = 1; x"#),
    (
        "return-early",
        r#"if true { return fail("early"); } pass()"#,
    ),
    (
        "shadowing",
        r#"let x = 1; { let x = 2; x += 1; } let y = if x == 1 { let x = 10; x } else { 0 }; fail(`${x} ${y}`)"#,
    ),
    (
        "block-value",
        r#"let v = { let a = 2; a * 3 }; fail(`${v}`)"#,
    ),
    (
        "unknown-function",
        r#"let x = nothing_like_this(1); pass()"#,
    ),
    ("unknown-variable", r#"let x = nowhere + 1; pass()"#),
    ("throw", r#"throw "stop""#),
    ("write-req", r#"req.x = 1; pass()"#),
    ("push-req", r#"req.data_assets.push(1); pass()"#),
    ("big-range", r#"for i in 0..100000000 { } pass()"#),
    (
        "big-string",
        r#"let s = "x"; for i in 0..30 { s += s; } pass()"#,
    ),
    (
        "type-of",
        r#"fail(`${type_of(())} ${type_of(true)} ${type_of(1)} ${type_of("s")} ${type_of([])} ${type_of(#{a: 1})}`)"#,
    ),
    ("to-string-ish", r#"fail(`${[1, 2]}`)"#),
    (
        "math",
        r#"let f = 2.75; fail(`${floor(f)} ${f.floor()} ${to_int(f)} ${to_int(-2.5)} ${to_int(7)} ${type_of(floor(-0.5))}`)"#,
    ),
    ("floor-int", r#"let x = floor(3); pass()"#),
    ("to-int-huge", r#"let x = to_int(1e300); pass()"#),
    (
        "keys-extract",
        r#"let m = #{b: 1, a: 2, c: 3}; let k = m.keys(); fail(`${k} ${k.extract(1, 5)} ${k.extract(0, 0)} ${k.extract(7, 1)} ${extract(k, 0, 2)} ${[].extract(0, 1)} ${params.keys().len() > 0}`)"#,
    ),
    ("extract-negative", r#"fail(`${[1, 2, 3].extract(-2, 1)}`)"#),
    (
        "insert",
        r#"let a = [1, 2]; a.insert(0, "x"); a.insert(1, "y"); a.insert(9, "z"); let e = []; e.insert(3, 1); fail(`${a} ${e}`)"#,
    ),
    (
        "insert-negative",
        r#"let a = [1, 2]; a.insert(-1, 0); fail(`${a}`)"#,
    ),
    ("insert-req", r#"req.data_assets.insert(0, 1); pass()"#),
    // Results in tail position leave the compiled form as they are (`Flow::Result`); elsewhere
    // they are values like any other.
    (
        "result-tail-if",
        r#"let s = need(req, "scenario"); if s == "termination" { not_applicable(`for ${s}`) } else { fail("x", ["a", "a", "b"]) }"#,
    ),
    ("result-tail-if-no-else", r#"if false { pass() }"#),
    ("result-kept", r#"let r = fail("kept", "one.path"); r"#),
    ("result-return-one-path", r#"return fail("m", "one.path");"#),
    (
        "result-nested-return",
        r#"if true { let x = 1; if x == 1 { return not_applicable(); } } fail("no")"#,
    ),
    ("result-message-list", r#"return fail(["a", 1, "b"], []);"#),
    ("result-bad-paths", r#"fail("m", 3)"#),
    ("result-bad-reason", r#"return not_applicable(["a"]);"#),
    (
        "result-after-statements",
        r#"let a = 1; a += 1; fail(`${a}`)"#,
    ),
];

#[test]
fn probes_decide_alike() {
    let rules: Vec<_> = PROBES
        .iter()
        .map(|(name, body)| rule(&format!("P-{name}"), body))
        .collect();
    let fast = engine_with(rules, true).unwrap();
    // Outside the language: refused when loaded (an `error` finding), where Rhai errs when run.
    let refused: Vec<&str> = fast
        .diagnostics()
        .iter()
        .filter_map(|d| d.rule.as_deref())
        .collect();
    assert_eq!(
        refused,
        [
            "P-insert-req",
            "P-malformed-path",
            "P-push-req",
            "P-unknown-function",
            "P-unknown-variable",
            "P-write-req"
        ]
    );
    let slow = Oracle::new(
        engine_with(
            PROBES
                .iter()
                .map(|(name, body)| rule(&format!("P-{name}"), body))
                .collect(),
            true,
        )
        .unwrap(),
    );
    for scenario in ["termination", "transfer"] {
        let text = base(scenario);
        let a = comparable(&fast.evaluate_json(&text, &as_of()));
        let b = comparable(&slow.decide(&text, &as_of()));
        let differ: Vec<String> = a["findings"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b["findings"].as_array().unwrap())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| format!("{scenario}: cloudgate {x}\n  rhai {y}"))
            .collect();
        assert!(differ.is_empty(), "{}", differ.join("\n"));
        assert_eq!(a, b);
    }
}

/// Values nested deeper than any real rule needs, and more variables in scope than the
/// language allows, are refused in the same rules.
#[test]
fn rules_near_the_limits_decide_alike() {
    let many: String = (0..990).map(|i| format!("let v{i} = {i};\n")).collect();
    let rules = vec![
        rule("G-NEST", "let a = []; for i in 0..40 { a = [a]; } pass()"),
        rule(
            "G-NEST-SHALLOW",
            "let a = []; for i in 0..5 { a = [a]; } pass()",
        ),
        rule("G-VARS", &(many + "pass()")),
        rule("G-VARS-FEW", "let a = 1; let b = a + 1; pass()"),
    ];
    let (fast, slow) = both(pack(rules).unwrap());
    let text = base("termination");
    assert_same(&fast, &slow, "limits", &text, &as_of());
    let d = fast.evaluate_json(&text, &as_of());
    for id in ["G-NEST", "G-NEST-SHALLOW", "G-VARS", "G-VARS-FEW"] {
        let f = d.findings.iter().find(|f| &*f.rule == id).unwrap();
        assert_eq!(f.outcome, cloudgate::Outcome::Pass, "{id}: {:?}", f.message);
    }
}
