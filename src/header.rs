//! A rule file's header: the `//! key: value` lines before its code. A leaf module, so that
//! `build.rs` reads the default pack's headers with the very code the library reads any
//! pack's with, and an engine of the default pack reads none at start-up.

/// One header line: its number, key and value.
pub(crate) type Entry<'a> = (usize, &'a str, &'a str);

/// The header's `(line, key, value)` entries, in order; `Err((message, line))` for a header line
/// that is not `key: value`. Keys are not checked here (see `pack::meta_from`). `key` and
/// `value` are slices of `text` (`build.rs` records where they are).
pub(crate) fn entries(text: &str) -> Result<Vec<Entry<'_>>, (String, usize)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some(body) = line.trim_start().strip_prefix("//!") else {
            if line.trim().is_empty() && out.is_empty() {
                continue;
            }
            break;
        };
        let body = body.trim();
        if body.is_empty() {
            continue;
        }
        let Some((key, value)) = body.split_once(':') else {
            return Err((format!("header line `{body}` is not `key: value`"), n + 1));
        };
        out.push((n + 1, key.trim(), value.trim()));
    }
    Ok(out)
}
