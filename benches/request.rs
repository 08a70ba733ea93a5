//! The request side of one decision, part by part: parsing the text (against serde's derived
//! reader and serde_json's lexing floor) and writing the decision back as JSON.
//!
//! `cargo bench --bench request` prints one line per part: the median time of one call over
//! batches of calls (batches smooth out timer cost; the median shrugs off a busy machine).
//! `CLOUDGATE_BENCH_SAMPLES=N` changes the number of batches (default 300); an argument runs
//! only the parts whose names start with it (`cargo bench --bench request -- convert`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator of the command line (cli/src/alloc.rs), so that native figures are
/// the CLI's; every engine measured here, the hand-written checks included, uses it.
#[path = "../cli/src/alloc.rs"]
mod alloc;
#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use cloudgate::input::{parse_request, InputLimits};
use cloudgate::{Date, Engine, EvalOptions, Request};

const AS_OF: &str = "2026-09-02";

/// Median and 10th/90th percentile of one call, in microseconds.
fn time(name: &str, samples: usize, mut f: impl FnMut()) {
    // Aim each batch at ~200 µs so that short parts are not timer noise.
    let t = Instant::now();
    f();
    let once = t.elapsed().as_secs_f64().max(1e-8);
    let batch = ((200e-6 / once) as usize).clamp(1, 10_000);
    for _ in 0..(samples / 10).max(3) * batch {
        f();
    }
    let mut per_call: Vec<f64> = (0..samples)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / batch as f64
        })
        .collect();
    per_call.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| per_call[((per_call.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name:<44} {:>9.2} µs   (p10 {:.2}, p90 {:.2}; {samples} × {batch})",
        at(0.5),
        at(0.1),
        at(0.9)
    );
}

fn main() {
    let samples: usize = std::env::var("CLOUDGATE_BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("examples/requests/termination-allow.json")).unwrap();
    let limits = InputLimits::default();
    let typed: Request = serde_json::from_str(&text).unwrap();
    let engine = Engine::default_pack().unwrap();
    let options = EvalOptions {
        as_of: Some(Date::parse(AS_OF).unwrap()),
        ..Default::default()
    };
    let decision = engine.evaluate_json(&text, &options);
    // What the clause maps cost in the JSON text (each rule's are constant).
    let mut bare = decision.clone();
    for f in &mut bare.findings {
        f.clauses = Default::default();
    }
    let bad = text.replacen("\"2026-10-01\"", "\"2026-02-30\"", 1);
    assert!(parse_request(&bad, &limits).is_err());

    type Part<'a> = (&'static str, Box<dyn FnMut() + 'a>);
    let parts: Vec<Part> = vec![
        (
            "parse_request",
            Box::new(|| {
                black_box(parse_request(black_box(&text), &limits).is_ok());
            }),
        ),
        (
            "invalid date: parse_request",
            Box::new(|| {
                black_box(parse_request(black_box(&bad), &limits).is_ok());
            }),
        ),
        (
            "serde_json::from_str::<Request>",
            Box::new(|| {
                black_box(serde_json::from_str::<Request>(black_box(&text)).is_ok());
            }),
        ),
        (
            "serde_json::from_str::<IgnoredAny>",
            Box::new(|| {
                black_box(serde_json::from_str::<serde::de::IgnoredAny>(black_box(&text)).is_ok());
            }),
        ),
        (
            "decision to JSON text",
            Box::new(|| {
                black_box(serde_json::to_string(black_box(&decision)).unwrap().len());
            }),
        ),
        (
            "decision to JSON, into a 16 KiB buffer",
            Box::new(|| {
                let mut out = Vec::with_capacity(16 << 10);
                serde_json::to_writer(&mut out, black_box(&decision)).unwrap();
                black_box(out.len());
            }),
        ),
        (
            "decision to JSON, findings without clauses",
            Box::new(|| {
                black_box(serde_json::to_string(black_box(&bare)).unwrap().len());
            }),
        ),
        (
            "engine.evaluate_json",
            Box::new(|| {
                let _ = black_box(engine.evaluate_json(black_box(&text), &options));
            }),
        ),
        (
            "engine.evaluate (typed)",
            Box::new(|| {
                let _ = black_box(engine.evaluate(black_box(&typed), &options));
            }),
        ),
    ];
    println!("termination allow example, as_of {AS_OF}; median of one call");
    for (name, mut f) in parts {
        if name.starts_with(filter.as_str()) {
            time(name, samples, &mut f);
        }
    }
}
