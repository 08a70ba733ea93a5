//! # cloudgate
//!
//! A policy-rule engine that decides whether a cloud tenancy's lifecycle request
//! (onboarding, termination, transfer, removal — ISO/IEC TR 20000-9) may proceed.
//! Policies are Rhai scripts in a *pack*; the same engine runs natively and in WebAssembly.
//!
//! ```no_run
//! use cloudgate::{Engine, EvalOptions};
//! let engine = Engine::default_pack()?;                 // compile once
//! let decision = engine.evaluate_json(r#"{"request_id":"R1","scenario":"removal","removal":{}}"#,
//!                                     &EvalOptions::default()); // evaluate many
//! println!("{}", decision.decision.as_str());            // allow | review | deny | error
//! # Ok::<(), cloudgate::PackError>(())
//! ```
//!
//! The layers, each depending only on those above it in this table:
//!
//! | module | holds |
//! |---|---|
//! | `path` | field paths `a.b[0].c`: one grammar for rules, requests and test cases |
//! | `value` | values as rules see them; views into the request; conversion to Rhai's arrays and maps |
//! | `model` | the contract's types: [`request`], [`decision`], [`lifecycle`], [`calendar`], [`jurisdictions`] |
//! | `json` | untrusted text → request ([`input`]), with limits and located errors |
//! | `lang` | the rule language: Rhai's parser, the lowered form, the host-function table |
//! | [`eval`] | the evaluator: runs a lowered rule against a request, within the limits |
//! | [`pack`] | rule sources, metadata headers, parameters, digest, the embedded default pack |
//! | [`engine`] | a pack loaded once, requests decided: the data flow from request to decision |
//! | [`record`], [`report`], [`cases`] | the audit record; text summaries; data-driven pack tests |

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![forbid(unsafe_code)]
// Diagnostics are plain records returned on the rare failure path; boxing them buys nothing.
#![allow(clippy::result_large_err)]

pub mod cases;
mod clock;
mod digest;
pub mod engine;
pub mod eval;
mod header;
mod json;
mod lang;
mod model;
pub mod pack;
mod path;
pub mod record;
pub mod report;
mod value;

pub use json::input;
pub use model::{calendar, decision, jurisdictions, lifecycle, request};

/// Every function and method a rule can call: the one table the evaluator dispatches from,
/// for docs and editors' completion.
pub use lang::host::{HostFunction, HOST_FUNCTIONS};

pub use calendar::Date;
pub use decision::{Actor, Decision, Finding, Outcome, Severity, Verdict};
pub use engine::{Engine, EngineOptions, EvalOptions, Limits};
pub use input::{InputError, InputLimits};
pub use pack::{Diagnostic, Pack, PackError, RuleMeta};
pub use request::{Request, Scenario};

/// The JSON Schema of the request (domain.md §1), generated from the Rust types.
#[cfg(feature = "schema")]
pub fn request_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Request)).unwrap_or(serde_json::Value::Null)
}

/// The JSON Schema of a decision (domain.md §2), generated from the Rust types: the source of
/// the package's TypeScript types of a decision.
#[cfg(feature = "schema")]
pub fn decision_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Decision)).unwrap_or(serde_json::Value::Null)
}
