//! JSON in: untrusted request text read into the model, with limits and located errors.

pub(crate) mod error;
pub mod input;
pub(crate) mod packed;
pub(crate) mod reader;
