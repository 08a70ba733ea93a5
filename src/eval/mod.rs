//! The evaluator: runs a rule's lowered form ([`crate::lang::Program`]) against one request.
//! It is the only thing that runs rules, natively and in wasm; every limit of docs/limits.md is
//! enforced here.
//!
//! | module | holds |
//! |---|---|
//! | [`machine`] | statements, expressions, calls, budgets |
//! | [`ops`] | operators and built-in methods |
//! | [`host`] | the host functions' work, rule results |
//! | [`convert`] | the request as the rules' values (`req` whole) |
//! | [`fault`] | why a rule stopped with an error |
//! | [`coverage`] | which statements and branches ran, when asked |

pub mod convert;
pub mod coverage;
pub mod fault;
pub mod host;
mod machine;
pub(crate) mod ops;

pub use fault::Fault;
pub(crate) use machine::{param_scalars, run, Budget, Globals, LazyReq, Run};

use crate::lang::Pos;

/// How evaluation leaves the normal path. Small because every evaluation step returns a
/// [`Res`]: the rule's result waits in the machine, and the rare payloads are boxed.
pub(crate) enum Flow {
    /// `return x;`: the value, views converted.
    Return(Box<rhai::Dynamic>),
    /// A rule's result in tail position (`return pass();`, or the last statement), waiting in
    /// the machine: the same as `Return` of it, without the `Dynamic`.
    Result,
    Break,
    Continue,
    /// `need` found the field missing: the rule fails naming it.
    Missing(Box<str>),
    /// The rule stops with an `error` finding; where, once known.
    Fault(Box<(Fault, Pos)>),
}

impl Flow {
    pub(crate) fn fault(fault: Fault) -> Flow {
        Flow::Fault(Box::new((fault, Pos::default())))
    }

    /// Places a fault that has no place yet at `pos`: the innermost place that knows it wins.
    pub(crate) fn at(self, pos: Pos) -> Flow {
        match self {
            Flow::Fault(mut f) if !f.1.is_known() => {
                f.1 = pos;
                Flow::Fault(f)
            }
            other => other,
        }
    }
}

pub(crate) type Res<T> = Result<T, Flow>;
