//! GoRules ZEN natively (the `zen-engine` crate) against cloudgate in the same process, on the
//! termination rules as a JDM decision graph (`../termination.json`, bench/README.md).
//!
//!   CARGO_TARGET_DIR=target/peers cargo bench --manifest-path bench/peers/zen/Cargo.toml --bench zen
//!
//! runs criterion. With `CLOUDGATE_BENCH_REPORT=FILE` it instead times single decisions
//! (p50/p99, decisions per second; `CLOUDGATE_BENCH_ITERS` of each, default 20,000) and writes
//! them as JSON in the shape of `benches/engine`'s report, cloudgate's `Engine::evaluate_json`
//! on the same requests beside ZEN's rows, so that the report carries its own same-run ratio.
//! Every mode first checks that the graph gives cloudgate's decision and failing rule ids on the
//! termination examples, on the pack's own termination test cases (rules/tests, with their
//! parameter overrides written into the graph's `parameters` node) and on every request of the
//! NDJSON files in `CLOUDGATE_BENCH_REQUESTS`; any difference is printed and makes the run exit
//! with 1 (after the report is written).
//!
//! ZEN's evaluation is an `async fn`; a graph of decision tables and expressions never waits on
//! anything, so `pollster::block_on` polls it to completion on the calling thread (no runtime,
//! no thread hop). The graph is loaded and compiled (`Decision::compile`: expressions and table
//! indexes prepared ahead) once and reused for every call.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator of the command line (cli/src/alloc.rs), as in benches/engine: both engines
/// measured here use it.
#[path = "../../../../cli/src/alloc.rs"]
mod alloc;
#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;
#[path = "../../../../benches/engine/shared.rs"]
mod shared;
use shared::{cloudgate_verdict, example, percentile};

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use cloudgate::cases::pack_cases;
use cloudgate::{Date, Engine, EvalOptions, Pack, Request};
use criterion::Criterion;
use serde_json::{Map, Value};
use zen_engine::model::GraphContent;
use zen_engine::Decision;
use zen_engine::Variable;

const AS_OF: &str = "2026-09-02";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

type Verdict = (String, Vec<String>);

/// A ZEN literal for a JSON value (the `parameters` node's expressions).
fn literal(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(a) => format!("[{}]", a.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{ {} }}",
            o.iter()
                .map(|(k, x)| format!("{}: {}", literal(&Value::String(k.clone())), literal(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// Jurisdiction codes as the pack compares them: ASCII upper case.
fn upper_codes(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(s.to_ascii_uppercase()),
        Value::Array(a) => Value::Array(a.iter().map(upper_codes).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.to_ascii_uppercase(), x.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The graph of termination.json with parameter overrides written into its `parameters` node
/// (graph.mjs's `parameterExpressions` does the same in JavaScript).
fn graph_with(overrides: &Map<String, Value>) -> Value {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("termination.json"))
            .expect("bench/peers/zen/termination.json (node bench/peers/zen/graph.mjs writes it)");
    let mut graph: Value = serde_json::from_str(&text).expect("termination.json is JSON");
    if overrides.is_empty() {
        return graph;
    }
    let node = graph["nodes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|n| n["id"] == "parameters")
        .expect("the graph's parameters node");
    for expression in node["content"]["expressions"].as_array_mut().unwrap() {
        let key = expression["key"].as_str().unwrap().to_string();
        if let Some(v) = overrides.get(&key) {
            let v = match key.as_str() {
                "da_jurisdictions" | "public_holidays" => upper_codes(v),
                _ => v.clone(),
            };
            expression["value"] = Value::String(literal(&v));
        }
    }
    graph
}

/// The graph loaded and compiled once; a decision is one evaluation of it.
struct Zen {
    decision: Decision,
    as_of: Variable,
}

impl Zen {
    fn new(overrides: &Map<String, Value>, as_of: &str) -> Zen {
        let content: GraphContent =
            serde_json::from_value(graph_with(overrides)).expect("a JDM graph");
        let mut decision = Decision::from(content);
        decision.compile();
        decision.validate().expect("a valid JDM graph");
        Zen {
            decision,
            as_of: Variable::from(Value::String(as_of.to_string())),
        }
    }

    /// The graph's input, `{ request, as_of }`, around a request read from JSON text.
    fn context(&self, text: &str) -> Variable {
        let request: Variable = serde_json::from_str(text).expect("a JSON request");
        self.context_of(request)
    }

    fn context_of(&self, request: Variable) -> Variable {
        let context = Variable::empty_object();
        context.dot_insert("request", request);
        context.dot_insert("as_of", self.as_of.clone());
        context
    }

    fn run(&self, context: Variable) -> Variable {
        pollster::block_on(self.decision.evaluate(context))
            .expect("the graph evaluates")
            .result
    }

    /// JSON text in, the decision out: what `Engine::evaluate_json` is measured on.
    fn evaluate_json(&self, text: &str) -> Variable {
        self.run(self.context(text))
    }

    fn verdict(&self, text: &str) -> Verdict {
        let result = self.evaluate_json(text);
        let decision = result
            .dot("decision")
            .and_then(|d| d.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut failing: Vec<String> = result
            .dot("failing")
            .and_then(|f| f.as_array())
            .map(|a| {
                a.borrow()
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        failing.sort();
        (decision, failing)
    }
}

/// One request to compare on: its name, text, evaluation date and parameter overrides.
struct Item {
    name: String,
    text: String,
    as_of: Date,
    params: Map<String, Value>,
}

/// ZEN against cloudgate on a set of requests; a request cloudgate refuses (an `error`
/// decision: the graph does not validate) is not compared. An engine and a graph per set of
/// parameter overrides and evaluation date.
fn agreement_on(set: &str, items: &[Item]) -> Value {
    let mut setups: Vec<(Map<String, Value>, Date, Engine, Zen)> = Vec::new();
    let mut decisions = std::collections::BTreeMap::<String, usize>::new();
    let (mut errors, mut disagree) = (0usize, 0usize);
    let mut first = Value::Null;
    for item in items {
        let i = match setups
            .iter()
            .position(|(p, d, _, _)| *p == item.params && *d == item.as_of)
        {
            Some(i) => i,
            None => {
                let mut pack = Pack::embedded().unwrap();
                pack.override_params(&item.params).unwrap();
                let zen = Zen::new(&item.params, &item.as_of.to_string());
                setups.push((
                    item.params.clone(),
                    item.as_of,
                    Engine::new(pack).unwrap(),
                    zen,
                ));
                setups.len() - 1
            }
        };
        let (_, _, engine, zen) = &setups[i];
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
        let b = zen.verdict(&item.text);
        if a != b {
            disagree += 1;
            if disagree <= 3 {
                eprintln!(
                    "WARNING zen disagrees on {}: cloudgate {} {:?}, zen {} {:?}",
                    item.name, a.0, a.1, b.0, b.1
                );
            }
            if first.is_null() {
                first = serde_json::json!({
                    "request": item.name,
                    "cloudgate": {"decision": a.0, "failing": a.1},
                    "zen": {"decision": b.0, "failing": b.1},
                });
            }
        }
    }
    let compared = items.len() - errors;
    if disagree == 0 {
        eprintln!("agreement zen on {compared} {set}: all agree");
    } else {
        eprintln!("WARNING zen disagrees on {disagree} of {compared} {set}; first: {first}");
    }
    serde_json::json!({
        "set": set, "requests": items.len(), "errors": errors, "compared": compared,
        "disagree": disagree, "decisions": decisions, "first": first,
    })
}

/// The examples, one row each (the `agreement` rows of benches/engine's report).
fn agreement(engine: &Engine, zen: &Zen, examples: &[(String, String)], as_of: Date) -> Vec<Value> {
    let options = EvalOptions {
        as_of: Some(as_of),
        ..Default::default()
    };
    let mut rows = Vec::new();
    for (name, text) in examples {
        let a = cloudgate_verdict(engine, text, &options);
        let b = zen.verdict(text);
        let agree = a == b;
        if agree {
            eprintln!("agreement zen {name}: ok ({} {:?})", a.0, a.1);
        } else {
            eprintln!(
                "WARNING zen disagrees on {name}: cloudgate {} {:?}, zen {} {:?}",
                a.0, a.1, b.0, b.1
            );
        }
        rows.push(serde_json::json!({
            "example": name, "agree": agree,
            "cloudgate": {"decision": a.0, "failing": a.1},
            "zen": {"decision": b.0, "failing": b.1},
        }));
    }
    rows
}

/// The generated requests of `CLOUDGATE_BENCH_REQUESTS`, one per line, file by file.
fn generated(as_of: Date) -> Vec<Vec<Item>> {
    let Some(paths) = std::env::var_os("CLOUDGATE_BENCH_REQUESTS") else {
        return Vec::new();
    };
    std::env::split_paths(&paths)
        .filter(|p| !p.as_os_str().is_empty())
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("CLOUDGATE_BENCH_REQUESTS: {}: {e}", path.display()));
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .enumerate()
                .map(|(i, line)| Item {
                    name: format!("{}:{}", path.display(), i + 1),
                    text: line.to_string(),
                    as_of,
                    params: Map::new(),
                })
                .collect()
        })
        .collect()
}

fn agreement_sets(engine: &Engine, as_of: Date, generated: &[Vec<Item>]) -> Vec<Value> {
    let cases: Vec<Item> = pack_cases(&engine.pack().tests)
        .unwrap()
        .into_iter()
        .filter(|c| {
            serde_json::from_str::<Value>(&c.text)
                .is_ok_and(|v| v.get("scenario").and_then(|s| s.as_str()) == Some("termination"))
        })
        .map(|c| Item {
            name: format!("{}: {}", c.file, c.name),
            text: c.text,
            as_of: c.as_of.unwrap_or(as_of),
            params: c.params,
        })
        .collect();
    let mut sets = vec![agreement_on(
        "termination test cases of the pack (rules/tests)",
        &cases,
    )];
    let all: Vec<Item> = generated
        .iter()
        .flatten()
        .map(|i| Item {
            name: i.name.clone(),
            text: i.text.clone(),
            as_of: i.as_of,
            params: Map::new(),
        })
        .collect();
    if !all.is_empty() {
        sets.push(agreement_on("generated termination requests", &all));
    }
    sets
}

/// A row of the report: its name and one decision.
type Timed<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// Engines timed in interleaved rounds (as the regorus peer's report): each runs a tenth of its
/// timed calls, then the next, so that the VM's slow and fast spells fall on all of them alike.
/// p50/p99 from one timed call at a time, throughput from untimed loops of the same length,
/// also interleaved.
fn measure_interleaved(iterations: usize, engines: &mut [Timed<'_>]) -> Map<String, Value> {
    const ROUNDS: usize = 10;
    let per_round = iterations.div_ceil(ROUNDS).max(1);
    for (_, f) in engines.iter_mut() {
        for _ in 0..per_round.max(3) {
            f();
        }
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(per_round * ROUNDS); engines.len()];
    let mut totals = vec![0f64; engines.len()];
    for _ in 0..ROUNDS {
        for (k, (_, f)) in engines.iter_mut().enumerate() {
            for _ in 0..per_round {
                let t = Instant::now();
                f();
                samples[k].push(t.elapsed().as_secs_f64() * 1e6);
            }
            let t = Instant::now();
            for _ in 0..per_round {
                f();
            }
            totals[k] += t.elapsed().as_secs_f64();
        }
    }
    let mut rows = Map::new();
    for (k, (name, _)) in engines.iter().enumerate() {
        let s = &mut samples[k];
        s.sort_by(|a, b| a.total_cmp(b));
        rows.insert(
            name.to_string(),
            serde_json::json!({
                "iterations": s.len(),
                "p50_us": percentile(s, 0.50),
                "p99_us": percentile(s, 0.99),
                "mean_us": s.iter().sum::<f64>() / s.len() as f64,
                "per_second": (per_round * ROUNDS) as f64 / totals[k],
            }),
        );
    }
    rows
}

struct Setup {
    engine: Engine,
    zen: Zen,
    options: EvalOptions,
    allow: String,
    deny: String,
}

fn report(path: &str, s: &Setup, checks: (Vec<Value>, Vec<Value>), mixed: &[String]) {
    let iterations: usize = std::env::var("CLOUDGATE_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let (engine, zen, options) = (&s.engine, &s.zen, &s.options);
    let (allow, deny) = (s.allow.as_str(), s.deny.as_str());
    let typed: Request = serde_json::from_str(allow).unwrap();
    let value: Value = serde_json::from_str(allow).unwrap();
    // Building each: cloudgate's default engine; ZEN's graph read, compiled and validated.
    let t = Instant::now();
    black_box(Engine::default_pack().unwrap());
    let cloudgate_new_us = t.elapsed().as_secs_f64() * 1e6;
    let t = Instant::now();
    black_box(Zen::new(&Map::new(), AS_OF));
    let zen_new_us = t.elapsed().as_secs_f64() * 1e6;
    let mixed_items = if mixed.is_empty() {
        vec![allow.to_string()]
    } else {
        mixed.to_vec()
    };
    let mixed_ref = &mixed_items;
    let (mut i, mut j) = (0usize, 0usize);
    let mut engines: Vec<Timed<'_>> = vec![
        (
            "cloudgate-native",
            Box::new(|| {
                black_box(engine.evaluate_json(black_box(allow), options));
            }),
        ),
        (
            "cloudgate-native-deny",
            Box::new(|| {
                black_box(engine.evaluate_json(black_box(deny), options));
            }),
        ),
        (
            "cloudgate-native-typed",
            Box::new(|| {
                black_box(engine.evaluate(black_box(&typed), options));
            }),
        ),
        // JSON text in: read into ZEN's Variable, wrapped as { request, as_of }, evaluated.
        (
            "zen",
            Box::new(|| {
                black_box(zen.evaluate_json(black_box(allow)));
            }),
        ),
        (
            "zen-deny",
            Box::new(|| {
                black_box(zen.evaluate_json(black_box(deny)));
            }),
        ),
        // The request already a serde_json::Value (as a Rust caller holding one passes it):
        // converted to a Variable and evaluated, no text read.
        (
            "zen-value",
            Box::new(|| {
                black_box(zen.run(zen.context_of(Variable::from(black_box(&value)))));
            }),
        ),
        (
            "cloudgate-native-mixed",
            Box::new(|| {
                i = (i + 1) % mixed_ref.len();
                black_box(engine.evaluate_json(black_box(&mixed_ref[i]), options));
            }),
        ),
        (
            "zen-mixed",
            Box::new(|| {
                j = (j + 1) % mixed_ref.len();
                black_box(zen.evaluate_json(black_box(&mixed_ref[j])));
            }),
        ),
    ];
    let rows = measure_interleaved(iterations, &mut engines);
    drop(engines);
    let ratio = |a: &str, b: &str| {
        rows[a]["p50_us"].as_f64().unwrap_or(f64::NAN)
            / rows[b]["p50_us"].as_f64().unwrap_or(f64::NAN)
    };
    let ratios = serde_json::json!({
        "zen/cloudgate-native": ratio("zen", "cloudgate-native"),
        "zen-deny/cloudgate-native-deny": ratio("zen-deny", "cloudgate-native-deny"),
        "zen-value/cloudgate-native-typed": ratio("zen-value", "cloudgate-native-typed"),
        "zen-mixed/cloudgate-native-mixed": ratio("zen-mixed", "cloudgate-native-mixed"),
    });
    for (name, row) in &rows {
        eprintln!(
            "{name:24} p50 {:8.2} us  p99 {:8.2} us  {:9.0}/s",
            row["p50_us"].as_f64().unwrap_or(f64::NAN),
            row["p99_us"].as_f64().unwrap_or(f64::NAN),
            row["per_second"].as_f64().unwrap_or(f64::NAN)
        );
    }
    eprintln!("ratios (p50, same run): {ratios}");
    let result = serde_json::json!({
        "engine_new_us": {"cloudgate-native": cloudgate_new_us, "zen": zen_new_us},
        "agreement": checks.0,
        "agreement_sets": checks.1,
        "engines": rows,
        "ratios": ratios,
        "notes": {
            "zen": "zen-engine 2.1.6 (crates.io): bench/peers/zen/termination.json loaded, compiled (Decision::compile) and validated once; per request the JSON text read into a Variable (serde), wrapped as { request, as_of }, Decision::evaluate polled by pollster::block_on (the evaluation never waits: no async runtime)",
            "zen-value": "the request as a serde_json::Value held by the caller: Variable::from(&value), then as zen",
            "mixed": "the generated requests of the first CLOUDGATE_BENCH_REQUESTS file that cloudgate accepts, cycled",
        },
    });
    std::fs::write(path, serde_json::to_string_pretty(&result).unwrap()).unwrap();
}

fn main() {
    let engine = Engine::default_pack().expect("the default pack compiles");
    let as_of = Date::parse(AS_OF).unwrap();
    let (allow_path, allow) = example(&root(), "allow").expect("a termination allow example");
    let deny = example(&root(), "deny").map(|(_, t)| t);
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
    let zen = Zen::new(&Map::new(), AS_OF);
    let checks = agreement(&engine, &zen, &examples, as_of);
    let generated = generated(as_of);
    let sets = agreement_sets(&engine, as_of, &generated);
    let differences = checks.iter().filter(|c| c["agree"] != true).count()
        + sets
            .iter()
            .map(|s| s["disagree"].as_u64().unwrap_or(0) as usize)
            .sum::<usize>();
    let options = EvalOptions {
        as_of: Some(as_of),
        ..Default::default()
    };
    let setup = Setup {
        engine,
        zen,
        options,
        deny: deny.unwrap_or_else(|| allow.clone()),
        allow,
    };

    if let Ok(path) = std::env::var("CLOUDGATE_BENCH_REPORT") {
        // The "mixed" rows: the first file of CLOUDGATE_BENCH_REQUESTS (scripts/bench.sh: the
        // generated termination requests Node measures too), the requests cloudgate accepts.
        let mixed_requests: Vec<String> = generated
            .first()
            .map(|items| {
                items
                    .iter()
                    .filter(|i| {
                        cloudgate_verdict(&setup.engine, &i.text, &setup.options).0 != "error"
                    })
                    .map(|i| i.text.clone())
                    .collect()
            })
            .unwrap_or_default();
        report(&path, &setup, (checks, sets), &mixed_requests);
    }
    if differences > 0 {
        eprintln!("zen disagrees with cloudgate on {differences} request(s) (WARNING rows above)");
        std::process::exit(1);
    }
    if std::env::var_os("CLOUDGATE_BENCH_REPORT").is_some() {
        return;
    }

    let Setup {
        engine,
        zen,
        options,
        allow,
        deny,
    } = setup;
    let value: Value = serde_json::from_str(&allow).unwrap();
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("termination");
    g.bench_function("cloudgate/allow", |b| {
        b.iter(|| engine.evaluate_json(black_box(&allow), &options))
    });
    g.bench_function("cloudgate/deny", |b| {
        b.iter(|| engine.evaluate_json(black_box(&deny), &options))
    });
    g.bench_function("zen/allow", |b| {
        b.iter(|| zen.evaluate_json(black_box(&allow)))
    });
    g.bench_function("zen/deny", |b| {
        b.iter(|| zen.evaluate_json(black_box(&deny)))
    });
    g.bench_function("zen/allow-value", |b| {
        b.iter(|| zen.run(zen.context_of(Variable::from(black_box(&value)))))
    });
    g.finish();
    c.final_summary();
}
