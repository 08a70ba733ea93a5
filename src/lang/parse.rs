//! Rhai's parser, set up for rules: the rule language's syntax is Rhai's, and Rhai parses it;
//! nothing here evaluates anything.

use super::{lower, LoadError, Pos, Program, MAX_FUNCTIONS};

/// The bounds that shape a parse (the engine's `Limits` hold them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ParseLimits {
    pub max_expr_depth: usize,
    pub max_function_expr_depth: usize,
    pub max_string_size: usize,
    pub max_array_size: usize,
    pub max_map_size: usize,
}

impl ParseLimits {
    /// The engine's default limits' (`Limits::default`), with which `build.rs` lowers the
    /// default pack; tests/limits check that the two agree.
    pub(crate) const DEFAULT: ParseLimits = ParseLimits {
        max_expr_depth: 64,
        max_function_expr_depth: 32,
        max_string_size: 1 << 20,
        max_array_size: 1 << 19,
        max_map_size: 1 << 18,
    };
}

pub(crate) struct Parser(rhai::Engine);

impl Parser {
    pub(crate) fn new(limits: ParseLimits) -> Parser {
        // `new_raw`: no packages, since nothing is called; only the syntax matters.
        let mut engine = rhai::Engine::new_raw();
        engine.set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth);
        engine.set_max_string_size(limits.max_string_size.max(1));
        engine.set_max_array_size(limits.max_array_size.max(1));
        engine.set_max_map_size(limits.max_map_size.max(1));
        engine.set_max_functions(MAX_FUNCTIONS);
        Parser(engine)
    }

    /// The rule's syntax tree.
    pub(crate) fn parse(&self, source: &str) -> Result<rhai::AST, LoadError> {
        self.0.compile(source).map_err(|e| LoadError {
            code: "syntax",
            message: format!("does not compile: {}", e.err_type()),
            pos: Pos::of(e.position()),
        })
    }

    /// The rule parsed and lowered (build.rs; the engine also checks the functions' names).
    #[allow(dead_code)]
    pub(crate) fn compile(&self, source: &str) -> Result<Program, LoadError> {
        lower(&self.parse(source)?)
    }
}
