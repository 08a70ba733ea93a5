//! Every function and method a rule can call, in one table: the lowering resolves names with it,
//! the evaluator dispatches on its enums, `cloudgate::host_functions()` hands it to the docs test
//! and to editors for completion. A name missing here is a load error, never a run-time surprise.

use serde::{Deserialize, Serialize};

use super::PathKind;

/// Host functions the evaluator implements (src/eval/host.rs), other than the path calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Host {
    Empty,
    Days,
    WorkingDays,
    AddDays,
    AddMonths,
    MinDate,
    MaxDate,
    IsDate,
    IsEea,
    IsEu,
    IsAdequate,
    IsDaJurisdiction,
    DaScope,
    Join,
    Range,
    Pass,
    Fail,
    NotApplicable,
}

impl Host {
    pub(crate) fn is_result(self) -> bool {
        matches!(self, Host::Pass | Host::Fail | Host::NotApplicable)
    }
}

/// Built-in methods, callable as `x.f(…)` or `f(x, …)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Method {
    IsEmpty,
    Len,
    ToLower,
    ToUpper,
    TypeOf,
    Floor,
    Ceiling,
    Round,
    ToInt,
    ToFloat,
    Abs,
    ToString,
    Keys,
    Values,
    Get,
    StartsWith,
    EndsWith,
    IndexOf,
    SubString,
    Split,
    Extract,
    Min,
    Max,
    ToJson,
    // Methods that change the variable they are called on.
    Push,
    Insert,
    Pop,
    Pad,
    Trim,
}

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Callee {
    Path(PathKind),
    Host(Host),
    Method(Method),
    /// `contains(container, item)`, also `item in container`.
    Contains,
}

/// One entry of the table; serialised (without the evaluator's dispatch) for editors.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct HostFunction {
    pub name: &'static str,
    /// Numbers of arguments accepted, the receiver of a method included.
    pub arities: &'static [usize],
    /// How a rule writes the call, for docs and editors.
    pub signature: &'static str,
    pub doc: &'static str,
    /// A method (callable as `x.f()`) rather than a host function; rules may not define
    /// functions named like host functions, but may like methods (Rhai allows both).
    pub method: bool,
    /// Changes the variable it is called on: the receiver must be a local variable.
    pub mutates: bool,
    #[serde(skip)]
    pub(crate) callee: Callee,
}

const fn host(
    name: &'static str,
    arities: &'static [usize],
    signature: &'static str,
    doc: &'static str,
    callee: Callee,
) -> HostFunction {
    HostFunction {
        name,
        arities,
        signature,
        doc,
        method: false,
        mutates: false,
        callee,
    }
}

/// A method: a host entry that may also be called as `x.f(…)`; the ones that change their
/// receiver are marked.
const fn method(
    name: &'static str,
    arities: &'static [usize],
    signature: &'static str,
    doc: &'static str,
    m: Method,
) -> HostFunction {
    HostFunction {
        method: true,
        mutates: matches!(
            m,
            Method::Push | Method::Insert | Method::Pop | Method::Pad | Method::Trim
        ),
        ..host(name, arities, signature, doc, Callee::Method(m))
    }
}

use Callee::{Host as H, Path as P};

/// The table. docs/rule-language.md lists every entry (tests/rule_language.rs checks it).
pub const HOST_FUNCTIONS: &[HostFunction] = &[
    host("need", &[2, 3], "need(value, path[, prefix])", "the value at `path`; when it is missing or null the rule fails naming the path (with `prefix.` before it)", P(PathKind::Need)),
    host("field", &[2, 3], "field(value, path[, default])", "the value at `path`; `()` (or `default`) when it is missing or null", P(PathKind::Field)),
    host("present", &[2], "present(value, path)", "whether the value at `path` is there and not null", P(PathKind::Present)),
    host("empty", &[1], "empty(x)", "true for `()`, a blank string, `[]` and `#{}`", H(Host::Empty)),
    host("days", &[2], "days(a, b)", "calendar days from date `a` to date `b`", H(Host::Days)),
    host("working_days", &[2, 3], "working_days(a, b[, jurisdiction])", "Monday–Friday days after `a` up to `b`; with a jurisdiction, not counting `params.public_holidays[jurisdiction]`", H(Host::WorkingDays)),
    host("add_days", &[2], "add_days(date, n)", "the date `n` days later (earlier when negative)", H(Host::AddDays)),
    host("add_months", &[2], "add_months(date, n)", "the date `n` months later, clamped to the month's end", H(Host::AddMonths)),
    host("min_date", &[2], "min_date(a, b)", "the earlier date", H(Host::MinDate)),
    host("max_date", &[2], "max_date(a, b)", "the later date", H(Host::MaxDate)),
    host("is_date", &[1], "is_date(s)", "whether `s` is a calendar date `YYYY-MM-DD`", H(Host::IsDate)),
    host("is_eea", &[1], "is_eea(code)", "whether the ISO 3166 code is an EEA state", H(Host::IsEea)),
    host("is_eu", &[1], "is_eu(code)", "whether the code is an EU member state or one of its separately coded territories", H(Host::IsEu)),
    host("is_adequate", &[1], "is_adequate(code)", "whether the code is in `params.adequacy_jurisdictions`", H(Host::IsAdequate)),
    host("is_da_jurisdiction", &[1], "is_da_jurisdiction(code)", "whether the code is in `params.da_jurisdictions`", H(Host::IsDaJurisdiction)),
    host("da_scope", &[1], "da_scope(req)", "whether the Data Act's switching chapter applies: a customer in `params.da_jurisdictions` and a production service; fails the rule when the customer's jurisdiction is missing", H(Host::DaScope)),
    host("join", &[2], "join(array, separator)", "the items as text, separated", H(Host::Join)),
    host("range", &[2, 3], "range(from, to[, step])", "the integers from `from` up to `to` (excluded), `step` apart: what a `for` loop iterates", H(Host::Range)),
    host("pass", &[0, 1], "pass([explanation])", "the rule passes; the explanation is evaluated only in explain mode", H(Host::Pass)),
    host("fail", &[1, 2], "fail(message[, paths])", "the rule fails with a message naming the fields to fix (`paths`: one path or an array)", H(Host::Fail)),
    host("not_applicable", &[0, 1], "not_applicable([reason])", "the rule does not apply to this request", H(Host::NotApplicable)),
    host("contains", &[2], "contains(container, item)", "`item in container`: an element of an array, a substring or character of a string, a key of a map", Callee::Contains),
    method("len", &[1], "x.len()", "characters of a string, items of an array, entries of a map", Method::Len),
    method("is_empty", &[1], "x.is_empty()", "whether a string, array or map has nothing in it", Method::IsEmpty),
    method("to_lower", &[1], "s.to_lower()", "the string in lower case", Method::ToLower),
    method("to_upper", &[1], "s.to_upper()", "the string in upper case", Method::ToUpper),
    method("type_of", &[1], "type_of(x)", "the type's name: `()`, `bool`, `i64`, `f64`, `char`, `string`, `array`, `map`", Method::TypeOf),
    method("floor", &[1], "x.floor()", "a float rounded down", Method::Floor),
    method("to_int", &[1], "x.to_int()", "a number as an integer (floats truncated; an error out of range)", Method::ToInt),
    method("to_float", &[1], "x.to_float()", "a number as a float", Method::ToFloat),
    method("abs", &[1], "x.abs()", "the absolute value", Method::Abs),
    method("ceiling", &[1], "x.ceiling()", "a float rounded up", Method::Ceiling),
    method("round", &[1], "x.round()", "a float rounded to the nearest integer, halves away from zero", Method::Round),
    method("to_string", &[1], "x.to_string()", "the value as text, as `${x}` writes it", Method::ToString),
    method("keys", &[1], "m.keys()", "a map's keys, in order", Method::Keys),
    method("values", &[1], "m.values()", "a map's values, in the keys' order", Method::Values),
    method("get", &[2], "m.get(key)", "a map's member, `()` when absent", Method::Get),
    method("starts_with", &[2], "s.starts_with(t)", "whether the string starts with `t`", Method::StartsWith),
    method("ends_with", &[2], "s.ends_with(t)", "whether the string ends with `t`", Method::EndsWith),
    method("index_of", &[2], "x.index_of(item)", "the position of a substring or character in a string, or of an item in an array; -1 when absent", Method::IndexOf),
    method("sub_string", &[2, 3], "s.sub_string(start[, len])", "the characters from `start` (negative: from the end), `len` of them", Method::SubString),
    method("split", &[2], "s.split(separator)", "the parts of the string between separators, as an array", Method::Split),
    method("extract", &[2, 3], "a.extract(start[, len])", "a copy of the items from `start` (negative: from the end), `len` of them", Method::Extract),
    method("min", &[2], "min(a, b)", "the smaller of two numbers or two strings", Method::Min),
    method("max", &[2], "max(a, b)", "the larger of two numbers or two strings", Method::Max),
    method("to_json", &[1], "m.to_json()", "a map as JSON text", Method::ToJson),
    method("push", &[2], "a.push(x)", "appends to the array variable", Method::Push),
    method("insert", &[3], "a.insert(index, x)", "inserts into the array variable (a negative index counts from the end; past the end appends)", Method::Insert),
    method("pop", &[1], "a.pop()", "removes and returns the array variable's last item, `()` when empty", Method::Pop),
    method("pad", &[3], "x.pad(len, item)", "pads the array or string variable to `len` with `item`", Method::Pad),
    method("trim", &[1], "s.trim()", "removes the string variable's leading and trailing white space", Method::Trim),
];

/// The entry named `name` that accepts `arity` arguments.
pub(crate) fn find(name: &str, arity: usize) -> Option<&'static HostFunction> {
    HOST_FUNCTIONS
        .iter()
        .find(|f| f.name == name && f.arities.contains(&arity))
}

/// Whether a host function (not a method) has this name, whatever its arity: a rule may not
/// define a function of that name.
#[cfg_attr(not(feature = "parser"), allow(dead_code))]
pub(crate) fn is_host_function(name: &str) -> bool {
    HOST_FUNCTIONS.iter().any(|f| f.name == name && !f.method)
}
