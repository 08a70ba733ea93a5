//! The decision of domain.md §2: findings, their outcomes, and the precedence that folds them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::input::InputError;

mod json;

pub(crate) use json::{pack_json, FindingJson};

/// How much a failed rule weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The request cannot proceed as submitted.
    Deny,
    /// A person must review.
    Warn,
    /// Recorded; never blocks.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Deny => "deny",
            Severity::Warn => "warn",
            Severity::Info => "info",
        }
    }
}

/// Who must act to make a failing check pass (a rule's `actor` header): what a portal tells
/// the user beside each failed check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Customer,
    Provider,
    Both,
}

impl Actor {
    pub const ALL: [Actor; 3] = [Actor::Customer, Actor::Provider, Actor::Both];

    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Customer => "customer",
            Actor::Provider => "provider",
            Actor::Both => "both",
        }
    }

    pub fn parse(text: &str) -> Option<Actor> {
        Actor::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// What one rule said about one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    NotApplicable,
    Error,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not_applicable",
            Outcome::Error => "error",
        }
    }
}

/// The verdict. Anything but `Allow` means "do not proceed automatically".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allow,
    Review,
    Deny,
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Review => "review",
            Verdict::Deny => "deny",
            Verdict::Error => "error",
        }
    }

    /// What one finding contributes; the decision is the strongest contribution
    /// (error > deny > review > allow), so the order of rules never matters.
    pub fn of_finding(severity: Severity, outcome: Outcome) -> Verdict {
        match (outcome, severity) {
            (Outcome::Error, _) => Verdict::Error,
            (Outcome::Fail, Severity::Deny) => Verdict::Deny,
            (Outcome::Fail, Severity::Warn) => Verdict::Review,
            _ => Verdict::Allow,
        }
    }
}

/// Clause references by family (`iso20000_1_2018`, `iso20000_1_2011`, `iso20000_9`,
/// `data_act`, `gdpr`, `iso27001_2022`, `iso27017`, `iso27018`, `iso19086_1`).
pub type Clauses = BTreeMap<String, Vec<String>>;

/// Where in a rule's source an error arose (1-based; columns count Unicode characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SourcePos {
    /// 1-based line in the rule's file.
    pub line: usize,
    /// 1-based column, in Unicode characters.
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    // `rule`, `title` and `clauses` are shared with the engine's copy of the rule's metadata:
    // a decision holds one finding per rule, and copying them per finding was a tenth of a
    // decision's time. They serialise as a plain string and map.
    /// The rule's id, e.g. `TRM-002`.
    pub rule: Arc<str>,
    /// What the rule checks, in a line.
    pub title: Arc<str>,
    /// How much a failure weighs: `deny` blocks, `warn` needs a person's review, `info` is noted.
    pub severity: Severity,
    pub outcome: Outcome,
    /// Why it failed and what value would pass (or, in explain mode, what a pass checked; for
    /// `not_applicable`, why the rule does not apply; for `error`, what went wrong).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The request fields to fix, as paths (`data_assets[1].formats`); always present, empty
    /// when there is nothing to fix.
    pub paths: Vec<String>,
    /// Who must act to make a failing check pass (from the rule's header; a rule of a custom
    /// pack may leave it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// The clauses the rule traces to, by family (`iso20000_1_2018`, `data_act`, `gdpr`, …).
    pub clauses: Arc<Clauses>,
    /// Only on `error` findings: where the rule broke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<SourcePos>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Lifecycle {
    /// `service.lifecycle_state` before the request, when given.
    pub from: Option<String>,
    /// The state the request leads to when it proceeds.
    pub to: String,
    /// Whether the scenario is legal from `from` (false when `from` is unknown).
    pub legal: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PackInfo {
    pub name: String,
    pub version: String,
    /// `sha256:` over the pack's exact rules and parameters, for audit logs.
    pub digest: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Stats {
    pub rules_evaluated: usize,
    /// Operations the rules spent (the sandbox's budget counts them).
    pub operations: u64,
    /// Time taken, in microseconds.
    pub micros: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Decision {
    /// The request's `request_id` (null when the request was refused before it was read).
    pub request_id: Option<String>,
    /// The request's scenario: `onboarding`, `termination`, `transfer` or `removal`.
    pub scenario: Option<String>,
    /// The evaluation date, `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// `allow`, `review`, `deny` or `error`: anything but `allow` means "do not proceed".
    pub decision: Verdict,
    /// One finding per rule that applies to the scenario.
    pub findings: Vec<Finding>,
    /// The tenancy's state before the request and the state it leads to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// The pack that decided.
    pub pack: PackInfo,
    pub stats: Stats,
    /// Why the request itself was refused; present only on such `error` decisions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InputError>,
    /// The audit record, when asked for (`EvalOptions::record`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<crate::record::Record>,
}

impl Decision {
    /// Folds findings into a verdict with the precedence of domain.md §2.
    pub fn fold(findings: &[Finding]) -> Verdict {
        findings
            .iter()
            .map(|f| Verdict::of_finding(f.severity, f.outcome))
            .max()
            .unwrap_or(Verdict::Allow)
    }

    /// The ids of the rules whose outcome is `fail`, in pack order.
    pub fn failing(&self) -> Vec<&str> {
        self.findings
            .iter()
            .filter(|f| f.outcome == Outcome::Fail)
            .map(|f| &*f.rule)
            .collect()
    }

    /// The ids of the rules that could not be evaluated.
    pub fn erroring(&self) -> Vec<&str> {
        self.findings
            .iter()
            .filter(|f| f.outcome == Outcome::Error)
            .map(|f| &*f.rule)
            .collect()
    }

    pub fn finding(&self, rule: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| &*f.rule == rule)
    }

    /// A request refused before any rule ran: always `error`, never `allow`.
    pub fn rejected(pack: PackInfo, errors: Vec<InputError>, hint: RequestHint) -> Decision {
        Decision {
            request_id: hint.request_id,
            scenario: hint.scenario,
            as_of: hint.as_of,
            decision: Verdict::Error,
            findings: Vec::new(),
            lifecycle: None,
            pack,
            stats: Stats::default(),
            errors,
            record: None,
        }
    }
}

/// What little can be said of a request that did not validate, to label its decision.
#[derive(Clone, Debug, Default)]
pub struct RequestHint {
    pub request_id: Option<String>,
    pub scenario: Option<String>,
    pub as_of: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity, outcome: Outcome) -> Finding {
        Finding {
            rule: "X-1".into(),
            title: "".into(),
            severity,
            outcome,
            message: None,
            paths: vec![],
            actor: None,
            clauses: Arc::default(),
            position: None,
        }
    }

    #[test]
    fn precedence_is_error_deny_review_allow() {
        use Outcome::*;
        use Severity::*;
        assert_eq!(Decision::fold(&[]), Verdict::Allow);
        assert_eq!(
            Decision::fold(&[finding(Info, Fail), finding(Deny, Pass)]),
            Verdict::Allow
        );
        assert_eq!(
            Decision::fold(&[finding(Deny, NotApplicable)]),
            Verdict::Allow
        );
        assert_eq!(
            Decision::fold(&[finding(Warn, Fail), finding(Info, Fail)]),
            Verdict::Review
        );
        assert_eq!(
            Decision::fold(&[finding(Warn, Fail), finding(Deny, Fail)]),
            Verdict::Deny
        );
        assert_eq!(
            Decision::fold(&[finding(Deny, Fail), finding(Info, Error)]),
            Verdict::Error
        );
    }

    #[test]
    fn serialises_as_the_contract_says() {
        let json = serde_json::to_value(finding(Severity::Warn, Outcome::NotApplicable)).unwrap();
        assert_eq!(json["severity"], "warn");
        assert_eq!(json["outcome"], "not_applicable");
        assert!(json.get("position").is_none());
    }
}
