//! Values as the rules see them, and how the request gives them: the evaluator's value type
//! ([`Val`]), the views a rule holds into the typed request ([`Lookup`]), and the conversion of
//! a part of the request into Rhai's array and map types ([`ToRhai`]). A leaf below the model
//! (which implements these traits for its types), the rule language (whose constants are values)
//! and the evaluator.
//!
//! Why not Rhai's `Dynamic` throughout: a rule is mostly field reads, comparisons and string
//! building, and with `Dynamic` each read allocated a string for a value the request already
//! holds, and every copy, comparison and drop went through `Dynamic`'s full, out-of-line match
//! (500–1,000 instructions per statement). Here strings of the request and of the engine are
//! borrowed, scalars are plain values, and only arrays, maps and the `req`/`params` wrappers
//! are Rhai's types.

use rhai::{Array, Dynamic, Identifier, ImmutableString, Map, Shared};

use crate::path::Step;

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
                    Found::List(_) => "array",
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

/// A part of a request as a Rhai value. Implemented for every request type by the macros of
/// `request.rs`, so that a new field cannot be forgotten here.
pub trait ToRhai {
    fn to_rhai(&self) -> Dynamic;
}

/// A value inside a request, read by path without building the rules' view of the whole
/// request. Most rules only read fields by literal path (`need(req, "agreement.status")`): their
/// compiled form asks the typed request for that one value, so a decision whose rules all run
/// compiled never builds `req` at all (the Rhai maps and strings of a whole request were a
/// quarter of a decision).
///
/// `lookup` must find exactly what `functions::walk` finds in [`ToRhai::to_rhai`]'s value:
/// `None` for an absent field, an index past the end, or a step into a scalar or null
/// (tests/convert.rs compares the two over every path of many requests).
pub(crate) trait Lookup: ToRhai + AsLookup + Sync {
    /// The part of the request at `steps`. A scalar: only the empty path finds it.
    fn node(&self, steps: &[Step]) -> Option<&dyn Lookup> {
        steps.is_empty().then_some(self.as_lookup())
    }

    fn lookup(&self, steps: &[Step]) -> Option<Dynamic>
    where
        Self: Sized,
    {
        self.node(steps).map(|node| node.to_rhai())
    }

    /// This part as the compiled form holds it: a string borrowed from the request, a number or
    /// boolean as it is, and a list or an object described rather than converted (the compiled
    /// rules hold those as views into the typed request, `compiled::value::View`).
    fn found_val(&self) -> Found<'_> {
        Found::Value(Val::from_dynamic(self.to_rhai()))
    }
}

/// A part of the request as a [`Lookup`] trait object, also from the trait's own default
/// methods (so that a compiled rule can hold a list or object of the request as a reference to
/// it and read on from there: `compiled::value::View`).
pub(crate) trait AsLookup {
    fn as_lookup(&self) -> &dyn Lookup;
}

impl<T: Lookup> AsLookup for T {
    fn as_lookup(&self) -> &dyn Lookup {
        self
    }
}

/// What [`Lookup::found_val`] found.
pub(crate) enum Found<'r> {
    /// A scalar (a string borrowed), or free JSON converted.
    Value(Val<'r>),
    /// A list of this many items.
    List(usize),
    /// An object.
    Object,
}

impl Lookup for bool {
    fn found_val(&self) -> Found<'_> {
        Found::Value(Val::Bool(*self))
    }
}
impl Lookup for i64 {
    fn found_val(&self) -> Found<'_> {
        Found::Value(Val::Int(*self))
    }
}
impl Lookup for f64 {
    fn found_val(&self) -> Found<'_> {
        Found::Value(Val::Float(*self))
    }
}
impl<T: Lookup> Lookup for Vec<T> {
    fn node(&self, steps: &[Step]) -> Option<&dyn Lookup> {
        match steps.split_first() {
            None => Some(self),
            Some((Step::Index(i), rest)) => self.get(*i)?.node(rest),
            Some((Step::Key(_), _)) => None,
        }
    }

    fn found_val(&self) -> Found<'_> {
        Found::List(self.len())
    }
}

/// Free JSON (rare and small) is walked as its rules' view would be: `null` is absent, and
/// what is found is converted whole.
impl Lookup for serde_json::Value {
    fn node(&self, steps: &[Step]) -> Option<&dyn Lookup> {
        use serde_json::Value;
        match (self, steps.split_first()) {
            (Value::Null, _) => None,
            (_, None) => Some(self),
            (Value::Object(entries), Some((Step::Key(key), rest))) => {
                entries.get(key.as_str())?.node(rest)
            }
            (Value::Array(items), Some((Step::Index(i), rest))) => items.get(*i)?.node(rest),
            _ => None,
        }
    }
}

/// A Rhai string (`Dynamic::from(&str)` would resolve to the generic, `'static` constructor).
pub(crate) fn text(s: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(s))
}

impl ToRhai for bool {
    fn to_rhai(&self) -> Dynamic {
        Dynamic::from_bool(*self)
    }
}

impl ToRhai for i64 {
    fn to_rhai(&self) -> Dynamic {
        Dynamic::from_int(*self)
    }
}

impl ToRhai for f64 {
    fn to_rhai(&self) -> Dynamic {
        Dynamic::from_float(*self)
    }
}

impl<T: ToRhai> ToRhai for Vec<T> {
    fn to_rhai(&self) -> Dynamic {
        Dynamic::from_array(self.iter().map(ToRhai::to_rhai).collect::<Array>())
    }
}

/// Free JSON, converted as serde would: a `u64` beyond `i64` becomes a float, null `()`.
impl ToRhai for serde_json::Value {
    fn to_rhai(&self) -> Dynamic {
        use serde_json::Value;
        match self {
            Value::Null => Dynamic::UNIT,
            Value::Bool(b) => Dynamic::from_bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Dynamic::from_int(i),
                (None, Some(u)) => Dynamic::from_float(u as f64),
                (None, None) => Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => text(s),
            Value::Array(items) => {
                Dynamic::from_array(items.iter().map(ToRhai::to_rhai).collect::<Array>())
            }
            Value::Object(entries) => Dynamic::from_map(map_of(
                entries
                    .iter()
                    .map(|(k, v)| (k.as_str().into(), v.to_rhai())),
            )),
        }
    }
}

/// A map (a Rhai map, a rule's clauses) from its entries, by inserting them (a later entry with
/// the same key wins, as in `collect`). Not `collect`: collecting into a `BTreeMap` sorts the
/// entries first, and each call site, with an iterator type of its own, was its own copy of the
/// standard stable sort in the wasm module, ~4 KB each. The maps
/// built here (parameters, constants in rules, JSON objects, clauses) are small.
pub(crate) fn map_of<K: Ord, V>(
    entries: impl IntoIterator<Item = (K, V)>,
) -> std::collections::BTreeMap<K, V> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in entries {
        map.insert(key, value);
    }
    map
}

/// A struct's map from its present fields; `keys` pairs each key with its field's index in
/// `values`. Absent fields are not in the rules' view.
///
/// Inserting in declaration order made half of the conversion's time comparing keys: a
/// `BTreeMap` node is searched linearly, so each insert compared its key with about half of
/// those already there. In descending key order each insert stops at the first key, and
/// building the map in one sweep (`collect`) measured slower still (it moves every entry
/// three times). The keys are made once per type and cloned (a copy: they are short).
pub(crate) fn struct_map<const N: usize>(
    keys: &[(usize, Identifier)],
    mut values: [Option<Dynamic>; N],
) -> Dynamic {
    let mut map = Map::new();
    for (i, key) in keys {
        if let Some(value) = values.get_mut(*i).and_then(Option::take) {
            map.insert(key.clone(), value);
        }
    }
    Dynamic::from_map(map)
}

/// The keys of a struct's map with the index of their field, in descending key order.
pub(crate) fn descending_keys(names: &[&str]) -> Vec<(usize, Identifier)> {
    let mut keys: Vec<(usize, Identifier)> =
        names.iter().map(|n| (*n).into()).enumerate().collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1));
    keys
}

/// How the evaluator holds the request (`req`) and the parameters (`params`) when a rule uses
/// them as values: behind a [`Shared`] pointer, so that passing them around is a reference
/// count, and marked, so that nothing a rule does can write to them.
#[derive(Clone)]
pub struct ReadOnly {
    /// The constant's name in the rules, for the error when a rule tries to write to it.
    name: &'static str,
    value: Shared<Dynamic>,
}

impl ReadOnly {
    pub fn wrap(name: &'static str, value: Dynamic) -> Dynamic {
        Dynamic::from(ReadOnly::new(name, value))
    }

    pub fn new(name: &'static str, value: Dynamic) -> ReadOnly {
        ReadOnly {
            name,
            value: Shared::new(value),
        }
    }

    /// The value behind the pointer, for the compiled form of the rules (which reads it in place).
    pub fn inner(&self) -> &Dynamic {
        &self.value
    }

    /// The constant's name in the rules.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// A member, itself read-only so that `req.data_assets.push(x)` is refused as before.
    pub fn member(&self, key: &str) -> Dynamic {
        match self.value.as_map_ref() {
            Ok(map) => map
                .get(key)
                .cloned()
                .map_or(Dynamic::UNIT, Dynamic::into_read_only),
            Err(_) => Dynamic::UNIT,
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.value
            .as_map_ref()
            .is_ok_and(|map| map.contains_key(key))
    }
}
