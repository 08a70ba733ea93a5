//! Embeds the default pack (`rules/`) into the library, so the binary and the wasm module carry
//! their rules with them and `Pack::embedded()` needs no file system; and lowers its rules now,
//! with the library's own rule-language code (`src/lang`), so that an engine of the default pack
//! parses nothing at start-up (an edge function's cold start) and the edge module can leave the
//! parser out.

use std::fs;
use std::path::{Path, PathBuf};

// The rule language compiles on its own: it depends on nothing of the library but `path` and
// `value`.
#[allow(dead_code)]
#[path = "src/path.rs"]
mod path;

#[allow(dead_code)]
#[path = "src/value.rs"]
mod value;

#[path = "src/digest.rs"]
mod digest;

#[path = "src/header.rs"]
mod header;

#[allow(dead_code)]
#[path = "src/json/packed.rs"]
mod packed;

#[allow(dead_code)]
#[path = "src/lang/mod.rs"]
mod lang;

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rhai" | "json")
        ) {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    // The pack's test cases ride along natively (so `cloudgate test` works on the embedded
    // pack) but are left out of the wasm module, where every kilobyte is paid at cold start.
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        files.retain(|(rel, _)| !rel.starts_with("tests/"));
    }
    files.sort();
    // Each file's text once (`F0`, `F1`…), named by `FILES` and, for rules, by `RULES`.
    let mut code = String::new();
    for (i, (_, path)) in files.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "static F{i}: &str = include_str!({:?});\n",
            path.display().to_string()
        ));
    }
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for (i, (rel, _)) in files.iter().enumerate() {
        code.push_str(&format!("    ({rel:?}, F{i}),\n"));
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    code.push_str(&pack_facts(&files, &out_dir));
    let out = out_dir.join("embedded_pack.rs");
    if let Err(e) = fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
    for dir in [
        "src/lang",
        "src/path.rs",
        "src/value.rs",
        "src/digest.rs",
        "src/header.rs",
        "src/json/packed.rs",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
}

/// The rule `source` lowered and written to `out`, for `include_bytes!`; `false` when it does not
/// load (the engine then loads it from source and reports it, as it would any rule). The
/// limits that shape a parse are the engine's defaults (`Limits::default`); an engine with
/// others parses the rules itself.
fn lower_rule(rel: &str, source: &str, out: &Path) -> bool {
    let parser = lang::parse::Parser::new(lang::parse::ParseLimits::DEFAULT);
    match parser.compile(source) {
        Ok(program) => match postcard::to_allocvec(&program) {
            Ok(bytes) => match fs::write(out, bytes) {
                Ok(()) => true,
                Err(e) => {
                    println!("cargo:warning=cannot write {}: {e}", out.display());
                    false
                }
            },
            Err(e) => {
                println!("cargo:warning={rel}: cannot write its lowered form: {e}");
                false
            }
        },
        Err(e) => {
            println!("cargo:warning={rel}: {}", e.message);
            false
        }
    }
}

/// What `Pack::embedded` reads of the default pack, already read: the manifest's name, version,
/// description and parameters (as code that builds them), each rule's file, text and header
/// entries; and the number of rules and the digest, for `Pack::digest` to recognise the pack
/// unchanged without hashing it.
fn pack_facts(files: &[(String, PathBuf)], out_dir: &Path) -> String {
    let manifest = files
        .iter()
        .find(|(rel, _)| rel == "pack.json")
        .and_then(|(_, path)| fs::read_to_string(path).ok())
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .unwrap_or_default();
    let text = |key: &str| {
        manifest
            .get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (name, version, description) = (text("name"), text("version"), text("description"));
    let params = serde_json::Value::Object(
        manifest
            .get("params")
            .and_then(serde_json::Value::as_object)
            .cloned()
            .unwrap_or_default(),
    );
    // The rules as `Pack::from_sources` takes them: every `.rhai` outside `tests/`, by file.
    let mut rules: Vec<(String, usize, String)> = files
        .iter()
        .enumerate()
        .filter(|(_, (rel, _))| rel.ends_with(".rhai") && !rel.starts_with("tests/"))
        .filter_map(|(i, (rel, path))| Some((rel.clone(), i, fs::read_to_string(path).ok()?)))
        .collect();
    rules.sort();
    let digest = digest::pack_digest(
        &name,
        &version,
        &params.to_string(),
        rules.iter().map(|(f, _, s)| (f.as_str(), s.as_str())),
    );
    let mut code = format!(
        "pub static NAME: &str = {name:?};\npub static VERSION: &str = {version:?};\npub static DESCRIPTION: &str = {description:?};\npub static RULE_COUNT: usize = {};\npub static DIGEST: &str = {digest:?};\n",
        rules.len()
    );
    let packed = postcard::to_allocvec(&packed::Packed::of(&params)).unwrap_or_default();
    code.push_str(&format!("pub static PARAMS: &[u8] = &{packed:?};\n"));
    // Each rule: its file, its text, where its header's keys and values are in the text, and
    // its lowered form (`None`: the engine loads it from source).
    code.push_str("/// Where a header entry's key and value are in the rule's text: `(key from, key to, value from, value to)`.\n");
    code.push_str("pub type Span = (usize, usize, usize, usize);\n");
    code.push_str("/// A rule: file, text, header entries, lowered form.\n");
    code.push_str(
        "pub type Rule = (&'static str, &'static str, &'static [Span], Option<&'static [u8]>);\n",
    );
    code.push_str("pub static RULES: &[Rule] = &[\n");
    for (rel, i, source) in &rules {
        let lowered = out_dir.join(format!("rule-{i}.postcard"));
        let form = if lower_rule(rel, source, &lowered) {
            format!("Some(include_bytes!({:?}))", lowered.display().to_string())
        } else {
            "None".to_string()
        };
        // A header that does not read is left to `Pack::embedded`'s checks with no entries,
        // which then reports the missing id.
        // Where each key and value is in the text, so that the text is not stored twice.
        let at = |part: &str| part.as_ptr() as usize - source.as_ptr() as usize;
        let entries = header::entries(source).unwrap_or_default();
        let entries: Vec<String> = entries
            .iter()
            .map(|(_, key, value)| {
                format!(
                    "({}, {}, {}, {})",
                    at(key),
                    at(key) + key.len(),
                    at(value),
                    at(value) + value.len()
                )
            })
            .collect();
        code.push_str(&format!(
            "    ({rel:?}, F{i}, &[{}], {form}),\n",
            entries.join(", ")
        ));
    }
    code.push_str("];\n");
    code
}
