//! regorus against cloudgate on the termination rules (bench/README.md, "regorus").
//!
//! Every mode first holds regorus to cloudgate's decision and failing rule ids, for each way of
//! running regorus that is measured, on the termination examples, the pack's termination test
//! cases (rules/tests, with their parameter overrides) and every request of the NDJSON files in
//! `CLOUDGATE_BENCH_REQUESTS`; any difference is printed and the process exits with 1 (in report
//! mode after writing the report, which then has no figures). A request cloudgate refuses (an
//! `error` decision) is not compared: the policy does not validate.
//!
//! `cargo bench --bench regorus` then runs criterion. With `CLOUDGATE_BENCH_REPORT=FILE` it
//! instead times single decisions of both engines in the same process, interleaved in rounds
//! (p50/p99, decisions per second, `CLOUDGATE_BENCH_ITERS` each, default 20,000), and writes them
//! as JSON in the shape of `benches/engine`'s report, with the same-run ratios beside them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The command line's allocator (cli/src/alloc.rs), as in `benches/engine`: both engines run on it.
#[path = "../../../../cli/src/alloc.rs"]
mod alloc;
#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;
#[path = "../../../../benches/engine/shared.rs"]
mod shared;
use shared::{example, percentile};

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use cloudgate::cases::pack_cases;
use cloudgate::{Date, Engine, EvalOptions, Pack};
use cloudgate_peer_regorus::{decide_cloned, template, verdict, Compiled, Reused, Vm};
use criterion::Criterion;

const AS_OF: &str = "2026-09-02";

/// The repository's root (this crate is bench/peers/regorus).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

type Verdict = (String, Vec<String>);

fn cloudgate_verdict(engine: &Engine, text: &str, as_of: Date) -> Verdict {
    let options = EvalOptions {
        as_of: Some(as_of),
        ..Default::default()
    };
    shared::cloudgate_verdict(engine, text, &options)
}

/// The ways of running regorus that are measured, each held to cloudgate.
/// `regorus` is the fastest of them, the bytecode VM (`regorus-rvm` is no separate row); the
/// tree interpreter's ways are `regorus-interpreter` (one engine reused), `regorus-clone` and
/// `regorus-compiled`.
const WAYS: [&str; 4] = [
    "regorus",
    "regorus-interpreter",
    "regorus-clone",
    "regorus-compiled",
];

/// Both engines for one set of pack parameters and one default evaluation date.
struct Setup {
    params: serde_json::Map<String, serde_json::Value>,
    as_of: Date,
    cloudgate: Engine,
    template: regorus::Engine,
    reused: Reused,
    compiled: Compiled,
    vm: Vm,
}

impl Setup {
    fn new(params: serde_json::Map<String, serde_json::Value>, as_of: Date) -> Setup {
        let mut pack = Pack::embedded().unwrap();
        pack.override_params(&params).unwrap();
        let all = pack.manifest.params.clone();
        let template = template(&all, as_of).unwrap_or_else(|e| panic!("the policy: {e}"));
        Setup {
            params,
            as_of,
            cloudgate: Engine::new(pack).unwrap(),
            reused: Reused::new(&template),
            compiled: Compiled::new(&template)
                .unwrap_or_else(|e| panic!("the compiled policy: {e}")),
            vm: Vm::new(&template).unwrap_or_else(|e| panic!("the policy in the RVM: {e}")),
            template,
        }
    }

    /// regorus's verdict by each way, in the order of [`WAYS`].
    fn regorus(&mut self, text: &str) -> [Verdict; 4] {
        let read = |r: Result<regorus::Value, String>| match r.and_then(|v| verdict(&v)) {
            Ok(v) => v,
            Err(e) => ("failed".to_string(), vec![e]),
        };
        [
            read(self.vm.decide(text)),
            read(self.reused.decide(text)),
            read(decide_cloned(&self.template, text)),
            read(self.compiled.decide(text)),
        ]
    }
}

/// One request to compare on: its name, text, evaluation date and parameter overrides.
struct Item {
    name: String,
    text: String,
    as_of: Date,
    params: serde_json::Map<String, serde_json::Value>,
}

/// The setup for an item's parameters and date, made on first need.
fn setup_for<'a>(setups: &'a mut Vec<Setup>, item: &Item) -> &'a mut Setup {
    let i = match setups
        .iter()
        .position(|s| s.params == item.params && s.as_of == item.as_of)
    {
        Some(i) => i,
        None => {
            setups.push(Setup::new(item.params.clone(), item.as_of));
            setups.len() - 1
        }
    };
    &mut setups[i]
}

/// Compares every way of regorus with cloudgate on a set; prints the first differences.
fn agreement_on(set: &str, setups: &mut Vec<Setup>, items: &[Item]) -> serde_json::Value {
    let mut decisions = std::collections::BTreeMap::<String, usize>::new();
    let mut errors = 0usize;
    let mut disagree = [0usize; WAYS.len()];
    let mut first: Vec<serde_json::Value> = Vec::new();
    for item in items {
        let setup = setup_for(setups, item);
        let a = cloudgate_verdict(&setup.cloudgate, &item.text, item.as_of);
        *decisions.entry(a.0.clone()).or_default() += 1;
        if a.0 == "error" {
            errors += 1;
            continue;
        }
        let ways = setup.regorus(&item.text);
        let mut differs = false;
        for (k, b) in ways.iter().enumerate() {
            if *b != a {
                disagree[k] += 1;
                differs = true;
            }
        }
        if differs && first.len() < 5 {
            let mut row = serde_json::json!({
                "request": item.name,
                "cloudgate": {"decision": a.0, "failing": a.1},
            });
            for (k, b) in ways.iter().enumerate() {
                row[WAYS[k]] = serde_json::json!({"decision": b.0, "failing": b.1});
            }
            eprintln!("WARNING regorus disagrees on {}: {row}", item.name);
            first.push(row);
        }
    }
    let compared = items.len() - errors;
    let total: usize = disagree.iter().sum();
    if total == 0 {
        eprintln!(
            "agreement regorus (all {} ways) on {compared} {set}: all agree",
            WAYS.len()
        );
    } else {
        eprintln!(
            "WARNING regorus disagrees on {set}: {} of {compared} ({})",
            disagree.iter().max().unwrap_or(&0),
            WAYS.iter()
                .zip(disagree)
                .map(|(w, n)| format!("{w} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    serde_json::json!({
        "set": set, "requests": items.len(), "errors": errors, "compared": compared,
        "disagree": disagree.iter().max().unwrap_or(&0),
        "disagree_by_way": WAYS.iter().zip(disagree).map(|(w, n)| (w.to_string(), n.into())).collect::<serde_json::Map<_, _>>(),
        "decisions": decisions, "first": first,
    })
}

/// The pack's termination test cases and the generated requests of `CLOUDGATE_BENCH_REQUESTS`.
fn item_sets(examples: &[(String, String)], as_of: Date) -> Vec<(String, Vec<Item>)> {
    let plain = |name: String, text: String| Item {
        name,
        text,
        as_of,
        params: serde_json::Map::new(),
    };
    let mut sets = vec![(
        "termination examples".to_string(),
        examples
            .iter()
            .map(|(n, t)| plain(n.clone(), t.clone()))
            .collect(),
    )];
    let pack = Pack::embedded().unwrap();
    let cases: Vec<Item> = pack_cases(&pack.tests)
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
    sets.push((
        "termination test cases of the pack (rules/tests)".to_string(),
        cases,
    ));
    let mut generated = Vec::new();
    if let Some(paths) = std::env::var_os("CLOUDGATE_BENCH_REQUESTS") {
        for path in std::env::split_paths(&paths) {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("CLOUDGATE_BENCH_REQUESTS: {}: {e}", path.display()));
            for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                generated.push(plain(
                    format!("{}:{}", path.display(), i + 1),
                    line.to_string(),
                ));
            }
        }
    }
    if !generated.is_empty() {
        sets.push(("generated termination requests".to_string(), generated));
    }
    sets
}

/// Engines timed in interleaved rounds: each runs a tenth of its timed calls, then the next,
/// so that the VM's slow and fast spells fall on all of them alike. p50/p99 from one timed call
/// at a time, throughput from untimed loops of the same length, also interleaved.
/// A row's name and the call it times.
type Timed<'a> = (&'a str, Box<dyn FnMut() + 'a>);

fn measure_interleaved(
    iterations: usize,
    engines: &mut [Timed<'_>],
) -> serde_json::Map<String, serde_json::Value> {
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
    let mut rows = serde_json::Map::new();
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
                "per_second": s.len() as f64 / totals[k],
            }),
        );
    }
    rows
}

fn ratio(rows: &serde_json::Map<String, serde_json::Value>, a: &str, b: &str) -> f64 {
    rows[a]["p50_us"].as_f64().unwrap() / rows[b]["p50_us"].as_f64().unwrap()
}

fn report(
    path: &str,
    setup: &mut Setup,
    allow: &str,
    deny: &str,
    mixed: &[String],
    checks: serde_json::Value,
) {
    let iterations: usize = std::env::var("CLOUDGATE_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let options = EvalOptions {
        as_of: Some(setup.as_of),
        ..Default::default()
    };
    let cloudgate = &setup.cloudgate;
    let template = &setup.template;
    // Building each: cloudgate's default engine; regorus's policy parsed and prepared with the
    // pack's data, then compiled to an RVM program.
    let t = Instant::now();
    black_box(Engine::default_pack().unwrap());
    let cloudgate_new_us = t.elapsed().as_secs_f64() * 1e6;
    let params = Pack::embedded().unwrap().manifest.params;
    let t = Instant::now();
    black_box(Vm::new(&cloudgate_peer_regorus::template(&params, setup.as_of).unwrap()).unwrap());
    let regorus_new_us = t.elapsed().as_secs_f64() * 1e6;

    let mut vm = Vm::new(template).unwrap();
    let mut vm_deny = Vm::new(template).unwrap();
    let mut vm_mixed = Vm::new(template).unwrap();
    let mut reused = Reused::new(template);
    let mut reused_mixed = Reused::new(template);
    let compiled = &setup.compiled;
    let mut vm_parsed = Vm::new(template).unwrap();
    let parsed = regorus::Value::from_json_str(allow).unwrap();
    let limits = cloudgate.limits().input.clone();
    let (mut i, mut j, mut k) = (0usize, 0usize, 0usize);
    let mixed_items = if mixed.is_empty() {
        vec![allow.to_string()]
    } else {
        mixed.to_vec()
    };
    let mixed_ref = &mixed_items;
    let mut engines: Vec<Timed<'_>> = vec![
        (
            "cloudgate-native",
            Box::new(|| {
                black_box(cloudgate.evaluate_json(black_box(allow), &options));
            }),
        ),
        (
            "cloudgate-native-deny",
            Box::new(|| {
                black_box(cloudgate.evaluate_json(black_box(deny), &options));
            }),
        ),
        (
            "regorus",
            Box::new(move || {
                black_box(vm.decide(black_box(allow)).unwrap());
            }),
        ),
        (
            "regorus-deny",
            Box::new(move || {
                black_box(vm_deny.decide(black_box(deny)).unwrap());
            }),
        ),
        (
            "regorus-interpreter",
            Box::new(move || {
                black_box(reused.decide(black_box(allow)).unwrap());
            }),
        ),
        (
            "regorus-clone",
            Box::new(|| {
                black_box(decide_cloned(template, black_box(allow)).unwrap());
            }),
        ),
        (
            "regorus-compiled",
            Box::new(|| {
                black_box(compiled.decide(black_box(allow)).unwrap());
            }),
        ),
        (
            "cloudgate-native-mixed",
            Box::new(|| {
                i = (i + 1) % mixed_ref.len();
                black_box(cloudgate.evaluate_json(black_box(&mixed_ref[i]), &options));
            }),
        ),
        (
            "regorus-mixed",
            Box::new(move || {
                j = (j + 1) % mixed_ref.len();
                black_box(vm_mixed.decide(black_box(&mixed_ref[j])).unwrap());
            }),
        ),
        (
            "regorus-interpreter-mixed",
            Box::new(move || {
                k = (k + 1) % mixed_ref.len();
                black_box(reused_mixed.decide(black_box(&mixed_ref[k])).unwrap());
            }),
        ),
        // The parts of a decision: reading the request, and deciding on what was read.
        (
            "parts/cloudgate-parse_request",
            Box::new(|| {
                black_box(cloudgate::input::parse_request(black_box(allow), &limits).is_ok());
            }),
        ),
        (
            "parts/regorus-from_json_str",
            Box::new(|| {
                black_box(regorus::Value::from_json_str(black_box(allow)).unwrap());
            }),
        ),
        (
            "parts/regorus-eval_only",
            Box::new(move || {
                black_box(vm_parsed.decide_value(black_box(parsed.clone())).unwrap());
            }),
        ),
    ];
    let mut rows = measure_interleaved(iterations, &mut engines);
    drop(engines);
    let mut parts = serde_json::Map::new();
    for name in rows
        .keys()
        .filter(|k| k.starts_with("parts/"))
        .cloned()
        .collect::<Vec<_>>()
    {
        if let Some(row) = rows.remove(&name) {
            parts.insert(name.trim_start_matches("parts/").to_string(), row);
        }
    }
    let ratios = serde_json::json!({
        "regorus/cloudgate-native": ratio(&rows, "regorus", "cloudgate-native"),
        "regorus-deny/cloudgate-native-deny": ratio(&rows, "regorus-deny", "cloudgate-native-deny"),
        "regorus-mixed/cloudgate-native-mixed": ratio(&rows, "regorus-mixed", "cloudgate-native-mixed"),
        "regorus-interpreter/cloudgate-native": ratio(&rows, "regorus-interpreter", "cloudgate-native"),
        "regorus-clone/cloudgate-native": ratio(&rows, "regorus-clone", "cloudgate-native"),
        "regorus-compiled/cloudgate-native": ratio(&rows, "regorus-compiled", "cloudgate-native"),
        "regorus-interpreter-mixed/cloudgate-native-mixed": ratio(&rows, "regorus-interpreter-mixed", "cloudgate-native-mixed"),
    });
    for (name, row) in rows.iter().chain(parts.iter()) {
        eprintln!(
            "{name:24} p50 {:8.2} us  p99 {:8.2} us  {:9.0}/s",
            row["p50_us"].as_f64().unwrap(),
            row["p99_us"].as_f64().unwrap(),
            row["per_second"].as_f64().unwrap()
        );
    }
    eprintln!("ratios (p50, same run): {ratios}");
    let result = serde_json::json!({
        "engine_new_us": {"cloudgate-native": cloudgate_new_us, "regorus": regorus_new_us},
        "agreement": checks["agreement"],
        "agreement_sets": checks["agreement_sets"],
        "engines": rows,
        // Where the time of one decision goes: reading the request, and deciding on it read.
        "parts": parts,
        "ratios": ratios,
        "notes": {
            "regorus": "the bytecode VM (RVM): the policy compiled to a program once, one RegoVM reused; set_input(Value::from_json_str(text)) + execute per request",
            "regorus-interpreter": "the tree interpreter: the policy compiled once, one Engine reused; set_input(Value::from_json_str(text)) + eval_rule per request",
            "regorus-clone": "a clone of the prepared Engine per request, then as regorus-interpreter",
            "regorus-compiled": "the Engine's CompiledPolicy (compile_with_entrypoint) once; eval_with_input per request",
            "mixed": "the generated requests of the first CLOUDGATE_BENCH_REQUESTS file that cloudgate accepts, cycled",
            "parts": "regorus-eval_only: the RVM on a request already read (set_input of a clone of the value + execute)",
        },
    });
    std::fs::write(path, serde_json::to_string_pretty(&result).unwrap()).unwrap();
}

fn main() {
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
    let deny = deny.unwrap_or_else(|| allow.clone());

    let mut setups = vec![Setup::new(serde_json::Map::new(), as_of)];
    let sets = item_sets(&examples, as_of);
    let mut agreement = Vec::new();
    for (name, text) in &examples {
        let setup = &mut setups[0];
        let a = cloudgate_verdict(&setup.cloudgate, text, as_of);
        let ways = setup.regorus(text);
        let agree = ways.iter().all(|b| *b == a);
        let mut row = serde_json::json!({
            "example": name, "agree": agree,
            "cloudgate": {"decision": a.0, "failing": a.1},
        });
        for (k, b) in ways.iter().enumerate() {
            row[WAYS[k]] = serde_json::json!({"decision": b.0, "failing": b.1});
        }
        if agree {
            eprintln!("agreement regorus {name}: ok ({} {:?})", a.0, a.1);
        } else {
            eprintln!("WARNING regorus disagrees on {name}: {row}");
        }
        agreement.push(row);
    }
    let agreement_sets: Vec<serde_json::Value> = sets
        .iter()
        .skip(1)
        .map(|(name, items)| agreement_on(name, &mut setups, items))
        .collect();
    let differences = agreement.iter().filter(|c| c["agree"] != true).count()
        + agreement_sets
            .iter()
            .map(|s| s["disagree"].as_u64().unwrap_or(0) as usize)
            .sum::<usize>();
    let checks = serde_json::json!({"agreement": agreement, "agreement_sets": agreement_sets});
    // The generated requests cloudgate accepts: the mixed rows.
    // The mixed rows: the generated requests of the first file (scripts/bench.sh's mixed set)
    // that cloudgate accepts.
    let first_file = std::env::var_os("CLOUDGATE_BENCH_REQUESTS")
        .and_then(|paths| std::env::split_paths(&paths).next())
        .map(|path| format!("{}:", path.display()));
    let mixed: Vec<String> = sets
        .iter()
        .filter(|(name, _)| name == "generated termination requests")
        .flat_map(|(_, items)| items.iter())
        .filter(|item| {
            first_file
                .as_ref()
                .is_some_and(|f| item.name.starts_with(f))
        })
        .filter(|item| cloudgate_verdict(&setups[0].cloudgate, &item.text, as_of).0 != "error")
        .map(|item| item.text.clone())
        .collect();

    let report_path = std::env::var("CLOUDGATE_BENCH_REPORT").ok();
    if differences > 0 {
        if let Some(path) = &report_path {
            std::fs::write(path, serde_json::to_string_pretty(&checks).unwrap()).unwrap();
        }
        eprintln!(
            "regorus disagrees with cloudgate on {differences} request(s) (WARNING rows above)"
        );
        std::process::exit(1);
    }
    let setup = &mut setups[0];
    if let Some(path) = report_path {
        report(&path, setup, &allow, &deny, &mixed, checks);
        return;
    }

    let options = EvalOptions {
        as_of: Some(as_of),
        ..Default::default()
    };
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("termination");
    g.bench_function("cloudgate/allow", |b| {
        b.iter(|| setup.cloudgate.evaluate_json(black_box(&allow), &options))
    });
    g.bench_function("cloudgate/deny", |b| {
        b.iter(|| setup.cloudgate.evaluate_json(black_box(&deny), &options))
    });
    g.bench_function("regorus/allow", |b| {
        b.iter(|| setup.vm.decide(black_box(&allow)).unwrap())
    });
    g.bench_function("regorus/deny", |b| {
        b.iter(|| setup.vm.decide(black_box(&deny)).unwrap())
    });
    g.bench_function("regorus/allow-interpreter", |b| {
        b.iter(|| setup.reused.decide(black_box(&allow)).unwrap())
    });
    g.bench_function("regorus/allow-clone", |b| {
        b.iter(|| decide_cloned(&setup.template, black_box(&allow)).unwrap())
    });
    g.bench_function("regorus/allow-compiled", |b| {
        b.iter(|| setup.compiled.decide(black_box(&allow)).unwrap())
    });
    g.finish();
    c.final_summary();
}
