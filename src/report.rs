//! Renderings for people: the text summary of a decision and the traceability matrix.

use crate::decision::{Actor, Decision, Outcome, Severity};
use crate::engine::Engine;

fn clause_text(clauses: &crate::decision::Clauses) -> String {
    clauses
        .iter()
        .map(|(family, ids)| format!("{} {}", family_label(family), ids.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn family_label(family: &str) -> &str {
    match family {
        "iso20000_1_2018" => "ISO/IEC 20000-1:2018",
        "iso20000_1_2011" => "ISO/IEC 20000-1:2011",
        "iso20000_9" => "ISO/IEC TR 20000-9",
        "data_act" => "Data Act",
        "gdpr" => "GDPR",
        "iso27001_2022" => "ISO/IEC 27001:2022",
        "iso27017" => "ISO/IEC 27017",
        "iso27018" => "ISO/IEC 27018",
        "iso19086_1" => "ISO/IEC 19086-1",
        other => other,
    }
}

fn actor_text(actor: Actor) -> &'static str {
    match actor {
        Actor::Customer => "the customer",
        Actor::Provider => "the provider",
        Actor::Both => "the customer and the provider",
    }
}

/// The fields that two or more failing (deny or warn) findings name, each with those rules, in
/// the order first named: one value to fix that resolves several findings, which a list of
/// findings alone hides.
pub fn shared_fields(d: &Decision) -> Vec<(&str, Vec<&str>)> {
    let mut by_field: Vec<(&str, Vec<&str>)> = Vec::new();
    for f in &d.findings {
        if f.outcome != Outcome::Fail || f.severity == Severity::Info {
            continue;
        }
        for path in &f.paths {
            match by_field.iter_mut().find(|(p, _)| p == path) {
                Some((_, rules)) => {
                    if !rules.contains(&&*f.rule) {
                        rules.push(&f.rule);
                    }
                }
                None => by_field.push((path, vec![&f.rule])),
            }
        }
    }
    by_field.retain(|(_, rules)| rules.len() > 1);
    by_field
}

/// A summary for people: failures first, each with what to fix, who acts and why; with
/// explain mode, the passes and what they checked.
pub fn render_text(source: &str, d: &Decision) -> String {
    let mut s = String::new();
    let label = |o: Option<&String>| o.cloned().unwrap_or_else(|| "?".into());
    s.push_str(&format!(
        "{source}: {} ({} request {}, as of {})\n",
        d.decision.as_str().to_uppercase(),
        label(d.scenario.as_ref()),
        label(d.request_id.as_ref()),
        label(d.as_of.as_ref()),
    ));
    for e in &d.errors {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
            _ => String::new(),
        };
        s.push_str(&format!(
            "  ✗ invalid request [{}] at {}{at}: {}\n",
            e.code, e.path, e.message
        ));
    }
    // Info findings never block: a failed one is "noted", and counted apart from failures.
    let noted = |f: &&crate::Finding| f.outcome == Outcome::Fail && f.severity == Severity::Info;
    let order = [Outcome::Error, Outcome::Fail, Outcome::Pass];
    for outcome in order {
        let mut shown: Vec<_> = d
            .findings
            .iter()
            .filter(|f| f.outcome == outcome)
            .filter(|f| outcome != Outcome::Pass || f.message.is_some())
            .collect();
        shown.sort_by_key(|f| f.severity);
        for f in shown {
            let mark = match (f.outcome, f.severity) {
                (Outcome::Error, _) => "✗ ERROR",
                (Outcome::Pass, _) => "✓ pass ",
                (_, Severity::Deny) => "✗ deny ",
                (_, Severity::Warn) => "! warn ",
                (_, Severity::Info) => "i noted",
            };
            s.push_str(&format!("  {mark} {} {}\n", f.rule, f.title));
            if let Some(m) = &f.message {
                s.push_str(&format!("      {m}\n"));
            }
            if let Some(p) = &f.position {
                s.push_str(&format!(
                    "      at rule line {}, column {}\n",
                    p.line, p.column
                ));
            }
            if f.outcome == Outcome::Pass {
                continue;
            }
            if !f.paths.is_empty() {
                s.push_str(&format!("      fields: {}\n", f.paths.join(", ")));
            }
            if let (Outcome::Fail, Some(actor), false) = (f.outcome, f.actor, noted(&f)) {
                s.push_str(&format!("      to act: {}\n", actor_text(actor)));
            }
            if !f.clauses.is_empty() {
                s.push_str(&format!("      clauses: {}\n", clause_text(&f.clauses)));
            }
        }
    }
    for (field, rules) in shared_fields(d) {
        s.push_str(&format!(
            "  one field, several findings: {field} ({})\n",
            rules.join(", ")
        ));
    }
    let count = |o: Outcome| d.findings.iter().filter(|f| f.outcome == o).count();
    if !d.findings.is_empty() {
        let noted = d.findings.iter().filter(noted).count();
        s.push_str(&format!(
            "  {} passed, {} failed, {} noted, {} not applicable, {} errors\n",
            count(Outcome::Pass),
            count(Outcome::Fail) - noted,
            noted,
            count(Outcome::NotApplicable),
            count(Outcome::Error)
        ));
    }
    if let Some(lc) = &d.lifecycle {
        let from = lc.from.as_deref().unwrap_or("(state not given)");
        let legal = if lc.legal {
            ""
        } else {
            " — not a legal transition"
        };
        s.push_str(&format!("  lifecycle: {from} → {}{legal}\n", lc.to));
    }
    s.push_str(&format!(
        "  pack: {} {} {}",
        d.pack.name, d.pack.version, d.pack.digest
    ));
    s
}

/// The traceability matrix: one row per rule, one column per clause family.
pub fn traceability_markdown(engine: &Engine) -> String {
    let info = engine.pack_info();
    let mut s = format!(
        "# Rule pack `{}` {}\n\nGenerated by `cloudgate rules --format markdown`; a test keeps it in sync with `rules/`.\n\nDigest: `{}`\n\n",
        info.name, info.version, info.digest
    );
    let families = crate::pack::CLAUSE_FAMILIES;
    s.push_str("| rule | severity | actor | scenarios | title |");
    for f in families {
        s.push_str(&format!(" {} |", family_label(f)));
    }
    s.push_str("\n|---|---|---|---|---|");
    for _ in families {
        s.push_str("---|");
    }
    s.push('\n');
    for r in engine.rules() {
        let scenarios: Vec<&str> = r.scenarios.iter().map(|x| x.as_str()).collect();
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} |",
            r.id,
            r.severity.as_str(),
            r.actor.map_or("", Actor::as_str),
            scenarios.join(", "),
            r.title.replace('|', "\\|")
        ));
        for f in families {
            let cell = r.clauses.get(*f).map(|v| v.join(", ")).unwrap_or_default();
            s.push_str(&format!(" {} |", cell.replace('|', "\\|")));
        }
        s.push('\n');
    }
    s.push_str("\n## What each rule checks\n\n");
    for r in engine.rules() {
        s.push_str(&format!("- **{}** {} — {}\n", r.id, r.title, r.description));
    }
    s
}
