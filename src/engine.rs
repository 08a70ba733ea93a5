//! The sandboxed Rhai engine: compile a pack once, evaluate many requests.
//!
//! Data flow: text → [`parse_request`] (limits, types, dates) → one conversion into a Rhai
//! value → every rule of the scenario runs against that one value held as a constant in one
//! scope (no per-rule copies; rules cannot mutate it) → each result becomes a [`Finding`] →
//! [`Decision::fold`].

#[cfg(feature = "scripts")]
use rhai::Scope;
use rhai::{Dynamic, EvalAltResult, AST};
use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::clock;
use crate::compiled;
use std::sync::{Arc, OnceLock};

use crate::decision::{
    pack_json, Clauses, Decision, Finding, FindingJson, Lifecycle, Outcome, PackInfo, RequestHint,
    SourcePos, Stats,
};
use crate::functions::{self, MissingField, ReadOnly, RuleResult, HOST_FUNCTIONS};
use crate::input::{parse_request, InputLimits};
use crate::jurisdictions::Jurisdictions;
use crate::lifecycle;
use crate::pack::{Diagnostic, Pack, PackError, RuleMeta};
use crate::request::Request;

/// Sandbox bounds. Every one is set explicitly: Rhai's own defaults are unlimited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Operations one rule may perform on one request before it is stopped.
    pub max_operations: u64,
    /// Nesting of function calls inside a rule (≤ 64 keeps within the 1 MiB wasm stack).
    pub max_call_levels: usize,
    /// Expression nesting at the top level of a rule and inside its functions.
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
    /// When false, a rule that does not compile is kept: it is reported in
    /// [`Engine::diagnostics`] and yields an `error` finding (so decisions fail closed) instead
    /// of refusing the whole pack. Editors want this; gates keep the default `strict`.
    pub lenient: bool,
    /// Run every rule in Rhai's interpreter, never in its compiled form (see [`crate::compiled`]).
    /// Decisions are the same either way (tests/compiled.rs checks it); this exists for those
    /// tests and for measuring the difference.
    pub interpreted_only: bool,
    /// Compile every rule from source even where the shipped precompiled form of the default
    /// pack matches it (see [`crate::compiled`]'s `precompiled`). Decisions are the same either
    /// way (tests/precompiled.rs checks it); this exists for those tests and for measuring.
    /// Without the `scripts` feature there is no source compiler: with this or
    /// `interpreted_only` set, every rule is `not_precompiled`.
    pub from_source: bool,
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

struct CompiledRule {
    meta: RuleMeta,
    /// Rhai's syntax tree, compiled when the engine is built, or on first need for a rule that
    /// came precompiled (whose source is known to compile: it did when the file was written).
    #[cfg(feature = "scripts")]
    program: OnceLock<Result<AST, Diagnostic>>,
    /// Taken from the precompiled default pack rather than compiled from source.
    precompiled: bool,
    /// The same rule lowered for the fast path; `None` when it uses something only Rhai runs.
    /// A precompiled rule's is decoded from `encoded` on its first run (see [`Self::fast`]).
    fast: OnceLock<Option<compiled::Program>>,
    /// The precompiled compiled form, still encoded.
    encoded: Option<&'static [u8]>,
    /// `meta.id`, `meta.title` and `meta.clauses`, shared by every finding of this rule.
    id: Arc<str>,
    title: Arc<str>,
    clauses: Arc<Clauses>,
    /// This rule's part of every finding's JSON, written on first need.
    json: OnceLock<FindingJson>,
}

impl CompiledRule {
    /// The compiled form, decoded now if it came precompiled and has not run yet. A form that
    /// does not decode (a damaged file: the format check and tests rule it out) counts as none,
    /// so the rule goes to Rhai, or fails closed without it.
    fn fast(&self) -> Option<&compiled::Program> {
        self.fast
            .get_or_init(|| self.encoded.and_then(compiled::precompiled::decode))
            .as_ref()
    }

    /// Whether `f` carries this rule's fixed fields (the engine's own findings do, by pointer).
    fn wrote(&self, f: &Finding) -> bool {
        Arc::ptr_eq(&f.rule, &self.id)
            && Arc::ptr_eq(&f.title, &self.title)
            && Arc::ptr_eq(&f.clauses, &self.clauses)
            && f.severity == self.meta.severity
            && f.actor == self.meta.actor
    }

    fn json(&self) -> &FindingJson {
        self.json.get_or_init(|| {
            FindingJson::new(
                &self.meta.id,
                &self.title,
                self.meta.severity,
                self.meta.actor,
                &self.clauses,
            )
        })
    }
}

/// The last line of code, blamed when a rule returns something other than a result. Found only
/// then: scanning every rule's source for it took a tenth of an engine's start-up in wasm.
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

/// `params` as the rules see them: a read-only map. Built with the engine from a pack's
/// manifest; from the precompiled file, built when a decision first reads it whole, since the
/// compiled rules read scalar members from their own table and a termination decision reads
/// nothing else (see [`compiled::precompiled::ShippedParams`]).
pub(crate) struct Params {
    value: OnceLock<Dynamic>,
    shipped: Option<compiled::precompiled::ShippedParams>,
}

impl Params {
    fn built(value: Dynamic) -> Params {
        Params {
            value: OnceLock::from(value),
            shipped: None,
        }
    }

    fn shipped(shipped: compiled::precompiled::ShippedParams) -> Params {
        Params {
            value: OnceLock::new(),
            shipped: Some(shipped),
        }
    }

    pub(crate) fn value(&self) -> &Dynamic {
        self.value.get_or_init(|| {
            let value = self
                .shipped
                .as_ref()
                .map_or(Dynamic::UNIT, |shipped| shipped.to_rhai());
            ReadOnly::wrap("params", value)
        })
    }

    /// The members [`Jurisdictions`] reads: from the file's form when shipped, so that a
    /// decision that reads only scalars and places never builds the whole value.
    fn places(&self) -> Result<Jurisdictions, String> {
        match (&self.shipped, self.value.get()) {
            (Some(shipped), None) => {
                Jurisdictions::from_params(&shipped.members_to_rhai(Jurisdictions::PARAMETERS))
            }
            _ => Jurisdictions::from_params(self.value()),
        }
    }

    /// The scalar members, for the compiled rules (see [`compiled::param_scalars`]): from the
    /// file's form when shipped, so that making the table does not build the value.
    fn scalars(&self, limits: &Limits) -> Vec<(rhai::ImmutableString, compiled::Val<'static>)> {
        if let Some(shipped) = &self.shipped {
            return compiled::param_scalars(shipped.scalars(), limits);
        }
        let Some(params) = self.value().read_lock::<ReadOnly>() else {
            return Vec::new();
        };
        let Ok(map) = params.inner().as_map_ref() else {
            return Vec::new();
        };
        compiled::param_scalars(
            map.iter()
                .map(|(name, value)| (name.as_str(), value.clone())),
            limits,
        )
    }
}

/// A compiled pack, ready to decide. Immutable after construction, so natively one engine
/// can serve many threads.
pub struct Engine {
    /// Built on first need: with the default pack precompiled, a decision that runs no rule in
    /// Rhai never needs it, and building it (registering Rhai's packages) is most of the rest
    /// of an engine's start-up in wasm.
    #[cfg(feature = "scripts")]
    rhai: OnceLock<rhai::Engine>,
    rules: Vec<CompiledRule>,
    params: Params,
    /// `params`' scalar members, for the compiled rules (`compiled::param_scalars`).
    param_scalars: Vec<(rhai::ImmutableString, compiled::Val<'static>)>,
    /// `params`' place lists. Read when the engine is built from a pack; from the precompiled
    /// file, when a decision first needs them (the shipped parameters are known to be valid).
    places: OnceLock<Arc<Jurisdictions>>,
    /// Read from the embedded files on first need when the engine was built from the
    /// precompiled file alone (see [`Engine::embedded`]): deciding needs only the rules' headers
    /// and compiled forms, which the file holds.
    pack: OnceLock<Pack>,
    /// Built by [`Engine::from_shipped`].
    shipped: bool,
    info: PackInfo,
    /// `info` as the decision's JSON writes it, on first need.
    info_json: OnceLock<String>,
    limits: Limits,
    diagnostics: Vec<Diagnostic>,
}

fn sandbox(limits: &Limits, places: Arc<Jurisdictions>) -> rhai::Engine {
    use rhai::packages::{
        ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage,
        BasicMapPackage, BasicMathPackage, BasicStringPackage, LogicPackage, MoreStringPackage,
        Package,
    };
    // `new_raw` + chosen packages: no `sleep` (which traps in wasm), no printing, no clock.
    // The packages are merged into one module: Rhai looks a function up in every global module
    // in turn, and each rule starts with an empty lookup cache, so nine modules meant up to nine
    // lookups per call. Merged in registration order, so that a later package
    // still shadows an earlier one, as `register_global_module` would.
    let mut engine = rhai::Engine::new_raw();
    let mut library = rhai::Module::new();
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
        library.combine_flatten((*package).clone());
    }
    library.build_index();
    engine.register_global_module(library.into());
    engine.disable_symbol("eval");
    engine.set_max_operations(limits.max_operations.max(1));
    engine.set_max_call_levels(limits.max_call_levels);
    engine.set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth);
    engine.set_max_string_size(limits.max_string_size.max(1));
    engine.set_max_array_size(limits.max_array_size.max(1));
    engine.set_max_map_size(limits.max_map_size.max(1));
    engine.set_max_variables(MAX_VARIABLES);
    engine.set_max_functions(256);
    engine.set_fail_on_invalid_map_property(false);
    engine.on_progress(clock::progress);
    functions::register(&mut engine, places);
    engine
}

/// Variables a rule may have in scope at once (Rhai's `max_variables`); the compiled form
/// refuses rules that could exceed it, so both forms fail the same rules.
pub(crate) const MAX_VARIABLES: usize = 1_000;

fn compile_rule(rhai: &rhai::Engine, rule: &crate::pack::RuleSource) -> Result<AST, Diagnostic> {
    let meta = &rule.meta;
    let ast = rhai.compile(&rule.source).map_err(|e| {
        let pos = e.position();
        Diagnostic::new(
            "syntax",
            &meta.file,
            format!("{} does not compile: {}", meta.id, e.err_type()),
        )
        .for_rule(&meta.id)
        .at(pos.line().unwrap_or(0), pos.position().unwrap_or(0))
    })?;
    for f in ast.iter_functions() {
        if HOST_FUNCTIONS.contains(&f.name) {
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
    Ok(ast)
}

/// `pack`'s rules in their compiled form, as `src/compiled/default_pack.postcard` holds them for
/// the embedded pack (written by `make precompile`, checked by tests/precompiled.rs). Refuses
/// a pack with a rule that does not compile.
#[doc(hidden)]
pub fn precompile(pack: &Pack, limits: &Limits) -> Result<Vec<u8>, PackError> {
    // Compiling reads no parameter: the places only matter when a rule runs.
    let rhai = sandbox(limits, Arc::default());
    let mut rules = Vec::with_capacity(pack.rules.len());
    let mut diagnostics = Vec::new();
    for rule in &pack.rules {
        match compile_rule(&rhai, rule) {
            Ok(ast) => rules.push((
                rule.meta.id.as_str(),
                rule.source.as_str(),
                compiled::lower(&ast).ok(),
            )),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(PackError(diagnostics));
    }
    compiled::precompiled::write(pack, limits, rules)
        .map_err(|e| PackError(vec![Diagnostic::new("precompile", "pack.json", e)]))
}

/// 1-based line and column of the first occurrence of `needle`.
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
    /// Compiles a pack strictly: any rule that does not compile refuses the pack.
    pub fn new(pack: Pack) -> Result<Engine, PackError> {
        Engine::with_options(pack, EngineOptions::default())
    }

    /// The embedded default pack with default limits.
    pub fn default_pack() -> Result<Engine, PackError> {
        Engine::embedded(EngineOptions::default())
    }

    /// The embedded default pack. Built from the precompiled file alone when it describes the
    /// very files this build embeds and the options allow (see [`EngineOptions::from_source`]):
    /// no rule header parsed, no source hashed, no `pack.json` read. That reading was most of
    /// what is left of an edge function's cold start once the rules came precompiled (and V8
    /// compiles each wasm function on first call, so code not run is time not spent). Decides
    /// exactly as `Engine::with_options(Pack::embedded()?, options)` (tests/precompiled.rs).
    pub fn embedded(options: EngineOptions) -> Result<Engine, PackError> {
        match Engine::from_shipped(&options) {
            Some(engine) => Ok(engine),
            None => Engine::with_options(Pack::embedded()?, options),
        }
    }

    fn from_shipped(options: &EngineOptions) -> Option<Engine> {
        if options.interpreted_only || options.from_source {
            return None;
        }
        let file = compiled::precompiled::Precompiled::load(&options.limits)?;
        let shipped = file.shipped()?;
        // Without Rhai a rule with no compiled form could not run: the long way reports it.
        #[cfg(not(feature = "scripts"))]
        if shipped.rules.iter().any(|(_, program)| program.is_none()) {
            return None;
        }
        let params = Params::shipped(shipped.params);
        let rules = shipped
            .rules
            .into_iter()
            .map(|(meta, encoded)| CompiledRule {
                id: meta.id.as_str().into(),
                title: meta.title.as_str().into(),
                clauses: Arc::new(meta.clauses.clone()),
                meta,
                #[cfg(feature = "scripts")]
                program: OnceLock::new(),
                precompiled: true,
                fast: OnceLock::new(),
                encoded,
                json: OnceLock::new(),
            })
            .collect();
        Some(Engine {
            #[cfg(feature = "scripts")]
            rhai: OnceLock::new(),
            rules,
            param_scalars: params.scalars(&options.limits),
            params,
            places: OnceLock::new(),
            pack: OnceLock::new(),
            shipped: true,
            info: PackInfo {
                name: shipped.name.to_string(),
                version: shipped.version.to_string(),
                digest: shipped.digest.to_string(),
            },
            info_json: OnceLock::new(),
            limits: options.limits.clone(),
            diagnostics: Vec::new(),
        })
    }

    /// Whether the engine was built from the precompiled file alone (see [`Engine::embedded`]);
    /// for tests and the benchmarks.
    #[doc(hidden)]
    pub fn built_from_shipped_pack(&self) -> bool {
        self.shipped
    }

    pub fn with_options(pack: Pack, options: EngineOptions) -> Result<Engine, PackError> {
        #[cfg(feature = "scripts")]
        let rhai = OnceLock::new();
        // Parameters are free JSON: converted as rhai's serde support would (tests/convert.rs).
        let params = Params::built(ReadOnly::wrap(
            "params",
            crate::convert::ToRhai::to_rhai(&serde_json::Value::Object(
                pack.manifest.params.clone(),
            )),
        ));
        let places = Arc::new(params.places().map_err(|message| {
            PackError(vec![Diagnostic::new("bad_param", "pack.json", message)])
        })?);
        let mut rules = Vec::with_capacity(pack.rules.len());
        let mut diagnostics = Vec::new();
        let file = match options.interpreted_only || options.from_source {
            true => None,
            false => compiled::precompiled::Precompiled::load(&options.limits),
        };
        for rule in &pack.rules {
            let found = file
                .as_ref()
                .and_then(|p| p.find(&rule.meta.id, &rule.source));
            let precompiled = found.is_some();
            #[cfg(feature = "scripts")]
            let (program, fast, encoded) = match found {
                Some(found) => (OnceLock::new(), OnceLock::new(), found.program),
                None => {
                    let rhai = rhai.get_or_init(|| sandbox(&options.limits, places.clone()));
                    let program = compile_rule(rhai, rule);
                    if let Err(d) = &program {
                        diagnostics.push(d.clone());
                    }
                    let fast = match &program {
                        Ok(ast) if !options.interpreted_only => compiled::lower(ast).ok(),
                        _ => None,
                    };
                    (OnceLock::from(program), OnceLock::from(fast), None)
                }
            };
            #[cfg(not(feature = "scripts"))]
            let (fast, encoded) = match found.and_then(|found| found.program) {
                Some(bytes) => (OnceLock::new(), Some(bytes)),
                None => {
                    diagnostics.push(not_precompiled(&rule.meta));
                    (OnceLock::from(None), None)
                }
            };
            rules.push(CompiledRule {
                id: rule.meta.id.as_str().into(),
                title: rule.meta.title.as_str().into(),
                clauses: Arc::new(rule.meta.clauses.clone()),
                meta: rule.meta.clone(),
                #[cfg(feature = "scripts")]
                program,
                precompiled,
                fast,
                encoded,
                json: OnceLock::new(),
            });
        }
        if !options.lenient && !diagnostics.is_empty() {
            return Err(PackError(diagnostics));
        }
        let info = match file.as_ref().and_then(|p| p.digest_of(&pack)) {
            Some(digest) => PackInfo {
                name: pack.manifest.name.clone(),
                version: pack.manifest.version.clone(),
                digest,
            },
            None => pack.info(),
        };
        Ok(Engine {
            #[cfg(feature = "scripts")]
            rhai,
            rules,
            param_scalars: params.scalars(&options.limits),
            params,
            places: OnceLock::from(places),
            pack: OnceLock::from(pack),
            shipped: false,
            info,
            info_json: OnceLock::new(),
            limits: options.limits,
            diagnostics,
        })
    }

    /// The pack's files as loaded: read from the embedded files now if the engine was built
    /// without them (see [`Engine::embedded`]).
    pub fn pack(&self) -> &Pack {
        self.pack.get_or_init(|| {
            Pack::embedded().unwrap_or_else(|_| {
                Pack::manifest_only(crate::pack::Manifest {
                    name: self.info.name.clone(),
                    version: self.info.version.clone(),
                    description: String::new(),
                    params: Default::default(),
                })
            })
        })
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

    /// Whether the rule runs in its compiled form (see [`crate::compiled`]) rather than always
    /// in Rhai's interpreter. Both decide alike; the compiled form is several times faster.
    pub fn is_compiled(&self, rule_id: &str) -> bool {
        self.rules
            .iter()
            .any(|r| r.meta.id == rule_id && r.fast().is_some())
    }

    fn jurisdictions(&self) -> &Arc<Jurisdictions> {
        self.places
            .get_or_init(|| Arc::new(self.params.places().unwrap_or_default()))
    }

    #[cfg(feature = "scripts")]
    fn rhai(&self) -> &rhai::Engine {
        self.rhai
            .get_or_init(|| sandbox(&self.limits, self.jurisdictions().clone()))
    }

    /// The rule's Rhai syntax tree, compiled now if it came precompiled and never needed Rhai.
    #[cfg(feature = "scripts")]
    fn syntax_tree<'a>(
        &'a self,
        index: usize,
        rule: &'a CompiledRule,
    ) -> &'a Result<AST, Diagnostic> {
        rule.program
            .get_or_init(|| match self.pack().rules.get(index) {
                Some(source) => compile_rule(self.rhai(), source),
                None => Err(Diagnostic::new(
                    "internal",
                    &rule.meta.file,
                    format!("{}: the rule's source is missing", rule.meta.id),
                )
                .for_rule(&rule.meta.id)),
            })
    }

    /// How many rules were taken precompiled rather than compiled from source (see
    /// [`EngineOptions::from_source`]); for tests and the benchmarks.
    #[doc(hidden)]
    pub fn precompiled_rules(&self) -> usize {
        self.rules.iter().filter(|r| r.precompiled).count()
    }

    /// Rules that did not compile (only in a lenient engine).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn rules(&self) -> impl Iterator<Item = &RuleMeta> {
        self.rules.iter().map(|r| &r.meta)
    }

    /// Decides a request given as JSON text. Never panics; a bad request is an `error` decision.
    pub fn evaluate_json(&self, text: &str, options: &EvalOptions) -> Decision {
        let mut decision = match parse_request(text, &self.limits.input) {
            Ok(request) => with_stack(self.limits.max_millis_per_rule, || {
                self.evaluate_on_this_stack(&request, options, Some(text.len()))
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
            self.evaluate_on_this_stack(request, options, None)
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
        // The constants every rule sees, built once per decision. `req` is built only if some
        // rule needs it whole (one running in Rhai, or using `req` as a value); reads by path go
        // to the typed request. Rhai's scope is built only if some rule runs in Rhai.
        // Every string byte, list item and object member of the rules' view of a request read
        // from JSON took at least a byte of that JSON, so no part of it can outgrow a limit
        // larger than the text: reads by path then need no size check.
        let within_limits = text_len.is_some_and(|n| {
            n <= self.limits.max_string_size
                && n <= self.limits.max_array_size
                && n <= self.limits.max_map_size
        });
        let req = compiled::LazyReq::new(request, within_limits);
        let globals = compiled::Globals {
            req: &req,
            params: &self.params,
            params_value: std::cell::OnceCell::new(),
            param_scalars: &self.param_scalars,
            as_of: compiled::Val::Text(&as_of_text),
            scenario: compiled::Val::Text(request.scenario.as_str()),
            lifecycle: compiled::Val::Dyn(lifecycle_value(request, &lifecycle)),
            places: self.jurisdictions(),
            explain: options.explain,
        };
        #[cfg(feature = "scripts")]
        let mut scope: Option<Scope> = None;

        let mut findings = Vec::with_capacity(self.rules.len());
        let mut operations = 0u64;
        let mut slots = Vec::new();
        for (index, rule) in self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.meta.applies_to(request.scenario))
        {
            // A rule that only Rhai runs has its syntax tree built (once) before its clock starts.
            // A compiled rule handed back to Rhai builds it inside its budget: a parse of
            // milliseconds at most, against a budget of a second by default.
            // So is a precompiled rule's compiled form decoded on its first run.
            let program = rule.fast();
            #[cfg(feature = "scripts")]
            if program.is_none() {
                let _ = self.syntax_tree(index, rule);
            }
            // One budget for the rule, shared by the compiled run and a Rhai rerun after it.
            clock::start_rule(self.limits.max_millis_per_rule);
            let fast = program.map(|program| {
                let (run, ops) = compiled::run(program, &globals, &self.limits, &mut slots);
                if run.is_ok() {
                    operations += ops;
                }
                run
            });
            let result = match fast {
                Some(Ok(compiled::Run::Result(result))) => Ok(Ok(Ended::Result(result))),
                Some(Ok(compiled::Run::Value(value))) => Ok(Ok(Ended::Value(value))),
                Some(Ok(compiled::Run::Missing(path))) => {
                    Ok(Err(Box::new(EvalAltResult::ErrorRuntime(
                        Dynamic::from(MissingField(path)),
                        rhai::Position::NONE,
                    ))))
                }
                #[cfg(not(feature = "scripts"))]
                Some(Err(compiled::Bail(why))) => Err(needs_interpreter(rule, why, &self.limits)),
                #[cfg(not(feature = "scripts"))]
                None => Err(not_precompiled(&rule.meta)),
                #[cfg(feature = "scripts")]
                Some(Err(_)) | None => match self.syntax_tree(index, rule) {
                    Err(d) => Err(Diagnostic {
                        message: format!("rule does not compile: {}", d.message),
                        ..d.clone()
                    }),
                    Ok(ast) => {
                        let scope = scope.get_or_insert_with(|| {
                            let mut scope = Scope::new();
                            scope.push_constant_dynamic("req", req.value().clone());
                            scope.push_constant_dynamic("params", self.params.value().clone());
                            for (name, value) in [
                                ("as_of", &globals.as_of),
                                ("scenario", &globals.scenario),
                                ("lifecycle", &globals.lifecycle),
                            ] {
                                scope.push_constant_dynamic(name, value.clone().into_dynamic());
                            }
                            scope
                        });
                        let base = scope.len();
                        let result = self.rhai().eval_ast_with_scope::<Dynamic>(scope, ast);
                        operations += clock::rule_operations();
                        scope.rewind(base);
                        Ok(result.map(Ended::Value))
                    }
                },
            };
            let (outcome, message, paths, position) = match result {
                Err(d) => (
                    Outcome::Error,
                    Some(d.message),
                    Vec::new(),
                    d.line
                        .zip(d.column)
                        .map(|(line, column)| SourcePos { line, column }),
                ),
                Ok(result) => {
                    let (outcome, message, paths, position) =
                        interpret(result, self.limits.max_operations);
                    let position = match (outcome, position) {
                        (Outcome::Error, None) => Some(last_code_line(
                            self.pack()
                                .rules
                                .get(index)
                                .map_or("", |r| r.source.as_str()),
                        )),
                        (Outcome::Error, Some(p)) => {
                            let source = self
                                .pack()
                                .rules
                                .get(index)
                                .map_or("", |r| r.source.as_str());
                            Some(at_written_constant(source, message.as_deref(), p))
                        }
                        (_, p) => p,
                    };
                    (outcome, message, paths, position)
                }
            };
            // A rule running in Rhai builds its explanation anyway; it is dropped here.
            let message = match outcome {
                Outcome::Pass if !options.explain => None,
                _ => message,
            };
            findings.push(Finding {
                rule: rule.id.clone(),
                title: rule.title.clone(),
                severity: rule.meta.severity,
                outcome,
                message,
                paths,
                actor: rule.meta.actor,
                clauses: rule.clauses.clone(),
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
}

/// Without Rhai (the edge module): a rule that is not the default pack's as shipped. A strict
/// engine refuses the pack with it; a lenient one reports the rule as an `error` finding.
#[cfg(not(feature = "scripts"))]
fn not_precompiled(meta: &RuleMeta) -> Diagnostic {
    Diagnostic::new(
        "not_precompiled",
        &meta.file,
        format!(
            "{} is not a rule of the default pack as shipped, and this build (the edge module) \
             runs only those, precompiled; decide custom or edited rules with the full module",
            meta.id
        ),
    )
    .for_rule(&meta.id)
}

/// Without Rhai: a compiled rule met something only Rhai's interpreter runs (a value of an
/// unexpected type, a limit reached). The full build would rerun the rule in Rhai; here the
/// finding is an `error`, so the decision fails closed.
#[cfg(not(feature = "scripts"))]
fn needs_interpreter(rule: &CompiledRule, why: &str, limits: &Limits) -> Diagnostic {
    // The budgets read as the full module's Rhai reports them (`describe`).
    let stopped = match why {
        compiled::Bail::OPERATIONS => {
            Some(EvalAltResult::ErrorTooManyOperations(rhai::Position::NONE))
        }
        compiled::Bail::TIME => Some(EvalAltResult::ErrorTerminated(
            Dynamic::UNIT,
            rhai::Position::NONE,
        )),
        _ => None,
    };
    let message = match stopped {
        Some(err) => describe(&err, limits.max_operations),
        None => format!(
            "{} could not be decided without Rhai's interpreter ({why}), which this build (the \
             edge module) leaves out; the full module decides it",
            rule.meta.id
        ),
    };
    Diagnostic::new("needs_interpreter", &rule.meta.file, message).for_rule(&rule.meta.id)
}

/// Free stack an evaluation needs per second of `max_millis_per_rule`, squared-root scaled.
///
/// Rhai clones, sizes and drops nested arrays and maps recursively, one native frame per level.
/// A rule can nest a value one level per loop iteration (`a = [a]`); each iteration copies the
/// whole value, so the depth reached grows with the square root of the time it is allowed to
/// run: about 3,000 levels (~1 MiB of frames, ~2 MiB unoptimised) in one second here. On a
/// thread with a small stack (2 MiB is the default for spawned threads) that would abort the
/// process, so natively an evaluation that finds less free stack than this moves to a fresh
/// stack of its own (virtual memory: only the pages it touches are used). Threads with ample
/// stack (the 8 MiB main thread) pay nothing; others pay one mapping per evaluation.
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

type Interpreted = (Outcome, Option<String>, Vec<String>, Option<SourcePos>);

/// How a rule ended: with the value of its last statement, or (compiled rules) with the result
/// of its `pass()`, `fail(…)` or `not_applicable(…)` as it is.
enum Ended {
    Value(Dynamic),
    Result(RuleResult),
}

/// Turns what a rule returned (or how it broke) into an outcome. Anything unexpected is an
/// `error`: a rule never passes by accident.
fn interpret(result: Result<Ended, Box<EvalAltResult>>, max_operations: u64) -> Interpreted {
    match result {
        Ok(Ended::Result(result)) => outcome_of(result),
        Ok(Ended::Value(value)) => match value.try_cast::<RuleResult>() {
            Some(result) => outcome_of(result),
            None => (
                Outcome::Error,
                Some("the rule did not end with pass(), fail(message, paths) or not_applicable(reason)".into()),
                Vec::new(),
                None,
            ),
        },
        Err(err) => {
            let outer_pos = err.position();
            let inner = innermost(&err);
            if let EvalAltResult::ErrorRuntime(value, _) = inner {
                if let Some(MissingField(path)) = value.clone().try_cast::<MissingField>() {
                    return (
                        Outcome::Fail,
                        Some(format!("required field `{path}` is missing")),
                        vec![path],
                        None,
                    );
                }
            }
            let pos = if inner.position().is_none() { outer_pos } else { inner.position() };
            let position = pos.line().map(|line| SourcePos { line, column: pos.position().unwrap_or(0) });
            (Outcome::Error, Some(describe(inner, max_operations)), Vec::new(), position)
        }
    }
}

fn outcome_of(result: RuleResult) -> Interpreted {
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

/// A write to `req` or `params` (`req.x = 1`) is refused by their setter (see
/// [`ReadOnly`]), and Rhai places that error at the member written; point at the constant
/// itself instead, as Rhai does for its own constants.
fn at_written_constant(source: &str, message: Option<&str>, pos: SourcePos) -> SourcePos {
    let Some(name) = message.and_then(|m| m.strip_prefix("Cannot modify constant ")) else {
        return pos;
    };
    if !matches!(name, "req" | "params") {
        return pos;
    }
    let Some(line) = source.lines().nth(pos.line.saturating_sub(1)) else {
        return pos;
    };
    let before: String = line.chars().take(pos.column.saturating_sub(1)).collect();
    let before = before.trim_end();
    match before.strip_suffix(name) {
        Some(head) if !head.ends_with(|c: char| c.is_alphanumeric() || c == '_') => SourcePos {
            line: pos.line,
            column: head.chars().count() + 1,
        },
        _ => pos,
    }
}

fn innermost(err: &EvalAltResult) -> &EvalAltResult {
    match err {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => innermost(inner),
        other => other,
    }
}

fn describe(err: &EvalAltResult, max_operations: u64) -> String {
    match err {
        EvalAltResult::ErrorTooManyOperations(_) => {
            format!("the rule was stopped after {max_operations} operations (a runaway loop?)")
        }
        EvalAltResult::ErrorStackOverflow(_) => {
            "the rule nests function calls too deeply (runaway recursion?)".into()
        }
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            format!("the rule built a value that is too large: {what}")
        }
        EvalAltResult::ErrorTerminated(_, _) => {
            "the rule was stopped: it ran past its time budget".into()
        }
        EvalAltResult::ErrorRuntime(value, _) => format!("the rule raised an error: {value}"),
        other => {
            // Rhai appends " (line x, position y)"; the position is reported separately.
            let text = other.to_string();
            match text.rfind(" (line ") {
                Some(cut) => text.get(..cut).unwrap_or(&text).to_string(),
                None => text,
            }
        }
    }
}

#[cfg(all(test, feature = "scripts"))]
mod tests {
    use super::*;

    /// `params.name` finds a scalar parameter by binary search: the table must come sorted by
    /// name (it is built in the parameters map's order, without a sort), for the default pack's
    /// parameters and for one given as an override.
    #[test]
    fn parameter_scalars_are_sorted_by_name() {
        let sorted = |engine: &Engine| {
            let names: Vec<&str> = engine
                .param_scalars
                .iter()
                .map(|(n, _)| n.as_str())
                .collect();
            assert!(names.len() > 3, "{names:?}");
            assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        };
        sorted(&Engine::default_pack().unwrap());
        let mut pack = Pack::embedded().unwrap();
        pack.manifest
            .params
            .insert("AAA_first".into(), serde_json::json!(1));
        pack.manifest
            .params
            .insert("zzz_last".into(), serde_json::json!("z"));
        sorted(&Engine::new(pack).unwrap());
    }

    /// The default engine built from the precompiled file holds the parameters as the long way
    /// does: the same scalar table and, once built, the same value. It builds that value only
    /// when a decision reads more than a scalar member: not for a termination request, whose
    /// rules read scalars only, and for an onboarding request, whose rules read the lists.
    #[test]
    fn shipped_parameters_are_built_on_first_need() {
        let shipped = Engine::default_pack().unwrap();
        assert!(shipped.built_from_shipped_pack());
        let long = Engine::embedded(EngineOptions {
            from_source: true,
            ..Default::default()
        })
        .unwrap();
        assert!(!long.built_from_shipped_pack());
        let table = |e: &Engine| {
            e.param_scalars
                .iter()
                .map(|(name, value)| format!("{name}={:?}", value.clone().into_dynamic()))
                .collect::<Vec<_>>()
        };
        assert_eq!(table(&shipped), table(&long));
        assert!(shipped.params.value.get().is_none());

        let as_of = EvalOptions {
            as_of: Some(Date::parse("2026-09-02").unwrap()),
            ..Default::default()
        };
        let example = |name: &str| {
            std::fs::read_to_string(format!(
                "{}/examples/requests/{name}.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        };
        let termination = shipped.evaluate_json(&example("termination-allow"), &as_of);
        assert_eq!(termination.decision, crate::decision::Verdict::Allow);
        assert!(shipped.params.value.get().is_none());
        let onboarding = shipped.evaluate_json(&example("onboarding-allow"), &as_of);
        assert_eq!(onboarding.decision, crate::decision::Verdict::Allow);
        assert!(shipped.params.value.get().is_some());
        assert_eq!(
            format!("{:?}", shipped.params.value()),
            format!("{:?}", long.params.value())
        );
    }

    /// A damaged precompiled form counts as none: the rule runs from its source in Rhai and
    /// decides as the compiled form would. (Without `scripts` the same rule would be a
    /// `not_precompiled` error finding; the edge module cannot be handed a damaged file, so
    /// that branch has no test of its own.)
    #[cfg(feature = "scripts")]
    #[test]
    fn an_undecodable_precompiled_form_runs_in_rhai_and_decides_alike() {
        let text = include_str!("../examples/requests/termination-deny.json");
        let options = EvalOptions {
            as_of: Some(Date::parse("2026-09-02").unwrap()),
            ..Default::default()
        };
        let good = Engine::default_pack().unwrap();
        let mut broken = Engine::default_pack().unwrap();
        for rule in &mut broken.rules {
            assert!(rule.encoded.is_some(), "{} is precompiled", rule.meta.id);
            rule.encoded = Some(&[0xff, 0xff, 0xff]);
        }
        assert!(broken.rules.iter().all(|r| r.fast().is_none()));
        let (a, b) = (
            good.evaluate_json(text, &options),
            broken.evaluate_json(text, &options),
        );
        assert_eq!(a.decision, b.decision);
        assert_eq!(a.findings, b.findings);
        assert!(a
            .findings
            .iter()
            .any(|f| &*f.rule == "TRM-002" && f.outcome == Outcome::Fail));
    }
}
