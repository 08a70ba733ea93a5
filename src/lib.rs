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
//! | module | holds |
//! |---|---|
//! | [`request`] | the request model (domain.md §1) |
//! | [`input`] | untrusted text → request, with limits and located errors |
//! | [`pack`] | rule sources, metadata headers, parameters, digest, the embedded default pack |
//! | [`engine`] | the sandboxed Rhai engine: compile once, evaluate many |
//! | [`functions`] | host functions the rules call |
//! | [`decision`] | findings, outcomes, precedence |
//! | [`jurisdictions`] | the pack's place parameters: Data Act scope, adequacy, public holidays |
//! | [`lifecycle`] | tenancy states and legal transitions |
//! | [`calendar`] | dates and date arithmetic |
//! | [`cases`] | data-driven test cases for packs |
//! | [`record`] | the audit record: decision id, input digest, time, engine |
//! | [`report`] | text summaries and the traceability matrix |

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

pub mod calendar;
pub mod cases;
mod clock;
mod compiled;
pub mod convert;
pub mod decision;
pub mod engine;
pub mod functions;
pub mod input;
pub mod jurisdictions;
pub mod lifecycle;
pub mod pack;
pub mod record;
pub mod report;
pub mod request;
#[cfg(target_arch = "wasm32")]
mod wasm;

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
