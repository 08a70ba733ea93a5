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

use rhai::{Dynamic, Identifier, ImmutableString};

use crate::calendar::Date;
use crate::path::{parse_path, Step};
use crate::request::{Request, Text};
/// A part of the request (or free JSON) as Rhai's values: for tests and tools.
pub use crate::value::ToRhai;
use crate::value::{descending_keys, struct_map, text, Found, Lookup, Val};

/// The request as the rules see it (`req`).
pub fn to_dynamic(request: &Request) -> Dynamic {
    request.to_rhai()
}

impl Lookup for Text {
    fn found_val(&self) -> Found<'_> {
        Found::Value(Val::Text(self))
    }
}
impl Lookup for Date {}

/// The value at `path` (`a.b[0].c`) of the rules' view of `request`, found without building
/// the view; `None` where the rules' `field` would find nothing. For tests and tools; the
/// engine uses the parsed form.
#[doc(hidden)]
pub fn lookup_path(request: &Request, path: &str) -> Option<Dynamic> {
    request.lookup(&parse_path(path)?)
}

impl ToRhai for Text {
    fn to_rhai(&self) -> Dynamic {
        text(self)
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
