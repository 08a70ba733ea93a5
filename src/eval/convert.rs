//! The rules' view of a request: the typed [`Request`] as one Rhai value, built directly.
//!
//! `rhai::serde::to_dynamic` gives the same value but goes through serde's generic
//! serializer (a type-erased map per struct, a downcast per field); building the maps here is
//! several times cheaper and happens once per decision. The value must stay exactly what
//! `to_dynamic` makes, since rules were written against it (tests/convert.rs compares both):
//! structs are maps without their absent fields, integers `i64`, numbers `f64`, dates and
//! enums strings, lists arrays, and free JSON (`media_disposal_records`) as serde would give it.

use std::cell::RefCell;
use std::sync::OnceLock;

use rhai::{Array, Dynamic, Identifier, ImmutableString, Map};

use super::value::Val;
use crate::calendar::Date;
use crate::path::{parse_path, Step};
use crate::request::{Request, Text};

/// The request as the rules see it (`req`).
pub fn to_dynamic(request: &Request) -> Dynamic {
    request.to_rhai()
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

impl Lookup for Text {
    fn found_val(&self) -> Found<'_> {
        Found::Value(Val::Text(self))
    }
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
impl Lookup for Date {}

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

/// The value at `path` (`a.b[0].c`) of the rules' view of `request`, found without building
/// the view; `None` where the rules' `field` would find nothing. For tests and tools; the
/// engine uses the parsed form.
#[doc(hidden)]
pub fn lookup_path(request: &Request, path: &str) -> Option<Dynamic> {
    request.lookup(&parse_path(path)?)
}

/// A Rhai string (`Dynamic::from(&str)` would resolve to the generic, `'static` constructor).
pub(crate) fn text(s: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(s))
}

impl ToRhai for Text {
    fn to_rhai(&self) -> Dynamic {
        text(self)
    }
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

impl ToRhai for Date {
    /// One shared string per date and thread: rules read the same few dates of a request again
    /// and again (five termination rules read its effective date), and each read wrote the ten
    /// bytes and allocated a string for them. A small table indexed
    /// by the day number; a date that finds its entry taken by another writes its own.
    fn to_rhai(&self) -> Dynamic {
        const ENTRIES: usize = 32;
        type Entries = [Option<(Date, ImmutableString)>; ENTRIES];
        thread_local! {
            static TEXTS: RefCell<Entries> = const { RefCell::new([const { None }; ENTRIES]) };
        }
        let build = || match self.iso_bytes() {
            // What `Display` writes, without a `String` in between.
            Some(bytes) => ImmutableString::from(std::str::from_utf8(&bytes).unwrap_or_default()),
            None => ImmutableString::from(self.to_string()),
        };
        let index = self.day_number().rem_euclid(ENTRIES as i32) as usize;
        let shared = TEXTS.with(|texts| {
            let mut texts = texts.try_borrow_mut().ok()?;
            let entry = texts.get_mut(index)?;
            match entry {
                Some((date, text)) if date == self => Some(text.clone()),
                _ => {
                    let text = build();
                    *entry = Some((*self, text.clone()));
                    Some(text)
                }
            }
        });
        Dynamic::from(shared.unwrap_or_else(build))
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

impl ToRhai for Request {
    fn to_rhai(&self) -> Dynamic {
        // Destructured so that a new field of `Request` does not compile until it is added here.
        let Request {
            request_id,
            scenario,
            as_of,
            requested_by,
            customer,
            provider,
            service,
            agreement,
            data_assets,
            suppliers,
            onboarding,
            termination,
            transfer,
            removal,
        } = self;
        static KEYS: OnceLock<Vec<(usize, Identifier)>> = OnceLock::new();
        let keys = KEYS.get_or_init(|| {
            descending_keys(&[
                "request_id",
                "scenario",
                "as_of",
                "requested_by",
                "customer",
                "provider",
                "service",
                "agreement",
                "data_assets",
                "suppliers",
                "onboarding",
                "termination",
                "transfer",
                "removal",
            ])
        });
        let values = [
            Some(request_id.to_rhai()),
            Some(scenario.to_rhai()),
            as_of.as_ref().map(ToRhai::to_rhai),
            requested_by.as_ref().map(ToRhai::to_rhai),
            customer.as_ref().map(ToRhai::to_rhai),
            provider.as_ref().map(ToRhai::to_rhai),
            service.as_ref().map(ToRhai::to_rhai),
            agreement.as_ref().map(ToRhai::to_rhai),
            data_assets.as_ref().map(ToRhai::to_rhai),
            suppliers.as_ref().map(ToRhai::to_rhai),
            onboarding.as_ref().map(ToRhai::to_rhai),
            termination.as_ref().map(ToRhai::to_rhai),
            transfer.as_ref().map(ToRhai::to_rhai),
            removal.as_ref().map(ToRhai::to_rhai),
        ];
        struct_map(keys, values)
    }
}

impl Lookup for Request {
    fn node(&self, steps: &[Step]) -> Option<&dyn Lookup> {
        let (key, rest) = match steps.split_first() {
            None => return Some(self),
            Some((Step::Key(key), rest)) => (key.as_str(), rest),
            Some((Step::Index(_), _)) => return None,
        };
        // The same keys as `to_rhai` above; tests/convert.rs checks every one.
        match key {
            "request_id" => self.request_id.node(rest),
            "scenario" => self.scenario.node(rest),
            "as_of" => self.as_of.as_ref()?.node(rest),
            "requested_by" => self.requested_by.as_ref()?.node(rest),
            "customer" => self.customer.as_ref()?.node(rest),
            "provider" => self.provider.as_ref()?.node(rest),
            "service" => self.service.as_ref()?.node(rest),
            "agreement" => self.agreement.as_ref()?.node(rest),
            "data_assets" => self.data_assets.as_ref()?.node(rest),
            "suppliers" => self.suppliers.as_ref()?.node(rest),
            "onboarding" => self.onboarding.as_ref()?.node(rest),
            "termination" => self.termination.as_ref()?.node(rest),
            "transfer" => self.transfer.as_ref()?.node(rest),
            "removal" => self.removal.as_ref()?.node(rest),
            _ => None,
        }
    }

    fn found_val(&self) -> Found<'_> {
        Found::Object
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_they_display() {
        let mut day = Date::parse("0001-01-01").unwrap();
        let mut checked = 0;
        loop {
            let value = day.to_rhai().into_immutable_string().unwrap();
            assert_eq!(value.as_str(), day.to_string());
            checked += 1;
            // Every day of four centuries, then one day a week to the end of the range.
            let step = if (1890..2310).contains(&day.year()) {
                1
            } else {
                7
            };
            match day.add_days(step) {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        assert!(checked > 600_000, "{checked}");
        let last = Date::parse("9999-12-31").unwrap();
        assert_eq!(
            last.to_rhai().into_immutable_string().unwrap().as_str(),
            "9999-12-31"
        );
    }

    /// Dates that share an entry of the table of shared strings, read in turn, each read as
    /// itself; a shared string changed by a rule (Rhai copies it on write) leaves the table's.
    #[test]
    fn shared_date_strings_stay_their_dates() {
        let a = Date::parse("2026-09-02").unwrap();
        let b = a.add_days(32).unwrap();
        let c = a.add_days(-64).unwrap();
        for _ in 0..3 {
            for d in [a, b, a, a, c, b] {
                let text = d.to_rhai().into_immutable_string().unwrap();
                assert_eq!(text.as_str(), d.to_string());
            }
        }
        let mut text = a.to_rhai().into_immutable_string().unwrap();
        text += "!";
        assert_eq!(text.as_str(), "2026-09-02!");
        let again = a.to_rhai().into_immutable_string().unwrap();
        assert_eq!(again.as_str(), "2026-09-02");
    }
}
