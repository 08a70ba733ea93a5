//! The termination rules of pack 2.0.0 (rules/: CMN-001, CMN-005, CMN-006, LCY-001,
//! TRM-001…TRM-013, 17 rules) written by hand in Rust over the typed request: the native floor
//! that the engine is measured against. No messages, no clauses, no sandbox: only the verdict and
//! the failing ids. The pack's parameters are read once ([`Params::from_pack`]), not per decision.

use cloudgate::calendar::Date;
use cloudgate::request::{CustomerChoice, LifecycleState, Party, Request};
use cloudgate::Verdict;

/// A set of jurisdiction codes, compared in any (ASCII) case as the engine does: a bit per
/// two-letter code, any other code in a list.
#[derive(Default)]
struct Codes {
    pairs: [u64; 11],
    others: Vec<String>,
}

fn pair_bit(code: &str) -> Option<usize> {
    let [a, b] = code.as_bytes() else {
        return None;
    };
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    (a.is_ascii_uppercase() && b.is_ascii_uppercase())
        .then(|| usize::from(a - b'A') * 26 + usize::from(b - b'A'))
}

impl Codes {
    fn insert(&mut self, code: &str) {
        match pair_bit(code) {
            Some(bit) => {
                if let Some(word) = self.pairs.get_mut(bit / 64) {
                    *word |= 1 << (bit % 64);
                }
            }
            None => self.others.push(code.to_ascii_uppercase()),
        }
    }

    fn contains(&self, code: &str) -> bool {
        match pair_bit(code) {
            Some(bit) => self
                .pairs
                .get(bit / 64)
                .is_some_and(|word| word >> (bit % 64) & 1 == 1),
            None => self.others.iter().any(|c| c.eq_ignore_ascii_case(code)),
        }
    }
}

/// The pack parameters the termination rules read (rules/pack.json).
pub struct Params {
    /// `da_jurisdictions`: the customers the Data Act's switching rules protect.
    da: Codes,
    /// `public_holidays`: jurisdiction → dates, for TRM-004's working days.
    holidays: Vec<(String, Vec<Date>)>,
    switching_charge_cutoff: Date,
    exit_plan_max_age_days: i64,
    da_max_transition_days: i64,
    da_min_retrieval_days: i64,
    da_max_alternative_transition_months: i64,
    da_unfeasibility_notice_working_days: i64,
    max_deletion_delay_days: i64,
}

impl Params {
    /// From the pack's `params`; an absent or malformed one is an error naming it.
    pub fn from_pack(p: &serde_json::Map<String, serde_json::Value>) -> Result<Params, String> {
        let int = |name: &str| {
            p.get(name)
                .and_then(serde_json::Value::as_i64)
                .ok_or_else(|| format!("pack parameter `{name}` is not an integer"))
        };
        let date = |text: Option<&str>, what: &str| {
            text.and_then(|t| Date::parse(t).ok())
                .ok_or_else(|| format!("pack parameter `{what}` is not a date"))
        };
        let mut da = Codes::default();
        for code in p
            .get("da_jurisdictions")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
        {
            da.insert(
                code.as_str()
                    .ok_or("`da_jurisdictions` lists a non-string")?,
            );
        }
        let mut holidays = Vec::new();
        if let Some(map) = p
            .get("public_holidays")
            .and_then(serde_json::Value::as_object)
        {
            for (code, dates) in map {
                let days = dates
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| date(d.as_str(), &format!("public_holidays.{code}")))
                    .collect::<Result<Vec<_>, _>>()?;
                holidays.push((code.to_ascii_uppercase(), days));
            }
        }
        Ok(Params {
            da,
            holidays,
            switching_charge_cutoff: date(
                p.get("switching_charge_cutoff")
                    .and_then(serde_json::Value::as_str),
                "switching_charge_cutoff",
            )?,
            exit_plan_max_age_days: int("exit_plan_max_age_days")?,
            da_max_transition_days: int("da_max_transition_days")?,
            da_min_retrieval_days: int("da_min_retrieval_days")?,
            da_max_alternative_transition_months: int("da_max_alternative_transition_months")?,
            da_unfeasibility_notice_working_days: int("da_unfeasibility_notice_working_days")?,
            max_deletion_delay_days: int("max_deletion_delay_days")?,
        })
    }

    /// The public holidays of `code` (any case); none when it is absent or not listed.
    fn holidays(&self, code: Option<&str>) -> &[Date] {
        code.and_then(|code| {
            self.holidays
                .iter()
                .find(|(c, _)| c.eq_ignore_ascii_case(code))
        })
        .map_or(&[], |(_, days)| days.as_slice())
    }
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

pub fn check(req: &Request, as_of: Date, params: &Params) -> Outcome {
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
        .map(|j| params.da.contains(j) && !service.and_then(|s| s.non_production).unwrap_or(false));
    let custom_built = service.and_then(|s| s.custom_built).unwrap_or(false);
    let initiated = term.and_then(|t| t.initiated_by);
    let choice = term.and_then(|t| t.customer_choice);
    let is_switch = matches!(
        choice,
        Some(CustomerChoice::SwitchProvider | CustomerChoice::SwitchOnPremises)
    );
    let erase = choice == Some(CustomerChoice::Erase);
    let effective = term.and_then(|t| t.effective_date);
    let transition_end = term.and_then(|t| t.transition_end);
    let retrieval_end = term.and_then(|t| t.retrieval_end);
    let cutoff = params.switching_charge_cutoff;

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

    // CMN-005 / CMN-006: Data Act scope, not custom built; CMN-005 not for data transferred for
    // parallel use while the customer's choice is given and is not a switch.
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
                let parallel = req.transfer.as_ref().and_then(|t| t.in_parallel_use) == Some(true);
                if !(parallel && choice.is_some() && !is_switch) {
                    run(
                        &mut out,
                        "CMN-005",
                        Sev::Deny,
                        (|| {
                            if effective? < cutoff {
                                return Some(false);
                            }
                            Some(amount? > 0.0)
                        })(),
                    );
                }
                run(
                    &mut out,
                    "CMN-006",
                    Sev::Warn,
                    effective.map(|d| d < cutoff && amount.unwrap_or(0.0) > 0.0 && !documented),
                );
            }
            Some(false) => {}
        }
    }

    // LCY-001: the state must be given; termination starts from onboarding, active, suspended.
    run(
        &mut out,
        "LCY-001",
        Sev::Deny,
        Some(!matches!(
            service.and_then(|s| s.lifecycle_state),
            Some(LifecycleState::Onboarding | LifecycleState::Active | LifecycleState::Suspended)
        )),
    );

    // TRM-001: the first contact with the requesting id must be an authorised signatory.
    run(
        &mut out,
        "TRM-001",
        Sev::Deny,
        (|| match initiated? {
            Party::Customer => {
                let contact = req.requested_by.as_ref()?.contact_id.as_deref()?;
                let contacts = customer.and_then(|c| c.contacts.as_deref()).unwrap_or(&[]);
                let found = contacts.iter().find(|c| c.id.as_deref() == Some(contact));
                Some(found.and_then(|c| c.authorised_signatory) != Some(true))
            }
            Party::Provider => {
                Some(req.requested_by.as_ref().and_then(|r| r.party)? != Party::Provider)
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

    // TRM-003 (warn)
    match (initiated, da_scope) {
        (None, _) | (Some(Party::Customer), None) => run(&mut out, "TRM-003", Sev::Warn, None),
        (Some(Party::Customer), Some(true)) => {
            run(&mut out, "TRM-003", Sev::Warn, Some(!(is_switch || erase)))
        }
        _ => {}
    }

    // TRM-004: working days in the provider's jurisdiction, its public holidays not counted.
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
                    if extensions > 1 {
                        return Some(true);
                    }
                    if extensions == 1 {
                        return Some(false);
                    }
                    let eff = effective?;
                    let end = transition_end?;
                    if eff.days_until(end) <= params.da_max_transition_days {
                        return Some(false);
                    }
                    let valid_notice = (|| {
                        let notice = t.unfeasibility_notice_at?;
                        let alt = t.alternative_transition_end?;
                        let received = t.notice_received_at?;
                        // The deadline is the n-th working day after the termination notice.
                        let n = params.da_unfeasibility_notice_working_days;
                        let holidays = params.holidays(
                            req.provider
                                .as_ref()
                                .and_then(|p| p.jurisdiction.as_deref()),
                        );
                        let mut deadline = received.add_days(n).ok()?;
                        while received.working_days_except(deadline, holidays) < n {
                            deadline = deadline.add_days(1).ok()?;
                        }
                        Some(
                            notice >= received
                                && notice <= deadline
                                && alt
                                    <= eff
                                        .add_months(params.da_max_alternative_transition_months)
                                        .ok()?
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
    if !erase {
        run(
            &mut out,
            "TRM-005",
            Sev::Deny,
            (|| {
                let retrieval_end = retrieval_end?;
                let mut days = agreement?.data_retrieval_period_days?;
                let base = transition_end.or(effective)?;
                if days < params.da_min_retrieval_days && da_scope? {
                    days = params.da_min_retrieval_days;
                }
                Some(retrieval_end < base.add_days(days).ok()?)
            })(),
        );
    }

    // TRM-006 and TRM-013: deletion after the data could be retrieved, and not much later. The
    // base is the effective date when the customer chose erasure, else the end of retrieval.
    let planned = term.and_then(|t| t.planned_deletion_date);
    let deletion_base = if erase { effective } else { retrieval_end };
    run(
        &mut out,
        "TRM-006",
        Sev::Deny,
        (|| {
            let (planned, base) = (planned?, deletion_base?);
            Some(if erase {
                planned < base
            } else {
                planned <= base
            })
        })(),
    );
    run(
        &mut out,
        "TRM-013",
        Sev::Warn,
        (|| {
            Some(
                planned?
                    > deletion_base?
                        .add_days(params.max_deletion_delay_days)
                        .ok()?,
            )
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
                Some(
                    reviewed.days_until(as_of) > params.exit_plan_max_age_days
                        || categories.is_empty(),
                )
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
