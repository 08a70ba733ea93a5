//! The default pack, already compiled: its rules' compiled form written at development time to
//! `default_pack.postcard` and read back when an engine is built.
//!
//! Why: building an engine spent nearly all its time in Rhai's tokenizer and parser (about
//! 10 ms natively, 110–150 ms in wasm, where it is the cold start of an edge function or a
//! browser tab). With the compiled form shipped, building the default engine parses no rule;
//! a rule's Rhai syntax tree is compiled only if the rule ever needs Rhai (it is not compiled,
//! or its compiled run hands it back, see [`super`]).
//!
//! Staying right when things change: each entry carries the rule's id and a hash of its source,
//! and the file carries a fingerprint of the code that defines the compiled form and a copy of
//! the limits that shape Rhai's parse. A rule whose entry does not match exactly (edited rules, a
//! custom pack, other limits, a changed compiled form) is compiled from source as before, so a
//! stale file makes an engine slower to build, never different. `tests/precompiled.rs` fails
//! while the file is stale (`make precompile` rewrites it).

use serde::{Deserialize, Serialize};

use super::Program;
use crate::decision::{Actor, Severity};
use crate::engine::Limits;
use crate::pack::{Pack, RuleMeta};
use crate::request::Scenario;

/// The committed file.
static DEFAULT_PACK: &[u8] = include_bytes!("default_pack.postcard");

/// Changes whenever the code that defines the compiled form or produces it changes (line
/// endings aside), so that a file written by other code is never read as this code's.
const FORMAT: u64 = hash_text(include_str!("mod.rs").as_bytes())
    ^ hash_text(include_str!("lower.rs").as_bytes()).rotate_left(21)
    ^ hash_text(include_str!("serial.rs").as_bytes()).rotate_left(42)
    ^ hash_text(include_str!("../functions.rs").as_bytes()).rotate_left(7)
    ^ hash_text(include_str!("../pack.rs").as_bytes()).rotate_left(35);

#[derive(Serialize, Deserialize)]
struct Artifact<'a> {
    format: u64,
    limits: [u64; 5],
    /// [`Pack::fingerprint`] and [`Pack::digest`] of the pack written (the embedded one).
    pack_fingerprint: u64,
    pack_digest: &'a str,
    /// The pack written, if it is the embedded one unchanged: what [`Pack::embedded`] reads, so
    /// that the default engine can be built from this file alone (see [`Shipped`]).
    #[serde(borrow)]
    shipped: Option<ShippedManifest<'a>>,
    #[serde(borrow)]
    rules: Vec<Entry<'a>>,
}

/// What the default engine needs of the embedded pack's manifest, and a hash of the embedded
/// files it was read from.
#[derive(Serialize, Deserialize)]
struct ShippedManifest<'a> {
    /// [`crate::pack::EMBEDDED_FILES_HASH`] of the build that wrote the file.
    files_hash: u64,
    name: &'a str,
    version: &'a str,
    #[serde(borrow)]
    params: Param<'a>,
}

/// A parameter value: free JSON in a form postcard can hold, turned into the rules' value
/// directly (reading it as JSON text instead ran serde_json's whole value parser, a tenth of
/// the code a cold default engine compiled in wasm).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Param<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(&'a str),
    #[serde(borrow)]
    List(Vec<Param<'a>>),
    #[serde(borrow)]
    Map(Vec<(&'a str, Param<'a>)>),
}

impl<'a> Param<'a> {
    fn of(value: &'a serde_json::Value) -> Param<'a> {
        use serde_json::Value;
        match value {
            Value::Null => Param::Null,
            Value::Bool(b) => Param::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Param::Int(i),
                (None, f) => Param::Float(f.unwrap_or(f64::NAN)),
            },
            Value::String(s) => Param::Text(s),
            Value::Array(items) => Param::List(items.iter().map(Param::of).collect()),
            Value::Object(entries) => Param::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.as_str(), Param::of(v)))
                    .collect(),
            ),
        }
    }

    /// The value `crate::convert::ToRhai` makes of the JSON this came from (unit test below).
    fn to_rhai(&self) -> rhai::Dynamic {
        use rhai::Dynamic;
        match self {
            Param::Null => Dynamic::UNIT,
            Param::Bool(b) => Dynamic::from_bool(*b),
            Param::Int(i) => Dynamic::from_int(*i),
            Param::Float(f) => Dynamic::from_float(*f),
            Param::Text(s) => crate::convert::text(s),
            Param::List(items) => {
                Dynamic::from_array(items.iter().map(Param::to_rhai).collect::<rhai::Array>())
            }
            Param::Map(entries) => Dynamic::from_map(crate::convert::map_of(
                entries.iter().map(|(k, v)| ((*k).into(), v.to_rhai())),
            )),
        }
    }
}

/// A rule's header as [`crate::pack`] reads it (borrowed; postcard needs every field present,
/// which [`RuleMeta`]'s own serde form does not promise).
#[derive(Serialize, Deserialize)]
struct Meta<'a> {
    title: &'a str,
    severity: Severity,
    scenarios: Vec<Scenario>,
    actor: Option<Actor>,
    #[serde(borrow)]
    clauses: Vec<(&'a str, Vec<&'a str>)>,
    description: &'a str,
    file: &'a str,
}

#[derive(Serialize, Deserialize)]
struct Entry<'a> {
    id: &'a str,
    source_hash: u64,
    /// The compiled form, itself postcard: decoded when the rule first runs, so that building
    /// an engine reads only ids and hashes (a scenario runs 16 of the 53 rules, and decoding
    /// all of them was the largest part of an engine's start after the header parsing).
    /// `None`: the rule compiles in Rhai but has no compiled form (it always runs in Rhai).
    #[serde(borrow)]
    program: Option<&'a [u8]>,
    #[serde(borrow)]
    meta: Meta<'a>,
}

impl Meta<'_> {
    fn of(meta: &RuleMeta) -> Meta<'_> {
        Meta {
            title: &meta.title,
            severity: meta.severity,
            scenarios: meta.scenarios.clone(),
            actor: meta.actor,
            clauses: meta
                .clauses
                .iter()
                .map(|(family, list)| (family.as_str(), list.iter().map(String::as_str).collect()))
                .collect(),
            description: &meta.description,
            file: &meta.file,
        }
    }

    fn to_rule_meta(&self, id: &str) -> RuleMeta {
        RuleMeta {
            id: id.to_string(),
            title: self.title.to_string(),
            severity: self.severity,
            scenarios: self.scenarios.clone(),
            actor: self.actor,
            clauses: crate::convert::map_of(self.clauses.iter().map(|(family, list)| {
                (
                    family.to_string(),
                    list.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                )
            })),
            description: self.description.to_string(),
            file: self.file.to_string(),
        }
    }
}

/// What the precompiled pack offers an engine being built: per rule, its compiled form if the
/// rule's source is the one the file was written from.
pub(crate) struct Precompiled {
    pack_fingerprint: u64,
    pack_digest: &'static str,
    shipped: Option<ShippedManifest<'static>>,
    rules: Vec<Entry<'static>>,
}

/// The embedded pack as the file holds it, for building the default engine without reading
/// the pack's files: no rule header is parsed, no source hashed, no `pack.json` read. Offered
/// only when the file was written from exactly the files embedded in this build.
pub(crate) struct Shipped {
    pub name: &'static str,
    pub version: &'static str,
    /// The parameters, still in the file's form.
    pub params: ShippedParams,
    pub digest: &'static str,
    /// Per rule, in the pack's order (by id): its header and its compiled form, still encoded.
    pub rules: Vec<(RuleMeta, Option<&'static [u8]>)>,
}

/// The shipped parameters as the file holds them. Their value for the rules (a read-only map
/// of lists and maps) is built when a decision first reads more than a scalar member: the
/// termination rules read scalars only, and in wasm building that value in a fresh instance
/// (conversions, a sorted map, its wrapper: code V8 compiles on first call) was ~0.5 ms of a
/// ~4 ms default engine.
pub(crate) struct ShippedParams(Param<'static>);

impl ShippedParams {
    /// The parameters as the rules see them: what `crate::convert::ToRhai` makes of the JSON.
    pub fn to_rhai(&self) -> rhai::Dynamic {
        self.0.to_rhai()
    }

    /// A map of only the members named, as the rules would see them: what
    /// [`crate::jurisdictions::Jurisdictions`] reads, without building the rest.
    pub fn members_to_rhai(&self, names: &[&str]) -> rhai::Dynamic {
        let members: &[(&'static str, Param<'static>)] = match &self.0 {
            Param::Map(members) => members,
            _ => &[],
        };
        rhai::Dynamic::from_map(crate::convert::map_of(
            members
                .iter()
                .filter(|(name, _)| names.contains(name))
                .map(|(name, value)| ((*name).into(), value.to_rhai())),
        ))
    }

    /// The members that are scalars (null, boolean, number, string), by name in the file's
    /// order, which is the names' (a `serde_json::Map` written in its order).
    pub fn scalars(&self) -> impl Iterator<Item = (&'static str, rhai::Dynamic)> + '_ {
        let members: &[(&'static str, Param<'static>)] = match &self.0 {
            Param::Map(members) => members,
            _ => &[],
        };
        members
            .iter()
            .filter(|(_, value)| !matches!(value, Param::List(_) | Param::Map(_)))
            .map(|(name, value)| (*name, value.to_rhai()))
    }
}

/// One rule found in the precompiled pack.
pub(crate) struct Found {
    /// Its compiled form, still encoded (see [`decode`]); `None` if it has none.
    pub program: Option<&'static [u8]>,
}

/// A compiled form from the file. `None` only if the file is damaged, which the format check
/// and tests/precompiled.rs rule out; the engine then treats the rule as not precompiled.
pub(crate) fn decode(bytes: &[u8]) -> Option<Program> {
    postcard::from_bytes(bytes).ok()
}

/// The limits that change what Rhai's parser accepts or how it folds constants.
fn parse_limits(limits: &Limits) -> [u64; 5] {
    let n = |v: usize| v as u64;
    [
        n(limits.max_expr_depth),
        n(limits.max_function_expr_depth),
        n(limits.max_string_size),
        n(limits.max_array_size),
        n(limits.max_map_size),
    ]
}

impl Precompiled {
    /// The shipped file, if it was written by this code for these limits.
    pub(crate) fn load(limits: &Limits) -> Option<Precompiled> {
        let artifact: Artifact<'static> = postcard::from_bytes(DEFAULT_PACK).ok()?;
        (artifact.format == FORMAT && artifact.limits == parse_limits(limits)).then_some(
            Precompiled {
                pack_fingerprint: artifact.pack_fingerprint,
                pack_digest: artifact.pack_digest,
                shipped: artifact.shipped,
                rules: artifact.rules,
            },
        )
    }

    /// The embedded pack, if the file was written from the very files this build embeds.
    pub(crate) fn shipped(self) -> Option<Shipped> {
        let m = self.shipped?;
        if m.files_hash != crate::pack::EMBEDDED_FILES_HASH {
            return None;
        }
        Some(Shipped {
            name: m.name,
            version: m.version,
            params: ShippedParams(m.params),
            digest: self.pack_digest,
            rules: self
                .rules
                .iter()
                .map(|e| (e.meta.to_rule_meta(e.id), e.program))
                .collect(),
        })
    }

    /// The digest of `pack` if it is the embedded pack this file was written from.
    pub(crate) fn digest_of(&self, pack: &Pack) -> Option<String> {
        (pack.is_embedded() && pack.fingerprint() == self.pack_fingerprint)
            .then(|| self.pack_digest.to_string())
    }

    /// The entry for this rule, if its source is the one the entry was compiled from.
    pub(crate) fn find(&self, id: &str, source: &str) -> Option<Found> {
        let entry = self.rules.iter().find(|e| e.id == id)?;
        if entry.source_hash != hash_text(source.as_bytes()) {
            return None;
        }
        Some(Found {
            program: entry.program,
        })
    }
}

/// Writes the precompiled pack. `rules`: (id, source, compiled form) of every rule that
/// compiles in Rhai with `limits`; a compiled form whose constants cannot be written is left
/// out (that rule is then compiled when an engine is built).
pub(crate) fn write<'a>(
    pack: &Pack,
    limits: &Limits,
    rules: impl IntoIterator<Item = (&'a str, &'a str, Option<Program>)>,
) -> Result<Vec<u8>, String> {
    let metas: std::collections::BTreeMap<&str, &RuleMeta> = pack
        .rules
        .iter()
        .map(|r| (r.meta.id.as_str(), &r.meta))
        .collect();
    let mut encoded = Vec::new();
    for (id, source, program) in rules {
        // A rule whose compiled form cannot be written is simply not precompiled.
        let bytes = match program {
            Some(program) => match postcard::to_allocvec(&program) {
                Ok(bytes) => Some(bytes),
                Err(_) => continue,
            },
            None => None,
        };
        let meta = metas
            .get(id)
            .ok_or_else(|| format!("rule {id} is not in the pack"))?;
        encoded.push((id, hash_text(source.as_bytes()), bytes, *meta));
    }
    let digest = pack.digest();
    let fingerprint = pack.fingerprint();
    let params = serde_json::Value::Object(pack.manifest.params.clone());
    // Only a file written from the embedded pack as it loads, with every rule of it, may stand
    // in for that pack.
    let unchanged = Pack::embedded().is_ok_and(|p| p.fingerprint() == fingerprint)
        && encoded.len() == pack.rules.len();
    let artifact = Artifact {
        format: FORMAT,
        limits: parse_limits(limits),
        pack_fingerprint: fingerprint,
        pack_digest: &digest,
        shipped: unchanged.then(|| ShippedManifest {
            files_hash: crate::pack::EMBEDDED_FILES_HASH,
            name: &pack.manifest.name,
            version: &pack.manifest.version,
            params: Param::of(&params),
        }),
        rules: encoded
            .iter()
            .map(|(id, source_hash, bytes, meta)| Entry {
                id,
                source_hash: *source_hash,
                program: bytes.as_deref(),
                meta: Meta::of(meta),
            })
            .collect(),
    };
    postcard::to_allocvec(&artifact).map_err(|e| e.to_string())
}

/// The hash of a rule's source, skipping carriage returns so that a checkout with CRLF line
/// endings hashes alike. Not a defence against a crafted collision, and it need not be: a custom
/// rule that collided with a default rule would get that (public, shipped) rule's behaviour,
/// nothing more.
const fn hash_text(bytes: &[u8]) -> u64 {
    SourceHash::new().update(bytes).finish()
}

/// The streaming hash behind [`hash_text`] and [`Pack::fingerprint`]. An engine's start hashes every
/// rule's source twice (its entry here, the pack's fingerprint): FNV-1a a byte at a time was a
/// fifth of the native start and more in wasm's baseline code, so this mixes eight bytes at a
/// time (FNV's offset basis, a multiply-rotate step per word, murmur3's finalizer). Carriage
/// returns are left out of the words, so the hash depends only on the other bytes, in order.
#[derive(Clone, Copy)]
pub(crate) struct SourceHash {
    hash: u64,
    /// Bytes waiting for a full word (little-endian), and how many.
    word: u64,
    filled: u32,
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// Whether any byte of `word` is a carriage return (the exact zero-byte test).
const fn has_cr(word: u64) -> bool {
    let v = word ^ (ONES * b'\r' as u64);
    v.wrapping_sub(ONES) & !v & (ONES << 7) != 0
}

const fn mix(hash: u64, word: u64) -> u64 {
    (hash ^ word)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(29)
}

impl SourceHash {
    pub(crate) const fn new() -> SourceHash {
        SourceHash {
            hash: 0xcbf2_9ce4_8422_2325,
            word: 0,
            filled: 0,
        }
    }

    #[must_use]
    pub(crate) const fn update(mut self, bytes: &[u8]) -> SourceHash {
        let mut rest = bytes;
        loop {
            if self.filled == 0 {
                if let [a, b, c, d, e, f, g, h, tail @ ..] = rest {
                    let word = u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h]);
                    if !has_cr(word) {
                        self.hash = mix(self.hash, word);
                        rest = tail;
                        continue;
                    }
                }
            }
            let [byte, tail @ ..] = rest else {
                return self;
            };
            if *byte != b'\r' {
                self.word |= (*byte as u64) << (8 * self.filled);
                self.filled += 1;
                if self.filled == 8 {
                    self.hash = mix(self.hash, self.word);
                    self.word = 0;
                    self.filled = 0;
                }
            }
            rest = tail;
        }
    }

    pub(crate) const fn finish(self) -> u64 {
        let mut h = mix(self.hash, self.word) ^ self.filled as u64;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::{Param, SourceHash};
    use crate::convert::ToRhai;

    /// The default engine's parameters, from the file, are the value the long way makes of
    /// `pack.json`'s, for every kind of JSON value.
    #[test]
    fn a_parameter_from_the_file_is_the_value_its_json_makes() {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"n": null, "t": true, "f": false, "i": -3, "big": 18446744073709551615,
                "x": 2.5, "e": 1e300, "s": "é\"", "empty": [], "m": {},
                "nested": {"a": [1, "b", {"c": [null, 0.1]}], "z": {"y": {}}}}"#,
        )
        .unwrap();
        let param = Param::of(&json);
        let bytes = postcard::to_allocvec(&param).unwrap();
        let back: Param = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, param);
        assert_eq!(
            format!("{:?}", back.to_rhai()),
            format!("{:?}", json.to_rhai())
        );
        let real: serde_json::Value =
            serde_json::from_str(include_str!("../../rules/pack.json")).unwrap();
        assert_eq!(
            format!("{:?}", Param::of(&real["params"]).to_rhai()),
            format!("{:?}", real["params"].to_rhai())
        );
    }

    /// The word-at-a-time path and the byte path agree, whatever the pieces and the CRs.
    #[test]
    fn the_hash_depends_only_on_the_bytes_other_than_cr() {
        let text = "let a = need(req, \"termination.effective_date\");\nif a > as_of { pass() }\n";
        let whole = SourceHash::new().update(text.as_bytes()).finish();
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(SourceHash::new().update(crlf.as_bytes()).finish(), whole);
        for cut in 0..text.len() {
            let (a, b) = text.as_bytes().split_at(cut);
            assert_eq!(
                SourceHash::new().update(a).update(b).finish(),
                whole,
                "cut at {cut}"
            );
        }
        assert_ne!(
            SourceHash::new().update(b"ab").finish(),
            SourceHash::new().update(b"ab\0").finish()
        );
        assert_ne!(
            SourceHash::new().update(b"abcdefgh").finish(),
            SourceHash::new().update(b"abcdefgi").finish()
        );
    }
}
