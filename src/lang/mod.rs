//! The rule language: Rhai's syntax, parsed by Rhai's parser ([`parse`]) and lowered once
//! ([`lower`]) into the form below, which is all the evaluator ([`crate::eval`]) runs.
//! docs/rule-language.md describes the language to rule authors; a rule that steps outside it
//! is refused when it is loaded, with its line, column and the construct's name.
//!
//! Why a form of our own: Rhai's syntax tree is made for Rhai's interpreter (variables looked up
//! by name, functions by hash, argument vectors). Here variables are numbered slots, field paths
//! are parsed once, and every call is resolved to a host function, a built-in method or a
//! function of the rule before the rule first runs.
//!
//! This module depends on nothing of the crate but [`crate::path`] and [`crate::value`], so
//! that `build.rs` can compile it on its own and lower the default pack at build time.

pub(crate) mod host;
// Without the parser (the edge module) only the form and the table are used.
#[cfg_attr(not(feature = "parser"), allow(dead_code))]
mod lower;
#[cfg_attr(not(feature = "parser"), allow(dead_code))]
pub(crate) mod parse;
mod serial;

#[cfg_attr(not(feature = "parser"), allow(unused_imports))]
pub(crate) use lower::{lower, LoadError};

use rhai::ImmutableString;
use serde::{Deserialize, Serialize};

use crate::path::Step;
use crate::value::Val;

/// Variables a rule may have in scope at once, counting its parameters' and loops' variables.
pub(crate) const MAX_VARIABLES: usize = 1_000;

/// Functions a rule may define.
pub(crate) const MAX_FUNCTIONS: usize = 256;

/// A place in a rule's source, 1-based; line 0 when unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    fn of(p: rhai::Position) -> Pos {
        let n = |v: Option<usize>| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
        Pos {
            line: n(p.line()),
            column: n(p.position()),
        }
    }

    pub(crate) fn is_known(self) -> bool {
        self.line > 0
    }
}

/// One rule, lowered.
#[derive(Serialize, Deserialize)]
pub(crate) struct Program {
    pub body: Block,
    /// Variable slots of the rule's body (every `let` and loop variable has its own).
    pub slots: usize,
    /// The functions the rule defines; [`Ex::Call`] names one by its index.
    pub functions: Vec<Function>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Function {
    #[serde(with = "serial::text")]
    pub name: ImmutableString,
    /// The parameters are the first slots.
    pub params: usize,
    pub slots: usize,
    pub body: Block,
}

/// Statements with the place each starts at. The places are read only when a statement fails,
/// to say where; they are kept apart so that running a block walks the statements alone.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct Block {
    pub stmts: Box<[St]>,
    pub at: Box<[Pos]>,
}

impl Block {
    pub(crate) fn pos(&self, i: usize) -> Pos {
        self.at.get(i).copied().unwrap_or_default()
    }
}

/// The constants every rule sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Global {
    Req,
    Params,
    AsOf,
    Scenario,
    Lifecycle,
}

impl Global {
    pub(crate) fn of(name: &str) -> Option<Global> {
        Some(match name {
            "req" => Global::Req,
            "params" => Global::Params,
            "as_of" => Global::AsOf,
            "scenario" => Global::Scenario,
            "lifecycle" => Global::Lifecycle,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
}

impl Op {
    pub(crate) fn of(syntax: &str) -> Option<Op> {
        Some(match syntax {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "+" => Op::Add,
            "-" => Op::Sub,
            "*" => Op::Mul,
            "/" => Op::Div,
            "%" => Op::Rem,
            "**" => Op::Pow,
            _ => return None,
        })
    }

    pub(crate) fn syntax(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Rem => "%",
            Op::Pow => "**",
        }
    }
}

pub(crate) use host::{Host, Method};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum PathKind {
    Need,
    Field,
    Present,
}

/// `need(target, "a.b")`, `need(target, "a.b", prefix)`, `field(target, "a.b", default)`,
/// `present(target, "a.b")`, with the path written as a literal parsed once.
#[derive(Serialize, Deserialize)]
pub(crate) struct PathCall {
    pub kind: PathKind,
    pub target: Ex,
    pub path: PathArg,
    /// The prefix of `need` or the default of `field`.
    pub extra: Option<Ex>,
    pub pos: Pos,
}

#[derive(Serialize, Deserialize)]
pub(crate) enum PathArg {
    /// A literal path, parsed once.
    Parsed(
        #[serde(with = "serial::steps")] Vec<Step>,
        #[serde(with = "serial::text")] ImmutableString,
    ),
    /// A path computed by the rule (`need(req, date_path)`), parsed when the call runs and
    /// kept for the next run ([`PathMemo`]).
    Computed(Ex, #[serde(skip)] Box<PathMemo>),
}

/// The paths a computed-path call has met, parsed. Such a call meets few (`date_path` is one
/// of two literals); parsing again in every decision cost a termination decision about 1 % of
/// its instructions. Filled on first use; a path met when every slot is taken, or longer than
/// any real path, is parsed each time (rules come from outside: what an engine keeps for them
/// stays small). Engines are shared between threads natively, hence `OnceLock`.
#[derive(Default)]
pub(crate) struct PathMemo([std::sync::OnceLock<(Box<str>, Vec<Step>)>; 8]);

/// Longest path text a [`PathMemo`] keeps.
const KEPT_PATH_MAX: usize = 256;

impl PathMemo {
    /// The parsed form of `text`, kept; `None` when `text` is not a path, is too long to keep,
    /// or no slot is free.
    pub(crate) fn find_or_keep(&self, text: &str) -> Option<&(Box<str>, Vec<Step>)> {
        if text.len() > KEPT_PATH_MAX {
            return None;
        }
        let mut parsed = None;
        for slot in &self.0 {
            if slot.get().is_none() {
                let entry = match parsed.take() {
                    Some(entry) => entry,
                    None => (Box::from(text), crate::path::parse_path(text)?),
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

/// A map's key.
#[derive(Serialize, Deserialize)]
pub(crate) struct Name(#[serde(with = "serial::text")] pub ImmutableString);

/// A call of a function the rule defines.
#[derive(Serialize, Deserialize)]
pub(crate) struct Call {
    pub function: usize,
    pub args: Vec<Ex>,
    pub pos: Pos,
}

/// One step from a local variable to the element or member an assignment writes.
#[derive(Serialize, Deserialize)]
pub(crate) enum Access {
    Member(#[serde(with = "serial::text")] ImmutableString),
    Index(Ex),
}

/// `x[i] = e`, `x.k = e`, `x.a[i].b += e`: a write into a local variable's array or map.
#[derive(Serialize, Deserialize)]
pub(crate) struct SetIn {
    pub slot: usize,
    pub path: Vec<Access>,
    pub op: Option<Op>,
    pub value: Ex,
    pub pos: Pos,
}

/// `switch value { a | b => …, c if cond => …, _ => … }`: each arm is a constant and, if it has
/// one, a condition; the first arm whose constant equals the value (of the same type) and whose
/// condition holds is taken, else the default.
/// A `switch` case's constant.
#[derive(Serialize, Deserialize)]
pub(crate) struct Case(#[serde(with = "serial::constant")] pub Val<'static>);

#[derive(Serialize, Deserialize)]
pub(crate) struct Switch {
    pub value: Ex,
    pub arms: Vec<(Case, Option<Ex>, Ex)>,
    pub default: Option<Ex>,
}

#[derive(Serialize, Deserialize)]
pub(crate) enum Ex {
    Const(#[serde(with = "serial::constant")] Val<'static>),
    Local(usize),
    Global(Global),
    /// A string with `${…}` parts.
    Interp(Vec<Ex>),
    Array(Vec<Ex>),
    Map(Vec<(Name, Ex)>),
    And(Vec<Ex>),
    Or(Vec<Ex>),
    /// `a ?? b ?? …`
    Coalesce(Vec<Ex>),
    Not(Box<Ex>),
    Neg(Box<(Ex, Pos)>),
    Bin(Op, Box<(Ex, Ex, Pos)>),
    /// `item in container`, `container.contains(item)`: (container, item).
    Contains(Box<(Ex, Ex, Pos)>),
    Path(Box<PathCall>),
    Host(Host, Vec<Ex>),
    /// A built-in method with the receiver alone, `x.len()`.
    Method(Method, Box<Ex>),
    /// A built-in method with arguments, the receiver first.
    MethodN(Method, Vec<Ex>),
    /// A method that changes the local variable it is called on (`a.push(x)`, `s.trim()`),
    /// with its arguments.
    Mutate(Box<(Method, usize, Vec<Ex>)>),
    Call(Box<Call>),
    /// `x.name`
    Prop(Box<Ex>, #[serde(with = "serial::text")] ImmutableString),
    /// `x[i]`
    Index(Box<(Ex, Ex, Pos)>),
    /// `a..b` (inclusive: `a..=b`) or `range(a, b[, step])`: only what a `for` loop iterates.
    Range(Box<(Ex, Ex, Option<Ex>)>, bool),
    /// A block used as a value (`if c { a } else { b }` on the right of `let`).
    Block(Box<Block>),
}

#[derive(Serialize, Deserialize)]
pub(crate) enum St {
    Let(usize, Ex),
    Set(usize, Ex),
    /// `x += e` and friends.
    Update(usize, Op, Ex),
    SetIn(Box<SetIn>),
    Expr(Ex),
    If(Box<(Ex, Block, Block)>),
    Switch(Box<Switch>),
    /// `while c { … }`; `loop { … }` has no condition; `do { … } while c` tests after.
    While(Box<(Option<Ex>, Block)>),
    DoWhile(Box<(Block, Ex, bool)>),
    For(Box<ForLoop>),
    Return(Option<Ex>),
    Throw(Option<Ex>),
    Break,
    Continue,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ForLoop {
    pub item: usize,
    pub index: Option<usize>,
    pub iter: Ex,
    pub body: Block,
}
