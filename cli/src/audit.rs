//! `cloudgate check --log FILE`: one audit line per decision, appended as NDJSON.
//!
//! Each line is written with one `write` call, unbuffered, before its decision goes to standard
//! output: whatever a caller has seen decided is in the log even if the process is killed the
//! next instant (a crash of the machine itself is the file system's to survive).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use cloudgate::decision::{Decision, Outcome};

pub struct AuditLog {
    file: File,
    path: String,
}

impl AuditLog {
    pub fn open(path: &Path) -> Result<AuditLog, String> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("--log {}: {e}", path.display()))?;
        Ok(AuditLog {
            file,
            path: path.display().to_string(),
        })
    }

    /// Appends `line` (from [`line`]) and its newline in one write.
    pub fn append(&mut self, line: &str) -> Result<(), String> {
        self.file
            .write_all(line.as_bytes())
            .map_err(|e| format!("--log {}: {e}", self.path))
    }
}

/// The audit line of a decision, newline included: its record, and what was decided about
/// which request by which pack. `None` for a decision without a record.
pub fn line(d: &Decision) -> Option<String> {
    let record = d.record.as_ref()?;
    let failing: Vec<&str> = d
        .findings
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::Fail | Outcome::Error))
        .map(|f| &*f.rule)
        .collect();
    let value = serde_json::json!({
        "decision_id": record.decision_id,
        "input_digest": record.input_digest,
        "evaluated_at": record.evaluated_at,
        "engine": record.engine,
        "request_id": d.request_id,
        "scenario": d.scenario,
        "as_of": d.as_of,
        "decision": d.decision,
        "failing": failing,
        "errors": d.errors.iter().map(|e| &e.code).collect::<Vec<_>>(),
        "pack": d.pack,
    });
    let mut text = serde_json::to_string(&value).ok()?;
    text.push('\n');
    Some(text)
}
