//! The WebAssembly surface used by the npm package in `js/`.
//!
//! Everything crosses the boundary as JSON text: the JS wrapper sends the request text, the
//! wasm side runs the very same [`Engine::evaluate_json`] as the CLI, and the decision comes
//! back as the CLI's own JSON. Parity with the native build therefore holds by construction,
//! and no recursive JS-value conversion can be driven into a stack overflow by hostile input
//! (serde_json's recursion limit and the input scanner bound everything).
//!
//! Misuse (options that make no sense, an `as_of` that is not a date) throws a JS `Error`;
//! a bad *request* never throws: it is an `error` decision.
//!
//! Two modules are built from this crate (scripts/build-wasm.sh): with the `parser` feature
//! (any pack) and without (the edge module: the default pack only). Same evaluator, same
//! decisions; they differ only in whether the rule parser is linked.
#![cfg(target_arch = "wasm32")]
#![forbid(unsafe_code)]

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::Deserialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use cloudgate::decision::{Decision, RequestHint};

/// Talc instead of Rust's default wasm allocator (dlmalloc): a decision allocates and frees a few
/// hundred small blocks (the parsed request, strings, findings, the decision's JSON), and talc
/// is both faster at that and smaller (measured side by side).
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
use cloudgate::{
    Date, Diagnostic, Engine, EngineOptions, EvalOptions, InputError, Limits, Pack, PackError,
};

/// What `createEngine(options)` passes down (the JS wrapper removes `wasm` and serialises the
/// rest). Unknown keys are refused so that a typo cannot silently leave a default in force.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
struct Options {
    /// With `pack.json` among the files: a whole pack. Otherwise the files replace or extend
    /// the default pack's files; `null` removes a file.
    rules: Option<BTreeMap<String, Option<String>>>,
    params: Option<Map<String, Value>>,
    pack_digest: Option<String>,
    lenient: bool,
    limits: Option<Map<String, Value>>,
}

/// A JS `Error` carrying a message and, when the pack was at fault, its diagnostics.
fn js_error(message: &str, diagnostics: &[Diagnostic]) -> JsValue {
    let error = js_sys::Error::new(message);
    let list = serde_json::to_string(diagnostics)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or_else(|| js_sys::Array::new().into());
    // Setting a property on a fresh Error cannot fail; if it ever did, the message remains.
    let _ = js_sys::Reflect::set(&error, &"diagnostics".into(), &list);
    error.into()
}

fn pack_error(error: PackError) -> JsValue {
    js_error(&error.to_string(), &error.0)
}

/// Limits given by name, merged over the defaults; an unknown name is misuse.
fn limits_from(given: Map<String, Value>) -> Result<Limits, JsValue> {
    let defaults =
        serde_json::to_value(Limits::default()).map_err(|e| js_error(&e.to_string(), &[]))?;
    let Value::Object(mut merged) = defaults else {
        return Err(js_error("internal: limits are not an object", &[]));
    };
    for (key, value) in given {
        match (merged.get_mut(&key), value) {
            (None, _) => {
                let known: Vec<&str> = merged.keys().map(String::as_str).collect();
                return Err(js_error(
                    &format!(
                        "unknown limit `{key}`; the limits are: {}",
                        known.join(", ")
                    ),
                    &[],
                ));
            }
            (Some(Value::Object(slot)), Value::Object(inner)) => {
                for (k, v) in inner {
                    if !slot.contains_key(&k) {
                        let known: Vec<&str> = slot.keys().map(String::as_str).collect();
                        return Err(js_error(
                            &format!(
                                "unknown limit `{key}.{k}`; the input limits are: {}",
                                known.join(", ")
                            ),
                            &[],
                        ));
                    }
                    slot.insert(k, v);
                }
            }
            (Some(slot), value) => *slot = value,
        }
    }
    serde_json::from_value(Value::Object(merged))
        .map_err(|e| js_error(&format!("limits: {e}"), &[]))
}

fn load_pack(rules: Option<BTreeMap<String, Option<String>>>) -> Result<Pack, JsValue> {
    let Some(files) = rules else {
        return Pack::embedded().map_err(pack_error);
    };
    if files.contains_key("pack.json") {
        return Pack::from_sources(
            files
                .into_iter()
                .filter_map(|(path, text)| text.map(|t| (path, t))),
        )
        .map_err(pack_error);
    }
    let mut all = Pack::embedded().map_err(pack_error)?.files();
    for (path, text) in files {
        match text {
            Some(text) => {
                all.insert(path, text);
            }
            None => {
                all.remove(&path);
            }
        }
    }
    Pack::from_sources(all).map_err(pack_error)
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // The engine's types always serialise; the fallback is never reached but stays total.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// The largest request [`PolicyEngine::input_buffer`] makes room for: larger ones go through
/// `evaluateBytes`, so that an engine does not keep megabytes for one large request.
const INPUT_BUFFER_MAX: usize = 256 << 10;

/// One compiled pack. Build it once, evaluate many requests.
#[wasm_bindgen]
pub struct PolicyEngine {
    engine: Rc<Engine>,
    /// Where the JS side writes a request's UTF-8 bytes (`TextEncoder.encodeInto`) before
    /// `evaluateInput`: one copy of the text, straight into linear memory, instead of an encoded
    /// copy in JS that the glue then copies in. Kept between calls.
    input: Vec<u8>,
}

thread_local! {
    /// The engine of the default options (embedded pack, default limits, strict), built by the
    /// first `createEngine()` that asks for it and shared by every later one: building it costs
    /// ~100 ms in a fresh V8 instance and an [`Engine`] never changes once built. A new instance
    /// (after a trap) starts without it.
    static DEFAULT_ENGINE: OnceCell<Rc<Engine>> = const { OnceCell::new() };
}

fn default_engine() -> Result<Rc<Engine>, JsValue> {
    if let Some(engine) = DEFAULT_ENGINE.with(|cell| cell.get().cloned()) {
        return Ok(engine);
    }
    let engine = Rc::new(Engine::default_pack().map_err(pack_error)?);
    DEFAULT_ENGINE.with(|cell| {
        let _ = cell.set(engine.clone());
    });
    Ok(engine)
}

impl Options {
    fn is_default(&self) -> bool {
        self.rules.is_none()
            && self.params.is_none()
            && self.pack_digest.is_none()
            && !self.lenient
            && self.limits.is_none()
    }
}

/// Every other case, kept out of [`PolicyEngine::new`]: in a fresh instance V8 compiles a
/// function whole on its first call, so the default case should not pay for this code.
#[inline(never)]
fn engine_with_options(options_json: &str) -> Result<PolicyEngine, JsValue> {
    let options: Options = serde_json::from_str(options_json)
        .map_err(|e| js_error(&format!("createEngine options: {e}"), &[]))?;
    if options.is_default() {
        return Ok(PolicyEngine {
            engine: default_engine()?,
            input: Vec::new(),
        });
    }
    let mut pack = load_pack(options.rules)?;
    if let Some(params) = &options.params {
        pack.override_params(params).map_err(pack_error)?;
    }
    if let Some(want) = &options.pack_digest {
        let got = pack.digest();
        if &got != want {
            let d = Diagnostic::new(
                "digest_mismatch",
                "pack.json",
                format!("the pack's digest is {got} but {want} was required"),
            );
            return Err(pack_error(PackError(vec![d])));
        }
    }
    let limits = match options.limits {
        Some(given) => limits_from(given)?,
        None => Limits::default(),
    };
    let engine = Engine::with_options(
        pack,
        EngineOptions {
            limits,
            lenient: options.lenient,
        },
    )
    .map_err(pack_error)?;
    Ok(PolicyEngine {
        engine: Rc::new(engine),
        input: Vec::new(),
    })
}

#[wasm_bindgen]
impl PolicyEngine {
    /// `options_json`: the JSON text of [`Options`] (`"{}"` for the default pack).
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<PolicyEngine, JsValue> {
        // The common case (what the wrapper sends for no options), without running (and so,
        // in a fresh instance, compiling) the options' deserializer, nor even `trim`: other
        // spellings of no options take the general path to the same engine.
        if options_json == "{}" {
            return Ok(PolicyEngine {
                engine: default_engine()?,
                input: Vec::new(),
            });
        }
        engine_with_options(options_json)
    }

    /// Decides a request given as JSON text; returns the decision as the CLI's JSON text.
    /// Throws only when `as_of` is not a date (misuse); a bad request is an `error` decision.
    #[wasm_bindgen(js_name = evaluateJson)]
    /// `explain`: passing findings carry a message; `record`: the decision carries its audit
    /// record (domain.md §2).
    pub fn evaluate_json(
        &self,
        text: &str,
        as_of: Option<String>,
        explain: Option<bool>,
        record: Option<bool>,
    ) -> Result<String, JsValue> {
        self.decide(text, as_of, false, flags(explain, record))
    }

    /// `lean`: the decision as [`Engine::decision_lean_json`] writes it, for the wrapper's
    /// object API, which fills in what it leaves out.
    fn decide(
        &self,
        text: &str,
        as_of: Option<String>,
        lean: bool,
        (explain, record): (bool, bool),
    ) -> Result<String, JsValue> {
        let as_of = match as_of {
            Some(t) => {
                Some(Date::parse(&t).map_err(|e| js_error(&format!("asOf `{t}`: {e}"), &[]))?)
            }
            None => None,
        };
        let options = EvalOptions {
            as_of,
            explain,
            record,
        };
        let decision = self.engine.evaluate_json(text, &options);
        Ok(if lean {
            self.engine.decision_lean_json(&decision)
        } else {
            self.engine.decision_json(&decision)
        })
    }

    /// `evaluateJson` for a request already encoded as UTF-8 (`TextEncoder`): the glue copies
    /// the bytes in one call, where a string is copied a character at a time in JS (a fifth of
    /// a decision's time in Node for a 4 KB request). Bytes that are
    /// not UTF-8 are an `error` decision, never a throw.
    #[wasm_bindgen(js_name = evaluateBytes)]
    pub fn evaluate_bytes(
        &self,
        bytes: &[u8],
        as_of: Option<String>,
        explain: Option<bool>,
        record: Option<bool>,
    ) -> Result<String, JsValue> {
        self.decide_bytes(bytes, as_of, false, flags(explain, record))
    }

    fn decide_bytes(
        &self,
        bytes: &[u8],
        as_of: Option<String>,
        lean: bool,
        flags: (bool, bool),
    ) -> Result<String, JsValue> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.decide(text, as_of, lean, flags),
            Err(e) => Ok(self.reject_json(
                "invalid_string",
                &format!("the request is not UTF-8 (byte {})", e.valid_up_to()),
            )),
        }
    }

    /// Room for a request of up to `len` bytes, for [`Self::evaluate_input`]: its address in
    /// linear memory, or 0 (null) beyond [`INPUT_BUFFER_MAX`] bytes, so that the buffer kept
    /// stays small. Only the JS wrapper calls this (js/core.js).
    #[wasm_bindgen(js_name = inputBuffer)]
    pub fn input_buffer(&mut self, len: usize) -> *mut u8 {
        if len > INPUT_BUFFER_MAX {
            return std::ptr::null_mut();
        }
        if self.input.len() < len {
            self.input.resize(len, 0);
        }
        self.input.as_mut_ptr()
    }

    /// `evaluateBytes` of the first `len` bytes written at [`Self::input_buffer`]; `lean` for
    /// the wrapper's object API (see [`Self::decide`]).
    #[wasm_bindgen(js_name = evaluateInput)]
    pub fn evaluate_input(
        &self,
        len: usize,
        as_of: Option<String>,
        lean: bool,
        explain: Option<bool>,
        record: Option<bool>,
    ) -> Result<String, JsValue> {
        match self.input.get(..len) {
            Some(bytes) => self.decide_bytes(bytes, as_of, lean, flags(explain, record)),
            None => Err(js_error(
                &format!(
                    "evaluateInput: {len} bytes asked for, {} written at inputBuffer",
                    self.input.len()
                ),
                &[],
            )),
        }
    }

    /// An `error` decision for a request the JS side refused before it reached the engine
    /// (an object that cannot be written as JSON, text that is not well-formed Unicode), so
    /// it has exactly the shape of the engine's own refusals.
    #[wasm_bindgen(js_name = rejectJson)]
    pub fn reject_json(&self, code: &str, message: &str) -> String {
        let decision = Decision::rejected(
            self.engine.pack_info().clone(),
            vec![InputError::new(code, message, "$")],
            RequestHint::default(),
        );
        self.engine.decision_json(&decision)
    }

    #[wasm_bindgen(js_name = rulesJson)]
    pub fn rules_json(&self) -> String {
        json(&self.engine.rules().collect::<Vec<_>>())
    }

    #[wasm_bindgen(js_name = packJson)]
    pub fn pack_json(&self) -> String {
        json(self.engine.pack_info())
    }

    #[wasm_bindgen(js_name = diagnosticsJson)]
    pub fn diagnostics_json(&self) -> String {
        json(self.engine.diagnostics())
    }

    #[wasm_bindgen(js_name = sourcesJson)]
    pub fn sources_json(&self) -> String {
        json(&self.engine.pack().files())
    }

    /// The input limit the JS side checks before copying a request into the instance; a number
    /// rather than [`Self::limits_json`] so that a cold start does not run serde for it.
    #[wasm_bindgen(js_name = maxInputBytes)]
    pub fn max_input_bytes(&self) -> f64 {
        self.engine.limits().input.max_bytes as f64
    }

    #[wasm_bindgen(js_name = limitsJson)]
    pub fn limits_json(&self) -> String {
        json(self.engine.limits())
    }

    /// Runs test cases in the pack's `tests/*.json` format, as `cloudgate test` does.
    /// `files_json`: `{ "tests/<file>.json": "<text>", … }`, bases included. With `coverage`,
    /// the result carries what each rule ran. Only in the full module: the workbench needs it,
    /// an edge function does not, and both modules share one glue, so the edge module's is a
    /// stub that throws.
    #[cfg(feature = "parser")]
    #[wasm_bindgen(js_name = runTestsJson)]
    pub fn run_tests_json(&self, files_json: &str, coverage: bool) -> Result<String, JsValue> {
        let files: BTreeMap<String, String> = serde_json::from_str(files_json)
            .map_err(|e| js_error(&format!("test files: {e}"), &[]))?;
        let files: Vec<(String, String)> = files.into_iter().collect();
        let mut counted = coverage.then(|| self.engine.coverage());
        let cases = cloudgate::cases::run_tests(&self.engine, &files, counted.as_mut())
            .map_err(|e| js_error(&e, &[]))?;
        let passed = cases.iter().filter(|c| c.passed).count();
        let coverage = counted.map(|counted| {
            self.engine
                .coverage_report(&counted)
                .into_iter()
                .map(|r| (r.rule.clone(), r))
                .collect()
        });
        let out = TestRun {
            pack: self.engine.pack_info(),
            passed,
            failed: cases.len() - passed,
            cases,
            coverage,
        };
        Ok(json(&out))
    }

    /// Runs test cases in the pack's `tests/*.json` format, as `cloudgate test` does.
    /// `files_json`: `{ "tests/<file>.json": "<text>", … }`, bases included. With `coverage`,
    /// the result carries what each rule ran. Only in the full module: the workbench needs it,
    /// an edge function does not, and both modules share one glue, so the edge module's is a
    /// stub that throws.
    #[cfg(not(feature = "parser"))]
    #[wasm_bindgen(js_name = runTestsJson)]
    pub fn run_tests_json(&self, files_json: &str, coverage: bool) -> Result<String, JsValue> {
        // The names must match the full module's: the glue is generated from them.
        let _ = (files_json, coverage);
        Err(js_error(FULL_MODULE_ONLY, &[]))
    }
}

#[cfg(not(feature = "parser"))]
const FULL_MODULE_ONLY: &str =
    "cloudgate: the edge module has no test runner nor function table; use the full module";

/// What `runTestsJson` answers.
#[cfg(feature = "parser")]
#[derive(serde::Serialize)]
struct TestRun<'a> {
    pack: &'a cloudgate::decision::PackInfo,
    passed: usize,
    failed: usize,
    cases: Vec<cloudgate::cases::CaseReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<BTreeMap<String, cloudgate::eval::coverage::RuleCoverage>>,
}

// The edge module's stub below throws; both carry the same doc, which the shared glue repeats.
/// The rule language's host functions and methods (`cloudgate::HOST_FUNCTIONS`), for editors'
/// completion and hover docs.
#[cfg(feature = "parser")]
#[wasm_bindgen(js_name = hostFunctionsJson)]
pub fn host_functions_json() -> Result<String, JsValue> {
    Ok(json(cloudgate::HOST_FUNCTIONS))
}

/// The rule language's host functions and methods (`cloudgate::HOST_FUNCTIONS`), for editors'
/// completion and hover docs.
#[cfg(not(feature = "parser"))]
#[wasm_bindgen(js_name = hostFunctionsJson)]
pub fn host_functions_json() -> Result<String, JsValue> {
    Err(js_error(FULL_MODULE_ONLY, &[]))
}

/// The crate version, so the JS side can report which engine it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Traps the instance on purpose. It exists only so the JS tests can prove that the wrapper
/// recovers from a dead instance; nothing else calls it.
#[wasm_bindgen(js_name = __trapForTests)]
pub fn trap_for_tests() {
    core::arch::wasm32::unreachable()
}

/// The per-call options the wrapper passes (`undefined`: off).
fn flags(explain: Option<bool>, record: Option<bool>) -> (bool, bool) {
    (explain.unwrap_or(false), record.unwrap_or(false))
}
