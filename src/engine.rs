//! The engine: a pack loaded once (every rule parsed and lowered, [`crate::lang`]), then many
//! requests decided.
//!
//! Data flow: text → [`parse_request`] (limits, types, dates) → the rules of the request's
//! scenario run in turn in the evaluator ([`crate::eval`]), reading the typed request in place
//! → each result becomes a [`Finding`] → [`Decision::fold`].

use rhai::Dynamic;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

use crate::calendar::Date;
use crate::clock;
use crate::decision::{
    pack_json, Clauses, Decision, Finding, FindingJson, Lifecycle, Outcome, PackInfo, RequestHint,
    SourcePos, Stats,
};
use crate::eval::coverage::{Coverage, RuleCoverage, Sites};
use crate::eval::{self, host::ReadOnly, host::RuleResult, Fault};
use crate::input::{parse_request, InputLimits};
use crate::jurisdictions::Jurisdictions;
#[cfg(feature = "parser")]
use crate::lang;
#[cfg(feature = "parser")]
use crate::lang::parse::Parser;
use crate::lang::{parse::ParseLimits, Pos, Program};
use crate::lifecycle;
use crate::pack::{Diagnostic, Pack, PackError, RuleMeta};
use crate::request::Request;

/// Sandbox bounds. Every one is set explicitly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Operations one rule may perform on one request before it is stopped.
    pub max_operations: u64,
    /// Operations all the rules of one request may perform between them: a pack of many
    /// runaway rules costs one budget, not one per rule. Once it is spent, each rule still to
    /// run is an `error` finding.
    pub max_operations_per_request: u64,
    /// Nesting of function calls inside a rule (≤ 64 keeps within the 1 MiB wasm stack).
    pub max_call_levels: usize,
    /// Expression nesting at the top level of a rule and inside its functions (checked when
    /// the rule is parsed).
    pub max_expr_depth: usize,
    pub max_function_expr_depth: usize,
    /// Bytes in any string a rule builds (total over a value's strings).
    pub max_string_size: usize,
    /// Elements in any array a rule builds (counted through nested arrays).
    pub max_array_size: usize,
    /// Entries in any object map a rule builds (counted through nested maps).
    pub max_map_size: usize,
    /// Wall-clock budget per rule in milliseconds, a second line behind `max_operations`
    /// (native only: in edge runtimes the clock does not advance during computation).
    pub max_millis_per_rule: u64,
    /// Bounds on the request text itself.
    pub input: InputLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 1_000_000,
            max_operations_per_request: 10_000_000,
            max_call_levels: 32,
            max_expr_depth: 64,
            max_function_expr_depth: 32,
            max_string_size: 1 << 20,
            max_array_size: 1 << 19,
            max_map_size: 1 << 18,
            max_millis_per_rule: 1_000,
            input: InputLimits::default(),
        }
    }
}

/// How to build an engine.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    pub limits: Limits,
    /// When false, a rule that does not load is kept: it is reported in
    /// [`Engine::diagnostics`] and yields an `error` finding (so decisions fail closed) instead
    /// of refusing the whole pack. Editors want this; gates keep the default `strict`.
    pub lenient: bool,
}

/// Per-call options.
#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    /// Evaluation date when the request has no `as_of`. Without either, today in UTC.
    pub as_of: Option<Date>,
    /// Passing findings carry a message naming the values checked and the limit they met
    /// (domain.md §2), for auditors and trainees. Off, a pass has no message and its
    /// explanation is never built.
    pub explain: bool,
    /// The decision carries an audit record (`decision_id`, `input_digest`, `evaluated_at`,
    /// `engine`; domain.md §2). Off, a decision depends only on request, pack and `as_of`.
    pub record: bool,
}

/// One rule, loaded.
struct LoadedRule {
    /// The rule's place in the pack (`Engine::pack().rules`), whose metadata it is.
    index: usize,
    severity: crate::decision::Severity,
    actor: Option<crate::decision::Actor>,
    /// The scenarios it applies to, one bit each.
    scenarios: u8,
    /// The rule lowered, or the reason it did not load (in a lenient engine). Filled when the
    /// rule loads, or on its first run when it came lowered by `build.rs` (`built`).
    program: OnceLock<Result<Program, Diagnostic>>,
    /// The form `build.rs` wrote, still encoded.
    built: Option<&'static [u8]>,
    /// `meta.id`, `meta.title` and `meta.clauses`, shared by every finding of this rule. The
    /// clauses of a default rule in an engine that started without building the pack
    /// ([`Engine::embedded`]) are read from its header when a finding first needs them.
    id: Arc<str>,
    title: Arc<str>,
    clauses: OnceLock<Arc<Clauses>>,
    clauses_from: Option<&'static crate::pack::EmbeddedRule>,
    /// This rule's part of every finding's JSON, written on first need.
    json: OnceLock<FindingJson>,
}

impl LoadedRule {
    fn clauses(&self) -> &Arc<Clauses> {
        self.clauses.get_or_init(|| {
            Arc::new(
                self.clauses_from
                    .map(crate::pack::shipped_clauses)
                    .unwrap_or_default(),
            )
        })
    }

    fn program(&self) -> &Result<Program, Diagnostic> {
        self.program.get_or_init(|| {
            self.built
                .and_then(crate::pack::decode_program)
                .ok_or_else(|| {
                    Diagnostic::new(
                        "internal",
                        &self.id,
                        format!("{}: the rule's built form does not decode", self.id),
                    )
                    .for_rule(&self.id)
                })
        })
    }

    /// Whether `f` carries this rule's fixed fields (the engine's own findings do, by pointer).
    fn wrote(&self, f: &Finding) -> bool {
        Arc::ptr_eq(&f.rule, &self.id)
            && Arc::ptr_eq(&f.title, &self.title)
            && Arc::ptr_eq(&f.clauses, self.clauses())
            && f.severity == self.severity
            && f.actor == self.actor
    }

    fn json(&self) -> &FindingJson {
        self.json.get_or_init(|| {
            FindingJson::new(
                &self.id,
                &self.title,
                self.severity,
                self.actor,
                self.clauses(),
            )
        })
    }
}

/// The last line of code, blamed when a rule ends with something other than a result.
fn last_code_line(source: &str) -> SourcePos {
    let line = source
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with("//")
        })
        .last()
        .map_or(1, |(n, _)| n + 1);
    SourcePos { line, column: 1 }
}

/// `params` as the rules see them: its scalar members in a table for `params.name`
/// ([`eval::param_scalars`]), and the read-only map, built when a rule first reads more than a
/// scalar (a termination decision never does: its rules read scalars only).
pub(crate) struct Params {
    /// The parameters, unless they are the default pack's, which `build.rs` packed (copying
    /// them when every engine starts was most of its start-up).
    json: Option<serde_json::Map<String, serde_json::Value>>,
    value: OnceLock<Dynamic>,
    scalars: Vec<(rhai::ImmutableString, crate::value::Val<'static>)>,
}

impl Params {
    fn new(
        params: &serde_json::Map<String, serde_json::Value>,
        shipped: bool,
        limits: &Limits,
    ) -> Params {
        use crate::value::ToRhai;
        let scalars = eval::param_scalars(
            params
                .iter()
                .filter(|(_, v)| !(v.is_array() || v.is_object()))
                .map(|(name, value)| (name.as_str(), value.to_rhai())),
            limits,
        );
        Params {
            json: (!shipped).then(|| params.clone()),
            value: OnceLock::new(),
            scalars,
        }
    }

    pub(crate) fn value(&self) -> &Dynamic {
        self.value.get_or_init(|| {
            let json = match &self.json {
                Some(json) => serde_json::Value::Object(json.clone()),
                None => serde_json::Value::Object(crate::pack::shipped_params()),
            };
            ReadOnly::wrap("params", crate::value::ToRhai::to_rhai(&json))
        })
    }
}

/// A loaded pack, ready to decide. Immutable after construction, so natively one engine can
/// serve many threads.
pub struct Engine {
    rules: Vec<LoadedRule>,
    params: Params,
    /// The pack's place parameters: read when the engine is built, to refuse a malformed one;
    /// for the default pack as shipped (known valid), when a decision first needs them.
    places: OnceLock<Arc<Jurisdictions>>,
    /// Built on first need by an engine of the default pack ([`Engine::embedded`]).
    pack: OnceLock<Pack>,
    info: PackInfo,
    /// `info` as the decision's JSON writes it, on first need.
    info_json: OnceLock<String>,
    limits: Limits,
    diagnostics: Vec<Diagnostic>,
}

fn parse_limits(limits: &Limits) -> ParseLimits {
    ParseLimits {
        max_expr_depth: limits.max_expr_depth,
        max_function_expr_depth: limits.max_function_expr_depth,
        max_string_size: limits.max_string_size,
        max_array_size: limits.max_array_size,
        max_map_size: limits.max_map_size,
    }
}

/// The diagnostic of a rule that does not load.
#[cfg(feature = "parser")]
fn load_error(meta: &RuleMeta, e: lang::LoadError) -> Diagnostic {
    let d = Diagnostic::new(e.code, &meta.file, format!("{} {}", meta.id, e.message))
        .for_rule(&meta.id);
    if e.pos.is_known() {
        d.at(e.pos.line as usize, e.pos.column as usize)
    } else {
        d
    }
}

/// Parses and lowers one rule, refusing a function named like a host function.
#[cfg(feature = "parser")]
fn load_rule(parser: &Parser, rule: &crate::pack::RuleSource) -> Result<Program, Diagnostic> {
    let meta = &rule.meta;
    let ast = parser
        .parse(&rule.source)
        .map_err(|e| load_error(meta, e))?;
    for f in ast.iter_functions() {
        if lang::host::is_host_function(f.name) {
            let (line, column) = locate(&rule.source, &format!("fn {}", f.name));
            return Err(Diagnostic::new(
                "shadows_host_function",
                &meta.file,
                format!(
                    "{} defines `fn {}`, which would shadow the host function of that name; rename it",
                    meta.id, f.name
                ),
            )
            .for_rule(&meta.id)
            .at(line, column));
        }
    }
    lang::lower(&ast).map_err(|e| load_error(meta, e))
}

/// Without the parser (the edge module), a rule that did not come lowered by `build.rs` (not
/// one of the default pack as shipped) cannot load.
#[cfg(not(feature = "parser"))]
fn load_rule(_: &(), rule: &crate::pack::RuleSource) -> Result<Program, Diagnostic> {
    Err(Diagnostic::new(
        "not_precompiled",
        &rule.meta.file,
        format!(
            "{} is not a rule of the default pack as shipped, and this build (the edge \
                 module) has no rule parser; load custom or edited rules with the full module",
            rule.meta.id
        ),
    )
    .for_rule(&rule.meta.id))
}

/// 1-based line and column of the first occurrence of `needle`.
#[cfg(feature = "parser")]
fn locate(source: &str, needle: &str) -> (usize, usize) {
    for (n, line) in source.lines().enumerate() {
        if let Some(col) = line.find(needle) {
            let column = line.get(..col).map_or(0, |s| s.chars().count()) + 1;
            return (n + 1, column);
        }
    }
    (0, 0)
}

impl Engine {
    /// Loads a pack strictly: any rule that does not load refuses the pack.
    pub fn new(pack: Pack) -> Result<Engine, PackError> {
        Engine::with_options(pack, EngineOptions::default())
    }

    /// The embedded default pack with default limits.
    pub fn default_pack() -> Result<Engine, PackError> {
        Engine::embedded(EngineOptions::default())
    }

    /// The embedded default pack, its rules as `build.rs` lowered them.
    ///
    /// The engine starts from the rules' headers alone: the `Pack` (its metadata, its copy of
    /// the parameters) and each rule's clauses are built when first asked for. This is an edge
    /// function's cold start, where building them was most of the engine's start-up.
    pub fn embedded(options: EngineOptions) -> Result<Engine, PackError> {
        let shipped = crate::pack::shipped_rules()?;
        // Rules parsed under other limits than build.rs's, or one build.rs could not lower,
        // take the general path, which parses them.
        let all_built =
            cfg!(not(feature = "parser")) || parse_limits(&options.limits) == ParseLimits::DEFAULT;
        if !all_built || shipped.iter().any(|r| r.built.is_none()) {
            return Engine::with_options(Pack::embedded()?, options);
        }
        let params = Params::new(&crate::pack::shipped_params(), true, &options.limits);
        let rules = shipped
            .into_iter()
            .enumerate()
            .map(|(index, r)| LoadedRule {
                id: r.header.id.into(),
                title: r.header.title.into(),
                clauses: OnceLock::new(),
                clauses_from: Some(r.rule),
                index,
                severity: r.header.severity,
                actor: r.header.actor,
                scenarios: scenario_bits(&r.header.scenarios),
                program: OnceLock::new(),
                built: r.built,
                json: OnceLock::new(),
            })
            .collect();
        Ok(Engine {
            rules,
            params,
            places: OnceLock::new(),
            pack: OnceLock::new(),
            info: crate::pack::shipped_info(),
            info_json: OnceLock::new(),
            limits: options.limits,
            diagnostics: Vec::new(),
        })
    }

    pub fn with_options(pack: Pack, options: EngineOptions) -> Result<Engine, PackError> {
        let shipped = pack.is_shipped();
        let params = Params::new(&pack.manifest.params, shipped, &options.limits);
        let places = OnceLock::new();
        if !shipped {
            let read = Jurisdictions::from_params(params.value()).map_err(|message| {
                PackError(vec![Diagnostic::new("bad_param", "pack.json", message)])
            })?;
            let _ = places.set(Arc::new(read));
        }
        // The default pack's rules come lowered by `build.rs`: no parse at start-up, which in
        // wasm is an edge function's cold start.
        #[cfg(feature = "parser")]
        let parser = Parser::new(parse_limits(&options.limits));
        #[cfg(not(feature = "parser"))]
        let parser = ();
        let mut rules = Vec::with_capacity(pack.rules.len());
        let mut diagnostics = Vec::new();
        for (index, rule) in pack.rules.iter().enumerate() {
            // Any pack's rule that is a default rule word for word (same file, same text) takes
            // the form build.rs lowered: a pack that adds a rule to the default ones, or
            // changes parameters, still parses only what is new.
            let built = cfg!(not(feature = "parser"))
                || parse_limits(&options.limits) == ParseLimits::DEFAULT;
            let built = built
                .then(|| crate::pack::built_form(&rule.meta.file, &rule.source))
                .flatten();
            let program = OnceLock::new();
            if built.is_none() {
                let loaded = load_rule(&parser, rule);
                if let Err(d) = &loaded {
                    diagnostics.push(d.clone());
                }
                let _ = program.set(loaded);
            }
            rules.push(LoadedRule {
                id: rule.meta.id.as_str().into(),
                title: rule.meta.title.as_str().into(),
                clauses: OnceLock::from(rule.meta.clauses.clone()),
                clauses_from: None,
                index,
                severity: rule.meta.severity,
                actor: rule.meta.actor,
                scenarios: scenario_bits(&rule.meta.scenarios),
                program,
                built,
                json: OnceLock::new(),
            });
        }
        if !options.lenient && !diagnostics.is_empty() {
            return Err(PackError(diagnostics));
        }
        let info = pack.info_known(shipped);
        Ok(Engine {
            rules,
            params,
            places,
            pack: OnceLock::from(pack),
            info,
            info_json: OnceLock::new(),
            limits: options.limits,
            diagnostics,
        })
    }

    /// The pack's files as loaded.
    pub fn pack(&self) -> &Pack {
        // Only an engine of the default pack starts without it, after reading every header
        // as `Pack::embedded` reads them: that cannot fail then.
        self.pack
            .get_or_init(|| Pack::embedded().unwrap_or_else(|_| Pack::empty()))
    }

    pub fn pack_info(&self) -> &PackInfo {
        &self.info
    }

    /// `decision` as compact JSON: exactly [`Decision::to_json`], but the parts of it that are
    /// the same in every decision of this engine (each rule's id, title, severity and clauses,
    /// the pack) are written once per engine rather than once per decision. A decision that did
    /// not come from this engine, or was edited since, is written in full where it differs.
    pub fn decision_json(&self, decision: &Decision) -> String {
        let pack = (decision.pack == self.info).then(|| {
            self.info_json
                .get_or_init(|| pack_json(&self.info))
                .as_str()
        });
        decision.to_json_with(pack, self.fixed_parts())
    }

    /// The decision as the JS wrapper's object API takes it: [`Self::decision_json`] with each
    /// finding of a rule of this engine as `[index, outcome, paths(, message)]` (`index` in
    /// [`Self::rules`]' order, whose id, title, severity and clauses the wrapper adds) and the
    /// pack as `0` when it is this engine's. Not the contract's format: only js/core.js reads it.
    pub fn decision_lean_json(&self, decision: &Decision) -> String {
        decision.to_lean_json_with(decision.pack == self.info, self.fixed_parts())
    }

    /// For each finding in turn, its rule's index and fixed JSON, if this engine's rule wrote it.
    /// Findings come in the pack's order, one per rule that applies: follow the rules along.
    fn fixed_parts<'s>(&'s self) -> impl FnMut(&Finding) -> Option<(usize, &'s FindingJson)> + 's {
        let mut next = 0;
        move |finding| {
            while let Some(rule) = self.rules.get(next) {
                let index = next;
                next += 1;
                if rule.wrote(finding) {
                    return Some((index, rule.json()));
                }
            }
            None
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn places(&self) -> &Jurisdictions {
        self.places.get_or_init(|| {
            Arc::new(Jurisdictions::from_params(self.params.value()).unwrap_or_default())
        })
    }

    /// Rules that did not load (only in a lenient engine).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn rules(&self) -> impl Iterator<Item = &RuleMeta> {
        self.pack().rules.iter().map(|r| &r.meta)
    }

    /// Decides a request given as JSON text. Never panics; a bad request is an `error` decision.
    pub fn evaluate_json(&self, text: &str, options: &EvalOptions) -> Decision {
        self.evaluate_json_with(text, options, None)
    }

    /// As [`Engine::evaluate_json`], counting in `coverage` which statements and branches of
    /// each rule ran (`cloudgate test --coverage`, the workbench's shading).
    pub fn evaluate_json_covered(
        &self,
        text: &str,
        options: &EvalOptions,
        coverage: &mut Coverage,
    ) -> Decision {
        self.evaluate_json_with(text, options, Some(coverage))
    }

    /// An empty count for [`Engine::evaluate_json_covered`], one entry per rule of the pack
    /// (an engine loads every rule of its pack, so without building the pack to count them).
    pub fn coverage(&self) -> Coverage {
        Coverage::new(self.rules.len())
    }

    /// What `coverage` counted, rule by rule, against what each rule could run.
    pub fn coverage_report(&self, coverage: &Coverage) -> Vec<RuleCoverage> {
        self.rules
            .iter()
            .filter_map(|rule| {
                let meta = &self.pack().rules.get(rule.index)?.meta;
                let program = rule.program().as_ref().ok()?;
                Some(RuleCoverage::of(
                    meta,
                    &Sites::of(program),
                    coverage.rule(rule.index),
                ))
            })
            .collect()
    }

    fn evaluate_json_with(
        &self,
        text: &str,
        options: &EvalOptions,
        coverage: Option<&mut Coverage>,
    ) -> Decision {
        let mut decision = match parse_request(text, &self.limits.input) {
            Ok(request) => with_stack(self.limits.max_millis_per_rule, || {
                self.evaluate_on_this_stack(&request, options, Some(text.len()), coverage)
            }),
            Err((errors, hint)) => Decision::rejected(self.info.clone(), errors, hint),
        };
        if options.record {
            decision.record = Some(crate::record::Record::of(text));
        }
        decision
    }

    /// Decides a typed request. With `record`, the input digest is taken over the request as
    /// the typed model writes it (fields it does not know left out, dates as `YYYY-MM-DD`), which
    /// can differ from the digest of the text it was read from: audit logs that compare digests
    /// across APIs should decide text (`evaluate_json`), as the CLI and the JS package do.
    pub fn evaluate(&self, request: &Request, options: &EvalOptions) -> Decision {
        let mut decision = with_stack(self.limits.max_millis_per_rule, || {
            self.evaluate_on_this_stack(request, options, None, None)
        });
        if options.record {
            let text = serde_json::to_string(request).unwrap_or_default();
            decision.record = Some(crate::record::Record::of(&text));
        }
        decision
    }

    /// `text_len`: the length of the JSON text `request` was read from, when it was.
    fn evaluate_on_this_stack(
        &self,
        request: &Request,
        options: &EvalOptions,
        text_len: Option<usize>,
        mut coverage: Option<&mut Coverage>,
    ) -> Decision {
        let started = clock::now_micros();
        let as_of = request.as_of.or(options.as_of).unwrap_or_else(clock::today);
        // Written once: the rules see it, and the decision carries a copy.
        let as_of_text = as_of.to_string();
        let hint = RequestHint {
            request_id: Some(request.request_id.as_str().to_owned()),
            scenario: Some(request.scenario.as_str().to_string()),
            as_of: Some(as_of_text.clone()),
        };
        let lifecycle = Lifecycle {
            from: lifecycle::current(request).map(|s| s.as_str().to_string()),
            to: lifecycle::target(request.scenario).as_str().to_string(),
            legal: lifecycle::is_legal(request),
        };
        // Every string byte, list item and object member of the rules' view of a request read
        // from JSON took at least a byte of that JSON, so no part of it can outgrow a limit
        // larger than the text: reads by path then need no size check.
        let within_limits = text_len.is_some_and(|n| {
            n <= self.limits.max_string_size
                && n <= self.limits.max_array_size
                && n <= self.limits.max_map_size
        });
        let req = eval::LazyReq::new(request, within_limits);
        let globals = eval::Globals {
            req: &req,
            params: &self.params,
            params_value: std::cell::OnceCell::new(),
            param_scalars: &self.params.scalars,
            as_of: crate::value::Val::Text(&as_of_text),
            scenario: crate::value::Val::Text(request.scenario.as_str()),
            lifecycle: crate::value::Val::Dyn(lifecycle_value(request, &lifecycle)),
            places: self.places(),
            explain: options.explain,
        };
        let mut budget = eval::Budget {
            left: self.limits.max_operations_per_request,
        };
        let mut findings = Vec::with_capacity(self.rules.len());
        let mut operations = 0u64;
        let mut slots = Vec::new();
        for rule in self
            .rules
            .iter()
            .filter(|r| r.scenarios & scenario_bit(request.scenario) != 0)
        {
            let (outcome, message, paths, position) = match rule.program() {
                Err(d) => (
                    Outcome::Error,
                    Some(format!("rule does not load: {}", d.message)),
                    Vec::new(),
                    d.line
                        .zip(d.column)
                        .map(|(line, column)| SourcePos { line, column }),
                ),
                Ok(program) => {
                    clock::start_rule(self.limits.max_millis_per_rule);
                    let hits = coverage.as_deref_mut().and_then(|c| c.rule_mut(rule.index));
                    let (run, ops) = eval::run(
                        program,
                        &globals,
                        &self.limits,
                        &mut budget,
                        &mut slots,
                        hits,
                    );
                    operations += ops;
                    self.outcome(rule, run)
                }
            };
            // A pass's explanation is kept only in explain mode.
            let message = match outcome {
                Outcome::Pass if !options.explain => None,
                _ => message,
            };
            findings.push(Finding {
                rule: rule.id.clone(),
                title: rule.title.clone(),
                severity: rule.severity,
                outcome,
                message,
                paths,
                actor: rule.actor,
                clauses: rule.clauses().clone(),
                position,
            });
        }
        let verdict = Decision::fold(&findings);
        Decision {
            request_id: hint.request_id,
            scenario: hint.scenario,
            as_of: hint.as_of,
            decision: verdict,
            stats: Stats {
                rules_evaluated: findings.len(),
                operations,
                micros: clock::now_micros().saturating_sub(started),
            },
            findings,
            lifecycle: Some(lifecycle),
            pack: self.info.clone(),
            errors: Vec::new(),
            record: None,
        }
    }

    /// How a rule's run ended, as a finding sees it. Anything but a result is an `error`: a
    /// rule never passes by accident.
    fn outcome(&self, rule: &LoadedRule, run: eval::Run) -> Outcome4 {
        let source = || self.pack().rules.get(rule.index).map_or("", |r| &*r.source);
        match run {
            eval::Run::Result(result) => outcome_of(result),
            eval::Run::Value(value) => match value.try_cast::<RuleResult>() {
                Some(result) => outcome_of(result),
                None => (
                    Outcome::Error,
                    Some(Fault::NotAResult.to_string()),
                    Vec::new(),
                    Some(last_code_line(source())),
                ),
            },
            eval::Run::Missing(path) => (
                Outcome::Fail,
                Some(format!("required field `{path}` is missing")),
                vec![path],
                None,
            ),
            eval::Run::Fault(fault, pos) => {
                let position = if pos.is_known() {
                    position_of(pos)
                } else {
                    last_code_line(source())
                };
                (
                    Outcome::Error,
                    Some(fault.to_string()),
                    Vec::new(),
                    Some(position),
                )
            }
        }
    }
}

/// A scenario's bit in [`LoadedRule::scenarios`].
fn scenario_bits(scenarios: &[crate::request::Scenario]) -> u8 {
    scenarios.iter().fold(0, |bits, s| bits | scenario_bit(*s))
}

fn scenario_bit(s: crate::request::Scenario) -> u8 {
    1 << (s as u8)
}

fn position_of(pos: Pos) -> SourcePos {
    SourcePos {
        line: pos.line as usize,
        column: pos.column.max(1) as usize,
    }
}

type Outcome4 = (Outcome, Option<String>, Vec<String>, Option<SourcePos>);

fn outcome_of(result: RuleResult) -> Outcome4 {
    match result {
        RuleResult::Pass(explanation) => (Outcome::Pass, explanation, Vec::new(), None),
        RuleResult::Fail { message, paths } => (Outcome::Fail, Some(message), paths, None),
        RuleResult::NotApplicable { reason } => (
            Outcome::NotApplicable,
            (!reason.is_empty()).then_some(reason),
            Vec::new(),
            None,
        ),
    }
}

/// Free stack an evaluation needs per second of `max_millis_per_rule`, squared-root scaled.
///
/// Nested arrays and maps are cloned, sized and dropped recursively, one native frame per
/// level, and calls of a rule's functions nest the evaluator's frames. Values nest at most
/// `eval::ops::MAX_DEPTH` deep and calls `max_call_levels`, but a thread with a small stack
/// (2 MiB is the default for spawned threads) should not have to know that: natively an
/// evaluation that finds less free stack than this moves to a fresh stack of its own (virtual
/// memory: only the pages it touches are used). Threads with ample stack (the 8 MiB main
/// thread) pay nothing; others pay one mapping per evaluation.
#[cfg(not(target_arch = "wasm32"))]
const STACK_PER_SQRT_SECOND: usize = 6 << 20;

#[cfg(not(target_arch = "wasm32"))]
fn with_stack<R>(max_millis_per_rule: u64, f: impl FnOnce() -> R) -> R {
    let seconds = (max_millis_per_rule as f64 / 1000.0).sqrt().max(1.0);
    let need = (STACK_PER_SQRT_SECOND as f64 * seconds).min((1u64 << 32) as f64) as usize;
    stacker::maybe_grow(need, need.saturating_mul(4).max(64 << 20), f)
}

#[cfg(target_arch = "wasm32")]
fn with_stack<R>(_max_millis_per_rule: u64, f: impl FnOnce() -> R) -> R {
    f()
}

fn lifecycle_value(request: &Request, lc: &Lifecycle) -> Dynamic {
    let mut map = rhai::Map::new();
    map.insert(
        "from".into(),
        lc.from.clone().map_or(Dynamic::UNIT, Dynamic::from),
    );
    map.insert("to".into(), Dynamic::from(lc.to.clone()));
    map.insert("legal".into(), Dynamic::from(lc.legal));
    let legal_from: rhai::Array = lifecycle::legal_from(request)
        .into_iter()
        .map(|s| Dynamic::from(s.as_str().to_string()))
        .collect();
    map.insert("legal_from".into(), Dynamic::from_array(legal_from));
    Dynamic::from_map(map)
}
