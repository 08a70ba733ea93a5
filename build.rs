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
    let mut code = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for (rel, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    code.push_str(&pack_facts(&files));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    let out = out_dir.join("embedded_pack.rs");
    if let Err(e) = fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
    for dir in ["src/lang", "src/path.rs", "src/value.rs", "src/digest.rs"] {
        println!("cargo:rerun-if-changed={dir}");
    }
    lower_rules(&files, &out_dir.join("default_programs.postcard"));
}

/// Writes each rule of the default pack lowered: `(file, form)` pairs, in the files' order. The
/// limits that shape a parse are the engine's defaults (`Limits::default`); an engine with
/// others parses the rules itself. A rule that does not load is left out: the engine then loads
/// it from source and reports it, as it would any rule.
fn lower_rules(files: &[(String, PathBuf)], out: &Path) {
    let parser = lang::parse::Parser::new(lang::parse::ParseLimits::DEFAULT);
    let mut programs: Vec<(String, Vec<u8>)> = Vec::new();
    for (rel, path) in files {
        if !rel.ends_with(".rhai") || rel.starts_with("tests/") {
            continue;
        }
        let Ok(source) = fs::read_to_string(path) else {
            continue;
        };
        match parser.compile(&source) {
            Ok(program) => match postcard::to_allocvec(&program) {
                Ok(bytes) => programs.push((rel.clone(), bytes)),
                Err(e) => println!("cargo:warning={rel}: cannot write its lowered form: {e}"),
            },
            Err(e) => println!("cargo:warning={rel}: {}", e.message),
        }
    }
    match postcard::to_allocvec(&programs) {
        Ok(bytes) => {
            if let Err(e) = fs::write(out, bytes) {
                println!("cargo:warning=cannot write {}: {e}", out.display());
            }
        }
        Err(e) => println!("cargo:warning=cannot write the lowered rules: {e}"),
    }
}

/// The default pack's name, version, parameters (as the digest writes them), number of rules
/// and digest, for `Pack::digest` to recognise the pack unchanged without hashing it.
fn pack_facts(files: &[(String, PathBuf)]) -> String {
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
    let (name, version) = (text("name"), text("version"));
    let params = serde_json::Value::Object(
        manifest
            .get("params")
            .and_then(serde_json::Value::as_object)
            .cloned()
            .unwrap_or_default(),
    )
    .to_string();
    // The rules as `Pack::from_sources` takes them: every `.rhai` outside `tests/`, by file.
    let mut rules: Vec<(String, String)> = files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".rhai") && !rel.starts_with("tests/"))
        .filter_map(|(rel, path)| Some((rel.clone(), fs::read_to_string(path).ok()?)))
        .collect();
    rules.sort();
    let digest = digest::pack_digest(
        &name,
        &version,
        &params,
        rules.iter().map(|(f, s)| (f.as_str(), s.as_str())),
    );
    format!(
        "pub static NAME: &str = {name:?};\npub static VERSION: &str = {version:?};\npub static PARAMS: &str = {params:?};\npub static RULES: usize = {};\npub static DIGEST: &str = {digest:?};\n",
        rules.len()
    )
}
