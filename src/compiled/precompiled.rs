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
use crate::engine::Limits;
use crate::pack::Pack;

/// The committed file.
static DEFAULT_PACK: &[u8] = include_bytes!("default_pack.postcard");

/// Changes whenever the code that defines the compiled form or produces it changes (line
/// endings aside), so that a file written by other code is never read as this code's.
const FORMAT: u64 = fnv1a(include_str!("mod.rs").as_bytes())
    ^ fnv1a(include_str!("lower.rs").as_bytes()).rotate_left(21)
    ^ fnv1a(include_str!("serial.rs").as_bytes()).rotate_left(42)
    ^ fnv1a(include_str!("../functions.rs").as_bytes()).rotate_left(7);

#[derive(Serialize, Deserialize)]
struct Artifact {
    format: u64,
    limits: [u64; 5],
    /// [`Pack::fingerprint`] and [`Pack::digest`] of the pack written (the embedded one).
    pack_fingerprint: u64,
    pack_digest: String,
    rules: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    id: String,
    source_hash: u64,
    /// `None`: the rule compiles in Rhai but has no compiled form (it always runs in Rhai).
    program: Option<Program>,
}

/// What the precompiled pack offers an engine being built: per rule, its compiled form if the
/// rule's source is the one the file was written from.
pub(crate) struct Precompiled {
    pack_fingerprint: u64,
    pack_digest: String,
    rules: Vec<Entry>,
}

/// One rule found in the precompiled pack.
pub(crate) struct Found {
    pub program: Option<Program>,
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
        let artifact: Artifact = postcard::from_bytes(DEFAULT_PACK).ok()?;
        (artifact.format == FORMAT && artifact.limits == parse_limits(limits)).then_some(
            Precompiled {
                pack_fingerprint: artifact.pack_fingerprint,
                pack_digest: artifact.pack_digest,
                rules: artifact.rules,
            },
        )
    }

    /// The digest of `pack` if it is the embedded pack this file was written from.
    pub(crate) fn digest_of(&self, pack: &Pack) -> Option<String> {
        (pack.is_embedded() && pack.fingerprint() == self.pack_fingerprint)
            .then(|| self.pack_digest.clone())
    }

    /// The entry for this rule, if its source is the one the entry was compiled from.
    pub(crate) fn take(&mut self, id: &str, source: &str) -> Option<Found> {
        let entry = self.rules.iter_mut().find(|e| e.id == id)?;
        if entry.source_hash != fnv1a(source.as_bytes()) {
            return None;
        }
        Some(Found {
            program: entry.program.take(),
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
    let mut entries = Vec::new();
    for (id, source, program) in rules {
        let entry = Entry {
            id: id.to_string(),
            source_hash: fnv1a(source.as_bytes()),
            program,
        };
        // A rule whose compiled form cannot be written is simply not precompiled.
        if postcard::to_allocvec(&entry).is_ok() {
            entries.push(entry);
        }
    }
    let artifact = Artifact {
        format: FORMAT,
        limits: parse_limits(limits),
        pack_fingerprint: pack.fingerprint(),
        pack_digest: pack.digest(),
        rules: entries,
    };
    postcard::to_allocvec(&artifact).map_err(|e| e.to_string())
}

/// FNV-1a, 64 bits, skipping carriage returns so that a checkout with CRLF line endings hashes
/// alike. Not a defence against a crafted collision, and it need not be: a custom rule that
/// collided with a default rule would get that (public, shipped) rule's behaviour, nothing more.
const fn fnv1a(bytes: &[u8]) -> u64 {
    Fnv::new().update(bytes).finish()
}

/// FNV-1a, streaming (see [`fnv1a`]).
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) const fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    #[must_use]
    pub(crate) const fn update(self, bytes: &[u8]) -> Fnv {
        let mut hash = self.0;
        let mut rest = bytes;
        while let [b, tail @ ..] = rest {
            if *b != b'\r' {
                hash ^= *b as u64;
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
            rest = tail;
        }
        Fnv(hash)
    }

    pub(crate) const fn finish(self) -> u64 {
        self.0
    }
}
