//! The command line's contract: exit 0 when every request is allowed, 1 when any needs review
//! or is denied, 2 on any error (refused request, unreadable file, pack that does not load or
//! whose digest differs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../tests/support/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use cloudgate::{Pack, Verdict};
use support::*;

fn cloudgate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudgate"))
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudgate-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn decisions(out: &Output) -> Vec<serde_json::Value> {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let trimmed = text.trim();
    if trimmed.starts_with('{') && trimmed.contains("\n  ") {
        return vec![serde_json::from_str(trimmed).unwrap()];
    }
    trimmed
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn exit_codes_follow_the_worst_decision() {
    let engine = default_engine();
    let dir = scratch("verdicts");
    let mut requests = base_requests();
    requests.extend(shared_examples());
    let mut seen = std::collections::BTreeSet::new();
    for (name, text) in &requests {
        let path = dir.join(name.replace(".json", "") + ".json");
        std::fs::write(&path, text).unwrap();
        let verdict = engine.evaluate_json(text, &as_of()).decision;
        let out = cloudgate(&["check", "--as-of", "2026-09-15", path.to_str().unwrap()]);
        let want = match verdict {
            Verdict::Allow => 0,
            Verdict::Review | Verdict::Deny => 1,
            Verdict::Error => 2,
        };
        assert_eq!(
            out.status.code(),
            Some(want),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(decisions(&out)[0]["decision"], verdict.as_str(), "{name}");
        seen.insert(want);
    }
    assert!(seen.contains(&0) && seen.contains(&1), "{seen:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every hostile request of tests/hostile_input.rs, through the CLI: one error decision each,
/// exit code 2, no crash.
#[test]
fn hostile_requests_exit_2() {
    let dir = scratch("hostile");
    let mut paths = Vec::new();
    let cases = hostile_input_corpus();
    for (i, (_, text, ..)) in cases.iter().enumerate() {
        let path = dir.join(format!("{i:03}.json"));
        std::fs::write(&path, text).unwrap();
        paths.push(path.to_str().unwrap().to_string());
    }
    let mut args = vec!["check", "--as-of", "2026-09-15"];
    args.extend(paths.iter().map(String::as_str));
    let out = cloudgate(&args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = decisions(&out);
    assert_eq!(got.len(), cases.len());
    for (d, (name, _, code, path)) in got.iter().zip(&cases) {
        assert_eq!(d["decision"], "error", "{name}");
        assert_eq!(
            (
                d["errors"][0]["code"].as_str().unwrap(),
                d["errors"][0]["path"].as_str().unwrap()
            ),
            (*code, path.as_str()),
            "{name}"
        );
    }
    // One at a time as well, for a few: the exit code is per invocation.
    for p in paths.iter().take(5) {
        assert_eq!(
            cloudgate(&["check", "--as-of", "2026-09-15", p])
                .status
                .code(),
            Some(2)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn hostile_input_corpus() -> Vec<(String, String, &'static str, String)> {
    support::inputs::corpus()
}

#[test]
fn invalid_utf8_missing_files_and_empty_stdin_exit_2() {
    let dir = scratch("bytes");
    let bad = dir.join("latin1.json");
    std::fs::write(
        &bad,
        b"{\"request_id\":\"R\xe9\",\"scenario\":\"removal\",\"removal\":{}}",
    )
    .unwrap();
    let out = cloudgate(&["check", "--as-of", "2026-09-15", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let d = &decisions(&out)[0];
    assert_eq!(d["decision"], "error");
    assert_eq!(d["errors"][0]["path"], "$");
    assert!(
        d["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8"),
        "{d}"
    );

    let out = cloudgate(&["check", dir.join("absent.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));

    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudgate"))
        .args(["check", "--as-of", "2026-09-15", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(decisions(&out)[0]["errors"][0]["code"], "empty_input");

    // A good request through stdin is decided.
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudgate"))
        .args(["check", "--as-of", "2026-09-15", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(base("removal").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_ne!(decisions(&out)[0]["decision"], "error");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pack_digest_must_match() {
    let right = Pack::embedded().unwrap().digest();
    let request = scratch("digest").join("removal.json");
    std::fs::write(&request, base("removal")).unwrap();
    let req = request.to_str().unwrap();

    let wrong = format!("sha256:{}", "0".repeat(64));
    let out = cloudgate(&[
        "check",
        "--pack-digest",
        &wrong,
        "--as-of",
        "2026-09-15",
        req,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "decided with a tampered pack");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&right) && stderr.contains(&wrong) && stderr.contains("refusing"),
        "{stderr}"
    );

    for malformed in ["", "sha256:", "md5:abc", &right.to_uppercase(), &right[7..]] {
        let out = cloudgate(&[
            "check",
            "--pack-digest",
            malformed,
            "--as-of",
            "2026-09-15",
            req,
        ]);
        assert_eq!(out.status.code(), Some(2), "{malformed:?}");
        assert!(out.stdout.is_empty());
    }

    let out = cloudgate(&[
        "check",
        "--pack-digest",
        &right,
        "--as-of",
        "2026-09-15",
        req,
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(decisions(&out)[0]["pack"]["digest"], right.as_str());

    // A pack edited on disk no longer matches the digest of the original.
    let dir = scratch("tampered");
    for (path, text) in Pack::embedded().unwrap().files() {
        let target = dir.join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
    let dir_arg = dir.to_str().unwrap();
    let out = cloudgate(&[
        "check",
        "--rules",
        dir_arg,
        "--pack-digest",
        &right,
        "--as-of",
        "2026-09-15",
        req,
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "the unedited copy: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rule = std::fs::read_dir(dir.join("removal"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(&rule, text + "\n// tampered\n").unwrap();
    let out = cloudgate(&[
        "check",
        "--rules",
        dir_arg,
        "--pack-digest",
        &right,
        "--as-of",
        "2026-09-15",
        req,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_pack_that_does_not_load_exits_2_naming_file_and_line() {
    let dir = scratch("badpack");
    std::fs::write(dir.join("pack.json"), MANIFEST).unwrap();
    let (file, text) = rule("BAD-1", "eval(\"pass()\")");
    std::fs::write(dir.join(&file), text).unwrap();
    let out = cloudgate(&[
        "check",
        "--rules",
        dir.to_str().unwrap(),
        "--as-of",
        "2026-09-15",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("BAD-1.rhai") && stderr.contains('6') && stderr.contains("eval"),
        "{stderr}"
    );
    let out = cloudgate(&["check", "--no-such-flag", "x.json"]);
    assert_eq!(
        out.status.code(),
        Some(64),
        "a usage error, not a refused pack"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn limits_can_be_changed_from_the_command_line() {
    let example = common_example("termination-allow.json");
    let allowed = cloudgate(&["check", example.to_str().unwrap()]);
    assert_eq!(allowed.status.code(), Some(0));
    let small = cloudgate(&[
        "check",
        "--limit",
        "input.max_bytes=100",
        example.to_str().unwrap(),
    ]);
    assert_eq!(small.status.code(), Some(2));
    assert_eq!(decisions(&small)[0]["errors"][0]["code"], "too_large");
    let starved = cloudgate(&[
        "check",
        "--limit",
        "max_operations=5",
        example.to_str().unwrap(),
    ]);
    assert_eq!(starved.status.code(), Some(2));
    assert_eq!(decisions(&starved)[0]["decision"], "error");
    for bad in [
        "bogus=1",
        "input=1",
        "max_operations=many",
        "max_operations",
    ] {
        let out = cloudgate(&["check", "--limit", bad, example.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(64), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--limit"),
            "{bad}"
        );
    }
}

fn common_example(name: &str) -> PathBuf {
    support::root().join("examples/requests").join(name)
}

/// Batch mode over NDJSON (`check --ndjson`): one decision per request line, in input order,
/// across the pieces the CLI decides at a time and across threads; each the decision the library
/// gives for that line; a blank line skipped, a line that is not JSON an error decision in its
/// place. `stats` (operations and time) are left out of the comparison.
#[test]
fn batch_ndjson_keeps_input_order_across_chunks_and_threads() {
    let engine = default_engine();
    let requests: Vec<String> = base_requests()
        .iter()
        .map(|(_, text)| {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            serde_json::to_string(&value).unwrap()
        })
        .collect();
    // Across many of the pieces batch mode hands out (64 lines; the line that is not JSON and a
    // blank one in the middle of one), with request ids that say where each line was; read from a
    // file and, on two threads, from stdin.
    let mut lines = Vec::new();
    for i in 0..1_200usize {
        let mut value: serde_json::Value =
            serde_json::from_str(&requests[i % requests.len()]).unwrap();
        value["request_id"] = format!("LINE-{i}").into();
        lines.push(serde_json::to_string(&value).unwrap());
        if i == 1_020 {
            lines.push(String::new());
            lines.push("{not json".to_string());
        }
    }
    let dir = scratch("ndjson");
    let file = dir.join("requests.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let strip = |mut d: serde_json::Value| {
        d.as_object_mut().unwrap().remove("stats");
        d
    };
    let want: Vec<serde_json::Value> = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let d = engine.evaluate_json(l, &as_of());
            strip(serde_json::from_str(&engine.decision_json(&d)).unwrap())
        })
        .collect();
    assert_eq!(want.len(), 1_201);
    for jobs in ["1", "2", "3"] {
        let out = cloudgate(&[
            "check",
            "--as-of",
            "2026-09-15",
            "--jobs",
            jobs,
            "--ndjson",
            file.to_str().unwrap(),
        ]);
        // The line that is not JSON makes it an error run.
        assert_eq!(out.status.code(), Some(2), "jobs {jobs}");
        let got: Vec<serde_json::Value> = decisions(&out).into_iter().map(strip).collect();
        assert_eq!(got.len(), want.len(), "jobs {jobs}");
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g, w, "jobs {jobs}, decision {i}");
        }
        assert_eq!(got[1_021]["decision"], "error", "jobs {jobs}");
        assert_eq!(got[1_022]["request_id"], "LINE-1021", "jobs {jobs}");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudgate"))
        .args([
            "check",
            "--as-of",
            "2026-09-15",
            "--jobs",
            "2",
            "--ndjson",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let text = lines.join("\n") + "\n";
    let feeding = std::thread::spawn(move || stdin.write_all(text.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    feeding.join().unwrap();
    let got: Vec<serde_json::Value> = decisions(&out).into_iter().map(strip).collect();
    assert_eq!(got, want, "stdin, two threads");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reader that stops reading (`| head`) stops a batch on several threads: its writer fails,
/// and the threads reading and deciding find their channels closed, instead of waiting for room
/// forever.
#[test]
fn batch_ndjson_stops_when_its_output_is_closed() {
    let line = serde_json::to_string(
        &serde_json::from_str::<serde_json::Value>(&read(&common_example(
            "termination-allow.json",
        )))
        .unwrap(),
    )
    .unwrap();
    let dir = scratch("closed");
    let file = dir.join("requests.ndjson");
    std::fs::write(&file, format!("{line}\n").repeat(20_000)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudgate"))
        .args(["check", "--as-of", "2026-09-02", "--jobs", "2", "--ndjson"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe's reading end is closed here.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the batch did not stop after its output was closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--record` gives the same input digest for the same request however it is spelled (key
/// order, whitespace, number spelling), and `--explain` a message on every pass.
#[test]
fn record_and_explain() {
    let dir = scratch("record");
    let text = base_requests()
        .into_iter()
        .find(|(name, _)| name.contains("termination"))
        .unwrap()
        .1;
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let compact = dir.join("compact.json");
    std::fs::write(&compact, value.to_string()).unwrap();
    let pretty = dir.join("pretty.json");
    std::fs::write(&pretty, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let args = |file: &PathBuf, extra: &[&str]| {
        let mut a = vec!["check", "--as-of", "2026-09-15"];
        a.extend_from_slice(extra);
        a.push(file.to_str().unwrap());
        decisions(&cloudgate(
            &a.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        ))
        .remove(0)
    };
    let a = args(&compact, &["--record"]);
    let b = args(&pretty, &["--record", "--explain"]);
    assert_eq!(a["record"]["input_digest"], b["record"]["input_digest"]);
    assert_eq!(
        a["record"]["input_digest"],
        serde_json::json!(cloudgate::record::input_digest(&text))
    );
    assert_ne!(a["record"]["decision_id"], b["record"]["decision_id"]);
    assert_eq!(a["record"]["engine"]["name"], "cloudgate");
    for f in a["findings"].as_array().unwrap() {
        assert!(f.get("message").is_none() || f["outcome"] != "pass", "{f}");
        assert!(["customer", "provider", "both"].contains(&f["actor"].as_str().unwrap()));
    }
    for f in b["findings"].as_array().unwrap() {
        if f["outcome"] == "pass" {
            assert!(f["message"].as_str().unwrap().len() > 10, "{f}");
        }
    }
    let plain = args(&compact, &[]);
    assert!(plain.get("record").is_none());
}

/// `--log`: one audit line per decision, each written before its decision is printed, so that
/// killing the process mid-batch loses no decision that was seen.
#[test]
fn the_audit_log_keeps_every_decision_seen_even_when_killed() {
    let dir = scratch("log");
    let log = dir.join("audit.ndjson");
    let line = serde_json::from_str::<serde_json::Value>(&base_requests()[0].1)
        .unwrap()
        .to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudgate"))
        .args(["check", "--as-of", "2026-09-15", "--jobs", "2", "--log"])
        .arg(&log)
        .args(["--ndjson", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Enough lines to fill stdout's buffer several times over, then no end of input: the
    // process is killed while it waits for more. Written from another thread, as the pipes
    // fill both ways.
    let writer = std::thread::spawn(move || {
        for _ in 0..2_000 {
            if writeln!(stdin, "{line}").is_err() {
                break;
            }
        }
        let _ = stdin.flush();
        stdin
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut chunk = [0u8; 1 << 16];
    while seen.iter().filter(|b| **b == b'\n').count() < 1_000 {
        let n = stdout.read(&mut chunk).unwrap();
        assert!(n > 0, "the batch ended early");
        seen.extend_from_slice(&chunk[..n]);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(writer.join().unwrap());
    let logged: std::collections::HashSet<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["decision"], "allow");
            assert!(v["input_digest"].as_str().unwrap().starts_with("sha256:"));
            v["decision_id"].as_str().unwrap().to_string()
        })
        .collect();
    let printed: Vec<String> = String::from_utf8_lossy(&seen)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|d| d["record"]["decision_id"].as_str().unwrap().to_string())
        .collect();
    assert!(printed.len() >= 1_000, "{}", printed.len());
    for id in &printed {
        assert!(
            logged.contains(id),
            "decision {id} was printed but not logged"
        );
    }
}

/// A command line that cannot be understood exits 64 (EX_USAGE), apart from the 2 of an
/// `error` decision; `--help` and `--version` exit 0.
#[test]
fn usage_errors_exit_64() {
    let file = support::root().join("examples/requests/termination-allow.json");
    let file = file.to_str().unwrap();
    for args in [
        vec!["check", "--no-such-flag", file],
        vec!["check", "--as-of", "tomorrow", file],
        vec!["check", "--param", "max_identity_age_days", file],
        vec!["check", "--limit", "no_such_limit=3", file],
        vec!["frobnicate"],
    ] {
        let out = cloudgate(&args);
        assert_eq!(
            out.status.code(),
            Some(64),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stderr.is_empty());
    }
    for args in [vec!["--help"], vec!["--version"], vec!["check", "--help"]] {
        assert_eq!(cloudgate(&args).status.code(), Some(0), "{args:?}");
    }
    let refused = cloudgate(&["check", "--pack-digest", "sha256:00", file]);
    assert_eq!(refused.status.code(), Some(2));
}
