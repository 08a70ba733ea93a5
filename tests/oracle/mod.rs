//! The reference the evaluator is held to: the same rules run in Rhai's own interpreter, with
//! the host functions written again on Rhai's terms. It lives in the tests only: the library
//! calls Rhai to parse, never to run (scripts/check-one-evaluator.sh).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use cloudgate::calendar::{is_eea, is_eu, Date};
use cloudgate::eval::host::{MissingField, ReadOnly, RuleResult};
use cloudgate::jurisdictions::Jurisdictions;
use cloudgate::{Decision, EvalOptions, Outcome, Pack, Verdict};
use rhai::{Array, Dynamic, Engine, EvalAltResult, FuncRegistration, Position, Scope, AST};

type Res<T> = Result<T, Box<EvalAltResult>>;

fn runtime_error(message: String) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(message.into(), Position::NONE))
}

fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i)?, part.get(i..)?),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Step::Key(name.into()));
        } else if out.is_empty() && rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let index: usize = rest.get(1..close)?.parse().ok()?;
            out.push(Step::Index(index));
            rest = rest.get(close + 1..)?;
        }
    }
    Some(out)
}

/// One step of a field path. Keys are owned (inline for up to 23 bytes, so parsing a path
/// rarely allocates) so that the compiled form of a rule can keep its paths parsed.
#[derive(Clone, Debug)]
enum Step {
    Key(rhai::Identifier),
    Index(usize),
}

fn lookup<R>(root: &Dynamic, path: &str, f: impl FnOnce(Option<&Dynamic>) -> R) -> Res<R> {
    let parsed =
        parse_path(path).ok_or_else(|| runtime_error(format!("malformed field path `{path}`")))?;
    Ok(walk(root, &parsed, f))
}

fn walk<R>(current: &Dynamic, steps: &[Step], f: impl FnOnce(Option<&Dynamic>) -> R) -> R {
    if current.is_unit() {
        return f(None);
    }
    match steps.split_first() {
        None => f(Some(current)),
        Some((Step::Key(key), rest)) => match current.as_map_ref() {
            Ok(map) => match map.get(key.as_str()) {
                Some(next) => walk(next, rest, f),
                None => f(None),
            },
            Err(_) => f(None),
        },
        Some((Step::Index(i), rest)) => match current.as_array_ref() {
            Ok(array) => match array.get(*i) {
                Some(next) => walk(next, rest, f),
                None => f(None),
            },
            Err(_) => f(None),
        },
    }
}

fn get_value(root: &Dynamic, path: &str) -> Res<Dynamic> {
    lookup(root, path, |v| v.cloned().unwrap_or(Dynamic::UNIT))
}

fn need_value(root: &Dynamic, path: &str, prefix: &str) -> Res<Dynamic> {
    match lookup(root, path, |v| v.cloned())? {
        Some(v) => Ok(v),
        None => {
            let full = if prefix.is_empty() {
                path.to_string()
            } else {
                format!("{prefix}.{path}")
            };
            Err(Box::new(EvalAltResult::ErrorRuntime(
                Dynamic::from(MissingField(full)),
                Position::NONE,
            )))
        }
    }
}

fn is_empty_value(v: &Dynamic) -> bool {
    if v.is_unit() {
        return true;
    }
    if let Ok(s) = v.as_immutable_string_ref() {
        return s.trim().is_empty();
    }
    if let Ok(a) = v.as_array_ref() {
        return a.is_empty();
    }
    if let Ok(m) = v.as_map_ref() {
        return m.is_empty();
    }
    false
}

fn date(text: &str) -> Res<Date> {
    Date::parse(text).map_err(|e| runtime_error(e.to_string()))
}

fn date_result(d: Result<Date, cloudgate::calendar::DateError>) -> Res<String> {
    d.map(|d| d.to_string())
        .map_err(|e| runtime_error(e.to_string()))
}

fn message_of(v: &Dynamic) -> String {
    if let Ok(a) = v.as_array_ref() {
        a.iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        v.to_string()
    }
}

fn paths_of(paths: &Array) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(paths.len());
    for p in paths {
        let p = p.to_string();
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Whether the Data Act's switching chapter applies: a customer in one of the pack's
/// `da_jurisdictions` (the Union by default) and a production service. A missing jurisdiction
/// fails the calling rule (fail closed) rather than guessing either way.
fn da_scope(req: &Dynamic, places: &Jurisdictions) -> Res<bool> {
    let jurisdiction = need_value(req, "customer.jurisdiction", "")?;
    let in_scope = jurisdiction
        .as_immutable_string_ref()
        .map(|s| places.is_da(s.as_str()))
        .unwrap_or(false);
    let non_production = get_value(req, "service.non_production")?
        .as_bool()
        .unwrap_or(false);
    Ok(in_scope && !non_production)
}

/// `working_days(a, b, j)`: weekdays in (a, b] that are not public holidays of `j`.
fn working_days_in(a: Date, b: Date, places: &Jurisdictions, j: &str) -> i64 {
    a.working_days_except(b, places.holidays(j))
}

fn register(engine: &mut Engine, places: Arc<Jurisdictions>) {
    engine.register_type_with_name::<RuleResult>("RuleResult");
    engine.register_type_with_name::<MissingField>("MissingField");
    // Shown as `map`, which is what rules have always been told `req` and `params` are.
    engine.register_type_with_name::<ReadOnly>("map");
    engine.register_indexer_get(|v: &mut ReadOnly, key: &str| v.member(key));
    // A write (`req.x = 1`, `req["x"] = 1`) reaches this setter, which refuses it naming the
    // constant. Marked pure only so that Rhai calls it on a constant and the rule author reads
    // "Cannot modify constant req" rather than a message about indexers (it writes nothing).
    FuncRegistration::new("index$set$")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, _: &str, _: Dynamic| -> Res<()> {
            Err(Box::new(EvalAltResult::ErrorAssignmentToConstant(
                v.name().to_string(),
                Position::NONE,
            )))
        });
    engine.register_fn("contains", |v: &mut ReadOnly, key: &str| v.contains(key));
    engine.register_fn("to_string", |v: &mut ReadOnly| v.inner().to_string());
    engine.register_fn("to_debug", |v: &mut ReadOnly| format!("{:?}", v.inner()));
    FuncRegistration::new("need")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str| {
            need_value(v.inner(), path, "")
        });
    FuncRegistration::new("need")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str, prefix: &str| {
            need_value(v.inner(), path, prefix)
        });
    FuncRegistration::new("field")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str| {
            get_value(v.inner(), path)
        });
    FuncRegistration::new("field")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str, default: Dynamic| {
            lookup(v.inner(), path, |found| found.cloned().unwrap_or(default))
        });
    FuncRegistration::new("present")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut ReadOnly, path: &str| {
            lookup(v.inner(), path, |found| found.is_some())
        });
    let p = places.clone();
    FuncRegistration::new("da_scope")
        .with_purity(true)
        .register_into_engine(engine, move |v: &mut ReadOnly| da_scope(v.inner(), &p));

    FuncRegistration::new("need")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str| {
            need_value(v, path, "")
        });
    FuncRegistration::new("need")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str, prefix: &str| {
            need_value(v, path, prefix)
        });
    FuncRegistration::new("field")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str| get_value(v, path));
    FuncRegistration::new("field")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str, default: Dynamic| {
            lookup(v, path, |found| found.cloned().unwrap_or(default))
        });
    FuncRegistration::new("present")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic, path: &str| {
            lookup(v, path, |found| found.is_some())
        });
    FuncRegistration::new("empty")
        .with_purity(true)
        .register_into_engine(engine, |v: &mut Dynamic| is_empty_value(v));
    let p = places.clone();
    FuncRegistration::new("da_scope")
        .with_purity(true)
        .register_into_engine(engine, move |v: &mut Dynamic| da_scope(v, &p));

    engine.register_fn("days", |a: &str, b: &str| -> Res<i64> {
        Ok(date(a)?.days_until(date(b)?))
    });
    engine.register_fn("working_days", |a: &str, b: &str| -> Res<i64> {
        Ok(date(a)?.working_days_until(date(b)?))
    });
    let p = places.clone();
    engine.register_fn(
        "working_days",
        move |a: &str, b: &str, j: &str| -> Res<i64> {
            Ok(working_days_in(date(a)?, date(b)?, &p, j))
        },
    );
    engine.register_fn("working_days", |a: &str, b: &str, _: ()| -> Res<i64> {
        Ok(date(a)?.working_days_until(date(b)?))
    });
    engine.register_fn("add_days", |d: &str, n: i64| -> Res<String> {
        date_result(date(d)?.add_days(n))
    });
    engine.register_fn("add_months", |d: &str, n: i64| -> Res<String> {
        date_result(date(d)?.add_months(n))
    });
    engine.register_fn("min_date", |a: &str, b: &str| -> Res<String> {
        Ok(date(a)?.min(date(b)?).to_string())
    });
    engine.register_fn("max_date", |a: &str, b: &str| -> Res<String> {
        Ok(date(a)?.max(date(b)?).to_string())
    });
    engine.register_fn("is_date", |s: &str| Date::parse(s).is_ok());
    engine.register_fn("is_date", |_: ()| false);
    engine.register_fn("is_eea", |code: &str| is_eea(code));
    engine.register_fn("is_eea", |_: ()| false);
    engine.register_fn("is_eu", |code: &str| is_eu(code));
    engine.register_fn("is_eu", |_: ()| false);
    let p = places.clone();
    engine.register_fn("is_adequate", move |code: &str| p.is_adequate(code));
    engine.register_fn("is_adequate", |_: ()| false);
    let p = places;
    engine.register_fn("is_da_jurisdiction", move |code: &str| p.is_da(code));
    engine.register_fn("is_da_jurisdiction", |_: ()| false);
    engine.register_fn("join", |a: Array, sep: &str| {
        a.iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(sep)
    });

    engine.register_fn("pass", || RuleResult::Pass(None));
    engine.register_fn("pass", |explanation: Dynamic| {
        RuleResult::Pass(Some(message_of(&explanation)))
    });
    engine.register_fn("fail", |message: Dynamic| RuleResult::Fail {
        message: message_of(&message),
        paths: Vec::new(),
    });
    engine.register_fn("fail", |message: Dynamic, paths: Array| RuleResult::Fail {
        message: message_of(&message),
        paths: paths_of(&paths),
    });
    engine.register_fn("fail", |message: Dynamic, path: &str| RuleResult::Fail {
        message: message_of(&message),
        paths: vec![path.to_string()],
    });
    engine.register_fn("not_applicable", |reason: &str| RuleResult::NotApplicable {
        reason: reason.to_string(),
    });
    engine.register_fn("not_applicable", || RuleResult::NotApplicable {
        reason: String::new(),
    });
}

/// A pack's rules in Rhai's interpreter, sandboxed as the engine's limits say.
pub struct Oracle {
    engine: cloudgate::Engine,
    rhai: Engine,
    rules: Vec<(String, Option<AST>)>,
    params: Dynamic,
}

fn sandbox(limits: &cloudgate::Limits, places: Arc<Jurisdictions>) -> Engine {
    use rhai::packages::{
        ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage,
        BasicMapPackage, BasicMathPackage, BasicStringPackage, LogicPackage, MoreStringPackage,
        Package,
    };
    let mut engine = Engine::new_raw();
    for package in [
        ArithmeticPackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicStringPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        BasicIteratorPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        BasicFnPackage::new().as_shared_module(),
    ] {
        engine.register_global_module(package);
    }
    engine.disable_symbol("eval");
    engine.set_max_operations(limits.max_operations.max(1));
    engine.set_max_call_levels(limits.max_call_levels);
    engine.set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth);
    engine.set_max_string_size(limits.max_string_size.max(1));
    engine.set_max_array_size(limits.max_array_size.max(1));
    engine.set_max_map_size(limits.max_map_size.max(1));
    engine.set_max_variables(1_000);
    engine.set_max_functions(256);
    engine.set_fail_on_invalid_map_property(false);
    register(&mut engine, places);
    engine
}

impl Oracle {
    /// The oracle of `engine`'s pack (a lenient engine's rules that do not load are left to it).
    pub fn new(engine: cloudgate::Engine) -> Oracle {
        let params = ReadOnly::wrap(
            "params",
            cloudgate::eval::convert::ToRhai::to_rhai(&serde_json::Value::Object(
                engine.pack().manifest.params.clone(),
            )),
        );
        let places = Arc::new(Jurisdictions::from_params(&params).unwrap());
        let rhai = sandbox(engine.limits(), places);
        let rules = engine
            .pack()
            .rules
            .iter()
            .map(|r| (r.meta.id.clone(), rhai.compile(&r.source).ok()))
            .collect();
        Oracle {
            engine,
            rhai,
            rules,
            params,
        }
    }

    pub fn pack(pack: Pack) -> Oracle {
        Oracle::new(cloudgate::Engine::new(pack).unwrap())
    }

    pub fn engine(&self) -> &cloudgate::Engine {
        &self.engine
    }

    /// The engine's decision with every rule's outcome, message and paths as Rhai gives them,
    /// and the verdict folded from those. Errors keep only their outcome: a rule that errs in
    /// both says so in its own words in each.
    pub fn decide(&self, text: &str, options: &EvalOptions) -> Decision {
        let mut decision = self.engine.evaluate_json(text, options);
        let Ok(request) = cloudgate::input::parse_request(text, &self.engine.limits().input) else {
            return decision;
        };
        let lifecycle = decision.lifecycle.clone().unwrap();
        let mut lc = rhai::Map::new();
        lc.insert(
            "from".into(),
            lifecycle.from.clone().map_or(Dynamic::UNIT, Dynamic::from),
        );
        lc.insert("to".into(), Dynamic::from(lifecycle.to.clone()));
        lc.insert("legal".into(), Dynamic::from(lifecycle.legal));
        let legal_from: Array = cloudgate::lifecycle::legal_from(&request)
            .into_iter()
            .map(|s| Dynamic::from(s.as_str().to_string()))
            .collect();
        lc.insert("legal_from".into(), Dynamic::from_array(legal_from));
        let mut scope = Scope::new();
        scope.push_constant_dynamic(
            "req",
            ReadOnly::wrap("req", cloudgate::eval::convert::to_dynamic(&request)),
        );
        scope.push_constant_dynamic("params", self.params.clone());
        scope.push_constant("as_of", decision.as_of.clone().unwrap_or_default());
        scope.push_constant("scenario", request.scenario.as_str().to_string());
        scope.push_constant_dynamic("lifecycle", Dynamic::from_map(lc));
        for finding in &mut decision.findings {
            let Some((_, Some(ast))) = self.rules.iter().find(|(id, _)| **id == *finding.rule)
            else {
                continue;
            };
            let base = scope.len();
            let result = self.rhai.eval_ast_with_scope::<Dynamic>(&mut scope, ast);
            scope.rewind(base);
            let (outcome, message, paths) = interpret(result);
            if outcome == Outcome::Error && finding.outcome == Outcome::Error {
                continue;
            }
            finding.outcome = outcome;
            finding.message = match outcome {
                Outcome::Pass if !options.explain => None,
                _ => message,
            };
            finding.paths = paths;
            finding.position = None;
        }
        decision.decision = if decision.errors.is_empty() {
            Decision::fold(&decision.findings)
        } else {
            Verdict::Error
        };
        decision
    }
}

fn interpret(
    result: Result<Dynamic, Box<EvalAltResult>>,
) -> (Outcome, Option<String>, Vec<String>) {
    match result {
        Ok(value) => match value.try_cast::<RuleResult>() {
            Some(RuleResult::Pass(explanation)) => (Outcome::Pass, explanation, Vec::new()),
            Some(RuleResult::Fail { message, paths }) => (Outcome::Fail, Some(message), paths),
            Some(RuleResult::NotApplicable { reason }) => (
                Outcome::NotApplicable,
                (!reason.is_empty()).then_some(reason),
                Vec::new(),
            ),
            None => (Outcome::Error, None, Vec::new()),
        },
        Err(err) => {
            let mut inner = &*err;
            while let EvalAltResult::ErrorInFunctionCall(_, _, next, _) = inner {
                inner = next;
            }
            if let EvalAltResult::ErrorRuntime(value, _) = inner {
                if let Some(MissingField(path)) = value.clone().try_cast::<MissingField>() {
                    return (
                        Outcome::Fail,
                        Some(format!("required field `{path}` is missing")),
                        vec![path],
                    );
                }
            }
            (Outcome::Error, Some(inner.to_string()), Vec::new())
        }
    }
}
