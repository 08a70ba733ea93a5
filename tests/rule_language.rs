//! docs/rule-language.md is the rule language's reference, and its examples run.
//!
//! Every ` ```rhai ` block of the page is a complete rule body: wrapped in a rule header, it must
//! load in a strict engine and decide examples/requests/termination-allow.json (as of
//! 2026-09-02, in explain mode) with the outcome `pass`, or the one an HTML comment right above
//! the block names (`<!-- expect: fail -->`; also `not_applicable` and `error`). A
//! `<!-- message: … -->` comment there requires the finding's message to contain that text.
//!
//! Every ` ```rhai-unsupported ` block must fail to load, with a diagnostic for its file whose
//! line (within the block) and column are set and whose message contains the text of the
//! `<!-- error: … -->` comment above it (and whose code is that of a `<!-- code: … -->` comment,
//! when there is one).
//!
//! The page must also name every host function and method a rule can call.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use cloudgate::{Date, Engine, EngineOptions, EvalOptions, Outcome, Pack};

const DOC: &str = "docs/rule-language.md";
const REQUEST: &str = "examples/requests/termination-allow.json";
const AS_OF: &str = "2026-09-02";
/// Lines of the header [`rule_file`] puts before a block: its first line is the rule's line 6.
const HEADER_LINES: usize = 5;

fn read(relative: &str) -> String {
    support::read(&support::root().join(relative))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// ` ```rhai `: a rule that loads and decides.
    Runs,
    /// ` ```rhai-unsupported `: a rule that must not load.
    Refused,
}

/// One fenced block of the page.
#[derive(Debug)]
struct Example {
    kind: Kind,
    /// The page's line of the block's first line of code (1-based).
    doc_line: usize,
    body: String,
    lines: usize,
    /// The `<!-- key: value -->` comments right above the block (blank lines between allowed).
    directives: Vec<(String, String)>,
}

impl Example {
    fn directive(&self, key: &str) -> Option<&str> {
        self.directives
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn place(&self) -> String {
        format!("{DOC}:{}", self.doc_line)
    }
}

/// `<!-- key: value -->` → (key, value); `None` for any other line.
fn directive(line: &str) -> Option<(String, String)> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let (key, value) = inner.split_once(':')?;
    let key = key.trim();
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    Some((key.to_string(), value.trim().to_string()))
}

fn examples(doc: &str) -> Vec<Example> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let kind = match lines[i].trim_end() {
            "```rhai" => Kind::Runs,
            "```rhai-unsupported" => Kind::Refused,
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i + 1;
        let end = (start..lines.len())
            .find(|&j| lines[j].trim_end() == "```")
            .unwrap_or_else(|| panic!("{DOC}:{}: the block is not closed", i + 1));
        let mut directives = Vec::new();
        for line in lines[..i].iter().rev() {
            if line.trim().is_empty() {
                continue;
            }
            match directive(line) {
                Some(d) => directives.push(d),
                None => break,
            }
        }
        directives.reverse();
        out.push(Example {
            kind,
            doc_line: start + 1,
            body: lines[start..end].join("\n"),
            lines: end - start,
            directives,
        });
        i = end + 1;
    }
    out
}

/// The rule file for example `n`: a header, a blank line, the block (from line 6).
fn rule_file(n: usize, example: &Example) -> (String, String) {
    let id = format!("DOC-{n:03}");
    let text = format!(
        "//! id: {id}\n//! title: {DOC} example at line {}\n//! severity: deny\n//! scenarios: termination\n\n{}\n",
        example.doc_line, example.body
    );
    (format!("{id}.rhai"), text)
}

/// The default pack's manifest (its parameters are what the examples read) and one rule.
fn pack_files(rule: (String, String)) -> Vec<(String, String)> {
    vec![("pack.json".to_string(), read("rules/pack.json")), rule]
}

fn strict(pack: Pack) -> Result<Engine, cloudgate::PackError> {
    Engine::with_options(
        pack,
        EngineOptions {
            lenient: false,
            ..Default::default()
        },
    )
}

fn outcome_named(name: &str) -> Option<Outcome> {
    Some(match name {
        "pass" => Outcome::Pass,
        "fail" => Outcome::Fail,
        "not_applicable" => Outcome::NotApplicable,
        "error" => Outcome::Error,
        _ => return None,
    })
}

/// Runs one ` ```rhai ` example; `Err` says what went wrong.
fn check_runs(n: usize, example: &Example, request: &str) -> Result<(), String> {
    let expected_name = example.directive("expect").unwrap_or("pass");
    let expected = outcome_named(expected_name).ok_or_else(|| {
        format!("`<!-- expect: {expected_name} -->` is not pass, fail, not_applicable or error")
    })?;
    let (file, text) = rule_file(n, example);
    let id = file.trim_end_matches(".rhai").to_string();
    let pack = Pack::from_sources(pack_files((file, text)))
        .map_err(|e| format!("the pack does not load: {e}"))?;
    let engine = strict(pack).map_err(|e| format!("the rule does not load: {e}"))?;
    let options = EvalOptions {
        as_of: Some(Date::parse(AS_OF).unwrap()),
        explain: true,
        ..Default::default()
    };
    let decision = engine.evaluate_json(request, &options);
    let finding = decision
        .findings
        .iter()
        .find(|f| &*f.rule == id.as_str())
        .ok_or_else(|| format!("no finding for {id} (decision {:?})", decision.decision))?;
    let message = finding.message.clone().unwrap_or_default();
    if finding.outcome != expected {
        return Err(format!(
            "expected {expected:?}, got {:?}: {message:?} at {:?}",
            finding.outcome, finding.position
        ));
    }
    if let Some(fragment) = example.directive("message") {
        if !message.contains(fragment) {
            return Err(format!(
                "the message {message:?} does not contain {fragment:?}"
            ));
        }
    }
    Ok(())
}

/// Loads one ` ```rhai-unsupported ` example, which must be refused; `Err` says what went wrong.
fn check_refused(n: usize, example: &Example) -> Result<(), String> {
    let fragment = example
        .directive("error")
        .ok_or("a `rhai-unsupported` block needs an `<!-- error: … -->` comment above it")?;
    let (file, text) = rule_file(n, example);
    let diagnostics = match Pack::from_sources(pack_files((file.clone(), text))) {
        Err(e) => e.0,
        Ok(pack) => match strict(pack) {
            Err(e) => e.0,
            Ok(_) => return Err("the rule loads".into()),
        },
    };
    let first = HEADER_LINES + 1;
    let last = HEADER_LINES + example.lines;
    let matching = diagnostics.iter().find(|d| d.message.contains(fragment));
    let Some(d) = matching else {
        return Err(format!(
            "no diagnostic names {fragment:?}: {:?}",
            diagnostics
                .iter()
                .map(|d| format!("[{}] {}", d.code, d.message))
                .collect::<Vec<_>>()
        ));
    };
    if d.file != file {
        return Err(format!("the diagnostic is for {:?}, not {file:?}", d.file));
    }
    match d.line {
        Some(line) if (first..=last).contains(&line) => {}
        other => {
            return Err(format!(
            "the diagnostic's line is {other:?}, not within the block (lines {first}..={last}): {}",
            d.message
        ))
        }
    }
    if d.column.is_none_or(|c| c < 1) {
        return Err(format!(
            "the diagnostic has no column ({:?}): {}",
            d.column, d.message
        ));
    }
    if let Some(code) = example.directive("code") {
        if d.code != code {
            return Err(format!(
                "the diagnostic's code is {:?}, not {code:?}",
                d.code
            ));
        }
    }
    Ok(())
}

#[test]
fn the_examples_of_the_rule_language_decide_as_the_page_says() {
    let doc = read(DOC);
    let request = read(REQUEST);
    let all = examples(&doc);
    let runs = all.iter().filter(|e| e.kind == Kind::Runs).count();
    let refused = all.iter().filter(|e| e.kind == Kind::Refused).count();
    // The page has dozens of each: far fewer means the blocks' tags were changed.
    assert!(
        runs >= 25 && refused >= 20,
        "{DOC}: {runs} rhai and {refused} rhai-unsupported blocks"
    );
    let mut problems = Vec::new();
    for (n, example) in all.iter().enumerate() {
        let result = match example.kind {
            Kind::Runs => check_runs(n, example, &request),
            Kind::Refused => check_refused(n, example),
        };
        if let Err(problem) = result {
            problems.push(format!(
                "{} ({:?}): {problem}",
                example.place(),
                example.kind
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} examples disagree with the page:\n{}",
        problems.len(),
        all.len(),
        problems.join("\n")
    );
}

#[test]
fn the_page_names_every_host_function_and_method() {
    let doc = read(DOC);
    // The one table of host functions and methods the evaluator dispatches from.
    let missing: Vec<&str> = cloudgate::HOST_FUNCTIONS
        .iter()
        .map(|f| f.name)
        .filter(|name| !(doc.contains(&format!("`{name}(")) || doc.contains(&format!(".{name}("))))
        .collect();
    assert!(missing.is_empty(), "{DOC} does not describe {missing:?}");
}

#[test]
fn the_directives_are_well_formed() {
    let doc = read(DOC);
    for example in examples(&doc) {
        for (key, value) in &example.directives {
            let known = match key.as_str() {
                "expect" => example.kind == Kind::Runs && outcome_named(value).is_some(),
                "message" => example.kind == Kind::Runs && !value.is_empty(),
                "error" | "code" => example.kind == Kind::Refused && !value.is_empty(),
                // Notes for the page's editors.
                "verify" | "note" => true,
                _ => false,
            };
            assert!(
                known,
                "{}: `<!-- {key}: {value} -->` does not apply to a {:?} block",
                example.place(),
                example.kind
            );
        }
        if example.kind == Kind::Refused {
            assert!(
                example.directive("error").is_some(),
                "{}: a rhai-unsupported block needs `<!-- error: … -->`",
                example.place()
            );
        }
    }
}
