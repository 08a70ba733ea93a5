//! Native benchmarks: the cloudgate engine against hand-written Rust checks of the same
//! termination rules (bench/README.md).
//!
//! `cargo bench --bench engine` runs criterion. With `CLOUDGATE_BENCH_REPORT=FILE` it instead
//! times single decisions (p50/p99, decisions per second) and writes them as JSON for
//! `scripts/bench.sh`, which prints them next to the Node figures. Every mode first checks that
//! the hand-written version gives the engine's decision and failing rule ids on the termination
//! examples, on the pack's own termination test cases (rules/tests) and on every request of the
//! NDJSON files in `CLOUDGATE_BENCH_REQUESTS` (a path list; scripts/bench.sh passes generated
//! termination requests). `cargo test --bench engine` (criterion's test mode) fails on any
//! difference; the report and the benchmarks record it and go on (bench/run.mjs prints it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod handwritten;
mod shared;

/// The allocator of the command line (cli/src/alloc.rs), so that native figures are
/// the CLI's; every engine measured here, the hand-written checks included, uses it.
#[path = "../../cli/src/alloc.rs"]
mod alloc;
#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use cloudgate::cases::pack_cases;
use cloudgate::input::parse_request;
use cloudgate::{Date, Engine, EvalOptions, Pack, Request};
use criterion::Criterion;

use handwritten::Params;
use shared::{cloudgate_verdict, example, percentile};

const AS_OF: &str = "2026-09-02";

fn hand(text: &str, as_of: Date, params: &Params) -> (String, Vec<String>) {
    let Ok(req) = serde_json::from_str::<Request>(text) else {
        return ("unreadable".to_string(), Vec::new());
    };
    let as_of = req.as_of.unwrap_or(as_of);
    let out = handwritten::check(&req, as_of, params);
    (
        out.verdict.as_str().to_string(),
        out.failing.iter().map(|s| s.to_string()).collect(),
    )
}

/// Prints one line per example; a disagreement is a WARNING row here (the caller decides
/// whether it fails the run).
fn agreement(
    engine: &Engine,
    params: &Params,
    examples: &[(String, String)],
    as_of: Date,
) -> Vec<serde_json::Value> {
    let options = EvalOptions {
        as_of: Some(as_of),
        ..Default::default()
    };
    let mut rows = Vec::new();
    for (name, text) in examples {
        let a = cloudgate_verdict(engine, text, &options);
        let b = hand(text, as_of, params);
        let agree = a == b;
        if agree {
            eprintln!("agreement rust-handwritten {name}: ok ({} {:?})", a.0, a.1);
        } else {
            eprintln!(
                "WARNING rust-handwritten disagrees on {name}: cloudgate {} {:?}, hand-written {} {:?}",
                a.0, a.1, b.0, b.1
            );
        }
        rows.push(serde_json::json!({
            "example": name, "agree": agree,
            "cloudgate": {"decision": a.0, "failing": a.1},
            "rust-handwritten": {"decision": b.0, "failing": b.1},
        }));
    }
    rows
}

/// One request to compare on: its name, text, evaluation date and parameter overrides.
struct Item {
    name: String,
    text: String,
    as_of: Date,
    params: serde_json::Map<String, serde_json::Value>,
}

/// The hand-written checks against the engine on a set of requests; a request the engine
/// refuses (an `error` decision: the hand-written checks do not validate) is not compared. An
/// engine (and the hand-written parameters) per set of parameter overrides.
fn agreement_on(set: &str, default: (&Engine, &Params), items: &[Item]) -> serde_json::Value {
    let mut others: Vec<(serde_json::Map<String, serde_json::Value>, Engine, Params)> = Vec::new();
    let mut decisions = std::collections::BTreeMap::<String, usize>::new();
    let (mut errors, mut disagree) = (0usize, 0usize);
    let mut first = serde_json::Value::Null;
    for item in items {
        let (engine, params) = if item.params.is_empty() {
            default
        } else {
            let i = match others.iter().position(|(p, _, _)| *p == item.params) {
                Some(i) => i,
                None => {
                    let mut pack = Pack::embedded().unwrap();
                    pack.override_params(&item.params).unwrap();
                    let params = Params::from_pack(&pack.manifest.params).unwrap();
                    others.push((item.params.clone(), Engine::new(pack).unwrap(), params));
                    others.len() - 1
                }
            };
            let (_, engine, params) = &others[i];
            (engine, params)
        };
        let options = EvalOptions {
            as_of: Some(item.as_of),
            ..Default::default()
        };
        let a = cloudgate_verdict(engine, &item.text, &options);
        *decisions.entry(a.0.clone()).or_default() += 1;
        if a.0 == "error" {
            errors += 1;
            continue;
        }
        let b = hand(&item.text, item.as_of, params);
        if a != b {
            disagree += 1;
            if first.is_null() {
                first = serde_json::json!({
                    "request": item.name,
                    "cloudgate": {"decision": a.0, "failing": a.1},
                    "rust-handwritten": {"decision": b.0, "failing": b.1},
                });
            }
        }
    }
    let compared = items.len() - errors;
    if disagree == 0 {
        eprintln!("agreement rust-handwritten on {compared} {set}: all agree");
    } else {
        eprintln!(
            "WARNING rust-handwritten disagrees on {disagree} of {compared} {set}; first: {first}"
        );
    }
    serde_json::json!({
        "set": set, "requests": items.len(), "errors": errors, "compared": compared,
        "disagree": disagree, "decisions": decisions, "first": first,
    })
}

/// The pack's termination test cases and the generated requests of `CLOUDGATE_BENCH_REQUESTS`.
fn agreement_sets(engine: &Engine, params: &Params, as_of: Date) -> Vec<serde_json::Value> {
    let cases: Vec<Item> = pack_cases(&engine.pack().tests)
        .unwrap()
        .into_iter()
        .filter(|c| {
            serde_json::from_str::<serde_json::Value>(&c.text)
                .is_ok_and(|v| v.get("scenario").and_then(|s| s.as_str()) == Some("termination"))
        })
        .map(|c| Item {
            name: format!("{}: {}", c.file, c.name),
            text: c.text,
            as_of: c.as_of.unwrap_or(as_of),
            params: c.params,
        })
        .collect();
    let mut generated = Vec::new();
    if let Some(paths) = std::env::var_os("CLOUDGATE_BENCH_REQUESTS") {
        for path in std::env::split_paths(&paths) {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("CLOUDGATE_BENCH_REQUESTS: {}: {e}", path.display()));
            for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                generated.push(Item {
                    name: format!("{}:{}", path.display(), i + 1),
                    text: line.to_string(),
                    as_of,
                    params: serde_json::Map::new(),
                });
            }
        }
    }
    let mut sets = vec![agreement_on(
        "termination test cases of the pack (rules/tests)",
        (engine, params),
        &cases,
    )];
    if !generated.is_empty() {
        sets.push(agreement_on(
            "generated termination requests",
            (engine, params),
            &generated,
        ));
    }
    sets
}

/// p50/p99 from one timed call at a time, throughput from an untimed loop of the same length.
fn measure(iterations: usize, mut f: impl FnMut()) -> serde_json::Value {
    for _ in 0..iterations.div_ceil(10).max(3) {
        f();
    }
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        f();
        samples.push(t.elapsed().as_secs_f64() * 1e6);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let t = Instant::now();
    for _ in 0..iterations {
        f();
    }
    let total = t.elapsed().as_secs_f64();
    serde_json::json!({
        "iterations": iterations,
        "p50_us": percentile(&samples, 0.50),
        "p99_us": percentile(&samples, 0.99),
        "mean_us": samples.iter().sum::<f64>() / samples.len() as f64,
        "per_second": iterations as f64 / total,
    })
}

fn report(
    path: &str,
    engine: &Engine,
    params: &Params,
    allow: &str,
    deny: &str,
    checks: (Vec<serde_json::Value>, Vec<serde_json::Value>),
) {
    let iterations: usize = std::env::var("CLOUDGATE_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let as_of = Date::parse(AS_OF).unwrap();
    let options = EvalOptions {
        as_of: Some(as_of),
        ..Default::default()
    };
    let explain = EvalOptions {
        explain: true,
        ..options.clone()
    };
    let typed: Request = serde_json::from_str(allow).unwrap();
    let limits = engine.limits().input.clone();
    let decision = engine.evaluate_json(allow, &options);
    let started = Instant::now();
    let cold = Engine::default_pack().unwrap();
    let cold_us = started.elapsed().as_secs_f64() * 1e6;
    black_box(&cold);
    // The parts of building an engine: read the embedded pack, hash it, compile the rules.
    let t = Instant::now();
    let pack = cloudgate::Pack::embedded().unwrap();
    let pack_us = t.elapsed().as_secs_f64() * 1e6;
    let t = Instant::now();
    black_box(pack.digest());
    let digest_us = t.elapsed().as_secs_f64() * 1e6;
    let t = Instant::now();
    black_box(Engine::new(pack).unwrap());
    let compile_us = t.elapsed().as_secs_f64() * 1e6;
    let result = serde_json::json!({
        "engine_new_us": cold_us,
        "engine_new_parts_us": {"pack_embedded": pack_us, "digest": digest_us, "engine_new_from_pack": compile_us},
        "agreement": checks.0,
        "agreement_sets": checks.1,
        "engines": {
            "cloudgate-native": measure(iterations, || { black_box(engine.evaluate_json(black_box(allow), &options)); }),
            // The same with explain mode on: passing findings carry their explanation.
            "cloudgate-native-explain": measure(iterations, || { black_box(engine.evaluate_json(black_box(allow), &explain)); }),
            "cloudgate-native-deny": measure(iterations, || { black_box(engine.evaluate_json(black_box(deny), &options)); }),
            "cloudgate-native-typed": measure(iterations, || { black_box(engine.evaluate(black_box(&typed), &options)); }),
            "rust-handwritten": measure(iterations, || {
                let req: Request = serde_json::from_str(black_box(allow)).unwrap();
                black_box(handwritten::check(&req, as_of, params));
            }),
            "rust-handwritten-typed": measure(iterations, || { black_box(handwritten::check(black_box(&typed), as_of, params)); }),
        },
        // Where the time of one `evaluate_json` goes, besides running the rules.
        "parts": {
            "parse_request": measure(iterations, || { black_box(parse_request(black_box(allow), &limits).is_ok()); }),
            "decision_to_json": measure(iterations, || { black_box(serde_json::to_string(black_box(&decision)).map(|s| s.len()).unwrap_or(0)); }),
        }
    });
    std::fs::write(path, serde_json::to_string_pretty(&result).unwrap()).unwrap();
}

fn main() {
    let engine = Engine::default_pack().expect("the default pack compiles");
    let as_of = Date::parse(AS_OF).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (allow_path, allow) = example(root, "allow").expect("a termination allow example");
    let deny = example(root, "deny").map(|(_, t)| t);
    eprintln!(
        "examples from {}",
        allow_path
            .parent()
            .map_or(String::new(), |p| p.display().to_string())
    );
    let mut examples = vec![("termination-allow".to_string(), allow.clone())];
    if let Some(d) = &deny {
        examples.push(("termination-deny".to_string(), d.clone()));
    }
    let params = Params::from_pack(&engine.pack().manifest.params)
        .expect("the pack's parameters for the hand-written checks");
    let checks = agreement(&engine, &params, &examples, as_of);
    let sets = agreement_sets(&engine, &params, as_of);
    let deny = deny.unwrap_or_else(|| allow.clone());

    if let Ok(path) = std::env::var("CLOUDGATE_BENCH_REPORT") {
        report(&path, &engine, &params, &allow, &deny, (checks, sets));
        return;
    }
    // `cargo test --bench engine` (criterion's test mode: no `--bench` argument): the agreement
    // is the test.
    let differences = checks.iter().filter(|c| c["agree"] != true).count()
        + sets
            .iter()
            .map(|s| s["disagree"].as_u64().unwrap_or(0) as usize)
            .sum::<usize>();
    if differences > 0 && !std::env::args().any(|a| a == "--bench") {
        eprintln!("rust-handwritten disagrees with cloudgate on {differences} request(s) (WARNING rows above)");
        std::process::exit(1);
    }

    let options = EvalOptions {
        as_of: Some(as_of),
        ..Default::default()
    };
    let explain = EvalOptions {
        explain: true,
        ..options.clone()
    };
    let typed: Request = serde_json::from_str(&allow).unwrap();
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("termination");
    g.bench_function("cloudgate/allow", |b| {
        b.iter(|| engine.evaluate_json(black_box(&allow), &options))
    });
    // Explain mode on, beside the default (off) above.
    g.bench_function("cloudgate/allow-explain", |b| {
        b.iter(|| engine.evaluate_json(black_box(&allow), &explain))
    });
    g.bench_function("cloudgate/deny", |b| {
        b.iter(|| engine.evaluate_json(black_box(&deny), &options))
    });
    g.bench_function("cloudgate/allow-typed", |b| {
        b.iter(|| engine.evaluate(black_box(&typed), &options))
    });
    g.bench_function("handwritten/allow", |b| {
        b.iter(|| {
            let req: Request = serde_json::from_str(black_box(&allow)).unwrap();
            handwritten::check(&req, as_of, &params)
        })
    });
    g.bench_function("handwritten/allow-typed", |b| {
        b.iter(|| handwritten::check(black_box(&typed), as_of, &params))
    });
    g.finish();
    g = c.benchmark_group("startup");
    g.sample_size(10);
    g.bench_function("engine/default_pack", |b| {
        b.iter(|| Engine::default_pack().unwrap())
    });
    g.finish();
    c.final_summary();
}
