//! The pack's metadata matches the catalogue (`../shared/design/rules.md`): every id, its
//! severity, scenarios and ISO/IEC 20000-1 2018/2011 clauses. Skipped when the catalogue is
//! not beside the checkout.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;

fn ids(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "—")
        .map(String::from)
        .collect()
}

#[test]
fn pack_matches_the_catalogue() {
    let path = common::root().join("../shared/design/rules.md");
    let Ok(catalogue) = std::fs::read_to_string(&path) else {
        eprintln!("{} not present: skipped", path.display());
        return;
    };
    let engine = common::engine();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for line in catalogue.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(id) = cells.get(1).filter(|c| {
            c.len() == 7
                && ["CMN-", "LCY-", "ONB-", "TRM-", "TRF-", "RMV-"]
                    .iter()
                    .any(|p| c.starts_with(p))
        }) else {
            continue;
        };
        seen.insert(id.to_string());
        let Some(rule) = engine.rules().find(|r| r.id == *id) else {
            problems.push(format!("{id}: not in the pack"));
            continue;
        };
        let common_table = id.starts_with("CMN") || id.starts_with("LCY");
        let (scenarios, trace) = if common_table {
            (cells[3].to_string(), cells[5])
        } else {
            let s = match &id[..3] {
                "ONB" => "onboarding",
                "TRM" => "termination",
                "TRF" => "transfer",
                _ => "removal",
            };
            (s.to_string(), cells[4])
        };
        if rule.severity.as_str() != cells[2] {
            problems.push(format!(
                "{id}: severity {} but the catalogue says {}",
                rule.severity.as_str(),
                cells[2]
            ));
        }
        let want: BTreeSet<&str> = ["onboarding", "termination", "transfer", "removal"]
            .into_iter()
            .filter(|s| scenarios == "all" || scenarios.contains(s))
            .collect();
        let got: BTreeSet<&str> = rule.scenarios.iter().map(|s| s.as_str()).collect();
        if got != want {
            problems.push(format!(
                "{id}: scenarios {got:?} but the catalogue says {scenarios}"
            ));
        }
        let (y2018, y2011) = trace.split_once('/').unwrap_or(("", ""));
        for (family, want) in [
            ("iso20000_1_2018", ids(y2018)),
            ("iso20000_1_2011", ids(y2011)),
        ] {
            let got = rule.clauses.get(family).cloned().unwrap_or_default();
            if got != want {
                problems.push(format!(
                    "{id}: {family} {got:?} but the catalogue says {want:?}"
                ));
            }
        }
    }
    assert_eq!(seen.len(), 53, "the catalogue lists {} rules", seen.len());
    let extra: Vec<_> = engine
        .rules()
        .filter(|r| !seen.contains(&r.id))
        .map(|r| r.id.clone())
        .collect();
    assert!(extra.is_empty(), "rules not in the catalogue: {extra:?}");
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
