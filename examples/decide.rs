//! Decides a request file N times (or N lines of an NDJSON file, in turn) with the default pack
//! and writes each decision as JSON, as the CLI does: the harness behind the instruction counts
//! of bench/NOTES.md (section 12). Instruction counts do not depend on the machine's load, so
//! two builds compare exactly:
//!
//! ```sh
//! cargo build --release --example decide
//! valgrind --tool=callgrind target/release/examples/decide examples/requests/termination-allow.json 300
//! valgrind --tool=callgrind target/release/examples/decide examples/requests/termination-allow.json 0   # the engine's build alone
//! ```
//!
//! It prints the time per decision too, which, unlike the counts, moves with the machine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

use cloudgate::{Date, Engine, EvalOptions};

/// The CLI's allocator (src/bin/cloudgate.rs), so that the counts are the CLI's.
#[cfg(feature = "cli")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(count)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: decide REQUEST.json|REQUESTS.ndjson N [AS_OF]");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("N is a number");
    let as_of = Date::parse(args.get(3).map_or("2026-09-02", String::as_str)).expect("AS_OF");
    let text = std::fs::read_to_string(file).expect("readable request file");
    let requests: Vec<&str> = if file.ends_with(".ndjson") {
        text.lines().filter(|l| !l.trim().is_empty()).collect()
    } else {
        vec![text.as_str()]
    };
    let engine = Engine::default_pack().expect("the default pack");
    let options = EvalOptions { as_of: Some(as_of) };
    let started = Instant::now();
    let mut bytes = 0;
    for request in requests.iter().cycle().take(count) {
        let decision = engine.evaluate_json(request, &options);
        bytes += engine.decision_json(&decision).len();
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / count.max(1) as f64;
    println!("{count} decisions, {bytes} bytes of JSON, {micros:.1} µs per decision");
}
