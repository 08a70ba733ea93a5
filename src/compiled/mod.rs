//! The compiled form of a rule: Rhai's syntax tree lowered once, when the pack is loaded, into a
//! smaller tree whose variables are numbered slots, whose field paths are already parsed and whose
//! calls go straight to the host functions and to the few built-ins rules use.
//!
//! Why: Rhai's interpreter spends a decision on bookkeeping around each node (variables looked up
//! by name, functions resolved by hash, argument vectors, operation tracking): about 6 µs per rule
//! natively, for rules that do a handful of lookups and comparisons. This form
//! does the same work without that overhead.
//!
//! Rhai stays the reference. A rule that uses a construct this form does not cover (loops other
//! than `for` over an array, `switch`, `try`, functions of its own, object-map literals…) is not
//! compiled and always runs in Rhai. A compiled rule that meets anything unexpected while running
//! (a type the fast path does not handle, any error, an oversized value, the operation budget)
//! stops with [`Bail`] and the engine runs the same rule in Rhai, which then gives the exact result
//! or error message. Rules are pure (they cannot write to `req` or `params`, and have no I/O), so
//! running one a second time is safe. `tests/compiled.rs` decides every pack test case and
//! generated requests both ways and requires identical decisions.

mod eval;
mod lower;
pub(crate) mod precompiled;
mod serial;
mod value;

pub(crate) use eval::{param_scalars, run, Globals, LazyReq, Run};
pub(crate) use lower::lower;
pub(crate) use precompiled::SourceHash;
pub(crate) use value::Val;

use rhai::ImmutableString;
use serde::{Deserialize, Serialize};

use crate::functions::Step;

/// One rule, compiled. Serializable so that the default pack can ship already compiled
/// ([`precompiled`]).
#[derive(Serialize, Deserialize)]
pub(crate) struct Program {
    body: Block,
    /// Number of variable slots (every `let` and loop variable has its own).
    slots: usize,
}

/// Why a compiled evaluation stopped and handed the rule back to Rhai. The full build reruns the
/// rule in Rhai and reports nothing of it; the edge build, which has no Rhai, names it in the
/// rule's `error` finding, and reports the two budgets below as Rhai would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bail(pub &'static str);

impl Bail {
    /// `max_operations` ran out.
    pub const OPERATIONS: &'static str = "operation budget";
    /// `max_millis_per_rule` ran out.
    pub const TIME: &'static str = "time budget";
}

type Block = Vec<St>;

/// The constants every rule sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Global {
    Req,
    Params,
    AsOf,
    Scenario,
    Lifecycle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
}

/// Host functions (src/functions.rs) called with a computed path or other arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Host {
    Empty,
    Days,
    WorkingDays,
    AddDays,
    AddMonths,
    MinDate,
    MaxDate,
    IsDate,
    IsEea,
    DaScope,
    Join,
    /// Added with pack 2.0.0; after the others so that earlier compiled forms keep their codes.
    IsEu,
    IsAdequate,
    IsDaJurisdiction,
    /// `array.extract(start, len)`, Rhai's array package.
    Extract,
    Pass,
    Fail,
    NotApplicable,
}

/// Built-in methods, callable as `x.f()` or `f(x)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Method {
    IsEmpty,
    Len,
    ToLower,
    ToUpper,
    TypeOf,
    /// Rhai's math package on a number: `floor(f64)`, `to_int(f64 or i64)`.
    Floor,
    ToInt,
    /// `map.keys()`, in the map's (sorted) order.
    Keys,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum PathKind {
    Need,
    Field,
    Present,
}

/// `need(target, "a.b")`, `need(target, "a.b", prefix)`, `field(target, "a.b", default)`,
/// `present(target, "a.b")` with the path written as a literal, parsed once.
#[derive(Serialize, Deserialize)]
struct PathCall {
    kind: PathKind,
    target: Ex,
    path: PathArg,
    /// The prefix of `need` or the default of `field`.
    extra: Option<Ex>,
}

#[derive(Serialize, Deserialize)]
enum PathArg {
    /// A literal path, parsed once.
    Parsed(
        #[serde(with = "serial::steps")] Vec<Step>,
        #[serde(with = "serial::text")] ImmutableString,
    ),
    /// A path computed by the rule (`need(req, date_path)`), parsed when the call runs, and
    /// kept for the next run.
    Computed(Ex, #[serde(skip)] Box<PathMemo>),
}

/// The paths a computed-path call has met, parsed. Such a call meets few: `date_path` is one of
/// two literals, `${info}.fees_disclosed` one of two blocks; parsing it again in every decision
/// (split, keys, a vector) cost a termination decision about 1 % of its instructions, two calls
/// of ~900 each. Filled on first use; a path met when every slot
/// is taken, or longer than any real path, is parsed as before (rules come from outside: what
/// an engine keeps for them stays small). The engine is shared between threads natively, hence
/// `OnceLock`.
#[derive(Default)]
pub(crate) struct PathMemo([std::sync::OnceLock<(Box<str>, Vec<Step>)>; 8]);

/// Longest path text a [`PathMemo`] keeps.
const KEPT_PATH_MAX: usize = 256;

impl PathMemo {
    /// The parsed form of `text`, kept; `None` when `text` is not a path, is too long to keep, or
    /// no slot is free.
    fn find_or_keep(&self, text: &str) -> Option<&(Box<str>, Vec<Step>)> {
        if text.len() > KEPT_PATH_MAX {
            return None;
        }
        let mut parsed = None;
        for slot in &self.0 {
            if slot.get().is_none() {
                let entry = match parsed.take() {
                    Some(entry) => entry,
                    None => (Box::from(text), crate::functions::parse_path(text)?),
                };
                // Another thread may have filled the slot meanwhile: try the next with it.
                if let Err(entry) = slot.set(entry) {
                    parsed = Some(entry);
                }
            }
            match slot.get() {
                Some(entry) if &*entry.0 == text => return Some(entry),
                _ => {}
            }
        }
        None
    }
}

#[derive(Serialize, Deserialize)]
enum Ex {
    Const(#[serde(with = "serial::constant")] Val<'static>),
    Local(usize),
    Global(Global),
    /// A string with `${…}` parts.
    Interp(Vec<Ex>),
    Array(Vec<Ex>),
    And(Vec<Ex>),
    Or(Vec<Ex>),
    /// `a ?? b ?? …`
    Coalesce(Vec<Ex>),
    Not(Box<Ex>),
    Neg(Box<Ex>),
    Bin(Op, Box<(Ex, Ex)>),
    /// `item in container`, `container.contains(item)`: (container, item).
    Contains(Box<(Ex, Ex)>),
    Path(Box<PathCall>),
    Host(Host, Vec<Ex>),
    Method(Method, Box<Ex>),
    /// `x.name`
    Prop(Box<Ex>, #[serde(with = "serial::text")] ImmutableString),
    /// `x[i]`
    Index(Box<(Ex, Ex)>),
    /// `a..b` (inclusive: `a..=b`), iterated by `for`.
    Range(Box<(Ex, Ex)>, bool),
    /// `x.push(e)` on a local array (Rhai's `push` mutates its receiver in place).
    Push(usize, Box<Ex>),
    /// `x.insert(index, e)` on a local array: (index, e).
    Insert(usize, Box<(Ex, Ex)>),
    /// A block used as a value (`if c { a } else { b }` on the right of `let`).
    Block(Block),
    /// Something only Rhai evaluates (an unknown function or variable…): reaching it bails.
    Bail(serial::Reason),
}

#[derive(Serialize, Deserialize)]
enum St {
    Let(usize, Ex),
    Set(usize, Ex),
    /// `x += e` and friends.
    Update(usize, Op, Ex),
    Expr(Ex),
    If(Box<(Ex, Block, Block)>),
    /// `while c { … }`; `loop { … }` has no condition.
    While(Option<Ex>, Block),
    For(Box<ForLoop>),
    Return(Option<Ex>),
    Break,
    Continue,
}

#[derive(Serialize, Deserialize)]
struct ForLoop {
    item: usize,
    index: Option<usize>,
    iter: Ex,
    body: Block,
}
