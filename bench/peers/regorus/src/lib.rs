//! regorus (Microsoft's Rego interpreter) deciding cloudgate's termination rules, written in Rego
//! (`termination.rego`), for the native benchmark `benches/regorus.rs` (bench/README.md,
//! "regorus").
//!
//! The policy is parsed and compiled once ([`template`]); a decision takes the request as JSON
//! text, as cloudgate's `Engine::evaluate_json` does, and returns regorus's result, read by
//! [`verdict`] into the decision verb and the sorted failing rule ids. Four ways to run it are
//! measured: one engine whose input is replaced per request ([`Reused`]), a clone of the
//! prepared engine per request ([`decide_cloned`]), the compiled policy's `eval_with_input`
//! ([`Compiled`]), and regorus's bytecode VM ([`Vm`]).

use std::sync::Arc;

use cloudgate::Date;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::vm::RegoVM;
use regorus::{CompiledPolicy, Engine, Rc, Value};

/// The policy, embedded so that the bench runs from any directory.
pub const POLICY: &str = include_str!("../termination.rego");

/// The rule whose value is the decision: `{"decision": …, "failing": {…}}`.
pub const RESULT_RULE: &str = "data.cloudgate.termination.result";

/// Any failure of regorus or of the pack's parameters, as text.
pub type Error = String;

fn text(e: impl std::fmt::Display) -> Error {
    e.to_string()
}

fn day_number(date: Date) -> i64 {
    Date::EPOCH.days_until(date)
}

fn date_param(
    params: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<i64, Error> {
    params
        .get(name)
        .and_then(serde_json::Value::as_str)
        .and_then(|t| Date::parse(t).ok())
        .map(day_number)
        .ok_or_else(|| format!("pack parameter `{name}` is not a date"))
}

fn int_param(
    params: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<i64, Error> {
    params
        .get(name)
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| format!("pack parameter `{name}` is not an integer"))
}

/// `data.pack`: the pack's parameters that the termination rules read, prepared once per engine
/// as the hand-written checks prepare theirs (`Params::from_pack`): the Data Act jurisdictions
/// as an object keyed by upper-case code (a lookup instead of a scan), the public holidays as
/// distinct day numbers keyed by upper-case code, the cut-off as a day number, the limits as
/// they are, and `as_of`, the evaluation date of a request that has none.
pub fn pack_data(
    params: &serde_json::Map<String, serde_json::Value>,
    as_of: Date,
) -> Result<serde_json::Value, Error> {
    let mut da = serde_json::Map::new();
    for code in params
        .get("da_jurisdictions")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
    {
        let code = code
            .as_str()
            .ok_or("`da_jurisdictions` lists a non-string")?;
        da.insert(code.to_ascii_uppercase(), serde_json::Value::Bool(true));
    }
    let mut holidays = serde_json::Map::new();
    if let Some(map) = params
        .get("public_holidays")
        .and_then(serde_json::Value::as_object)
    {
        for (code, dates) in map {
            let mut days: Vec<i64> = Vec::new();
            for d in dates.as_array().into_iter().flatten() {
                let day = d
                    .as_str()
                    .and_then(|t| Date::parse(t).ok())
                    .map(day_number)
                    .ok_or_else(|| {
                        format!("pack parameter `public_holidays.{code}` lists a non-date")
                    })?;
                if !days.contains(&day) {
                    days.push(day);
                }
            }
            holidays.insert(code.to_ascii_uppercase(), days.into());
        }
    }
    let mut pack = serde_json::Map::new();
    pack.insert("da".into(), da.into());
    pack.insert("holidays".into(), holidays.into());
    pack.insert(
        "switching_charge_cutoff".into(),
        date_param(params, "switching_charge_cutoff")?.into(),
    );
    for name in [
        "exit_plan_max_age_days",
        "da_max_transition_days",
        "da_min_retrieval_days",
        "da_max_alternative_transition_months",
        "da_unfeasibility_notice_working_days",
        "max_deletion_delay_days",
    ] {
        pack.insert(name.into(), int_param(params, name)?.into());
    }
    pack.insert("as_of".into(), as_of.to_string().into());
    Ok(serde_json::json!({ "pack": pack }))
}

/// An engine with the policy compiled and the pack's data added: the template every way of
/// deciding starts from.
pub fn template(
    params: &serde_json::Map<String, serde_json::Value>,
    as_of: Date,
) -> Result<Engine, Error> {
    let mut engine = Engine::new();
    engine
        .add_policy("termination.rego".to_string(), POLICY.to_string())
        .map_err(text)?;
    let data = pack_data(params, as_of)?;
    engine
        .add_data(Value::from_json_str(&data.to_string()).map_err(text)?)
        .map_err(text)?;
    // The first evaluation prepares the engine (its compiled form is kept), so that neither a
    // clone nor a reused engine pays for it on its first request.
    engine.set_input(Value::new_object());
    engine.eval_rule(RESULT_RULE.to_string()).map_err(text)?;
    Ok(engine)
}

/// One engine, reused: each request replaces the input.
pub struct Reused {
    engine: Engine,
}

impl Reused {
    pub fn new(template: &Engine) -> Reused {
        Reused {
            engine: template.clone(),
        }
    }

    pub fn decide(&mut self, request: &str) -> Result<Value, Error> {
        self.decide_value(Value::from_json_str(request).map_err(text)?)
    }

    /// The same on a request already read into a value (to time the evaluation alone).
    pub fn decide_value(&mut self, request: Value) -> Result<Value, Error> {
        self.engine.set_input(request);
        self.engine.eval_rule(RESULT_RULE.to_string()).map_err(text)
    }
}

/// A fresh clone of the template per request (regorus's documented way to reuse loaded policies).
pub fn decide_cloned(template: &Engine, request: &str) -> Result<Value, Error> {
    let mut engine = template.clone();
    engine.set_input(Value::from_json_str(request).map_err(text)?);
    engine.eval_rule(RESULT_RULE.to_string()).map_err(text)
}

/// regorus's compiled policy (`Engine::compile_with_entrypoint`): `eval_with_input` makes an
/// engine from it per request.
pub struct Compiled {
    policy: CompiledPolicy,
}

impl Compiled {
    pub fn new(template: &Engine) -> Result<Compiled, Error> {
        let entry: Rc<str> = RESULT_RULE.into();
        let policy = template
            .clone()
            .compile_with_entrypoint(&entry)
            .map_err(text)?;
        Ok(Compiled { policy })
    }

    pub fn decide(&self, request: &str) -> Result<Value, Error> {
        self.policy
            .eval_with_input(Value::from_json_str(request).map_err(text)?)
            .map_err(text)
    }
}

/// regorus's bytecode VM (RVM): the policy compiled to a program once, one VM reused.
pub struct Vm {
    vm: RegoVM,
}

impl Vm {
    pub fn new(template: &Engine) -> Result<Vm, Error> {
        let mut engine = template.clone();
        let entry: Rc<str> = RESULT_RULE.into();
        let policy = engine.compile_with_entrypoint(&entry).map_err(text)?;
        let program: Arc<Program> =
            Compiler::compile_from_policy(&policy, &[RESULT_RULE]).map_err(text)?;
        let mut vm = RegoVM::new();
        vm.load_program(program);
        vm.set_data(engine.get_data()).map_err(text)?;
        Ok(Vm { vm })
    }

    pub fn decide(&mut self, request: &str) -> Result<Value, Error> {
        self.decide_value(Value::from_json_str(request).map_err(text)?)
    }

    /// The same on a request already read into a value (to time the evaluation alone).
    pub fn decide_value(&mut self, request: Value) -> Result<Value, Error> {
        self.vm.set_input(request);
        self.vm.execute().map_err(text)
    }
}

/// The decision verb and the sorted failing rule ids of a result.
pub fn verdict(result: &Value) -> Result<(String, Vec<String>), Error> {
    let decision = result["decision"]
        .as_string()
        .map_err(|_| format!("no decision in {result}"))?
        .to_string();
    let mut failing = Vec::new();
    match &result["failing"] {
        Value::Set(ids) => {
            for id in ids.iter() {
                failing.push(id.as_string().map_err(text)?.to_string());
            }
        }
        Value::Array(ids) => {
            for id in ids.iter() {
                failing.push(id.as_string().map_err(text)?.to_string());
            }
        }
        // A policy whose `failing` set is empty may leave it out (undefined).
        Value::Undefined => {}
        other => return Err(format!("failing is not a set: {other}")),
    }
    failing.sort();
    Ok((decision, failing))
}
