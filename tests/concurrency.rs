//! One engine shared by many threads decides exactly as it does on one thread.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::*;

#[test]
fn one_engine_many_threads_same_decisions() {
    let engine = default_engine();
    let mut requests = base_requests();
    requests.extend(shared_examples());
    // A few refused requests in the mix, so that errors interleave with decisions.
    requests.push(("empty".into(), String::new()));
    requests.push(("deep".into(), "[".repeat(10_000)));
    requests.push((
        "bad date".into(),
        base("removal").replace("\"REQ-RMV-1\"", "\"R\",\"as_of\":\"2026-02-30\""),
    ));
    let expected: Vec<serde_json::Value> = requests
        .iter()
        .map(|(_, t)| comparable(&engine.evaluate_json(t, &as_of())))
        .collect();

    let threads = 8;
    let rounds = 3;
    let results: Vec<Vec<(usize, serde_json::Value)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let engine = &engine;
                let requests = &requests;
                s.spawn(move || {
                    let mut out = Vec::new();
                    for round in 0..rounds {
                        // Each thread walks the requests from a different starting point.
                        for k in 0..requests.len() {
                            let i = (k + t * 3 + round) % requests.len();
                            out.push((
                                i,
                                comparable(&engine.evaluate_json(&requests[i].1, &as_of())),
                            ));
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut checked = 0;
    for per_thread in results {
        for (i, got) in per_thread {
            assert_eq!(got, expected[i], "{}", requests[i].0);
            checked += 1;
        }
    }
    assert_eq!(checked, threads * rounds * requests.len());
}
