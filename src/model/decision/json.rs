//! A decision as compact JSON text, written by hand.
//!
//! Why not serde_json: a decision is mostly strings (rule ids, titles, clause references,
//! messages), and serde_json escapes them a byte at a time; with the derive's map machinery that
//! was 18 % of a native decision, the escaping alone 14 %. This
//! writer escapes eight bytes at a time and knows the fields. The output is byte for byte what
//! `serde_json::to_string(&decision)` gives (the serde derives stay the reference, and the tests
//! compare both on every pack case, example and generated request).

use super::{Actor, Clauses, Decision, Finding, Lifecycle, PackInfo, Severity, SourcePos, Stats};
use crate::input::InputError;

impl Decision {
    /// The decision as compact JSON, exactly as serde_json writes it.
    pub fn to_json(&self) -> String {
        self.to_json_with(None, |_| None)
    }

    /// [`Self::to_json`] with parts written beforehand: `pack` is `"pack":{…}` when
    /// `self.pack` is the pack it was written from, and `fixed` gives, for a finding, its
    /// rule's fixed part when the finding carries that rule's id, title, severity and clauses.
    /// The engine passes them ([`crate::Engine::decision_json`]): a finding is mostly its
    /// rule's title and clause references, the same in every decision, and writing them anew
    /// was two thirds of writing a decision.
    pub(crate) fn to_json_with<'f>(
        &self,
        pack: Option<&str>,
        mut fixed: impl FnMut(&Finding) -> Option<(usize, &'f FindingJson)>,
    ) -> String {
        let mut out = Writer(String::with_capacity(1024 + 512 * self.findings.len()));
        out.decision(self, pack.map(Pack::Text), &mut fixed, false);
        out.0
    }

    /// The decision for the JS wrapper's object API ([`crate::Engine::decision_lean_json`]):
    /// the JSON text above with what the wrapper already holds left out. A finding of one of
    /// the pack's rules is `[index, outcome, paths]` or `[index, outcome, paths, message]`
    /// (`index` into the engine's rules, whose id, title, severity and clauses the wrapper
    /// fills in), and the pack, when it is the engine's, is `"pack":0`; anything else is
    /// written in full. Why: `JSON.parse` of the full text was a quarter of an object-API
    /// decision in Node, nine tenths of it the findings' fixed text.
    pub(crate) fn to_lean_json_with<'f>(
        &self,
        own_pack: bool,
        mut fixed: impl FnMut(&Finding) -> Option<(usize, &'f FindingJson)>,
    ) -> String {
        let mut out = Writer(String::with_capacity(256 + 64 * self.findings.len()));
        let pack = own_pack.then_some(Pack::Placeholder);
        out.decision(self, pack, &mut fixed, true);
        out.0
    }
}

/// How the pack is written when it is the engine's own.
#[derive(Clone, Copy)]
enum Pack<'a> {
    /// `"pack":{…}`, written beforehand.
    Text(&'a str),
    /// `"pack":0`, for the wrapper to fill in.
    Placeholder,
}

/// The part of a rule's findings that is the same in every decision: everything before the
/// outcome's value, and the actor and clauses.
pub(crate) struct FindingJson {
    /// `{"rule":…,"title":…,"severity":…,"outcome":`
    head: String,
    /// `,"actor":…,"clauses":{…}`
    tail: String,
}

impl FindingJson {
    pub(crate) fn new(
        rule: &str,
        title: &str,
        severity: Severity,
        actor: Option<Actor>,
        clauses: &Clauses,
    ) -> Self {
        let mut head = Writer(String::new());
        head.finding_head(rule, title, severity);
        let mut tail = Writer(String::new());
        tail.actor(actor);
        tail.clauses(clauses);
        FindingJson {
            head: head.0,
            tail: tail.0,
        }
    }
}

/// `"pack":{…}`, for [`Decision::to_json_with`].
pub(crate) fn pack_json(pack: &PackInfo) -> String {
    let mut out = Writer(String::new());
    out.pack(pack);
    out.0
}

struct Writer(String);

impl Writer {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// `"key":`, the key plain ASCII (all the contract's keys are).
    fn key(&mut self, key: &str) {
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
    }

    fn number(&mut self, n: u64) {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(self.0, "{n}");
    }

    /// A JSON string with serde_json's escapes: `\"`, `\\`, the five short control escapes and
    /// `\u00xx` (lowercase) for the other control characters; everything else as it is.
    fn string(&mut self, text: &str) {
        let bytes = text.as_bytes();
        self.0.reserve(bytes.len() + 2);
        self.0.push('"');
        let mut start = 0;
        let mut i = 0;
        loop {
            // Eight bytes at a time to the first that needs an escape; the last few one by one.
            if let Some(chunk) = bytes.get(i..i + 8) {
                let mut word = [0; 8];
                word.copy_from_slice(chunk);
                let found = crate::json::reader::string_end(u64::from_le_bytes(word));
                if found == 0 {
                    i += 8;
                    continue;
                }
                i += (found.trailing_zeros() / 8) as usize;
            } else {
                match bytes.get(i..).and_then(|rest| {
                    rest.iter()
                        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
                }) {
                    Some(at) => i += at,
                    None => break,
                }
            }
            let Some(&b) = bytes.get(i) else { break };
            self.0.push_str(text.get(start..i).unwrap_or(""));
            match b {
                b'"' => self.0.push_str("\\\""),
                b'\\' => self.0.push_str("\\\\"),
                b'\n' => self.0.push_str("\\n"),
                b'\r' => self.0.push_str("\\r"),
                b'\t' => self.0.push_str("\\t"),
                0x08 => self.0.push_str("\\b"),
                0x0c => self.0.push_str("\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.0.push_str("\\u00");
                    for nibble in [b >> 4, b & 0xf] {
                        let digit = HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
                        self.0.push(char::from(digit));
                    }
                }
            }
            i += 1;
            start = i;
        }
        self.0.push_str(text.get(start..).unwrap_or(""));
        self.0.push('"');
    }

    fn optional_string(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.raw("null"),
        }
    }

    fn strings<'s>(&mut self, items: impl IntoIterator<Item = &'s String>) {
        self.0.push('[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            self.string(item);
        }
        self.0.push(']');
    }

    fn decision<'f>(
        &mut self,
        d: &Decision,
        pack: Option<Pack<'_>>,
        fixed: &mut impl FnMut(&Finding) -> Option<(usize, &'f FindingJson)>,
        lean: bool,
    ) {
        self.raw("{");
        self.key("request_id");
        self.optional_string(d.request_id.as_deref());
        self.raw(",");
        self.key("scenario");
        self.optional_string(d.scenario.as_deref());
        self.raw(",");
        self.key("as_of");
        self.optional_string(d.as_of.as_deref());
        self.raw(",");
        self.key("decision");
        self.string(d.decision.as_str());
        self.raw(",");
        self.key("findings");
        self.raw("[");
        for (i, finding) in d.findings.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            match fixed(finding) {
                Some((index, _)) if lean && finding.position.is_none() => {
                    self.lean_finding(index, finding);
                }
                found => self.finding(finding, found.map(|(_, json)| json)),
            }
        }
        self.raw("]");
        if let Some(lifecycle) = &d.lifecycle {
            self.raw(",");
            self.lifecycle(lifecycle);
        }
        self.raw(",");
        match pack {
            Some(Pack::Text(pack)) => self.raw(pack),
            Some(Pack::Placeholder) => self.raw("\"pack\":0"),
            None => self.pack(&d.pack),
        }
        self.raw(",");
        self.stats(&d.stats);
        if !d.errors.is_empty() {
            self.raw(",");
            self.key("errors");
            self.raw("[");
            for (i, error) in d.errors.iter().enumerate() {
                if i > 0 {
                    self.raw(",");
                }
                self.error(error);
            }
            self.raw("]");
        }
        if let Some(record) = &d.record {
            // Rare (an option) and small: serde's own text of it is the text wanted.
            if let Ok(text) = serde_json::to_string(record) {
                self.raw(",");
                self.key("record");
                self.raw(&text);
            }
        }
        self.raw("}");
    }

    fn finding(&mut self, f: &Finding, fixed: Option<&FindingJson>) {
        match fixed {
            Some(fixed) => self.raw(&fixed.head),
            None => self.finding_head(&f.rule, &f.title, f.severity),
        }
        // The outcome's name written as it is: names are plain ASCII, and through the escaping
        // `string` (and `key` for "paths") they were 2 % of a decision.
        self.raw("\"");
        self.raw(f.outcome.as_str());
        self.raw("\"");
        if let Some(message) = &f.message {
            self.raw(",");
            self.key("message");
            self.string(message);
        }
        self.raw(",\"paths\":");
        self.strings(&f.paths);
        match fixed {
            Some(fixed) => self.raw(&fixed.tail),
            None => {
                self.actor(f.actor);
                self.clauses(&f.clauses);
            }
        }
        if let Some(position) = &f.position {
            self.raw(",");
            self.position(position);
        }
        self.raw("}");
    }

    /// `[index,"outcome",paths]`, or with the message last ([`Decision::to_lean_json_with`]).
    fn lean_finding(&mut self, index: usize, f: &Finding) {
        self.raw("[");
        self.number(index as u64);
        self.raw(",\"");
        self.raw(f.outcome.as_str());
        self.raw("\",");
        self.strings(&f.paths);
        if let Some(message) = &f.message {
            self.raw(",");
            self.string(message);
        }
        self.raw("]");
    }

    fn finding_head(&mut self, rule: &str, title: &str, severity: Severity) {
        self.raw("{");
        self.key("rule");
        self.string(rule);
        self.raw(",");
        self.key("title");
        self.string(title);
        self.raw(",");
        self.key("severity");
        self.string(severity.as_str());
        self.raw(",");
        self.key("outcome");
    }

    fn actor(&mut self, actor: Option<Actor>) {
        if let Some(actor) = actor {
            self.raw(",\"actor\":\"");
            self.raw(actor.as_str());
            self.raw("\"");
        }
    }

    fn clauses(&mut self, clauses: &Clauses) {
        self.raw(",");
        self.key("clauses");
        self.raw("{");
        for (i, (family, refs)) in clauses.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.string(family);
            self.raw(":");
            self.strings(refs);
        }
        self.raw("}");
    }

    fn position(&mut self, p: &SourcePos) {
        self.key("position");
        self.raw("{");
        self.key("line");
        self.number(p.line as u64);
        self.raw(",");
        self.key("column");
        self.number(p.column as u64);
        self.raw("}");
    }

    fn lifecycle(&mut self, l: &Lifecycle) {
        self.key("lifecycle");
        self.raw("{");
        self.key("from");
        self.optional_string(l.from.as_deref());
        self.raw(",");
        self.key("to");
        self.string(&l.to);
        self.raw(",");
        self.key("legal");
        self.raw(if l.legal { "true" } else { "false" });
        self.raw("}");
    }

    fn pack(&mut self, p: &PackInfo) {
        self.key("pack");
        self.raw("{");
        self.key("name");
        self.string(&p.name);
        self.raw(",");
        self.key("version");
        self.string(&p.version);
        self.raw(",");
        self.key("digest");
        self.string(&p.digest);
        self.raw("}");
    }

    fn stats(&mut self, s: &Stats) {
        self.key("stats");
        self.raw("{");
        self.key("rules_evaluated");
        self.number(s.rules_evaluated as u64);
        self.raw(",");
        self.key("operations");
        self.number(s.operations);
        self.raw(",");
        self.key("micros");
        self.number(s.micros);
        self.raw("}");
    }

    fn error(&mut self, e: &InputError) {
        self.raw("{");
        self.key("code");
        self.string(&e.code);
        self.raw(",");
        self.key("message");
        self.string(&e.message);
        self.raw(",");
        self.key("path");
        self.string(&e.path);
        for (name, value) in [("line", e.line), ("column", e.column)] {
            if let Some(value) = value {
                self.raw(",");
                self.key(name);
                self.number(value as u64);
            }
        }
        self.raw("}");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::decision::{Outcome, RequestHint, Severity, Verdict};

    fn same(d: &Decision) {
        assert_eq!(d.to_json(), serde_json::to_string(d).unwrap());
    }

    #[test]
    fn every_string_is_escaped_as_serde_json_escapes_it() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é€𝄞\u{2028}\u{7f}\"\\");
        let texts = [
            String::new(),
            all.clone(),
            all.chars().rev().collect(),
            "plain text longer than eight bytes".into(),
            "\"\"\"\"\"\"\"\"\"".into(),
            "abcdefg\u{1}".into(),
        ];
        for text in &texts {
            for cut in 0..text.len().min(20) {
                let Some(text) = text.get(cut..) else {
                    continue;
                };
                let mut w = Writer(String::new());
                w.string(text);
                assert_eq!(w.0, serde_json::to_string(text).unwrap(), "{text:?}");
            }
        }
    }

    #[test]
    fn every_field_and_absent_field_is_written_as_serde_writes_it() {
        let pack = PackInfo {
            name: "p\"".into(),
            version: "1".into(),
            digest: "sha256:x".into(),
        };
        let hint = RequestHint {
            request_id: Some("R\n1".into()),
            scenario: None,
            as_of: Some("2026-01-01".into()),
        };
        let mut errors = vec![InputError::new("invalid_type", "`a` is \"x\"", "a.b[0]")];
        same(&Decision::rejected(
            pack.clone(),
            errors.clone(),
            hint.clone(),
        ));
        errors[0].line = Some(3);
        errors[0].column = Some(17);
        errors.push(InputError::new("x", "", "$"));
        same(&Decision::rejected(pack.clone(), errors, hint));
        let mut clauses = crate::decision::Clauses::new();
        clauses.insert(
            "gdpr".into(),
            vec!["Art. 17".into(), "Art. 28(3)(g)".into()],
        );
        clauses.insert("data_act".into(), vec![]);
        let finding = |outcome, message: Option<&str>, position: Option<SourcePos>| Finding {
            rule: "TRM-001".into(),
            title: Arc::from("Notice \\ period"),
            severity: Severity::Warn,
            outcome,
            message: message.map(String::from),
            paths: vec!["termination.effective_date".into(), "a\tb".into()],
            actor: position
                .is_none()
                .then_some(crate::decision::Actor::Provider),
            clauses: Arc::new(clauses.clone()),
            position,
        };
        let mut d = Decision {
            request_id: None,
            scenario: Some("termination".into()),
            as_of: None,
            decision: Verdict::Review,
            findings: vec![
                finding(Outcome::Pass, None, None),
                finding(Outcome::Fail, Some("too short: 3 < 30"), None),
                finding(
                    Outcome::Error,
                    Some("stopped"),
                    Some(SourcePos { line: 4, column: 9 }),
                ),
            ],
            lifecycle: None,
            pack,
            stats: Stats {
                rules_evaluated: 3,
                operations: u64::MAX,
                micros: 0,
            },
            errors: vec![],
            record: Some(crate::record::Record::of("{\"a\": 1}")),
        };
        same(&d);
        for from in [None, Some("active".to_string())] {
            d.lifecycle = Some(Lifecycle {
                from,
                to: "terminating".into(),
                legal: false,
            });
            same(&d);
        }
        d.findings.clear();
        same(&d);
    }
}
