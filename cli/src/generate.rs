//! `cloudgate generate`: varied, mostly valid requests for benchmarks of the batch mode.
//!
//! Starts from the pack's own base requests (`tests/base/<scenario>.json`, the allow examples)
//! and perturbs a few leaves of each: dates shift, flags flip, numbers move, now and then a
//! field disappears. So the stream mixes allow, review, deny and the occasional error the way
//! real traffic might, and the same seed always gives the same stream.

use std::io::Write;

use serde_json::Value;

use cloudgate::calendar::Date;
use cloudgate::Pack;

/// splitmix64: tiny, seedable, good enough to pick perturbations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }
}

/// Paths (as JSON pointers) of every leaf and array under `v`.
fn leaves(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                leaves(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            out.push(at.clone());
            for (i, child) in items.iter().enumerate() {
                leaves(child, format!("{at}/{i}"), out);
            }
        }
        _ => out.push(at),
    }
}

fn perturb(v: &mut Value, rng: &mut Rng) {
    match v {
        Value::Bool(b) => *b = !*b,
        Value::Number(n) => {
            *v = match n.as_i64() {
                Some(i) => Value::from((i + rng.between(-20, 20)).max(0)),
                None => {
                    Value::from(n.as_f64().unwrap_or(0.0) * (rng.between(50, 150) as f64) / 100.0)
                }
            }
        }
        Value::String(s) => {
            if let Ok(d) = Date::parse(s) {
                if let Ok(shifted) = d.add_days(rng.between(-45, 45)) {
                    *s = shifted.to_string();
                }
            }
        }
        Value::Array(items) if !items.is_empty() && rng.chance(50) => {
            items.pop();
        }
        _ => {}
    }
}

fn remove(root: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    if let Some(Value::Object(map)) = root.pointer_mut(parent) {
        map.remove(key);
    }
}

pub fn run(count: usize, seed: u64, only: Option<&str>) -> Result<(), String> {
    let pack = Pack::embedded().map_err(|e| e.to_string())?;
    let mut bases: Vec<(String, Value)> = Vec::new();
    for (path, text) in &pack.tests {
        let Some(name) = path
            .strip_prefix("tests/base/")
            .and_then(|p| p.strip_suffix(".json"))
        else {
            continue;
        };
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let value: Value = serde_json::from_str(text).map_err(|e| format!("{path}: {e}"))?;
        bases.push((name.to_string(), value));
    }
    bases.sort_by(|a, b| a.0.cmp(&b.0));
    if bases.is_empty() {
        return Err(match only {
            Some(s) => format!("no base request for scenario `{s}` in the pack"),
            None => "the pack has no base requests (tests/base/*.json)".into(),
        });
    }
    let mut rng = Rng(seed);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for i in 0..count {
        let Some((name, base)) = bases.get(i % bases.len()) else {
            break;
        };
        let mut request = base.clone();
        if let Value::Object(map) = &mut request {
            map.insert(
                "request_id".into(),
                Value::from(format!("GEN-{seed}-{i}-{name}")),
            );
        }
        // About a third stay as they are (allow); the rest get one to four changes.
        if !rng.chance(33) {
            let mut paths = Vec::new();
            leaves(&request, String::new(), &mut paths);
            paths.retain(|p| !matches!(p.as_str(), "/request_id" | "/scenario"));
            // Half the changes hit the scenario's own block, where most rules look.
            let block = format!("/{name}/");
            let focused: Vec<String> = paths
                .iter()
                .filter(|p| p.starts_with(&block))
                .cloned()
                .collect();
            for _ in 0..rng.between(1, 4) {
                let pool = if !focused.is_empty() && rng.chance(50) {
                    &focused
                } else {
                    &paths
                };
                let Some(path) = pool.get(rng.below(pool.len())) else {
                    break;
                };
                if rng.chance(5) {
                    remove(&mut request, path);
                } else if let Some(target) = request.pointer_mut(path) {
                    perturb(target, &mut rng);
                }
            }
        }
        let line = serde_json::to_string(&request).map_err(|e| e.to_string())?;
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}
