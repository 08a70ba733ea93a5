//! The only place that reads a clock. Decisions never depend on it (tests pass `as_of`); it
//! supplies today's date when the caller gives none, the `micros` statistic, and a wall-clock
//! budget that backs up the operation limit natively.

#[cfg(not(target_arch = "wasm32"))]
use std::cell::Cell;

use crate::calendar::Date;

thread_local! {
    #[cfg(not(target_arch = "wasm32"))]
    static DEADLINE: Cell<Deadline> = const { Cell::new(Deadline::NotStarted(0)) };
}

/// The running rule's wall-clock budget. The clock is first read at the first check, after
/// 1,024 operations (microseconds into the rule), not when the rule starts: most rules end long
/// before that, and reading the clock for each of them was ~2 % of a native decision. A budget of a second thus starts a few microseconds late.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy)]
enum Deadline {
    /// The budget in milliseconds, not yet started.
    NotStarted(u64),
    At(Option<std::time::Instant>),
}

/// Whether the rule now running has passed its wall-clock budget (never, in wasm). The
/// evaluator asks this every 1024 operations.
// Called every 1,024 operations: kept out of line so that the operation count it sits behind
// stays inlined in the compiled form's loop.
#[inline(never)]
pub fn past_deadline() -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        DEADLINE.with(|d| match d.get() {
            Deadline::NotStarted(max_millis) => {
                let now = std::time::Instant::now();
                let at = now.checked_add(std::time::Duration::from_millis(max_millis));
                d.set(Deadline::At(at));
                // A budget of 0 ms has run out at the first check, as it had when it started.
                at.is_some_and(|at| now >= at)
            }
            Deadline::At(at) => at.is_some_and(|at| std::time::Instant::now() > at),
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        false
    }
}

/// Starts the running rule's wall-clock budget.
// The wall-clock budget is native only: edge runtimes do not advance the clock mid-computation.
#[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
pub fn start_rule(max_millis: u64) {
    #[cfg(not(target_arch = "wasm32"))]
    DEADLINE.with(|d| d.set(Deadline::NotStarted(max_millis)));
}

#[cfg(not(target_arch = "wasm32"))]
pub fn now_micros() -> u64 {
    use std::sync::OnceLock;
    static ORIGIN: OnceLock<std::time::Instant> = OnceLock::new();
    let origin = ORIGIN.get_or_init(std::time::Instant::now);
    u64::try_from(origin.elapsed().as_micros()).unwrap_or(u64::MAX)
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// `performance` and its `now`, looked up once per instance: looking them up on every call
    /// (`js_sys::global()` and two `Reflect::get`s, which build JS errors on the way) was about
    /// a tenth of a decision in Node.
    static PERFORMANCE_NOW: Option<(wasm_bindgen::JsValue, js_sys::Function)> = {
        let global = js_sys::global();
        js_sys::Reflect::get(&global, &"performance".into())
            .ok()
            .filter(|p| p.is_object())
            .and_then(|p| {
                let now = js_sys::Reflect::get(&p, &"now".into()).ok()?;
                let now: js_sys::Function = wasm_bindgen::JsCast::dyn_into(now).ok()?;
                Some((p, now))
            })
    };
}

#[cfg(target_arch = "wasm32")]
pub fn now_micros() -> u64 {
    // performance.now() where the runtime has it (browsers, Node, Deno, Workers), else Date.now().
    let millis = PERFORMANCE_NOW
        .with(|pn| {
            pn.as_ref()
                .and_then(|(performance, now)| now.call0(performance).ok()?.as_f64())
        })
        .unwrap_or_else(js_sys::Date::now);
    if millis.is_finite() && millis > 0.0 {
        (millis * 1000.0) as u64
    } else {
        0
    }
}

/// Today in UTC, used only when neither the request nor the caller gives `as_of`.
#[cfg(not(target_arch = "wasm32"))]
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    epoch_day(i64::try_from(secs / 86_400).unwrap_or(0))
}

#[cfg(target_arch = "wasm32")]
pub fn today() -> Date {
    let millis = js_sys::Date::now();
    epoch_day(if millis.is_finite() {
        (millis / 86_400_000.0).floor() as i64
    } else {
        0
    })
}

/// Milliseconds since 1970-01-01 UTC, for the audit record's `evaluated_at`.
#[cfg(not(target_arch = "wasm32"))]
fn unix_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

#[cfg(target_arch = "wasm32")]
fn unix_millis() -> i64 {
    let millis = js_sys::Date::now();
    if millis.is_finite() {
        millis as i64
    } else {
        0
    }
}

/// Now, UTC, as RFC 3339 with milliseconds (`2026-12-04T23:55:01.123Z`).
pub fn now_utc_rfc3339() -> String {
    let millis = unix_millis();
    let date = epoch_day(millis.div_euclid(86_400_000));
    let rem = millis.rem_euclid(86_400_000);
    format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

fn epoch_day(days: i64) -> Date {
    Date::EPOCH.add_days(days).unwrap_or(Date::EPOCH)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_budget_starts_at_the_first_check_and_zero_is_spent_there() {
        start_rule(0);
        assert!(past_deadline());
        assert!(past_deadline());
        start_rule(60_000);
        assert!(!past_deadline());
        assert!(!past_deadline());
        start_rule(0);
        assert!(past_deadline(), "a new rule gets a new budget");
    }
}
