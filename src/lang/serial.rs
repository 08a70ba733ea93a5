//! How the parts of a lowered rule that are Rhai's types (constants, strings, parsed paths)
//! are written and read: `build.rs` writes the default pack's rules lowered, the engine reads
//! them back.

use rhai::{Dynamic, ImmutableString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A constant of a rule, in the value types Rhai literals produce (the lowering refuses others).
#[derive(Serialize, Deserialize)]
enum Lit {
    Unit,
    Bool(bool),
    Int(i64),
    Float(f64),
    Char(char),
    Str(String),
    Array(Vec<Lit>),
    Map(Vec<(String, Lit)>),
}

impl Lit {
    fn of(value: &Dynamic) -> Option<Lit> {
        if value.is_unit() {
            return Some(Lit::Unit);
        }
        if let Ok(b) = value.as_bool() {
            return Some(Lit::Bool(b));
        }
        if let Ok(i) = value.as_int() {
            return Some(Lit::Int(i));
        }
        if let Ok(f) = value.as_float() {
            return Some(Lit::Float(f));
        }
        if let Ok(c) = value.as_char() {
            return Some(Lit::Char(c));
        }
        if let Some(s) = value.read_lock::<ImmutableString>() {
            return Some(Lit::Str(s.as_str().to_string()));
        }
        if let Some(items) = value.read_lock::<rhai::Array>() {
            return items
                .iter()
                .map(Lit::of)
                .collect::<Option<_>>()
                .map(Lit::Array);
        }
        if let Some(map) = value.read_lock::<rhai::Map>() {
            return map
                .iter()
                .map(|(k, v)| Lit::of(v).map(|v| (k.as_str().to_string(), v)))
                .collect::<Option<_>>()
                .map(Lit::Map);
        }
        None
    }

    fn into_dynamic(self) -> Dynamic {
        match self {
            Lit::Unit => Dynamic::UNIT,
            Lit::Bool(b) => Dynamic::from_bool(b),
            Lit::Int(i) => Dynamic::from_int(i),
            Lit::Float(f) => Dynamic::from_float(f),
            Lit::Char(c) => Dynamic::from_char(c),
            Lit::Str(s) => Dynamic::from(s),
            Lit::Array(items) => {
                Dynamic::from_array(items.into_iter().map(Lit::into_dynamic).collect())
            }
            Lit::Map(entries) => {
                let mut map = rhai::Map::new();
                for (k, v) in entries {
                    map.insert(k.into(), v.into_dynamic());
                }
                Dynamic::from_map(map)
            }
        }
    }
}

pub(super) mod constant {
    use super::*;
    use crate::value::Val;

    pub fn serialize<S: Serializer>(value: &Val<'static>, s: S) -> Result<S::Ok, S::Error> {
        let value = value.clone().into_dynamic();
        match Lit::of(&value) {
            Some(lit) => lit.serialize(s),
            None => Err(serde::ser::Error::custom(format!(
                "a constant of type {} cannot be written",
                value.type_name()
            ))),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Val<'static>, D::Error> {
        Lit::deserialize(d).map(|lit| Val::from_dynamic(lit.into_dynamic()))
    }
}

pub(super) mod text {
    use super::*;

    pub fn serialize<S: Serializer>(value: &ImmutableString, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ImmutableString, D::Error> {
        String::deserialize(d).map(ImmutableString::from)
    }
}

pub(super) mod steps {
    use super::*;
    use crate::path::Step;

    #[derive(Serialize, Deserialize)]
    enum Repr {
        Key(String),
        Index(u64),
    }

    pub fn serialize<S: Serializer>(steps: &[Step], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(steps.iter().map(|step| match step {
            Step::Key(k) => Repr::Key(k.as_str().to_string()),
            Step::Index(i) => Repr::Index(*i as u64),
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Step>, D::Error> {
        let steps = Vec::<Repr>::deserialize(d)?;
        steps
            .into_iter()
            .map(|r| match r {
                Repr::Key(k) => Ok(Step::Key(k.into())),
                Repr::Index(i) => usize::try_from(i)
                    .map(Step::Index)
                    .map_err(|_| serde::de::Error::custom("path index out of range")),
            })
            .collect()
    }
}
