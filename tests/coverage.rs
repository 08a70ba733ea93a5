//! Coverage: which statements and branch arms of a rule the cases run (`cloudgate test
//! --coverage`, the workbench's shading), counted by the evaluator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use cloudgate::cases::run_tests;
use cloudgate::eval::coverage::{lcov, Branch, Count, RuleCoverage};
use cloudgate::EvalOptions;
use support::{base, engine_with, rule};

/// Line 6 is the body's first line (support::rule's header takes five).
const BODY: &str = r#"let name = field(req, "customer.legal_name", "");
if name == "Pass Ltd" {
    return pass();
}
let kind = switch req.scenario { "termination" => 1, "transfer" => 2, _ => 3 };
if kind == 1 {
    fail("short notice", [])
} else {
    not_applicable("not a termination")
}"#;

fn coverage_after(requests: &[&str]) -> RuleCoverage {
    let engine = engine_with(vec![rule("COV-1", BODY)], false).unwrap();
    let mut counted = engine.coverage();
    let options = EvalOptions {
        as_of: cloudgate::Date::parse("2026-09-02").ok(),
        ..Default::default()
    };
    for text in requests {
        let plain = engine.evaluate_json(text, &options);
        let covered = engine.evaluate_json_covered(text, &options, &mut counted);
        // Counting changes nothing of the decision.
        assert_eq!(
            support::comparable(&plain),
            support::comparable(&covered),
            "{text}"
        );
    }
    let mut report = engine.coverage_report(&counted);
    assert_eq!(report.len(), 1);
    report.pop().unwrap()
}

#[test]
fn counts_statements_and_the_arms_taken() {
    let termination = base("termination");
    let report = coverage_after(&[&termination]);
    assert_eq!(report.rule, "COV-1");
    assert_eq!(report.file, "COV-1.rhai");
    // The base request's customer is not "Pass Ltd": the first `if` takes its else arm (which has no
    // statement), the switch its first case, the last `if` its then arm. A switch's arms are
    // statements of their own, on line 10 with the `let` and the `switch`.
    assert_eq!(
        report
            .lines
            .iter()
            .map(|(l, n)| (*l, *n))
            .collect::<Vec<_>>(),
        vec![(6, 1), (7, 1), (8, 0), (10, 1), (11, 1), (12, 1), (14, 0)]
    );
    assert_eq!(
        report.statements,
        Count {
            covered: 7,
            total: 11
        }
    );
    assert_eq!(
        report.branches,
        vec![
            Branch {
                line: 7,
                column: 1,
                taken: vec![0, 1]
            },
            Branch {
                line: 10,
                column: 12,
                taken: vec![1, 0, 0]
            },
            Branch {
                line: 11,
                column: 1,
                taken: vec![1, 0]
            },
        ]
    );
    assert_eq!(
        report.branch_arms,
        Count {
            covered: 3,
            total: 7
        }
    );
    assert_eq!(
        report.missed(),
        (
            vec!["8".to_string(), "10:68".into(), "10:76".into(), "14".into()],
            vec![
                "7:1#0".to_string(),
                "10:12#1".into(),
                "10:12#2".into(),
                "11:1#1".into()
            ]
        )
    );
}

#[test]
fn counts_add_up_over_requests() {
    let termination = base("termination");
    let passing = {
        let mut v: serde_json::Value = serde_json::from_str(&termination).unwrap();
        v["customer"]["legal_name"] = "Pass Ltd".into();
        v.to_string()
    };
    let transfer = base("transfer");
    let report = coverage_after(&[&termination, &passing, &transfer, &termination]);
    assert_eq!(report.lines.get(&6), Some(&4));
    assert_eq!(report.lines.get(&8), Some(&1));
    assert_eq!(report.lines.get(&12), Some(&2));
    assert_eq!(report.lines.get(&14), Some(&1));
    assert_eq!(
        report
            .branches
            .iter()
            .map(|b| b.taken.clone())
            .collect::<Vec<_>>(),
        vec![vec![1, 3], vec![2, 1, 0], vec![2, 1]]
    );
    assert_eq!(
        report.statements,
        Count {
            covered: 10,
            total: 11
        }
    );
}

#[test]
fn lcov_tracefile() {
    let report = coverage_after(&[&base("termination")]);
    assert_eq!(
        lcov(&[report], "rules"),
        "TN:\nSF:rules/COV-1.rhai\n\
         BRDA:7,0,0,0\nBRDA:7,0,1,1\n\
         BRDA:10,1,0,1\nBRDA:10,1,1,0\nBRDA:10,1,2,0\n\
         BRDA:11,2,0,1\nBRDA:11,2,1,0\n\
         BRF:7\nBRH:3\n\
         DA:6,1\nDA:7,1\nDA:8,0\nDA:10,1\nDA:11,1\nDA:12,1\nDA:14,0\n\
         LF:7\nLH:5\nend_of_record\n"
    );
}

/// The default pack's own cases, counted: every rule reports, what ran is within what could,
/// and the cases decide as they do without counting.
#[test]
fn default_pack_cases_with_coverage() {
    let engine = support::default_engine();
    let tests = engine.pack().tests.clone();
    let plain = run_tests(&engine, &tests, None).unwrap();
    let mut counted = engine.coverage();
    let covered = run_tests(&engine, &tests, Some(&mut counted)).unwrap();
    assert_eq!(plain.len(), covered.len());
    for (a, b) in plain.iter().zip(&covered) {
        assert_eq!(
            (&a.name, a.passed, &a.problems),
            (&b.name, b.passed, &b.problems)
        );
    }
    assert!(covered.iter().all(|c| c.passed));
    let report = engine.coverage_report(&counted);
    assert_eq!(report.len(), engine.rules().count());
    for r in &report {
        assert!(r.statements.covered <= r.statements.total, "{}", r.rule);
        assert!(r.branch_arms.covered <= r.branch_arms.total, "{}", r.rule);
        // Every rule of the pack has cases, so each runs at least its first statement.
        assert!(r.statements.covered > 0, "{} ran no statement", r.rule);
    }
}
