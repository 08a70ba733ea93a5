//! The termination rules (rules.md: CMN-001, CMN-005, CMN-006, LCY-001, TRM-001…TRM-012)
//! written by hand in Rust over the typed request: the native floor that the engine is
//! measured against. No messages, no clauses, no sandbox: only the verdict and the failing ids.

use cloudgate::calendar::{is_eea, Date};
use cloudgate::request::{CustomerChoice, Party, Request};
use cloudgate::{lifecycle, Verdict};

/// The Data Act switching-charge cut-off (pack parameter `switching_charge_cutoff`).
fn cutoff() -> Date {
    Date::from_ymd(2027, 1, 12).unwrap_or(Date::EPOCH)
}

pub struct Outcome {
    pub verdict: Verdict,
    pub failing: Vec<&'static str>,
}

#[derive(Clone, Copy)]
enum Sev {
    Deny,
    Warn,
    Info,
}

/// `None`: the rule could not decide because a required field is missing, which fails it.
fn run(out: &mut Outcome, id: &'static str, sev: Sev, failed: Option<bool>) {
    if failed.unwrap_or(true) {
        out.failing.push(id);
        let v = match sev {
            Sev::Deny => Verdict::Deny,
            Sev::Warn => Verdict::Review,
            Sev::Info => Verdict::Allow,
        };
        out.verdict = out.verdict.max(v);
    }
}

pub fn check(req: &Request, as_of: Date) -> Outcome {
    let mut out = Outcome {
        verdict: Verdict::Allow,
        failing: Vec::new(),
    };
    let agreement = req.agreement.as_ref();
    let term = req.termination.as_ref();
    let service = req.service.as_ref();
    let customer = req.customer.as_ref();
    // None: jurisdiction missing (rules that need the scope fail).
    let da_scope: Option<bool> = customer
        .and_then(|c| c.jurisdiction.as_deref())
        .map(|j| is_eea(j) && !service.and_then(|s| s.non_production).unwrap_or(false));
    let custom_built = service.and_then(|s| s.custom_built).unwrap_or(false);
    let initiated = term.and_then(|t| t.initiated_by);
    let choice = term.and_then(|t| t.customer_choice);
    let effective = term.and_then(|t| t.effective_date);
    let transition_end = term.and_then(|t| t.transition_end);

    // CMN-001
    run(
        &mut out,
        "CMN-001",
        Sev::Deny,
        (|| {
            let a = agreement?;
            let status = a.status?;
            let signed = a.signed_at?;
            Some(status.as_str() != "agreed" || signed > as_of)
        })(),
    );

    // CMN-005 / CMN-006: Data Act scope, not custom built.
    if !custom_built {
        let charges = agreement.and_then(|a| a.switching_charges.as_ref());
        let amount = charges.and_then(|c| c.amount);
        let documented = charges
            .and_then(|c| c.cost_basis_documented)
            .unwrap_or(false);
        match da_scope {
            None => {
                run(&mut out, "CMN-005", Sev::Deny, None);
                run(&mut out, "CMN-006", Sev::Warn, None);
            }
            Some(true) => {
                run(
                    &mut out,
                    "CMN-005",
                    Sev::Deny,
                    (|| {
                        if effective? < cutoff() {
                            return Some(false);
                        }
                        Some(amount? > 0.0)
                    })(),
                );
                run(
                    &mut out,
                    "CMN-006",
                    Sev::Warn,
                    effective.map(|d| d < cutoff() && amount.unwrap_or(0.0) > 0.0 && !documented),
                );
            }
            Some(false) => {}
        }
    }

    // LCY-001
    if lifecycle::current(req).is_some() {
        run(
            &mut out,
            "LCY-001",
            Sev::Deny,
            Some(!lifecycle::is_legal(req)),
        );
    }

    // TRM-001
    run(
        &mut out,
        "TRM-001",
        Sev::Deny,
        (|| match initiated? {
            Party::Customer => {
                let contact = req.requested_by.as_ref()?.contact_id.as_deref()?;
                let contacts = customer?.contacts.as_deref().unwrap_or(&[]);
                Some(!contacts.iter().any(|c| {
                    c.id.as_deref() == Some(contact) && c.authorised_signatory == Some(true)
                }))
            }
            Party::Provider => {
                Some(req.requested_by.as_ref().and_then(|r| r.party) != Some(Party::Provider))
            }
        })(),
    );

    // TRM-002: the scope matters only when the two-month cap would shorten the period.
    run(
        &mut out,
        "TRM-002",
        Sev::Deny,
        (|| {
            let received = term?.notice_received_at?;
            let effective = effective?;
            let period = agreement?.notice_period_days?;
            let mut earliest = received.add_days(period).ok()?;
            if initiated == Some(Party::Customer) {
                let cap = received.add_months(2).ok()?;
                if cap < earliest && da_scope? {
                    earliest = cap;
                }
            }
            Some(effective < earliest)
        })(),
    );

    let is_switch = matches!(
        choice,
        Some(CustomerChoice::SwitchProvider | CustomerChoice::SwitchOnPremises)
    );

    // TRM-003
    match (initiated, da_scope) {
        (None, _) | (Some(Party::Customer), None) => run(&mut out, "TRM-003", Sev::Deny, None),
        (Some(Party::Customer), Some(true)) => run(
            &mut out,
            "TRM-003",
            Sev::Deny,
            Some(!(is_switch || choice == Some(CustomerChoice::Erase))),
        ),
        _ => {}
    }

    // TRM-004
    if is_switch {
        match da_scope {
            None => run(&mut out, "TRM-004", Sev::Deny, None),
            Some(true) => run(
                &mut out,
                "TRM-004",
                Sev::Deny,
                (|| {
                    let t = term?;
                    let extensions = t.extension_count?;
                    if extensions != 0 {
                        return Some(extensions > 1);
                    }
                    let eff = effective?;
                    let end = transition_end?;
                    if end <= eff.add_days(30).ok()? {
                        return Some(false);
                    }
                    let valid_notice = (|| {
                        let notice = t.unfeasibility_notice_at?;
                        let alt = t.alternative_transition_end?;
                        let received = t.notice_received_at?;
                        // The deadline is the 14th working day after the termination notice.
                        let mut deadline = received.add_days(14).ok()?;
                        while received.working_days_until(deadline) < 14 {
                            deadline = deadline.add_days(1).ok()?;
                        }
                        Some(
                            notice >= received
                                && notice <= deadline
                                && alt <= eff.add_months(7).ok()?
                                && end <= alt,
                        )
                    })();
                    Some(valid_notice != Some(true))
                })(),
            ),
            Some(false) => {}
        }
    }

    // TRM-005: the scope matters only when the agreed period is below the Data Act minimum.
    if choice != Some(CustomerChoice::Erase) {
        run(
            &mut out,
            "TRM-005",
            Sev::Deny,
            (|| {
                let retrieval_end = term?.retrieval_end?;
                let mut days = agreement?.data_retrieval_period_days?;
                let base = transition_end.or(effective)?;
                if days < 30 && da_scope? {
                    days = 30;
                }
                Some(retrieval_end < base.add_days(days).ok()?)
            })(),
        );
    }

    // TRM-006
    run(
        &mut out,
        "TRM-006",
        Sev::Deny,
        (|| {
            let planned = term?.planned_deletion_date?;
            if choice == Some(CustomerChoice::Erase) {
                Some(planned < effective?)
            } else {
                Some(planned <= term?.retrieval_end?)
            }
        })(),
    );

    // TRM-007
    run(
        &mut out,
        "TRM-007",
        Sev::Warn,
        Some(
            (|| {
                let a = agreement?;
                let reviewed = a.exit_plan.as_ref()?.last_reviewed_at?;
                let categories = a.exportable_data_categories.as_deref().unwrap_or(&[]);
                Some(reviewed.days_until(as_of) > 365 || categories.is_empty())
            })()
            .unwrap_or(true),
        ),
    );

    // TRM-008
    run(
        &mut out,
        "TRM-008",
        Sev::Warn,
        Some(
            (|| {
                let until = service?.sla_enforced_until?;
                Some(until < transition_end.or(effective)?)
            })()
            .unwrap_or(true),
        ),
    );

    // TRM-009
    match initiated {
        None => run(&mut out, "TRM-009", Sev::Warn, None),
        Some(Party::Provider) => {
            let reason = term.and_then(|t| t.reason.as_deref()).unwrap_or("");
            run(
                &mut out,
                "TRM-009",
                Sev::Warn,
                Some(reason.trim().is_empty()),
            );
        }
        Some(Party::Customer) => {}
    }

    // TRM-010
    let suppliers = req.suppliers.as_deref().unwrap_or(&[]);
    run(
        &mut out,
        "TRM-010",
        Sev::Warn,
        Some(suppliers.iter().any(|s| {
            s.processes_customer_data == Some(true) && s.termination_notified_at.is_none()
        })),
    );

    // TRM-011
    let change = term.and_then(|t| t.change_id.as_deref()).unwrap_or("");
    run(
        &mut out,
        "TRM-011",
        Sev::Warn,
        Some(change.trim().is_empty()),
    );

    // TRM-012
    let fee = agreement
        .and_then(|a| a.early_termination_fee.as_ref())
        .and_then(|f| f.amount)
        .unwrap_or(0.0);
    run(&mut out, "TRM-012", Sev::Info, Some(fee > 0.0));

    out.failing.sort_unstable();
    out
}
