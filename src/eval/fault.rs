//! Why a rule stopped with an error. Each reason is a variant, so that the evaluator, the
//! engine and the tests speak of the same thing; the message a rule author reads is written from
//! it in one place ([`Fault`]'s `Display`).

use std::fmt;

/// The kinds of values whose size is bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    String,
    Array,
    Map,
}

/// Why a rule's run ended in an `error` finding.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// The rule used up `max_operations`.
    Operations(u64),
    /// The request's rules used up `max_operations_per_request` between them.
    RequestOperations(u64),
    /// The rule ran past `max_millis_per_rule`.
    Time,
    /// Calls nested deeper than `max_call_levels`.
    CallDepth,
    /// A value grew past a size limit.
    TooLarge(Size),
    /// A value nested deeper than any rule needs ([`super::value::MAX_DEPTH`]).
    TooDeep,
    /// `throw value`.
    Thrown(String),
    /// Integer division or remainder by zero: the operands as written.
    DivisionByZero(String),
    /// Integer arithmetic out of range: the operation's name and its operands.
    Overflow(&'static str, String),
    /// `a[i]` past either end: the index and the length.
    OutOfBounds(i64, usize),
    /// A field path that does not parse.
    MalformedPath(String),
    /// A date that does not parse, or arithmetic that left the calendar's range.
    Date(String),
    /// An operation on values of types it does not take.
    Type(String),
    /// The rule's last value is not `pass()`, `fail(…)` or `not_applicable(…)`.
    NotAResult,
    /// A change to a value of the request or the parameters (`let a = req.list; a.push(x)`).
    ReadOnly,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Operations(n) => {
                write!(f, "the rule was stopped after {n} operations (a runaway loop?)")
            }
            Fault::RequestOperations(n) => write!(
                f,
                "the rule was stopped: this request's rules used up their {n} operations (max_operations_per_request)"
            ),
            Fault::Time => f.write_str("the rule was stopped: it ran past its time budget"),
            Fault::CallDepth => {
                f.write_str("the rule nests function calls too deeply (runaway recursion?)")
            }
            Fault::TooLarge(Size::String) => {
                f.write_str("the rule built a value that is too large: Length of string")
            }
            Fault::TooLarge(Size::Array) => {
                f.write_str("the rule built a value that is too large: Size of array/BLOB")
            }
            Fault::TooLarge(Size::Map) => {
                f.write_str("the rule built a value that is too large: Size of object map")
            }
            Fault::TooDeep => f.write_str(
                "the rule built a value nested too deeply (arrays or maps inside each other)",
            ),
            Fault::Thrown(value) => write!(f, "the rule raised an error: {value}"),
            Fault::DivisionByZero(operands) => write!(f, "Division by zero: {operands}"),
            Fault::Overflow(what, operands) => write!(f, "{what} overflow: {operands}"),
            Fault::OutOfBounds(i, 0) => {
                write!(f, "Array index {i} out of bounds: array is empty")
            }
            Fault::OutOfBounds(i, n) => write!(
                f,
                "Array index {i} out of bounds: array has {n} element{}",
                if *n == 1 { "" } else { "s" }
            ),
            Fault::MalformedPath(path) => {
                write!(f, "the rule raised an error: malformed field path `{path}`")
            }
            Fault::Date(message) => write!(f, "the rule raised an error: {message}"),
            Fault::Type(message) => f.write_str(message),
            Fault::NotAResult => f.write_str(
                "the rule did not end with pass(), fail(message, paths) or not_applicable(reason)",
            ),
            Fault::ReadOnly => f.write_str(
                "values of the request and the parameters cannot be changed: build a new value from them instead",
            ),
        }
    }
}
