//! Free JSON in a form postcard can write and read (postcard cannot read `serde_json::Value`,
//! which needs a self-describing format). `build.rs` packs the default pack's parameters with
//! it, so that an engine starting reads them without running a JSON parser: in wasm, the parser
//! is code V8 would otherwise compile at cold start. Depends on nothing of the crate.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Read borrowing its strings from the bytes: comparing the default pack's parameters with a
/// pack's copies no string.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum Packed<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(&'a str),
    #[serde(borrow)]
    List(Vec<Packed<'a>>),
    #[serde(borrow)]
    Map(Vec<(&'a str, Packed<'a>)>),
}

impl<'a> Packed<'a> {
    /// (`build.rs` packs with it.)
    #[allow(dead_code)]
    pub(crate) fn of(value: &'a Value) -> Packed<'a> {
        match value {
            Value::Null => Packed::Null,
            Value::Bool(b) => Packed::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Packed::Int(i),
                (None, f) => Packed::Float(f.unwrap_or(f64::NAN)),
            },
            Value::String(s) => Packed::Text(s),
            Value::Array(items) => Packed::List(items.iter().map(Packed::of).collect()),
            Value::Object(entries) => Packed::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.as_str(), Packed::of(v)))
                    .collect(),
            ),
        }
    }

    /// Whether this is `value`, compared member by member without building a `Value`.
    pub(crate) fn is(&self, value: &Value) -> bool {
        match (self, value) {
            (Packed::Null, Value::Null) => true,
            (Packed::Bool(a), Value::Bool(b)) => a == b,
            (Packed::Int(a), Value::Number(n)) => n.as_i64() == Some(*a),
            (Packed::Float(a), Value::Number(n)) => {
                n.as_i64().is_none() && n.as_f64().is_some_and(|b| b.to_bits() == a.to_bits())
            }
            (Packed::Text(a), Value::String(b)) => *a == b,
            (Packed::List(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.is(y))
            }
            (Packed::Map(_), Value::Object(b)) => self.is_map(b),
            _ => false,
        }
    }

    /// [`Self::is`] for a map.
    pub(crate) fn is_map(&self, map: &Map<String, Value>) -> bool {
        match self {
            Packed::Map(entries) => {
                entries.len() == map.len()
                    && entries
                        .iter()
                        .all(|(k, v)| map.get(*k).is_some_and(|found| v.is(found)))
            }
            _ => false,
        }
    }

    pub(crate) fn into_value(self) -> Value {
        match self {
            Packed::Null => Value::Null,
            Packed::Bool(b) => Value::Bool(b),
            Packed::Int(i) => Value::from(i),
            Packed::Float(f) => Value::from(f),
            Packed::Text(s) => Value::String(s.to_string()),
            Packed::List(items) => {
                Value::Array(items.into_iter().map(Packed::into_value).collect())
            }
            Packed::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.to_string(), v.into_value());
                }
                Value::Object(map)
            }
        }
    }
}
