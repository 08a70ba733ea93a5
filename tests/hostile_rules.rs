//! The hostile-rules corpus: rules that loop, recurse, grow data without bound, throw, return
//! the wrong thing, reach for what does not exist, or try to escape the sandbox. Each becomes an
//! `error` finding with its rule id, a message and a line and column, within the limits; the
//! decision is `error`; memory stays bounded; and the same engine then decides other requests
//! exactly as a fresh engine does.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::time::{Duration, Instant};

use cloudgate::{Engine, EngineOptions, Outcome, Pack, Verdict};
use support::*;

const OPS: &str = "the rule was stopped after 1000000 operations (a runaway loop?)";
/// Values nested inside each other stop at 64 levels, before operations or time run out.
const TOO_DEEP: &str =
    "the rule built a value nested too deeply (arrays or maps inside each other)";
const OPS_OR_TIME: &str = "the rule was stopped after 1000000 operations (a runaway loop?) OR the rule was stopped: it ran past its time budget";

/// (rule id, body on line 6, expected message (or one of `|`-separated alternatives), line, column).
/// Column 0 means "any column" (the runaway-time cases stop wherever the clock catches them).
/// The place is the innermost one that failed: the call that went one level too deep, the
/// method that grew the value, the statement that ran out of operations.
const RUNTIME: &[(&str, &str, &str, usize, usize)] = &[
    ("H-LOOP", "loop {}", OPS, 6, 1),
    // These two take long enough in an unoptimised build on a busy machine that the clock
    // may stop them before the operation count does.
    (
        "H-WHILE",
        "let i = 0; while true { i += 1; }",
        OPS_OR_TIME,
        6,
        0,
    ),
    (
        "H-RANGE",
        "for i in range(0, 9223372036854775807) { } pass()",
        OPS_OR_TIME,
        6,
        0,
    ),
    (
        "H-RECURSE",
        "fn f(x) { f(x + 1) } f(0)",
        "the rule nests function calls too deeply (runaway recursion?)",
        6,
        11,
    ),
    (
        "H-MUTUAL",
        "fn a(x) { b(x) } fn b(x) { a(x) } a(1)",
        "the rule nests function calls too deeply (runaway recursion?)",
        6,
        28,
    ),
    (
        "H-STRING",
        "let s = \"x\"; loop { s += s; }",
        "the rule built a value that is too large: Length of string",
        6,
        23,
    ),
    (
        "H-STRING3",
        "let s = \"ab\"; loop { s = s + s + s; }",
        "the rule built a value that is too large: Length of string",
        6,
        0,
    ),
    (
        "H-STRPAD",
        "let s = \"\"; s.pad(1000000000, \"x\"); pass()",
        "the rule built a value that is too large: Length of string",
        6,
        13,
    ),
    (
        "H-ARRAY",
        "let a = [1]; loop { a += a; }",
        "the rule built a value that is too large: Size of array/BLOB",
        6,
        23,
    ),
    (
        "H-ARRPAD",
        "let a = []; a.pad(1000000000, 0); pass()",
        "the rule built a value that is too large: Size of array/BLOB",
        6,
        13,
    ),
    (
        "H-MAP",
        "let m = #{a: 1}; loop { m = #{x: m, y: m}; }",
        "the rule built a value that is too large: Size of object map",
        6,
        0,
    ),
    (
        "H-TOJSON",
        "let a = [1]; for i in 0..19 { a += a; } let m = #{a: a}; let t = m.to_json(); pass()",
        "the rule built a value that is too large: Length of string",
        6,
        0,
    ),
    (
        "H-THROW",
        "throw \"boom\"",
        "the rule raised an error: boom",
        6,
        1,
    ),
    (
        "H-THROW-MAP",
        "throw #{reason: \"boom\"}",
        "the rule raised an error: #{\"reason\": \"boom\"}",
        6,
        1,
    ),
    (
        "H-TYPE",
        "42",
        "the rule did not end with pass(), fail(message, paths) or not_applicable(reason)",
        6,
        1,
    ),
    (
        "H-TYPE-UNIT",
        "let x = 1;",
        "the rule did not end with pass(), fail(message, paths) or not_applicable(reason)",
        6,
        1,
    ),
    (
        "H-TYPE-MAP",
        "#{outcome: \"pass\"}",
        "the rule did not end with pass(), fail(message, paths) or not_applicable(reason)",
        6,
        1,
    ),
    (
        "H-DIV0",
        "let x = 1 / 0; pass()",
        "Division by zero: 1 / 0",
        6,
        11,
    ),
    (
        "H-OVERFLOW",
        "let x = 9223372036854775807 + 1; pass()",
        "Addition overflow: 9223372036854775807 + 1",
        6,
        29,
    ),
    (
        "H-INDEX",
        "let a = []; let x = a[1000000000]; pass()",
        "Array index 1000000000 out of bounds: array is empty",
        6,
        23,
    ),
    (
        "H-DATE",
        "add_months(\"2026-01-31\", 9223372036854775807)",
        "the rule raised an error: date arithmetic left the supported range 0001-01-01..9999-12-31",
        6,
        1,
    ),
    (
        "H-BAD-DATE",
        "days(\"2026-02-30\", \"10000-01-01\")",
        "the rule raised an error: `2026-02-30` is not a calendar date (no such day in that month)",
        6,
        1,
    ),
];

/// Rules that only the wall clock (or the operation count, whichever comes first) stops:
/// each runs for about a second.
const RUNAWAY: &[(&str, &str)] = &[
    ("H-NEST-ARRAY", "let a = []; loop { a = [a]; }"),
    ("H-NEST-MAP", "let m = #{}; loop { m = #{x: m}; }"),
    ("H-NEST-PROP", "let m = #{}; loop { m.x = m; }"),
    ("H-MAP-GROW", "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }"),
    ("H-HOSTCALL", "let d = \"2026-01-01\"; loop { d = add_days(d, 1); if d > \"9000-01-01\" { d = \"0001-01-01\"; } }"),
    ("H-MILLENNIA", "loop { let n = working_days(\"0001-01-01\", \"9999-12-31\"); let m = add_months(\"0001-01-31\", 119987); let k = days(\"0001-01-01\", \"9999-12-31\"); }"),
    ("H-NEED-LOOP", "loop { let x = field(req, \"data_assets[0].backups[0].region\"); let y = present(req, \"a.b.c.d.e.f.g.h\"); }"),
];

fn body_of(id: &str, body: &str) -> String {
    if id == "H-VARS" {
        (0..1_200)
            .map(|i| format!("let v{i} = {i};\n"))
            .collect::<String>()
            + "pass()"
    } else {
        body.to_string()
    }
}

fn hostile_rules(
    table: &[(&str, &str, &str, usize, usize)],
    scenarios: &str,
) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(id, body, ..)| rule_with(id, "deny", scenarios, &body_of(id, body)))
        .collect()
}

/// The embedded default pack plus `extra` rules, as one pack.
fn default_pack_plus(extra: Vec<(String, String)>) -> Pack {
    let mut files: Vec<(String, String)> = Pack::embedded().unwrap().files().into_iter().collect();
    files.extend(extra);
    Pack::from_sources(files).unwrap()
}

fn assert_error_finding(
    d: &cloudgate::Decision,
    id: &str,
    message: &str,
    line: usize,
    column: usize,
) {
    let f = d.finding(id).unwrap_or_else(|| panic!("{id}: no finding"));
    assert_eq!(f.outcome, Outcome::Error, "{id}: {:?}", f.message);
    let got = f.message.clone().unwrap_or_default();
    if !message.is_empty() {
        assert!(
            message.split(" OR ").any(|m| m == got),
            "{id}: message {got:?}, expected {message:?}"
        );
    }
    let pos = f
        .position
        .clone()
        .unwrap_or_else(|| panic!("{id}: no position"));
    if line != 0 {
        assert_eq!(pos.line, line, "{id}: line");
    }
    assert!(pos.column >= 1, "{id}: column {}", pos.column);
    if column != 0 {
        assert_eq!(pos.column, column, "{id}: column");
    }
}

/// Every hostile rule at once (they apply to removal requests only); then the same engine
/// decides the other scenarios exactly as a fresh engine of the same pack does.
#[test]
fn runtime_hostility_becomes_error_findings_and_the_engine_keeps_serving() {
    let pack = default_pack_plus(hostile_rules(RUNTIME, "removal"));
    let engine = Engine::new(pack.clone()).unwrap();
    let started = Instant::now();
    let d = engine.evaluate_json(&base("removal"), &as_of());
    let took = started.elapsed();
    assert_eq!(d.decision, Verdict::Error);
    let mut problems = Vec::new();
    for (id, _, message, line, column) in RUNTIME {
        if let Err(e) =
            std::panic::catch_unwind(|| assert_error_finding(&d, id, message, *line, *column))
        {
            problems.push(e.downcast_ref::<String>().cloned().unwrap_or_default());
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(took < Duration::from_secs(30), "{took:?}");
    assert_memory_bounded();

    let fresh = Engine::new(pack).unwrap();
    let mut requests = base_requests();
    requests.extend(shared_examples());
    for (name, text) in requests.iter().filter(|(n, _)| !n.contains("removal")) {
        let after = engine.evaluate_json(text, &as_of());
        assert!(
            after.erroring().is_empty(),
            "{name}: {:?}",
            after.erroring()
        );
        assert_eq!(
            comparable(&after),
            comparable(&fresh.evaluate_json(text, &as_of())),
            "{name}"
        );
    }
    // The hostile request again: the same decision (operation counts aside for rules the clock
    // may stop), and still no rule of the default pack is disturbed.
    let again = engine.evaluate_json(&base("removal"), &as_of());
    assert_eq!(
        again
            .findings
            .iter()
            .map(|f| (&f.rule, f.outcome))
            .collect::<Vec<_>>(),
        d.findings
            .iter()
            .map(|f| (&f.rule, f.outcome))
            .collect::<Vec<_>>()
    );
}

/// Rules that run until stopped. Evaluated on a thread with a 2 MiB stack (the default for
/// spawned threads), where nesting a value thousands of levels deep would otherwise abort the
/// process.
#[test]
fn runaway_rules_are_stopped_on_a_small_stack() {
    let table: Vec<(&str, &str, &str, usize, usize)> = RUNAWAY
        .iter()
        .map(|(id, body)| (*id, *body, "", 6, 0))
        .collect();
    let pack = default_pack_plus(hostile_rules(&table, "removal"));
    let engine = Engine::new(pack.clone()).unwrap();
    let d = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let d = engine.evaluate_json(&base("removal"), &as_of());
            (d, engine)
        })
        .unwrap()
        .join()
        .unwrap();
    let (d, engine) = d;
    assert_eq!(d.decision, Verdict::Error);
    for (id, ..) in &table {
        assert_error_finding(&d, id, &format!("{OPS_OR_TIME} OR {TOO_DEEP}"), 6, 0);
    }
    assert_memory_bounded();
    let fresh = Engine::new(pack).unwrap();
    let text = base("termination");
    assert_eq!(
        comparable(&engine.evaluate_json(&text, &as_of())),
        comparable(&fresh.evaluate_json(&text, &as_of()))
    );
}

/// (id, body, diagnostic code, message fragment, line, column) for rules refused when they are
/// loaded: syntax, limits of the parse, and anything outside the rule language
/// (docs/rule-language.md), which is never left to surprise anyone at run time.
const COMPILE: &[(&str, &str, &str, &str, usize, usize)] = &[
    (
        "C-EVAL",
        "eval(\"pass()\")",
        "unknown_function",
        "`eval` is not a function of the rule language",
        6,
        1,
    ),
    (
        "C-EVAL-FN",
        "let f = Fn(\"eval\"); f.call(\"pass()\")",
        "unknown_function",
        "`Fn` is not a function of the rule language",
        6,
        9,
    ),
    (
        "H-UNDEF",
        "fail(nobody_defined_me)",
        "unknown_variable",
        "`nobody_defined_me` is not a variable here",
        6,
        6,
    ),
    (
        "H-SLEEP",
        "sleep(1000); pass()",
        "unknown_function",
        "`sleep` is not a function of the rule language",
        6,
        1,
    ),
    (
        "H-PARSE-JSON",
        "let v = parse_json(\"[[[[1]]]]\"); pass()",
        "unknown_function",
        "`parse_json` is not a function of the rule language",
        6,
        9,
    ),
    (
        "H-REQ",
        "req.request_id = \"forged\"; pass()",
        "assign_to_constant",
        "`req` is read-only",
        6,
        1,
    ),
    (
        "H-REQ-DEEP",
        "req.data_assets[0].deletion.status = \"verified\"; pass()",
        "assign_to_constant",
        "`req` is read-only",
        6,
        1,
    ),
    (
        "H-REQ-PUSH",
        "req.data_assets.push(#{}); pass()",
        "not_a_variable",
        "`push` changes what it is called on",
        6,
        17,
    ),
    (
        "H-LIFECYCLE",
        "lifecycle.legal = true; pass()",
        "assign_to_constant",
        "`lifecycle` is read-only",
        6,
        1,
    ),
    (
        "H-AS-OF",
        "as_of = \"2000-01-01\"; pass()",
        "assign_to_constant",
        "`as_of` is read-only",
        6,
        1,
    ),
    (
        "H-BAD-PATH",
        "need(req, \"a[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\")",
        "malformed_path",
        "malformed field path `a[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`",
        6,
        1,
    ),
    (
        "H-VARS",
        "",
        "too_many_variables",
        "too many variables in scope",
        1001,
        1,
    ),
    (
        "C-SHADOW-NEED",
        "fn need(v, p) { 1 }\npass()",
        "shadows_host_function",
        "defines `fn need`, which would shadow the host function of that name; rename it",
        6,
        1,
    ),
    (
        "C-SHADOW-PASS",
        "fn helper() { 1 }\n\n  fn pass() { 1 }\npass()",
        "shadows_host_function",
        "defines `fn pass`",
        8,
        3,
    ),
    (
        "C-SHADOW-DAYS",
        "fn days(a, b) { 0 }\npass()",
        "shadows_host_function",
        "defines `fn days`",
        6,
        1,
    ),
    ("C-SYNTAX", "let x = ;", "syntax", "does not compile", 6, 9),
    (
        "C-DEEP-PARENS",
        "",
        "syntax",
        "Expression exceeds maximum complexity",
        6,
        0,
    ),
    (
        "C-DEEP-BLOCKS",
        "",
        "syntax",
        "Expression exceeds maximum complexity",
        6,
        0,
    ),
    (
        "C-DEEP-ARRAY",
        "",
        "syntax",
        "Expression exceeds maximum complexity",
        6,
        0,
    ),
    (
        "C-LONG-STRING",
        "",
        "syntax",
        "Length of string exceeds the maximum limit (1048576)",
        6,
        9,
    ),
    (
        "C-FUNCTIONS",
        "",
        "syntax",
        "Number of functions defined exceeds maximum limit",
        262,
        1,
    ),
    ("C-UNCLOSED", "fn f( { ", "syntax", "does not compile", 6, 0),
];

fn compile_body(id: &str, body: &str) -> String {
    match id {
        "C-DEEP-PARENS" => format!(
            "let x = {}1{}; pass()",
            "(".repeat(20_000),
            ")".repeat(20_000)
        ),
        "C-DEEP-BLOCKS" => format!("{}pass(){}", "{".repeat(20_000), "}".repeat(20_000)),
        "C-DEEP-ARRAY" => format!(
            "let x = {}1{}; pass()",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
        "C-LONG-STRING" => format!("let s = \"{}\"; pass()", "x".repeat(2_000_000)),
        "H-VARS" => body_of(id, body),
        "C-FUNCTIONS" => {
            (0..300)
                .map(|i| format!("fn f{i}() {{ {i} }}\n"))
                .collect::<String>()
                + "pass()"
        }
        _ => body.to_string(),
    }
}

#[test]
fn compile_time_refusals_strict_name_file_line_and_column() {
    for (id, body, code, fragment, line, column) in COMPILE.iter().filter(|c| !c.2.is_empty()) {
        let err = engine_with(vec![rule(id, &compile_body(id, body))], false)
            .err()
            .unwrap_or_else(|| panic!("{id} loaded"));
        assert_eq!(err.0.len(), 1, "{id}: {err}");
        let diag = &err.0[0];
        assert_eq!(
            (diag.code.as_str(), diag.file.as_str()),
            (*code, format!("{id}.rhai").as_str()),
            "{id}"
        );
        assert!(diag.message.contains(fragment), "{id}: {}", diag.message);
        assert!(diag.message.starts_with(id), "{id}: {}", diag.message);
        assert_eq!(diag.line, Some(*line), "{id}: line");
        if *column != 0 {
            assert_eq!(diag.column, Some(*column), "{id}: column");
        }
        assert!(
            diag.column.unwrap_or(0) >= 1,
            "{id}: column {:?}",
            diag.column
        );
        // The error names the file and position for people too.
        let text = err.to_string();
        assert!(
            text.contains(&format!("{id}.rhai")) && text.contains(&line.to_string()),
            "{text}"
        );
    }
    assert_memory_bounded();
}

#[test]
fn compile_time_refusals_lenient_are_error_findings() {
    let rules: Vec<_> = COMPILE
        .iter()
        .map(|(id, body, ..)| rule(id, &compile_body(id, body)))
        .collect();
    let mut all = rules.clone();
    all.push(rule("OK-1", "pass()"));
    let engine = engine_with(all, true).unwrap();
    let refused: Vec<_> = COMPILE.iter().filter(|c| !c.2.is_empty()).collect();
    assert_eq!(
        engine.diagnostics().len(),
        refused.len(),
        "{:?}",
        engine.diagnostics()
    );
    let d = engine.evaluate_json(&base("termination"), &as_of());
    assert_eq!(d.decision, Verdict::Error);
    assert_eq!(d.finding("OK-1").unwrap().outcome, Outcome::Pass);
    for (id, _, _, fragment, line, column) in &refused {
        let f = d.finding(id).unwrap();
        assert_eq!(f.outcome, Outcome::Error, "{id}");
        let message = f.message.clone().unwrap();
        assert!(
            message.starts_with("rule does not load: ") && message.contains(fragment),
            "{id}: {message}"
        );
        let pos = f.position.clone().unwrap();
        assert_eq!(pos.line, *line, "{id}");
        if *column != 0 {
            assert_eq!(pos.column, *column, "{id}");
        }
    }
    assert_memory_bounded();
}

/// A list, object or string read from the request counts against the limits like any other
/// value, whether the request came as JSON (where the engine skips the check when the text is
/// too short to hold anything over a limit) or typed.
#[test]
fn values_read_from_the_request_are_held_to_the_limits() {
    let mut request: serde_json::Value = serde_json::from_str(&base("termination")).unwrap();
    request["data_assets"] = serde_json::json!([
        {"id": "a", "classification": "public", "contains_pii": false},
        {"id": "b", "classification": "public", "contains_pii": false},
        {"id": "c", "classification": "public", "contains_pii": false}
    ]);
    request["request_id"] = serde_json::json!("R".repeat(40));
    let text = request.to_string();
    let typed: cloudgate::Request = serde_json::from_str(&text).unwrap();
    let pack = || {
        pack(vec![
            // 3 items, 9 members, 21 string bytes.
            rule("R-ARR", "let a = field(req, \"data_assets\", []); pass()"),
            // 3 members, 7 string bytes.
            rule("R-MAP", "let m = need(req, \"data_assets[0]\"); pass()"),
            // 40 string bytes.
            rule("R-STR", "let t = need(req, \"request_id\"); pass()"),
        ])
        .unwrap()
    };
    use Outcome::{Error, Pass};
    let defaults = cloudgate::Limits::default();
    for (limits, expected) in [
        ((2, 99, 99), [Error, Pass, Pass]),
        ((3, 99, 99), [Pass, Pass, Pass]),
        ((99, 2, 99), [Error, Error, Pass]),
        ((99, 3, 99), [Error, Pass, Pass]),
        ((99, 9, 99), [Pass, Pass, Pass]),
        ((99, 99, 39), [Pass, Pass, Error]),
        ((99, 99, 40), [Pass, Pass, Pass]),
        (
            (
                defaults.max_array_size,
                defaults.max_map_size,
                defaults.max_string_size,
            ),
            [Pass, Pass, Pass],
        ),
    ] {
        let engine = Engine::with_options(
            pack(),
            EngineOptions {
                limits: cloudgate::Limits {
                    max_array_size: limits.0,
                    max_map_size: limits.1,
                    max_string_size: limits.2,
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .unwrap();
        for d in [
            engine.evaluate_json(&text, &as_of()),
            engine.evaluate(&typed, &as_of()),
        ] {
            let got: Vec<Outcome> = ["R-ARR", "R-MAP", "R-STR"]
                .iter()
                .map(|id| d.finding(id).unwrap().outcome)
                .collect();
            assert_eq!(got, expected, "limits {limits:?}");
        }
    }
}

/// Tighter limits are honoured exactly; the defaults are what docs/limits.md says.
#[test]
fn configured_limits_are_the_ones_enforced() {
    let limits = cloudgate::Limits {
        max_operations: 5_000,
        max_string_size: 100,
        max_array_size: 50,
        max_map_size: 20,
        max_call_levels: 4,
        ..Default::default()
    };
    let rules = vec![
        rule("L-OPS", "let i = 0; while i < 10000 { i += 1; } pass()"),
        rule("L-STR", "let s = \"\"; s.pad(101, \"x\"); pass()"),
        rule("L-STR-OK", "let s = \"\"; s.pad(100, \"x\"); pass()"),
        rule("L-ARR", "let a = []; a.pad(51, 0); pass()"),
        rule("L-ARR-OK", "let a = []; a.pad(50, 0); pass()"),
        rule("L-MAP", "let m = #{}; for i in 0..21 { let t = #{}; t[`k${i}`] = i; m += t; } pass()"),
        rule("L-MAP-OK", "let m = #{}; for i in 0..20 { let t = #{}; t[`k${i}`] = i; m += t; } pass()"),
        // Rhai does not check `m[key] = value` itself; the oversized map is refused when it is
        // next used (here by `len()`). Until then it is bounded by max_operations.
        rule("L-MAP-INDEX", "let m = #{}; for i in 0..21 { m[`k${i}`] = i; } if m.len() == 21 { pass() } else { fail(\"?\") }"),
        rule("L-CALLS", "fn f(n) { if n == 0 { 0 } else { f(n - 1) } } f(10); pass()"),
        rule("L-CALLS-OK", "fn f(n) { if n == 0 { 0 } else { f(n - 1) } } f(2); pass()"),
    ];
    let engine = Engine::with_options(
        pack(rules).unwrap(),
        EngineOptions {
            limits,
            lenient: false,
        },
    )
    .unwrap();
    let d = engine.evaluate_json(&base("termination"), &as_of());
    let outcomes: Vec<(&str, Outcome)> = d.findings.iter().map(|f| (&*f.rule, f.outcome)).collect();
    assert_eq!(
        outcomes,
        vec![
            ("L-ARR", Outcome::Error),
            ("L-ARR-OK", Outcome::Pass),
            ("L-CALLS", Outcome::Error),
            ("L-CALLS-OK", Outcome::Pass),
            ("L-MAP", Outcome::Error),
            ("L-MAP-INDEX", Outcome::Error),
            ("L-MAP-OK", Outcome::Pass),
            ("L-OPS", Outcome::Error),
            ("L-STR", Outcome::Error),
            ("L-STR-OK", Outcome::Pass),
        ]
    );
    assert_eq!(
        d.finding("L-OPS").unwrap().message.as_deref(),
        Some("the rule was stopped after 5000 operations (a runaway loop?)")
    );
    let defaults = cloudgate::Limits::default();
    assert_eq!(
        (
            defaults.max_operations,
            defaults.max_call_levels,
            defaults.max_expr_depth,
            defaults.max_function_expr_depth
        ),
        (1_000_000, 32, 64, 32)
    );
    assert_eq!(
        (
            defaults.max_string_size,
            defaults.max_array_size,
            defaults.max_map_size,
            defaults.max_millis_per_rule
        ),
        (1 << 20, 1 << 19, 1 << 18, 1_000)
    );
    assert_eq!(
        (
            defaults.input.max_bytes,
            defaults.input.max_depth,
            defaults.input.max_array_len
        ),
        (1 << 20, 32, 10_000)
    );
}

/// A rule that adds a *new* key to the request or the parameters (`req.extra = 1`) is refused
/// when it is loaded, and later rules of the same evaluation see the request as it was.
#[test]
fn rules_cannot_add_fields_for_later_rules() {
    let strict = engine_with(
        vec![rule("A-1", "req.extra = 1; params.extra = 1; pass()")],
        false,
    );
    assert_eq!(strict.err().unwrap().0[0].code, "assign_to_constant");
    let engine = engine_with(
        vec![
            rule("A-1", "req.extra = 1; params.extra = 1; pass()"),
            rule(
                "A-2",
                "if req.extra == () && params.extra == () { pass() } else { fail(\"changed\") }",
            ),
        ],
        true,
    )
    .unwrap();
    let d = engine.evaluate_json(&base("termination"), &as_of());
    let a1 = d.finding("A-1").unwrap();
    assert_eq!(
        (a1.outcome, a1.message.as_deref()),
        (
            Outcome::Error,
            Some("rule does not load: A-1 `req` is read-only: rules cannot change it")
        )
    );
    assert_eq!(d.finding("A-2").unwrap().outcome, Outcome::Pass);
}

/// The added key does not survive into the next evaluation.
#[test]
fn added_keys_do_not_outlive_the_evaluation() {
    let engine = engine_with(
        vec![
            rule(
                "A-1",
                "if req.extra == () && params.extra == () { pass() } else { fail(\"changed\") }",
            ),
            rule("A-2", "req.extra = 1; params.extra = 1; pass()"),
        ],
        true,
    )
    .unwrap();
    for _ in 0..3 {
        let d = engine.evaluate_json(&base("termination"), &as_of());
        assert_eq!(d.finding("A-1").unwrap().outcome, Outcome::Pass);
    }
}
