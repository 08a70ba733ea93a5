//! JSON in: untrusted request text read into the model, with limits and located errors.

pub mod input;
pub(crate) mod packed;
pub(crate) mod reader;
