//! The evaluator's values.
//!
//! Why not Rhai's `Dynamic` throughout: a rule is mostly field reads, comparisons and string
//! building, and with `Dynamic` each read allocated a Rhai string for a value the request
//! already holds, and every copy, comparison and drop went through `Dynamic`'s full, out-of-line
//! match (500–1,000 instructions per statement). Here
//! strings of the request and of the engine are borrowed, scalars are plain values, and only
//! arrays, maps and the `req`/`params` wrappers stay as Rhai holds them. Values cross back into
//! `Dynamic` only where Rhai's types are needed: array elements, a rule's value, the host
//! helpers of `functions.rs`.

use rhai::{Dynamic, ImmutableString};

use super::convert::Lookup;
use crate::lang::Const;

/// Deepest nesting of arrays and maps a rule may build. Values are copied, measured and dropped
/// recursively, one native frame per level: a rule nesting deeper than any real rule does
/// (`loop { a = [a] }`) is stopped well before that could exhaust a stack.
pub(crate) const MAX_DEPTH: usize = 64;

#[derive(Clone)]
pub(crate) enum Val<'r> {
    Unit,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string borrowed from the request or the engine (`as_of`, `scenario`, a type's name).
    Text(&'r str),
    /// A string a rule built, or a constant of its program.
    Str(ImmutableString),
    /// A list or an object of the request, not converted (see `eval`'s views).
    View(View<'r>),
    /// Anything else, as Rhai holds it: arrays, maps, `req` and `params`, characters. Never a
    /// unit, boolean, number or string (those are the variants above: [`Val::from_dynamic`]).
    Dyn(Dynamic),
}

/// A list or object of the request that a rule holds without converting it: a reference to
/// it. Rules mostly walk a list of objects reading a few fields of each item (`for asset in
/// field(req, "data_assets", [])`, `need(assets[i], "id")`); converting the whole list to Rhai
/// maps for that, in every rule that walks it, was most of those rules' time, and holding its path instead, read again from the
/// request's root for every field, 5 % of a decision. A view lives in variables and goes through `for`,
/// `x[i]`, `len()` and path reads, which read on from it; every other use gets the converted
/// value (`Machine::converted` in `eval`), so rules see exactly what Rhai gives them. Views
/// exist only where reads need no size check (`LazyReq::within_limits`).
#[derive(Clone, Copy)]
pub(crate) struct View<'r>(pub(crate) &'r dyn Lookup);

/// How Rhai's operators see a value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Unit,
    Bool,
    Int,
    Float,
    Str,
    Char,
    Array,
    Map,
    /// Views (converted before this is asked), `req` and `params` as values.
    Other,
}

impl<'r> Val<'r> {
    /// A Rhai value as the compiled form holds it.
    pub(crate) fn from_dynamic(d: Dynamic) -> Val<'static> {
        if d.is_unit() {
            return Val::Unit;
        }
        if let Ok(b) = d.as_bool() {
            return Val::Bool(b);
        }
        if d.is_int() {
            if let Ok(i) = d.as_int() {
                return Val::Int(i);
            }
        }
        if let Ok(f) = d.as_float() {
            return Val::Float(f);
        }
        if d.is_string() {
            return match d.try_cast_result::<ImmutableString>() {
                Ok(s) => Val::Str(s),
                Err(d) => Val::Dyn(d),
            };
        }
        Val::Dyn(d)
    }

    /// [`Self::from_dynamic`] of a copy (a string shared, an array or map copied, as Rhai copies).
    pub(crate) fn of(d: &Dynamic) -> Val<'static> {
        if d.is_string() {
            if let Ok(s) = d.as_immutable_string_ref() {
                return Val::Str(ImmutableString::clone(&s));
            }
        }
        Val::from_dynamic(d.clone())
    }

    /// The value as Rhai holds it. A view must have been converted first (the machine does).
    pub(crate) fn into_dynamic(self) -> Dynamic {
        match self {
            Val::Unit => Dynamic::UNIT,
            Val::Bool(b) => Dynamic::from_bool(b),
            Val::Int(i) => Dynamic::from_int(i),
            Val::Float(f) => Dynamic::from_float(f),
            Val::Text(s) => Dynamic::from(ImmutableString::from(s)),
            Val::Str(s) => Dynamic::from(s),
            // What the view stands for, converted (the machine converts views before this).
            Val::View(v) => v.0.to_rhai(),
            Val::Dyn(d) => d,
        }
    }

    pub(crate) fn from_const(c: &Const) -> Val<'static> {
        match c {
            Const::Unit => Val::Unit,
            Const::Bool(b) => Val::Bool(*b),
            Const::Int(i) => Val::Int(*i),
            Const::Float(f) => Val::Float(*f),
            Const::Char(c) => Val::Dyn(Dynamic::from_char(*c)),
            Const::Str(s) => Val::Str(s.clone()),
            Const::Value(d) => Val::Dyn(d.clone()),
        }
    }

    pub(crate) fn as_char(&self) -> Option<char> {
        match self {
            Val::Dyn(d) => d.as_char().ok(),
            _ => None,
        }
    }

    /// The type's name, as `type_of` gives it.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.kind() {
            Kind::Unit => "()",
            Kind::Bool => "bool",
            Kind::Int => "i64",
            Kind::Float => "f64",
            Kind::Str => "string",
            Kind::Char => "char",
            Kind::Array => "array",
            Kind::Map => "map",
            Kind::Other => match self {
                Val::View(view) => match view.0.found_val() {
                    super::convert::Found::List(_) => "array",
                    _ => "map",
                },
                _ => "map",
            },
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Text(s) => Some(s),
            Val::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        match self {
            Val::Unit => Kind::Unit,
            Val::Bool(_) => Kind::Bool,
            Val::Int(_) => Kind::Int,
            Val::Float(_) => Kind::Float,
            Val::Text(_) | Val::Str(_) => Kind::Str,
            Val::View(_) => Kind::Other,
            Val::Dyn(d) if d.is_array() => Kind::Array,
            Val::Dyn(d) if d.is_char() => Kind::Char,
            Val::Dyn(d) if d.is_map() => Kind::Map,
            Val::Dyn(_) => Kind::Other,
        }
    }
}
