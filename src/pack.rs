//! A policy pack: rule sources with their metadata, parameters, and a digest over both.
//!
//! A pack is plain files, so that it can come from a folder, from memory (a portal's editor),
//! or from the copy of `rules/` embedded at build time:
//!
//! ```text
//! pack.json            {"name", "version", "description", "params": {...}}
//! <any>/<ID>.rhai      one rule each, metadata in a `//!` header
//! tests/<any>.json     the pack's own test cases (not part of the digest)
//! ```
//!
//! A rule's header carries its contract metadata next to its code:
//!
//! ```text
//! //! id: TRM-002
//! //! title: Termination honours the applicable notice period
//! //! severity: deny
//! //! scenarios: termination
//! //! iso20000_1_2018: 8.3.3
//! //! data_act: 25(2)(d)
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decision::{Actor, Clauses, PackInfo, Severity};
use crate::request::Scenario;

/// Clause families a rule may cite.
pub const CLAUSE_FAMILIES: &[&str] = &[
    "iso20000_1_2018",
    "iso20000_1_2011",
    "iso20000_9",
    "data_act",
    "gdpr",
    "iso27001_2022",
    "iso27017",
    "iso27018",
    "iso19086_1",
];

/// A problem found while loading or compiling a pack, located as precisely as possible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: String,
    pub message: String,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Diagnostic {
    pub fn new(code: &str, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.into(),
            message: message.into(),
            file: file.into(),
            rule: None,
            line: None,
            column: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn for_rule(mut self, rule: &str) -> Self {
        self.rule = Some(rule.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {} [{}]", self.message, self.code)
    }
}

/// The pack could not be loaded; every problem found is listed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PackError(pub Vec<Diagnostic>);

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(|d| d.to_string()).collect();
        write!(
            f,
            "the policy pack cannot be loaded:\n  {}",
            lines.join("\n  ")
        )
    }
}

impl From<Diagnostic> for PackError {
    fn from(d: Diagnostic) -> Self {
        PackError(vec![d])
    }
}

/// What a rule declares about itself; part of the contract (rules.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub scenarios: Vec<Scenario>,
    /// Who must act to make a failing check pass (`//! actor:`). Every rule of the default
    /// pack names one (tests/catalogue.rs); a custom pack may leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// Shared with every finding of the rule.
    pub clauses: std::sync::Arc<Clauses>,
    /// Plain-language explanation of what the rule checks and why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where the source came from, relative to the pack root.
    pub file: String,
}

impl RuleMeta {
    pub fn applies_to(&self, scenario: Scenario) -> bool {
        self.scenarios.contains(&scenario)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSource {
    pub meta: RuleMeta,
    /// The rule's text: borrowed from the binary for the embedded pack (whose engine then copies
    /// no source when it starts), owned otherwise. `to_mut()` to edit it.
    pub source: std::borrow::Cow<'static, str>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// A loaded (not yet compiled) pack.
#[derive(Clone, Debug, PartialEq)]
pub struct Pack {
    pub manifest: Manifest,
    pub rules: Vec<RuleSource>,
    /// Test case files: (path, JSON text).
    pub tests: Vec<(String, String)>,
    /// Built by [`Pack::embedded`]: only such a pack's rules may come lowered by `build.rs`.
    embedded: bool,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_pack.rs"));

    /// The default pack's parameters, as `build.rs` packed them.
    pub fn params() -> serde_json::Map<String, serde_json::Value> {
        match postcard::from_bytes::<crate::json::packed::Packed>(PARAMS).map(|p| p.into_value()) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        }
    }

    /// Whether `params` are the default pack's, compared without building those.
    pub fn same_params(params: &serde_json::Map<String, serde_json::Value>) -> bool {
        postcard::from_bytes::<crate::json::packed::Packed>(PARAMS)
            .is_ok_and(|packed| packed.is_map(params))
    }
}

/// The default pack's parameters as shipped.
pub(crate) fn shipped_params() -> serde_json::Map<String, serde_json::Value> {
    embedded::params()
}

/// The lowered form `build.rs` wrote of the embedded rule `file`, still encoded, if `source`
/// is still that file's text (a test or a caller may have edited the pack since it was read).
/// Decoded when the rule first runs ([`decode_program`]): a decision decodes only the rules of
/// its scenario, and an engine that starts touches no decoding code at all, which in wasm is
/// code V8 would otherwise compile at cold start.
pub(crate) fn built_form(file: &str, source: &str) -> Option<&'static [u8]> {
    embedded_rule(file, source).and_then(|(_, _, _, form)| *form)
}

/// The default rule of that file, if `source` is its text. `build.rs` writes `RULES` sorted by
/// path, so this is a binary search: an engine asks once per rule when it starts.
fn embedded_rule(file: &str, source: &str) -> Option<&'static embedded::Rule> {
    let i = embedded::RULES
        .binary_search_by(|(path, _, _, _)| (*path).cmp(file))
        .ok()?;
    let rule = embedded::RULES.get(i)?;
    (std::ptr::eq(rule.1, source) || rule.1 == source).then_some(rule)
}

/// The `(line, key, value)` entries of a default rule's header, where `build.rs` found them.
fn header_entries(
    (_, source, spans, _): &'static embedded::Rule,
) -> impl Iterator<Item = (usize, &'static str, &'static str)> {
    let part = |from: usize, to: usize| source.get(from..to).unwrap_or_default();
    spans
        .iter()
        .map(move |&(k0, k1, v0, v1)| (0, part(k0, k1), part(v0, v1)))
}

/// A default rule as an engine of the default pack starts with it ([`crate::Engine::embedded`]):
/// its header read, its lowered form, nothing built. The clauses and the description wait
/// until a finding or [`Pack::embedded`] needs them.
pub(crate) struct ShippedRule {
    pub header: Header<'static>,
    pub built: Option<&'static [u8]>,
    pub rule: &'static embedded::Rule,
}

pub(crate) type EmbeddedRule = embedded::Rule;

/// The default rules in [`Pack::embedded`]'s order (by id), their headers read as that reads
/// them: when this succeeds, so does it.
pub(crate) fn shipped_rules() -> Result<Vec<ShippedRule>, PackError> {
    let mut rules = Vec::with_capacity(embedded::RULES.len());
    let mut problems = Vec::new();
    for rule in embedded::RULES {
        match read_header(rule.0, header_entries(rule)) {
            Ok(header) => rules.push(ShippedRule {
                header,
                built: rule.3,
                rule,
            }),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(PackError(problems));
    }
    rules.sort_by(|a, b| a.header.id.cmp(b.header.id));
    Ok(rules)
}

/// The clauses of a default rule, read from its header when a finding first needs them.
pub(crate) fn shipped_clauses(rule: &'static EmbeddedRule) -> Clauses {
    read_header(rule.0, header_entries(rule))
        .map(|h| h.clauses())
        .unwrap_or_default()
}

/// The default pack's name, version and digest.
pub(crate) fn shipped_info() -> PackInfo {
    PackInfo {
        name: embedded::NAME.to_string(),
        version: embedded::VERSION.to_string(),
        digest: embedded::DIGEST.to_string(),
    }
}

/// A form [`built_form`] gave; `None` if it does not decode (a damaged build: never expected).
pub(crate) fn decode_program(bytes: &[u8]) -> Option<crate::lang::Program> {
    postcard::from_bytes(bytes).ok()
}

impl Pack {
    /// The default pack `iso20000-9-lifecycle`, compiled into the binary from `rules/`.
    ///
    /// `build.rs` read its manifest and headers: nothing is parsed here (an edge function's
    /// cold start), and what it read is checked as any pack's is.
    pub fn embedded() -> Result<Pack, PackError> {
        let mut rules = Vec::with_capacity(embedded::RULES.len());
        let mut problems = Vec::new();
        for rule @ (file, source, _, _) in embedded::RULES {
            match meta_from(file, header_entries(rule)) {
                Ok(meta) => rules.push(RuleSource {
                    meta,
                    source: std::borrow::Cow::Borrowed(source),
                }),
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            return Err(PackError(problems));
        }
        sort_by_id(&mut rules);
        let tests = embedded::FILES
            .iter()
            .filter(|(path, _)| path.starts_with("tests/") && path.ends_with(".json"))
            .map(|(path, text)| ((*path).to_string(), (*text).to_string()))
            .collect();
        Ok(Pack {
            manifest: Manifest {
                name: embedded::NAME.to_string(),
                version: embedded::VERSION.to_string(),
                description: embedded::DESCRIPTION.to_string(),
                params: embedded::params(),
            },
            rules,
            tests,
            embedded: true,
        })
    }

    /// No rules, no parameters: what [`crate::Engine::pack`] would give should the default pack
    /// ever not rebuild (it cannot once an engine of it has started).
    pub(crate) fn empty() -> Pack {
        Pack {
            manifest: Manifest {
                name: embedded::NAME.to_string(),
                version: embedded::VERSION.to_string(),
                description: String::new(),
                params: serde_json::Map::new(),
            },
            rules: Vec::new(),
            tests: Vec::new(),
            embedded: false,
        }
    }

    /// Loads a pack from a folder (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_dir(dir: &std::path::Path) -> Result<Pack, PackError> {
        let mut files = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(folder) = pending.pop() {
            let entries = std::fs::read_dir(&folder).map_err(|e| {
                Diagnostic::new(
                    "io",
                    &folder.display().to_string(),
                    format!("cannot read folder: {e}"),
                )
            })?;
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let wanted = matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("rhai" | "json")
                );
                if !wanted {
                    continue;
                }
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Diagnostic::new("io", &rel, format!("cannot read file: {e}")))?;
                files.push((rel, text));
            }
        }
        Pack::from_sources(files)
    }

    /// Builds a pack from `(relative path, text)` pairs: `pack.json`, `*.rhai` rules and
    /// `tests/*.json` cases. Every problem is reported, not just the first.
    pub fn from_sources(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Pack, PackError> {
        let mut manifest = None;
        let mut rules = Vec::new();
        let mut tests = Vec::new();
        let mut problems = Vec::new();
        for (path, text) in files {
            let path = path.trim_start_matches("./").to_string();
            if path == "pack.json" {
                match serde_json::from_str::<Manifest>(&text) {
                    Ok(m) => manifest = Some(m),
                    Err(e) => problems.push(
                        Diagnostic::new(
                            "bad_manifest",
                            &path,
                            format!("pack.json is not a valid manifest: {e}"),
                        )
                        .at(e.line(), e.column()),
                    ),
                }
            } else if path.ends_with(".rhai") {
                match parse_header(&path, &text) {
                    Ok(rule) => rules.push(rule),
                    Err(d) => problems.push(d),
                }
            } else if path.starts_with("tests/") && path.ends_with(".json") {
                tests.push((path, text));
            }
        }
        let manifest = match manifest {
            Some(m) => m,
            None => {
                problems.push(Diagnostic::new(
                    "bad_manifest",
                    "pack.json",
                    "the pack has no pack.json (name, version, params)",
                ));
                Manifest {
                    name: String::new(),
                    version: String::new(),
                    description: String::new(),
                    params: Default::default(),
                }
            }
        };
        sort_by_id(&mut rules);
        for pair in rules.windows(2) {
            if let [a, b] = pair {
                if a.meta.id == b.meta.id {
                    problems.push(
                        Diagnostic::new(
                            "duplicate_rule",
                            &b.meta.file,
                            format!("rule id {} is also declared in {}", b.meta.id, a.meta.file),
                        )
                        .for_rule(&b.meta.id),
                    );
                }
            }
        }
        tests.sort();
        if problems.is_empty() {
            Ok(Pack {
                manifest,
                rules,
                tests,
                embedded: false,
            })
        } else {
            Err(PackError(problems))
        }
    }

    /// Replaces parameters by name; an unknown name is an error, so a typo cannot silently
    /// leave the default in force.
    pub fn override_params(
        &mut self,
        overrides: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), PackError> {
        let mut problems = Vec::new();
        for (key, value) in overrides {
            match self.manifest.params.get_mut(key) {
                Some(slot) => *slot = value.clone(),
                None => problems.push(Diagnostic::new(
                    "unknown_param",
                    "pack.json",
                    format!(
                        "unknown parameter `{key}`; the pack defines: {}",
                        self.manifest
                            .params
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PackError(problems))
        }
    }

    /// `sha256:` over the exact rules and parameters that decide, in a canonical order
    /// ([`crate::digest::pack_digest`]).
    pub fn digest(&self) -> String {
        if let Some(digest) = self.built_digest() {
            return digest.to_string();
        }
        let params = serde_json::Value::Object(self.manifest.params.clone()).to_string();
        crate::digest::pack_digest(
            &self.manifest.name,
            &self.manifest.version,
            &params,
            by_file(&self.rules)
                .into_iter()
                .map(|r| (r.meta.file.as_str(), &*r.source)),
        )
    }

    /// The digest `build.rs` computed, if this is the embedded pack unchanged. Comparing is far
    /// cheaper than hashing (SHA-256 over the rules was most of an engine's start-up).
    fn built_digest(&self) -> Option<&'static str> {
        self.is_shipped().then_some(embedded::DIGEST)
    }

    /// Whether this is the embedded pack unchanged: the same name, version and parameters, and
    /// each rule the embedded file's very text. Its parameters are then known to be valid.
    pub(crate) fn is_shipped(&self) -> bool {
        self.embedded
            && self.manifest.name == embedded::NAME
            && self.manifest.version == embedded::VERSION
            && embedded::same_params(&self.manifest.params)
            && self.rules.len() == embedded::RULE_COUNT
            // The rules of `Pack::embedded` borrow the embedded text: the same pointer.
            && self
                .rules
                .iter()
                .all(|r| embedded_rule(&r.meta.file, &r.source).is_some())
    }

    /// [`Self::info`], told whether [`Self::is_shipped`] (the engine asks that anyway).
    pub(crate) fn info_known(&self, shipped: bool) -> PackInfo {
        PackInfo {
            name: self.manifest.name.clone(),
            version: self.manifest.version.clone(),
            digest: match shipped {
                true => embedded::DIGEST.to_string(),
                false => self.digest(),
            },
        }
    }

    pub fn info(&self) -> PackInfo {
        PackInfo {
            name: self.manifest.name.clone(),
            version: self.manifest.version.clone(),
            digest: self.digest(),
        }
    }

    /// The pack as files again, e.g. for an editor that starts from the default pack.
    pub fn files(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let Ok(text) = serde_json::to_string_pretty(&self.manifest) {
            out.insert("pack.json".to_string(), text);
        }
        for rule in &self.rules {
            out.insert(rule.meta.file.clone(), rule.source.to_string());
        }
        for (path, text) in &self.tests {
            out.insert(path.clone(), text.clone());
        }
        out
    }
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads the `//!` header of a rule file.
fn parse_header(file: &str, text: &str) -> Result<RuleSource, Diagnostic> {
    let entries = crate::header::entries(text)
        .map_err(|(message, line)| Diagnostic::new("bad_header", file, message).at(line, 1))?;
    Ok(RuleSource {
        meta: meta_from(file, entries)?,
        source: std::borrow::Cow::Owned(text.to_string()),
    })
}

/// A rule's header read and checked, borrowing its text: what an engine needs to start, and
/// the rest (clauses, description) still as written.
pub(crate) struct Header<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub severity: Severity,
    pub scenarios: Vec<Scenario>,
    pub actor: Option<Actor>,
    description: Vec<&'a str>,
    /// `(family, list)` entries, in order.
    clauses: Vec<(&'a str, &'a str)>,
}

impl Header<'_> {
    pub(crate) fn clauses(&self) -> Clauses {
        let mut clauses = Clauses::new();
        for (family, list) in &self.clauses {
            clauses
                .entry((*family).to_string())
                .or_default()
                .extend(split_list(list));
        }
        clauses
    }

    fn into_meta(self, file: &str) -> RuleMeta {
        RuleMeta {
            clauses: std::sync::Arc::new(self.clauses()),
            id: self.id.to_string(),
            title: self.title.to_string(),
            severity: self.severity,
            scenarios: self.scenarios,
            actor: self.actor,
            description: self.description.join(" "),
            file: file.to_string(),
        }
    }
}

/// A rule's metadata from its header's `(line, key, value)` entries.
fn meta_from<'a>(
    file: &str,
    entries: impl IntoIterator<Item = (usize, &'a str, &'a str)>,
) -> Result<RuleMeta, Diagnostic> {
    Ok(read_header(file, entries)?.into_meta(file))
}

/// Reads a header's `(line, key, value)` entries: the keys checked, the required ones present,
/// severity, actor and scenarios read.
pub(crate) fn read_header<'a>(
    file: &str,
    entries: impl IntoIterator<Item = (usize, &'a str, &'a str)>,
) -> Result<Header<'a>, Diagnostic> {
    // id, title, severity, scenarios, actor: five fields, looked up by key.
    let mut fields: [(&str, &str); 5] = [
        ("id", ""),
        ("title", ""),
        ("severity", ""),
        ("scenarios", ""),
        ("actor", ""),
    ];
    let mut seen = [false; 5];
    let mut clauses = Vec::new();
    let mut description = Vec::new();
    for (line, key, value) in entries {
        match key {
            "id" | "title" | "severity" | "scenarios" | "actor" => {
                for ((name, slot), seen) in fields.iter_mut().zip(seen.iter_mut()) {
                    if *name == key {
                        *slot = value;
                        *seen = true;
                    }
                }
            }
            "description" => description.push(value),
            family if CLAUSE_FAMILIES.contains(&family) => clauses.push((family, value)),
            other => {
                return Err(Diagnostic::new(
                    "bad_header",
                    file,
                    format!(
                        "unknown header key `{other}`; expected id, title, severity, scenarios, actor, description or a clause family ({})",
                        CLAUSE_FAMILIES.join(", ")
                    ),
                )
                .at(line, 1))
            }
        }
    }
    let get = |key: &str| {
        fields
            .iter()
            .zip(seen)
            .find(|((name, _), seen)| *name == key && *seen)
            .map(|((_, value), _)| *value)
    };
    let need = |key: &str| {
        get(key).filter(|v| !v.is_empty()).ok_or_else(|| {
            Diagnostic::new(
                "bad_header",
                file,
                format!("the rule header lacks `//! {key}: …` (a rule needs id, title, severity and scenarios)"),
            )
        })
    };
    let id = need("id")?;
    let title = need("title")?;
    let severity = match need("severity")? {
        "deny" => Severity::Deny,
        "warn" => Severity::Warn,
        "info" => Severity::Info,
        other => {
            return Err(Diagnostic::new(
                "bad_header",
                file,
                format!("severity `{other}` is not deny, warn or info"),
            )
            .for_rule(id))
        }
    };
    let actor = match get("actor") {
        None => None,
        Some(text) => Some(Actor::parse(text).ok_or_else(|| {
            Diagnostic::new(
                "bad_header",
                file,
                format!("actor `{text}` is not customer, provider or both (who must act to make a failing check pass)"),
            )
            .for_rule(id)
        })?),
    };
    let mut scenarios = Vec::new();
    for name in need("scenarios")?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if name == "all" {
            scenarios.extend_from_slice(Scenario::ALL);
            continue;
        }
        match Scenario::ALL.iter().find(|s| s.as_str() == name) {
            Some(s) => scenarios.push(*s),
            None => {
                return Err(Diagnostic::new(
                    "bad_header",
                    file,
                    format!(
                    "scenario `{name}` is not onboarding, termination, transfer, removal or all"
                ),
                )
                .for_rule(id))
            }
        }
    }
    Ok(Header {
        id,
        title,
        severity,
        scenarios,
        actor,
        description,
        clauses,
    })
}

/// Out of [`Pack::from_sources`] and [`Pack::canonical`], which are generic: a sort inside a
/// generic function is a copy of the standard stable sort per instantiation, ~4 KB of wasm each.
fn sort_by_id(rules: &mut [RuleSource]) {
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
}

/// The rules in file order, for the canonical form (see [`sort_by_id`] for why apart).
fn by_file(rules: &[RuleSource]) -> Vec<&RuleSource> {
    let mut sorted: Vec<&RuleSource> = rules.iter().collect();
    sorted.sort_by(|a, b| a.meta.file.cmp(&b.meta.file));
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = "//! id: T-1\n//! title: A test\n//! severity: warn\n//! scenarios: termination, transfer\n//! data_act: 25(2)(a), 25(2)(d)\n//! iso20000_1_2018: 8.3.3\n\npass()\n";
    const MANIFEST: &str = r#"{"name":"t","version":"1","params":{"max_identity_age_days":365}}"#;

    fn pack() -> Pack {
        Pack::from_sources([
            ("pack.json".to_string(), MANIFEST.to_string()),
            ("x/T-1.rhai".to_string(), RULE.to_string()),
        ])
        .unwrap()
    }

    #[test]
    fn reads_the_header() {
        let p = pack();
        let meta = &p.rules[0].meta;
        assert_eq!(meta.id, "T-1");
        assert_eq!(meta.severity, Severity::Warn);
        assert_eq!(
            meta.scenarios,
            vec![Scenario::Termination, Scenario::Transfer]
        );
        assert_eq!(meta.clauses["data_act"], vec!["25(2)(a)", "25(2)(d)"]);
    }

    #[test]
    fn header_errors_name_file_and_line() {
        let bad = RULE.replace("severity: warn", "severity: loud");
        let err = Pack::from_sources([
            ("pack.json".to_string(), MANIFEST.to_string()),
            ("x/T-1.rhai".to_string(), bad),
        ])
        .unwrap_err();
        assert_eq!(err.0[0].file, "x/T-1.rhai");
        assert!(err.0[0].message.contains("loud"));
        let unknown = RULE.replace("data_act:", "dataact:");
        let err = Pack::from_sources([
            ("pack.json".to_string(), MANIFEST.to_string()),
            ("x/T-1.rhai".to_string(), unknown),
        ])
        .unwrap_err();
        assert_eq!(
            (err.0[0].line, err.0[0].code.as_str()),
            (Some(5), "bad_header")
        );
    }

    #[test]
    fn duplicate_ids_and_missing_manifest_are_reported_together() {
        let err = Pack::from_sources([
            ("a/T-1.rhai".to_string(), RULE.to_string()),
            ("b/T-1.rhai".to_string(), RULE.to_string()),
        ])
        .unwrap_err();
        let codes: Vec<&str> = err.0.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["bad_manifest", "duplicate_rule"]);
    }

    #[test]
    fn digest_changes_with_rules_and_params() {
        let p = pack();
        let d0 = p.digest();
        assert!(d0.starts_with("sha256:") && d0.len() == 71);
        let mut q = p.clone();
        q.override_params(&serde_json::from_str(r#"{"max_identity_age_days": 30}"#).unwrap())
            .unwrap();
        assert_ne!(q.digest(), d0);
        let mut r = p.clone();
        r.rules[0].source.to_mut().push(' ');
        assert_ne!(r.digest(), d0);
        assert_eq!(p.clone().digest(), d0);
        assert!(q
            .override_params(&serde_json::from_str(r#"{"max_identty_age_days": 30}"#).unwrap())
            .is_err());
    }

    /// The digest `build.rs` computed is the one this code computes for the same pack, and an
    /// edit to the embedded pack is hashed again.
    #[test]
    fn the_built_digest_is_the_computed_one() {
        let built = Pack::embedded().unwrap();
        let mut computed = built.clone();
        computed.embedded = false;
        assert_eq!(built.digest(), computed.digest());
        let mut edited = built.clone();
        edited.rules[3].source.to_mut().push(' ');
        assert_ne!(edited.digest(), built.digest());
        let mut params = built.clone();
        params
            .override_params(&serde_json::from_str(r#"{"max_identity_age_days": 30}"#).unwrap())
            .unwrap();
        assert_ne!(params.digest(), built.digest());
    }

    #[test]
    fn embedded_pack_loads() {
        let p = Pack::embedded().unwrap();
        assert_eq!(p.manifest.name, "iso20000-9-lifecycle");
        assert!(p.is_shipped());
    }

    #[test]
    fn embedded_rules_are_sorted_by_path_and_found() {
        assert!(embedded::RULES.windows(2).all(|w| w[0].0 < w[1].0));
        for (path, text, _, form) in embedded::RULES {
            assert_eq!(built_form(path, text), *form);
            assert!(built_form(path, &format!("{text} ")).is_none());
        }
    }
}
