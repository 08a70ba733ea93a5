//! The pack's metadata matches the catalogue (`../shared/design/rules.md`, kept in the repository
//! as `docs/catalogue.md`): every id, its severity, scenarios, actor and clause references. The
//! contract (`../shared/design/domain.md`) is kept as `docs/contract.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::{BTreeMap, BTreeSet};

/// The catalogue beside the checkout when present (CI has it), else the repository's copy.
fn catalogue() -> String {
    let shared = support::root().join("../shared/design/rules.md");
    let local = support::root().join("docs/catalogue.md");
    std::fs::read_to_string(&shared).unwrap_or_else(|_| support::read(&local))
}

/// The repository's copy `docs/<copy>` equals `../shared/design/<shared>`, when that is present.
fn copy_is_current(copy: &str, shared: &str) {
    let shared_path = support::root().join("../shared/design").join(shared);
    let Ok(original) = std::fs::read_to_string(&shared_path) else {
        eprintln!(
            "{} not present: only the copy is checked",
            shared_path.display()
        );
        return;
    };
    assert_eq!(
        support::read(&support::root().join("docs").join(copy)),
        original,
        "docs/{copy} differs from ../shared/design/{shared}: copy it over"
    );
}

#[test]
fn the_repository_copy_of_the_catalogue_is_current() {
    copy_is_current("catalogue.md", "rules.md");
}

#[test]
fn the_repository_copy_of_the_contract_is_current() {
    copy_is_current("contract.md", "domain.md");
}

fn ids(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "—")
        .map(String::from)
        .collect()
}

/// Clause references of the catalogue's "other" column by family, in the headers' form:
/// `DA 25(2)(a),(b); 20000-9 5.13` → data_act [25(2)(a), 25(2)(b)], iso20000_9 [5.13].
/// Ranges (`GDPR 44–47`) are expanded.
fn other_clauses(cell: &str) -> BTreeMap<String, BTreeSet<String>> {
    const FAMILIES: [(&str, &str); 8] = [
        ("20000-9 ", "iso20000_9"),
        ("DA ", "data_act"),
        ("GDPR ", "gdpr"),
        ("27017 ", "iso27017"),
        ("27018 ", "iso27018"),
        ("27001:2022 ", "iso27001_2022"),
        ("19086-1 ", "iso19086_1"),
        ("ISO/IEC 19086-1 ", "iso19086_1"),
    ];
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for part in cell
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "—")
    {
        let (family, rest) = FAMILIES
            .iter()
            .find_map(|(prefix, family)| part.strip_prefix(prefix).map(|r| (*family, r)))
            .unwrap_or_else(|| panic!("unknown clause family in `{part}`"));
        let set = out.entry(family.to_string()).or_default();
        let mut last_full = String::new();
        for item in rest.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if let Some((a, b)) = item.split_once('–') {
                // `44–47`, or `5.13–5.15` within one section.
                let split = |s: &str| match s.rsplit_once('.') {
                    Some((stem, n)) => (format!("{stem}."), n.parse::<u32>().ok()),
                    None => (String::new(), s.parse::<u32>().ok()),
                };
                if let ((sa, Some(a)), (sb, Some(b))) = (split(a), split(b)) {
                    if sa == sb {
                        set.extend((a..=b).map(|n| format!("{sa}{n}")));
                        continue;
                    }
                }
            }
            // `(b)` continues the reference before it: `25(2)(a),(b)` is 25(2)(a), 25(2)(b).
            let full = if item.starts_with('(') {
                let stem = last_full
                    .rfind('(')
                    .map_or(&*last_full, |i| &last_full[..i]);
                format!("{stem}{item}")
            } else {
                item.to_string()
            };
            set.insert(full.clone());
            last_full = full;
        }
    }
    out
}

#[test]
fn pack_matches_the_catalogue() {
    let catalogue = catalogue();
    let engine = support::default_engine();
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
        let (scenarios, trace, other) = if common_table {
            (cells[3].to_string(), cells[5], cells[6])
        } else {
            let s = match &id[..3] {
                "ONB" => "onboarding",
                "TRM" => "termination",
                "TRF" => "transfer",
                _ => "removal",
            };
            (s.to_string(), cells[4], cells[5])
        };
        if rule.severity.as_str() != cells[2] {
            problems.push(format!(
                "{id}: severity {} but the catalogue says {}",
                rule.severity.as_str(),
                cells[2]
            ));
        }
        if rule.actor.is_none() {
            problems.push(format!(
                "{id}: no `//! actor:` header (customer, provider or both)"
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
        let want_other = other_clauses(other);
        let got_other: BTreeMap<String, BTreeSet<String>> = rule
            .clauses
            .iter()
            .filter(|(family, _)| !family.starts_with("iso20000_1_"))
            .map(|(family, refs)| (family.clone(), refs.iter().cloned().collect()))
            .collect();
        if got_other != want_other {
            problems.push(format!(
                "{id}: clauses {got_other:?} but the catalogue says {want_other:?} (`{other}`)"
            ));
        }
    }
    assert_eq!(seen.len(), 59, "the catalogue lists {} rules", seen.len());
    let extra: Vec<_> = engine
        .rules()
        .filter(|r| !seen.contains(&r.id))
        .map(|r| r.id.clone())
        .collect();
    assert!(extra.is_empty(), "rules not in the catalogue: {extra:?}");
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn other_clauses_read_the_catalogue_shorthand() {
    let got = other_clauses("DA 25(2)(a),(b), 26; 20000-9 5.13–5.15; GDPR 44–46");
    assert_eq!(
        got["data_act"],
        ["25(2)(a)", "25(2)(b)", "26"].map(String::from).into()
    );
    assert_eq!(got["gdpr"], ["44", "45", "46"].map(String::from).into());
    assert_eq!(
        got["iso20000_9"],
        ["5.13", "5.14", "5.15"].map(String::from).into()
    );
}
