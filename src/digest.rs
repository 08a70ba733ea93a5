//! The pack's digest: `sha256:` over its exact rules and parameters in a canonical order. A leaf
//! module, so that `build.rs` computes the default pack's digest with the very code the library
//! uses for any other pack.

use sha2::{Digest, Sha256};

/// `sha256:<hex>` of a finished SHA-256: how the pack's digest and a request's are written.
pub(crate) fn sha256_label(digest: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(7 + 2 * digest.len());
    out.push_str("sha256:");
    for byte in digest {
        for nibble in [byte >> 4, byte & 15] {
            out.push(char::from(
                HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

/// The digest of a pack named `name` at `version`, with its parameters written as `params`
/// (compact JSON, members in key order: serde_json's map is ordered) and its rules as
/// `(file, source)` pairs in the files' order. Each part is length-prefixed, so no two packs
/// give the same bytes.
pub(crate) fn pack_digest<'a>(
    name: &str,
    version: &str,
    params: &str,
    rules: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(b"cloudgate-pack-v1");
    field(name.as_bytes());
    field(version.as_bytes());
    field(params.as_bytes());
    for (file, source) in rules {
        field(file.as_bytes());
        field(source.as_bytes());
    }
    sha256_label(&h.finalize())
}
