//! Decides a request file N times (or N lines of an NDJSON file, in turn) with the default pack
//! and writes each decision as JSON, as the CLI does: the harness behind the instruction counts
//! of bench/README.md. Instruction counts do not depend on the machine's load, so
//! two builds compare exactly:
//!
//! ```sh
//! cargo build --release --example decide
//! valgrind --tool=callgrind target/release/examples/decide examples/requests/termination-allow.json 300
//! valgrind --tool=callgrind target/release/examples/decide examples/requests/termination-allow.json 0   # the engine's build alone
//! ```
//!
//! A fourth argument keeps only one rule of the default pack (`none`: no rule), compiled from its
//! source: one rule's cost per decision is its pack's count at N minus at 0, less the same for
//! `none`, divided by N (bench/README.md, gives them for the rules changed there):
//!
//! ```sh
//! valgrind --tool=callgrind target/release/examples/decide examples/requests/termination-allow.json 100 2026-09-02 TRM-001
//! valgrind --tool=callgrind target/release/examples/decide examples/requests/termination-allow.json 0 2026-09-02 TRM-001
//! # … and the same two with `none`
//! ```
//!
//! It prints the time per decision too, which, unlike the counts, moves with the machine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

use cloudgate::{Date, Engine, EvalOptions, Pack};

/// The CLI's allocator (cli/src/alloc.rs), so that the counts are the CLI's.
#[path = "../cli/src/alloc.rs"]
mod alloc;
#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(count)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: decide REQUEST.json|REQUESTS.ndjson N [AS_OF [RULE-ID|none]]");
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
    let engine = match args.get(4) {
        None => Engine::default_pack().expect("the default pack"),
        Some(keep) => {
            let files = Pack::embedded().expect("the default pack").files();
            let one = files.into_iter().filter(|(path, text)| {
                path == "pack.json"
                    || (path.ends_with(".rhai") && text.contains(&format!("//! id: {keep}\n")))
            });
            let pack = Pack::from_sources(one).expect("a pack of one rule");
            assert!(keep == "none" || pack.rules.len() == 1, "no rule {keep}");
            Engine::new(pack).expect("an engine")
        }
    };
    let options = EvalOptions {
        as_of: Some(as_of),
        ..Default::default()
    };
    let started = Instant::now();
    let mut bytes = 0;
    for request in requests.iter().cycle().take(count) {
        let decision = engine.evaluate_json(request, &options);
        bytes += engine.decision_json(&decision).len();
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / count.max(1) as f64;
    println!("{count} decisions, {bytes} bytes of JSON, {micros:.1} µs per decision");
}
