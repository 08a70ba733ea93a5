//! The contract's types (../shared/design/domain.md): the request, the decision, the lifecycle
//! states, dates and the pack's place parameters. Nothing here evaluates rules.

pub mod calendar;
pub mod decision;
pub mod jurisdictions;
pub mod lifecycle;
pub mod request;
