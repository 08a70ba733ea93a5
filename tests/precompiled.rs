//! The default pack ships already compiled (`src/compiled/default_pack.postcard`): the file must
//! be the one today's code and rules would write, the default engine must take every rule from
//! it, an engine built from it must decide exactly as one compiled from source, and anything
//! that does not match the file (an edited rule, other limits) must be compiled from source.
//!
//! `CLOUDGATE_BLESS=1 cargo test --test precompiled` (or `make precompile`) rewrites the file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use cloudgate::cases::pack_cases;
use cloudgate::engine::{precompile, Limits};
use cloudgate::{Decision, Engine, EngineOptions, EvalOptions, Pack};
use common::{read, root};
use serde_json::Value;

const FILE: &str = "src/compiled/default_pack.postcard";

fn from_source(pack: Pack) -> Engine {
    Engine::with_options(
        pack,
        EngineOptions {
            from_source: true,
            ..Default::default()
        },
    )
    .unwrap()
}

/// The whole decision but its timing.
fn comparable(d: &Decision) -> Value {
    let mut v = serde_json::to_value(d).unwrap();
    if let Some(stats) = v.get_mut("stats").and_then(Value::as_object_mut) {
        stats.remove("micros");
    }
    v
}

#[test]
fn the_committed_file_is_what_the_code_and_rules_write() {
    let written = precompile(&Pack::embedded().unwrap(), &Limits::default()).unwrap();
    let path = root().join(FILE);
    if std::env::var_os("CLOUDGATE_BLESS").is_some() {
        std::fs::write(&path, &written).unwrap();
        return;
    }
    let committed = std::fs::read(&path).unwrap();
    assert!(
        committed == written,
        "{FILE} is stale ({} bytes committed, {} written now): the rules or the compiled form \
         changed. Run `make precompile` and commit the file.",
        committed.len(),
        written.len()
    );
}

#[test]
fn the_default_engine_takes_every_rule_precompiled() {
    let engine = Engine::default_pack().unwrap();
    assert_eq!(engine.precompiled_rules(), engine.rules().count());
    assert_eq!(engine.rules().count(), 59);
    // The compiled forms are the same ones compiling from source gives.
    let source = from_source(Pack::embedded().unwrap());
    assert_eq!(source.precompiled_rules(), 0);
    for rule in engine.rules() {
        assert_eq!(
            engine.is_compiled(&rule.id),
            source.is_compiled(&rule.id),
            "{}",
            rule.id
        );
    }
}

/// The default engine is built from the file alone, and is in every way the engine that reading
/// the embedded files gives (the test above and the next one compare their decisions).
#[test]
fn the_default_engine_is_built_from_the_file_alone_and_equals_the_long_way() {
    let shipped = Engine::default_pack().unwrap();
    assert!(shipped.built_from_shipped_pack());
    let long = Engine::new(Pack::embedded().unwrap()).unwrap();
    assert!(!long.built_from_shipped_pack());
    assert_eq!(long.precompiled_rules(), 59);
    assert_eq!(
        shipped.rules().collect::<Vec<_>>(),
        long.rules().collect::<Vec<_>>()
    );
    assert_eq!(shipped.pack_info(), long.pack_info());
    assert_eq!(
        shipped.pack_info().digest,
        Pack::embedded().unwrap().digest()
    );
    assert_eq!(shipped.limits(), long.limits());
    assert!(shipped.diagnostics().is_empty());
    // The files are read when asked for, and are the embedded ones.
    assert_eq!(shipped.pack(), &Pack::embedded().unwrap());
    // Options the file was not written for take the long way.
    let other = Engine::embedded(EngineOptions {
        limits: Limits {
            max_expr_depth: 40,
            ..Limits::default()
        },
        ..Default::default()
    })
    .unwrap();
    assert!(!other.built_from_shipped_pack());
    assert_eq!(other.precompiled_rules(), 0);
    let from_source = Engine::embedded(EngineOptions {
        from_source: true,
        ..Default::default()
    })
    .unwrap();
    assert!(!from_source.built_from_shipped_pack());
}

#[test]
fn every_pack_case_and_example_decides_as_compiled_from_source() {
    let pack = Pack::embedded().unwrap();
    let pre = Engine::default_pack().unwrap();
    let src = from_source(pack.clone());
    let mut count = 0;
    for case in pack_cases(&pack.tests).unwrap() {
        let options = EvalOptions {
            as_of: case.as_of,
            ..Default::default()
        };
        let (a, b) = if case.params.is_empty() {
            (
                pre.evaluate_json(&case.text, &options),
                src.evaluate_json(&case.text, &options),
            )
        } else {
            let mut custom = pack.clone();
            custom.override_params(&case.params).unwrap();
            let pre = Engine::new(custom.clone()).unwrap();
            assert_eq!(
                pre.precompiled_rules(),
                59,
                "parameters do not change rules"
            );
            (
                pre.evaluate_json(&case.text, &options),
                from_source(custom).evaluate_json(&case.text, &options),
            )
        };
        assert_eq!(
            comparable(&a),
            comparable(&b),
            "{}: {}",
            case.file,
            case.name
        );
        count += 1;
    }
    assert!(count >= 500, "only {count} cases");
    let as_of = EvalOptions {
        as_of: Some(cloudgate::Date::parse("2026-09-02").unwrap()),
        ..Default::default()
    };
    for entry in std::fs::read_dir(root().join("examples/requests")).unwrap() {
        let path = entry.unwrap().path();
        let text = read(&path);
        assert_eq!(
            comparable(&pre.evaluate_json(&text, &as_of)),
            comparable(&src.evaluate_json(&text, &as_of)),
            "{}",
            path.display()
        );
    }
}

#[test]
fn an_edited_rule_is_compiled_from_its_new_source() {
    let mut pack = Pack::embedded().unwrap();
    let rule = pack
        .rules
        .iter_mut()
        .find(|r| r.meta.id == "TRM-001")
        .unwrap();
    // The first statement after the header: the rule now fails whatever the request.
    let last_header_line = rule.source.rfind("//!").unwrap();
    let body = last_header_line + rule.source[last_header_line..].find('\n').unwrap() + 1;
    rule.source.insert_str(body, "return fail(\"edited\");\n");
    let engine = Engine::new(pack).unwrap();
    assert_eq!(engine.precompiled_rules(), 58);
    let text = read(&root().join("examples/requests/termination-allow.json"));
    let decision = engine.evaluate_json(
        &text,
        &EvalOptions {
            as_of: Some(cloudgate::Date::parse("2026-09-02").unwrap()),
            ..Default::default()
        },
    );
    let finding = decision
        .findings
        .iter()
        .find(|f| &*f.rule == "TRM-001")
        .unwrap();
    assert_eq!(finding.message.as_deref(), Some("edited"));
}

#[test]
fn other_parse_limits_compile_every_rule_from_source() {
    let precompiled_with = |limits: Limits| {
        let options = EngineOptions {
            limits,
            ..Default::default()
        };
        Engine::with_options(Pack::embedded().unwrap(), options)
            .unwrap()
            .precompiled_rules()
    };
    let shallower = Limits {
        max_expr_depth: Limits::default().max_expr_depth - 1,
        ..Limits::default()
    };
    assert_eq!(precompiled_with(shallower), 0);
    // Limits that only bound running rules keep the precompiled forms.
    let fewer_operations = Limits {
        max_operations: 1_000,
        ..Limits::default()
    };
    assert_eq!(precompiled_with(fewer_operations), 59);
}

#[test]
fn the_digest_taken_from_the_file_is_the_digest() {
    let engine = Engine::default_pack().unwrap();
    assert_eq!(
        engine.pack_info().digest,
        Pack::embedded().unwrap().digest()
    );
    // A pack that differs from the file's is hashed, never given the file's digest.
    let mut pack = Pack::embedded().unwrap();
    let mut params = serde_json::Map::new();
    params.insert("da_max_notice_days".into(), serde_json::json!(61));
    pack.override_params(&params).unwrap();
    let digest = pack.digest();
    assert_ne!(digest, engine.pack_info().digest);
    assert_eq!(Engine::new(pack).unwrap().pack_info().digest, digest);
    let mut pack = Pack::embedded().unwrap();
    pack.rules[0].source.push(' ');
    let digest = pack.digest();
    assert_ne!(digest, engine.pack_info().digest);
    assert_eq!(Engine::new(pack).unwrap().pack_info().digest, digest);
    // The same files read from disk: hashed in full, same digest.
    let from_dir = Pack::from_dir(&root().join("rules")).unwrap();
    assert_eq!(
        Engine::new(from_dir).unwrap().pack_info().digest,
        engine.pack_info().digest
    );
}

#[test]
fn a_precompiled_rule_handed_to_rhai_gets_its_syntax_tree_on_first_use() {
    // A fee of 1e300 makes TRM-012's `to_int` overflow: the compiled form hands the rule to
    // Rhai, which compiles its tree then and reports the overflow as Rhai words it.
    let engine = Engine::default_pack().unwrap();
    assert!(engine.is_compiled("TRM-012"));
    let mut request: Value = serde_json::from_str(&read(
        &root().join("examples/requests/termination-allow.json"),
    ))
    .unwrap();
    request["agreement"]["early_termination_fee"] = serde_json::json!({ "amount": 1e300 });
    let text = request.to_string();
    let options = EvalOptions {
        as_of: Some(cloudgate::Date::parse("2026-09-02").unwrap()),
        ..Default::default()
    };
    let first = engine.evaluate_json(&text, &options);
    let finding = first
        .findings
        .iter()
        .find(|f| &*f.rule == "TRM-012")
        .unwrap();
    assert_eq!(finding.outcome, cloudgate::decision::Outcome::Error);
    assert!(
        finding
            .message
            .as_deref()
            .unwrap_or("")
            .contains("overflow"),
        "{:?}",
        finding.message
    );
    let again = comparable(&engine.evaluate_json(&text, &options));
    let source = from_source(Pack::embedded().unwrap());
    assert_eq!(
        comparable(&first),
        comparable(&source.evaluate_json(&text, &options))
    );
    assert_eq!(comparable(&first), again);
    assert_eq!(engine.precompiled_rules(), 59);
}
