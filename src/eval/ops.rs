//! The operators and built-in methods on the evaluator's values, with Rhai's meaning (Rhai is
//! the language's reference: tests/operators.rs holds these to what Rhai gives).

use rhai::{Array, Dynamic, ImmutableString};

use super::fault::{Fault, Size};
use super::host::{is_empty_value, ReadOnly};
use super::{Flow, Res};
use crate::engine::Limits;
use crate::lang::{Method, Op};
use crate::value::{Kind, Val};

/// Deepest nesting of arrays and maps a rule may build. Values are copied, measured and dropped
/// recursively, one native frame per level: a rule nesting deeper than any real rule does
/// (`loop { a = [a] }`) is stopped well before that could exhaust a stack.
pub(crate) const MAX_DEPTH: usize = 64;

pub(crate) fn fault<T>(fault: Fault) -> Res<T> {
    Err(Flow::fault(fault))
}

/// "`op` does not apply to `a` and `b`".
#[cold]
#[inline(never)]
pub(crate) fn mismatch<T>(what: &str, a: &Val<'_>, b: Option<&Val<'_>>) -> Res<T> {
    let types = match b {
        Some(b) => format!("{} and {}", a.type_name(), b.type_name()),
        None => a.type_name().to_string(),
    };
    fault(Fault::Type(format!("{what} does not apply to {types}")))
}

/// "expected `what`, found …": built out of line, so that the checks that can fail stay small
/// enough to inline where they are used.
#[cold]
#[inline(never)]
pub(crate) fn expected(what: &str, v: &Val<'_>) -> Flow {
    Flow::fault(Fault::Type(format!(
        "expected {what}, found {}",
        v.type_name()
    )))
}

pub(crate) fn string<'v>(v: &'v Val<'_>) -> Res<&'v str> {
    match v.as_str() {
        Some(s) => Ok(s),
        None => Err(expected("a string", v)),
    }
}

pub(crate) fn int(v: &Val<'_>) -> Res<i64> {
    match v {
        Val::Int(i) => Ok(*i),
        _ => Err(expected("an integer", v)),
    }
}

pub(crate) fn text<'r>(s: String, limits: &Limits) -> Res<Val<'r>> {
    if s.len() > limits.max_string_size {
        return fault(Fault::TooLarge(Size::String));
    }
    Ok(Val::Str(ImmutableString::from(s)))
}

fn count<'r>(n: usize) -> Res<Val<'r>> {
    Ok(Val::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn compare<'r, T: PartialOrd + ?Sized>(op: Op, a: &T, b: &T) -> Option<Val<'r>> {
    Some(Val::Bool(match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        _ => return None,
    }))
}

fn operands(a: &Val<'_>, op: Op, b: &Val<'_>) -> String {
    let mut out = String::new();
    let _ = append_display(&mut out, a);
    out.push(' ');
    out.push_str(op.syntax());
    out.push(' ');
    let _ = append_display(&mut out, b);
    out
}

fn int_binary<'r>(op: Op, x: i64, y: i64) -> Res<Val<'r>> {
    let (name, result) = match op {
        Op::Add => ("Addition", x.checked_add(y)),
        Op::Sub => ("Subtraction", x.checked_sub(y)),
        Op::Mul => ("Multiplication", x.checked_mul(y)),
        Op::Div | Op::Rem if y == 0 => {
            return fault(Fault::DivisionByZero(operands(
                &Val::Int(x),
                op,
                &Val::Int(y),
            )))
        }
        Op::Div => ("Division", x.checked_div(y)),
        Op::Rem => ("Modulo", x.checked_rem(y)),
        Op::Pow if y < 0 => {
            return fault(Fault::Type(format!(
                "Integer raised to a negative power: {}",
                operands(&Val::Int(x), op, &Val::Int(y))
            )))
        }
        Op::Pow => (
            "Power",
            u32::try_from(y).ok().and_then(|y| x.checked_pow(y)),
        ),
        _ => return compare(op, &x, &y).map_or_else(|| fault(Fault::Type(String::new())), Ok),
    };
    match result {
        Some(n) => Ok(Val::Int(n)),
        None => fault(Fault::Overflow(
            name,
            operands(&Val::Int(x), op, &Val::Int(y)),
        )),
    }
}

/// Rhai's built-in binary operators (its `func/builtin.rs`) on the evaluator's values.
pub(crate) fn binary<'r>(op: Op, a: &Val<'r>, b: &Val<'r>, limits: &Limits) -> Res<Val<'r>> {
    // The two commonest pairs first, matched on the values themselves: going through `kind`
    // first cost 0.6 % of a decision.
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => return int_binary(op, *x, *y),
        (Val::Text(_) | Val::Str(_), Val::Text(_) | Val::Str(_)) => {
            let (x, y) = (string(a)?, string(b)?);
            return match op {
                Op::Add => {
                    if x.len() + y.len() > limits.max_string_size {
                        return fault(Fault::TooLarge(Size::String));
                    }
                    let mut joined = String::with_capacity(x.len() + y.len());
                    joined.push_str(x);
                    joined.push_str(y);
                    Ok(Val::Str(ImmutableString::from(joined)))
                }
                Op::Sub => text(x.replace(y, ""), limits),
                _ => match compare(op, x, y) {
                    Some(v) => Ok(v),
                    None => mismatch(&format!("`{}`", op.syntax()), a, Some(b)),
                },
            };
        }
        _ => {}
    }
    let no = || mismatch(&format!("`{}`", op.syntax()), a, Some(b));
    match (a.kind(), b.kind()) {
        (Kind::Float, Kind::Float | Kind::Int) | (Kind::Int, Kind::Float) => {
            float_binary(op, number(a)?, number(b)?).map_or_else(no, Ok)
        }
        (Kind::Bool, Kind::Bool) => match (a, b) {
            (Val::Bool(x), Val::Bool(y)) => compare(op, x, y).map_or_else(no, Ok),
            _ => no(),
        },
        (Kind::Char, Kind::Char) => match (a.as_char(), b.as_char()) {
            (Some(x), Some(y)) if op == Op::Add => text(format!("{x}{y}"), limits),
            (Some(x), Some(y)) => compare(op, &x, &y).map_or_else(no, Ok),
            _ => no(),
        },
        // `s - t`, `s - c`: every occurrence removed.
        (Kind::Str, Kind::Str | Kind::Char) if op == Op::Sub => {
            let what = display(b);
            text(string(a)?.replace(what.as_str(), ""), limits)
        }
        (Kind::Str, Kind::Char) | (Kind::Char, Kind::Str) if op == Op::Add => {
            let mut out = String::new();
            append_display(&mut out, a)?;
            append_display(&mut out, b)?;
            text(out, limits)
        }
        (Kind::Str, Kind::Char) | (Kind::Char, Kind::Str) => {
            let (x, y) = (display(a), display(b));
            compare(op, x.as_str(), y.as_str()).map_or_else(no, Ok)
        }
        // Rhai: `()` equals `()`, and no ordering holds between them.
        (Kind::Unit, Kind::Unit) => match op {
            Op::Eq => Ok(Val::Bool(true)),
            Op::Ne | Op::Lt | Op::Gt | Op::Le | Op::Ge => Ok(Val::Bool(false)),
            _ => no(),
        },
        (Kind::Array, Kind::Array) if matches!(op, Op::Eq | Op::Ne) => {
            let equal = arrays_equal(a, b, limits)?;
            Ok(Val::Bool(equal == (op == Op::Eq)))
        }
        (Kind::Array, Kind::Array) if op == Op::Add => match (a, b) {
            (Val::Dyn(x), Val::Dyn(y)) => match (x.as_array_ref(), y.as_array_ref()) {
                (Ok(x), Ok(y)) => {
                    let joined: Array = x.iter().chain(y.iter()).cloned().collect();
                    sized(Dynamic::from_array(joined), limits).map(Val::Dyn)
                }
                _ => no(),
            },
            _ => no(),
        },
        (Kind::Map, Kind::Map) if matches!(op, Op::Eq | Op::Ne) => {
            let equal = maps_equal(a, b, limits)?;
            Ok(Val::Bool(equal == (op == Op::Eq)))
        }
        (Kind::Map, Kind::Map) if op == Op::Add => match (a, b) {
            (Val::Dyn(x), Val::Dyn(y)) => match (x.as_map_ref(), y.as_map_ref()) {
                (Ok(x), Ok(y)) => {
                    let mut joined = x.clone();
                    joined.extend(y.iter().map(|(k, v)| (k.clone(), v.clone())));
                    sized(Dynamic::from_map(joined), limits).map(Val::Dyn)
                }
                _ => no(),
            },
            _ => no(),
        },
        // A string and something else: Rhai's string package appends its `to_string`.
        (Kind::Str, Kind::Int | Kind::Float | Kind::Bool | Kind::Array | Kind::Map)
        | (Kind::Int | Kind::Float | Kind::Bool | Kind::Array | Kind::Map, Kind::Str)
            if op == Op::Add =>
        {
            let mut out = String::new();
            append_display(&mut out, a)?;
            append_display(&mut out, b)?;
            text(out, limits)
        }
        // `() + "s"` and `"s" + ()` give the string.
        (Kind::Unit, Kind::Str) if op == Op::Add => Ok(b.clone()),
        (Kind::Str, Kind::Unit) if op == Op::Add => Ok(a.clone()),
        // Values of different types: only the comparisons have a default.
        (x, y) if x != y => match op {
            Op::Ne => Ok(Val::Bool(true)),
            Op::Eq | Op::Lt | Op::Le | Op::Gt | Op::Ge => Ok(Val::Bool(false)),
            _ => no(),
        },
        _ => no(),
    }
}

fn number(v: &Val<'_>) -> Res<f64> {
    match v {
        Val::Float(f) => Ok(*f),
        Val::Int(i) => Ok(*i as f64),
        _ => Err(expected("a number", v)),
    }
}

/// Rhai's float operators (also for a float and an integer), comparisons within a relative
/// epsilon exactly as `func/builtin.rs` computes them.
fn float_binary<'r>(op: Op, x: f64, y: f64) -> Option<Val<'r>> {
    let max = if x * y == 0.0 {
        1.0
    } else {
        x.abs().max(y.abs())
    };
    let zero = max == 0.0;
    Some(match op {
        Op::Add => Val::Float(x + y),
        Op::Sub => Val::Float(x - y),
        Op::Mul => Val::Float(x * y),
        Op::Div => Val::Float(x / y),
        Op::Rem => Val::Float(x % y),
        Op::Pow => Val::Float(x.powf(y)),
        Op::Eq => Val::Bool(zero || (x - y).abs() / max <= f64::EPSILON),
        Op::Ne => Val::Bool(!zero && (x - y).abs() / max > f64::EPSILON),
        Op::Gt => Val::Bool(!zero && (x - y) / max > f64::EPSILON),
        Op::Ge => Val::Bool(zero || (x - y) / max > -f64::EPSILON),
        Op::Lt => Val::Bool(!zero && (y - x) / max > f64::EPSILON),
        Op::Le => Val::Bool(zero || (y - x) / max > -f64::EPSILON),
    })
}

/// `element == item` for an element of an array, as [`binary`] decides it.
pub(crate) fn element_equals(element: &Dynamic, item: &Val<'_>, limits: &Limits) -> Res<bool> {
    if let Some(item) = item.as_str() {
        if let Ok(element) = element.as_immutable_string_ref() {
            return Ok(element.as_str() == item);
        }
    }
    match binary(Op::Eq, &Val::of(element), item, limits) {
        Ok(v) => Ok(matches!(v, Val::Bool(true))),
        // Values `==` does not compare are not equal.
        Err(Flow::Fault(f)) if matches!(f.0, Fault::Type(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// Rhai's array `==`: same length and every pair equal by `==`.
fn arrays_equal(a: &Val<'_>, b: &Val<'_>, limits: &Limits) -> Res<bool> {
    let (Val::Dyn(a), Val::Dyn(b)) = (a, b) else {
        return Ok(false);
    };
    let (Ok(a), Ok(b)) = (a.as_array_ref(), b.as_array_ref()) else {
        return Ok(false);
    };
    if a.len() != b.len() {
        return Ok(false);
    }
    for (x, y) in a.iter().zip(b.iter()) {
        if !element_equals(x, &Val::of(y), limits)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Rhai's map `==`: the same keys, and every value equal by `==`.
fn maps_equal(a: &Val<'_>, b: &Val<'_>, limits: &Limits) -> Res<bool> {
    let (Val::Dyn(a), Val::Dyn(b)) = (a, b) else {
        return Ok(false);
    };
    let (Ok(a), Ok(b)) = (a.as_map_ref(), b.as_map_ref()) else {
        return Ok(false);
    };
    if a.len() != b.len() {
        return Ok(false);
    }
    for (k, x) in a.iter() {
        match b.get(k) {
            Some(y) if element_equals(x, &Val::of(y), limits)? => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// `item in container`.
pub(crate) fn contains<'r>(container: &Val<'r>, item: &Val<'r>, limits: &Limits) -> Res<Val<'r>> {
    match container {
        Val::Text(_) | Val::Str(_) => {
            let hay = string(container)?;
            match item {
                Val::Text(_) | Val::Str(_) => Ok(Val::Bool(hay.contains(string(item)?))),
                Val::Dyn(d) if d.is_char() => {
                    Ok(Val::Bool(d.as_char().is_ok_and(|c| hay.contains(c))))
                }
                _ => mismatch("`in`", item, Some(container)),
            }
        }
        Val::Dyn(d) => {
            if let Ok(array) = d.as_array_ref() {
                for element in array.iter() {
                    if element_equals(element, item, limits)? {
                        return Ok(Val::Bool(true));
                    }
                }
                return Ok(Val::Bool(false));
            }
            if let Ok(map) = d.as_map_ref() {
                return Ok(Val::Bool(map.contains_key(string(item)?)));
            }
            if let Some(ro) = d.read_lock::<ReadOnly>() {
                return Ok(Val::Bool(ro.contains(string(item)?)));
            }
            mismatch("`in`", item, Some(container))
        }
        _ => mismatch("`in`", item, Some(container)),
    }
}

/// `empty(v)` without converting a string or scalar.
pub(crate) fn is_empty(v: &Val<'_>) -> bool {
    match v {
        Val::Unit => true,
        Val::Text(s) => s.trim().is_empty(),
        Val::Str(s) => s.trim().is_empty(),
        Val::Bool(_) | Val::Int(_) | Val::Float(_) => false,
        Val::View(_) => false,
        Val::Dyn(d) => is_empty_value(d),
    }
}

fn map_of<'v>(v: &'v Val<'_>) -> Option<rhai::DynamicReadLock<'v, rhai::Map>> {
    match v {
        Val::Dyn(d) => d.read_lock::<rhai::Map>(),
        _ => None,
    }
}

fn array_of<'v>(v: &'v Val<'_>) -> Option<rhai::DynamicReadLock<'v, Array>> {
    match v {
        Val::Dyn(d) => d.read_lock::<Array>(),
        _ => None,
    }
}

/// Rhai's `start`/`len` arithmetic of `sub_string` and `extract`: a negative start counts from
/// the end, and both are clamped to the value.
fn span(len: usize, start: i64, take: Option<i64>) -> (usize, usize) {
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let start = if start < 0 {
        (len_i + start).max(0)
    } else {
        start.min(len_i)
    };
    let take = match take {
        Some(t) if t <= 0 => 0,
        Some(t) => t.min(len_i - start),
        None => len_i - start,
    };
    (
        usize::try_from(start).unwrap_or(0),
        usize::try_from(take).unwrap_or(0),
    )
}

/// A built-in method that does not change its receiver, `args[0]` being the receiver.
pub(crate) fn method<'r>(m: Method, args: &[Val<'r>], limits: &Limits) -> Res<Val<'r>> {
    let Some((v, rest)) = args.split_first() else {
        return fault(Fault::Type(format!("{m:?} needs a receiver")));
    };
    let no = || mismatch(&format!("`{}`", method_name(m)), v, rest.first());
    match (m, v.kind(), rest) {
        (Method::IsEmpty, Kind::Str, []) => Ok(Val::Bool(string(v)?.is_empty())),
        (Method::Len, Kind::Str, []) => count(string(v)?.chars().count()),
        (Method::ToLower, Kind::Str, []) => {
            let s = string(v)?;
            if s.chars().all(|c| !c.is_uppercase()) {
                return Ok(v.clone());
            }
            Ok(Val::Str(ImmutableString::from(s.to_lowercase())))
        }
        (Method::ToUpper, Kind::Str, []) => {
            let s = string(v)?;
            if s.chars().all(|c| !c.is_lowercase()) {
                return Ok(v.clone());
            }
            Ok(Val::Str(ImmutableString::from(s.to_uppercase())))
        }
        (Method::IsEmpty | Method::Len, Kind::Array, []) => match array_of(v) {
            Some(a) if m == Method::IsEmpty => Ok(Val::Bool(a.is_empty())),
            Some(a) => count(a.len()),
            None => no(),
        },
        (Method::IsEmpty | Method::Len, Kind::Map, []) => match map_of(v) {
            Some(a) if m == Method::IsEmpty => Ok(Val::Bool(a.is_empty())),
            Some(a) => count(a.len()),
            None => no(),
        },
        (Method::Floor, Kind::Float, []) => Ok(Val::Float(number(v)?.floor())),
        (Method::Ceiling, Kind::Float, []) => Ok(Val::Float(number(v)?.ceil())),
        (Method::Round, Kind::Float, []) => Ok(Val::Float(number(v)?.round())),
        (Method::ToInt, Kind::Int, []) => Ok(v.clone()),
        (Method::ToInt, Kind::Float, []) => {
            let x = number(v)?;
            if x.is_nan() || x > i64::MAX as f64 || x < i64::MIN as f64 {
                return fault(Fault::Type(format!(
                    "Integer overflow: {} cannot be an integer",
                    display(v)
                )));
            }
            Ok(Val::Int(x.trunc() as i64))
        }
        (Method::ToInt, Kind::Char, []) => match v.as_char() {
            Some(c) => Ok(Val::Int(i64::from(u32::from(c)))),
            None => no(),
        },
        (Method::ToFloat, Kind::Int | Kind::Float, []) => Ok(Val::Float(number(v)?)),
        (Method::Abs, Kind::Int, []) => match int(v)?.checked_abs() {
            Some(n) => Ok(Val::Int(n)),
            None => fault(Fault::Overflow("Negation", display(v))),
        },
        (Method::Abs, Kind::Float, []) => Ok(Val::Float(number(v)?.abs())),
        (Method::ToString, _, []) => text(display(v), limits),
        (Method::Keys, Kind::Map, []) => match map_of(v) {
            Some(map) => sized(
                Dynamic::from_array(
                    map.keys()
                        .map(|k| Dynamic::from(ImmutableString::from(k.as_str())))
                        .collect(),
                ),
                limits,
            )
            .map(Val::Dyn),
            None => no(),
        },
        (Method::Values, Kind::Map, []) => match map_of(v) {
            Some(map) => {
                sized(Dynamic::from_array(map.values().cloned().collect()), limits).map(Val::Dyn)
            }
            None => no(),
        },
        (Method::Get, Kind::Map, [key]) => match map_of(v) {
            Some(map) => Ok(map.get(string(key)?).map_or(Val::Unit, Val::of)),
            None => no(),
        },
        (Method::StartsWith, Kind::Str, [t]) => Ok(Val::Bool(string(v)?.starts_with(string(t)?))),
        (Method::EndsWith, Kind::Str, [t]) => Ok(Val::Bool(string(v)?.ends_with(string(t)?))),
        (Method::IndexOf, Kind::Str, [t]) => {
            let s = string(v)?;
            let at = match t {
                Val::Dyn(d) if d.is_char() => d.as_char().ok().and_then(|c| s.find(c)),
                t => s.find(string(t)?),
            };
            match at {
                // Rhai counts characters, not bytes.
                Some(at) => count(s.get(..at).map_or(0, |p| p.chars().count())),
                None => Ok(Val::Int(-1)),
            }
        }
        (Method::IndexOf, Kind::Array, [item]) => match array_of(v) {
            Some(a) => {
                for (i, element) in a.iter().enumerate() {
                    if element_equals(element, item, limits)? {
                        return count(i);
                    }
                }
                Ok(Val::Int(-1))
            }
            None => no(),
        },
        (Method::SubString, Kind::Str, [start, more @ ..]) => {
            let s = string(v)?;
            let chars = s.chars().count();
            let len = match more {
                [len] => Some(int(len)?),
                _ => None,
            };
            let (from, take) = span(chars, int(start)?, len);
            text(s.chars().skip(from).take(take).collect(), limits)
        }
        (Method::Split, Kind::Str, [sep]) => {
            let s = string(v)?;
            let parts: Array = match sep {
                Val::Dyn(d) if d.is_char() => match d.as_char() {
                    Ok(c) => s
                        .split(c)
                        .map(|p| Dynamic::from(ImmutableString::from(p)))
                        .collect(),
                    Err(_) => return no(),
                },
                sep => s
                    .split(string(sep)?)
                    .map(|p| Dynamic::from(ImmutableString::from(p)))
                    .collect(),
            };
            sized(Dynamic::from_array(parts), limits).map(Val::Dyn)
        }
        (Method::Extract, Kind::Array, [start, more @ ..]) => match array_of(v) {
            Some(a) => {
                let len = match more {
                    [len] => Some(int(len)?),
                    _ => None,
                };
                let (from, take) = span(a.len(), int(start)?, len);
                let part: Array = a.iter().skip(from).take(take).cloned().collect();
                sized(Dynamic::from_array(part), limits).map(Val::Dyn)
            }
            None => no(),
        },
        (Method::Min | Method::Max, Kind::Int, [Val::Int(b)]) => {
            let a = int(v)?;
            Ok(Val::Int(if m == Method::Min {
                a.min(*b)
            } else {
                a.max(*b)
            }))
        }
        (Method::Min | Method::Max, Kind::Int | Kind::Float, [b])
            if matches!(b.kind(), Kind::Int | Kind::Float) =>
        {
            let (a, b) = (number(v)?, number(b)?);
            Ok(Val::Float(if m == Method::Min {
                a.min(b)
            } else {
                a.max(b)
            }))
        }
        (Method::Min | Method::Max, Kind::Str, [b]) if b.kind() == Kind::Str => {
            let (x, y) = (string(v)?, string(b)?);
            let pick_first = if m == Method::Min { x <= y } else { x >= y };
            Ok(if pick_first { v.clone() } else { b.clone() })
        }
        (Method::ToJson, Kind::Map, []) => match map_of(v) {
            Some(map) => text(rhai::format_map_as_json(&map), limits),
            None => no(),
        },
        (Method::TypeOf, _, []) => Ok(Val::Text(v.type_name())),
        _ => no(),
    }
}

pub(crate) fn method_name(m: Method) -> &'static str {
    crate::lang::host::HOST_FUNCTIONS
        .iter()
        .find(|f| f.callee == crate::lang::host::Callee::Method(m))
        .map_or("?", |f| f.name)
}

/// `v.name`: a map's member (`()` when absent), or a read-only member of `req`/`params`.
pub(crate) fn property<'r>(v: &Val<'r>, name: &ImmutableString, limits: &Limits) -> Res<Val<'r>> {
    // Arrays and strings have `len` and `is_empty` as properties too, as in Rhai.
    if matches!(v.kind(), Kind::Array | Kind::Str) {
        let getter = match name.as_str() {
            "len" => Some(Method::Len),
            "is_empty" => Some(Method::IsEmpty),
            _ => None,
        };
        if let Some(m) = getter {
            return method(m, std::slice::from_ref(v), limits);
        }
    }
    if let Val::Dyn(d) = v {
        if let Ok(map) = d.as_map_ref() {
            return Ok(map.get(name.as_str()).map_or(Val::Unit, Val::of));
        }
        if let Some(ro) = d.read_lock::<ReadOnly>() {
            return Ok(Val::from_dynamic(ro.member(name.as_str())));
        }
    }
    fault(Fault::Type(format!(
        "{} has no property `{name}`",
        v.type_name()
    )))
}

/// The position `i` (negative: from the end) in a sequence of `len`.
fn position(i: i64, len: usize) -> Res<usize> {
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let at = if i < 0 { len_i + i } else { i };
    if at < 0 || at >= len_i {
        return fault(Fault::OutOfBounds(i, len));
    }
    Ok(usize::try_from(at).unwrap_or(0))
}

/// `v[i]`: an array's item, a string's character, a map's member.
pub(crate) fn index<'r>(v: &Val<'r>, i: &Val<'r>) -> Res<Val<'r>> {
    match v {
        Val::Text(_) | Val::Str(_) => {
            let s = string(v)?;
            let n = s.chars().count();
            let at = position(int(i)?, n)?;
            match s.chars().nth(at) {
                Some(c) => Ok(Val::Dyn(Dynamic::from_char(c))),
                None => fault(Fault::OutOfBounds(int(i)?, n)),
            }
        }
        Val::Dyn(d) => {
            if let Ok(array) = d.as_array_ref() {
                let at = position(int(i)?, array.len())?;
                return match array.get(at) {
                    Some(item) => Ok(Val::of(item)),
                    None => fault(Fault::OutOfBounds(int(i)?, array.len())),
                };
            }
            if let Ok(map) = d.as_map_ref() {
                return Ok(map.get(string(i)?).map_or(Val::Unit, Val::of));
            }
            if let Some(ro) = d.read_lock::<ReadOnly>() {
                return Ok(Val::from_dynamic(ro.member(string(i)?)));
            }
            mismatch("indexing", v, Some(i))
        }
        _ => mismatch("indexing", v, Some(i)),
    }
}

/// What `${v}` and `to_string` write.
pub(crate) fn display(v: &Val<'_>) -> String {
    let mut out = String::new();
    let _ = append_display(&mut out, v);
    out
}

pub(crate) fn append_display(out: &mut String, v: &Val<'_>) -> Res<()> {
    match v {
        Val::Text(s) => out.push_str(s),
        Val::Str(s) => out.push_str(s.as_str()),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Float(f) => out.push_str(&rhai::FloatWrapper::new(*f).to_string()),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Unit => {}
        Val::View(view) => write_value(out, &view.0.to_rhai(), false),
        Val::Dyn(d) => match d.read_lock::<ReadOnly>() {
            Some(ro) => write_value(out, ro.inner(), false),
            None => write_value(out, d, false),
        },
    }
    Ok(())
}

/// A value as Rhai's `to_string` writes it: inside an array or a map, strings quoted as Rust
/// would debug-print them and characters bare.
fn write_value(out: &mut String, v: &Dynamic, nested: bool) {
    if let Ok(array) = v.as_array_ref() {
        out.push('[');
        for (i, item) in array.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_value(out, item, true);
        }
        out.push(']');
    } else if let Ok(map) = v.as_map_ref() {
        out.push_str("#{");
        for (i, (k, item)) in map.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("{:?}: ", k.as_str()));
            write_value(out, item, true);
        }
        out.push('}');
    } else if let Some(ro) = v.read_lock::<ReadOnly>() {
        write_value(out, ro.inner(), nested);
    } else if nested && v.is_unit() {
        out.push_str("()");
    } else if nested && v.is_string() {
        if let Ok(s) = v.as_immutable_string_ref() {
            out.push_str(&format!("{:?}", s.as_str()));
        }
    } else if v.is_unit() {
    } else {
        out.push_str(&v.to_string());
    }
}

/// Rhai's data-size accounting (arrays and maps counted through nesting, string bytes summed),
/// or `None` past [`MAX_DEPTH`].
fn sizes(v: &Dynamic, depth: usize) -> Option<(usize, usize, usize)> {
    if depth > MAX_DEPTH {
        return None;
    }
    // Strings and scalars first: arrays that rules grow are mostly lists of strings, walked
    // again after every `push`.
    if let Ok(text) = v.as_immutable_string_ref() {
        return Some((0, 0, text.len()));
    }
    if !v.is_array() && !v.is_map() {
        return Some((0, 0, 0));
    }
    if let Ok(array) = v.as_array_ref() {
        return array.iter().try_fold((0, 0, 0), |(a, m, s), item| {
            let (a2, m2, s2) = sizes(item, depth + 1)?;
            Some((a + 1 + a2, m + m2, s + s2))
        });
    }
    if let Ok(map) = v.as_map_ref() {
        return map.values().try_fold((0, 0, 0), |(a, m, s), item| {
            let (a2, m2, s2) = sizes(item, depth + 1)?;
            Some((a + a2, m + 1 + m2, s + s2))
        });
    }
    Some((0, 0, 0))
}

pub(crate) fn check_size(v: &Dynamic, limits: &Limits) -> Res<()> {
    let Some((a, m, s)) = sizes(v, 0) else {
        return fault(Fault::TooDeep);
    };
    if s > limits.max_string_size {
        return fault(Fault::TooLarge(Size::String));
    }
    if a > limits.max_array_size {
        return fault(Fault::TooLarge(Size::Array));
    }
    if m > limits.max_map_size {
        return fault(Fault::TooLarge(Size::Map));
    }
    Ok(())
}

pub(crate) fn sized(v: Dynamic, limits: &Limits) -> Res<Dynamic> {
    check_size(&v, limits)?;
    Ok(v)
}

/// [`sized`] for the evaluator's values: a string by its length, arrays and maps as Rhai
/// measures them.
pub(crate) fn sized_val<'r>(v: Val<'r>, limits: &Limits) -> Res<Val<'r>> {
    match &v {
        Val::Text(_) | Val::Str(_) => {
            if string(&v)?.len() > limits.max_string_size {
                return fault(Fault::TooLarge(Size::String));
            }
        }
        Val::Dyn(d) => check_size(d, limits)?,
        Val::Unit | Val::Bool(_) | Val::Int(_) | Val::Float(_) | Val::View(_) => {}
    }
    Ok(v)
}
