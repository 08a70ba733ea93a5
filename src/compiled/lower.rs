//! Rhai's syntax tree → the compiled form. Variables are resolved to slots by the same lexical
//! rules Rhai applies at run time (a `let` is visible after it, to the end of its block), so a
//! name means the same variable in both. A construct this form does not cover makes the whole
//! rule [`Unsupported`] (it then runs in Rhai); a call or variable it cannot resolve becomes
//! [`Ex::Bail`], which hands the rule to Rhai only if it is reached.

use rhai::{ASTFlags, Dynamic, Expr, FnCallExpr, ImmutableString, Stmt, AST};

use super::serial::Reason;
use super::value::Val;
use super::{
    Block, Ex, ForLoop, Global, Host, Method, Op, PathArg, PathCall, PathKind, Program, St,
};
use crate::functions::parse_path;

/// Why a rule is not compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unsupported(pub &'static str);

type Lowered<T> = Result<T, Unsupported>;

pub(crate) fn lower(ast: &AST) -> Lowered<Program> {
    if ast.has_functions() {
        return Err(Unsupported("the rule defines functions"));
    }
    let mut lowerer = Lowerer::default();
    let body = lowerer.block(ast.statements())?;
    // Rhai counts the scope's constants (`req`, `params`…) too; the margin keeps every rule
    // near the limit in Rhai, which stops it with "too many variables" at the exact place.
    if lowerer.peak + 16 > crate::engine::MAX_VARIABLES {
        return Err(Unsupported("more variables in scope than Rhai allows"));
    }
    Ok(Program {
        body,
        slots: lowerer.slots,
    })
}

#[derive(Default)]
struct Lowerer {
    /// Visible variables, innermost last.
    names: Vec<(ImmutableString, usize)>,
    slots: usize,
    /// Most variables visible at once (Rhai limits this, not the total declared).
    peak: usize,
}

#[derive(Clone, Copy)]
enum Chain {
    Dot,
    Index,
}

impl Lowerer {
    fn declare(&mut self, name: &ImmutableString) -> usize {
        let slot = self.slots;
        self.slots += 1;
        self.names.push((name.clone(), slot));
        self.peak = self.peak.max(self.names.len());
        slot
    }

    fn resolve(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, slot)| *slot)
    }

    fn block(&mut self, statements: &[Stmt]) -> Lowered<Block> {
        let mark = self.names.len();
        let out = statements
            .iter()
            .map(|s| self.stmt(s))
            .collect::<Lowered<Block>>();
        self.names.truncate(mark);
        out
    }

    fn stmt(&mut self, stmt: &Stmt) -> Lowered<St> {
        Ok(match stmt {
            Stmt::Noop(_) => St::Expr(Ex::Const(Val::Unit)),
            Stmt::Expr(e) => St::Expr(self.expr(e)?),
            Stmt::FnCall(call, _) => St::Expr(self.call(call)?),
            Stmt::Block(block) => St::Expr(Ex::Block(self.block(block.statements())?)),
            Stmt::Var(var, _, _) => {
                // The initialiser is resolved before the name exists: `let x = x + 1` reads the
                // outer `x`, as in Rhai.
                let init = self.expr(&var.1)?;
                let slot = self.declare(&var.0.name);
                St::Let(slot, init)
            }
            Stmt::Assignment(assignment) => {
                let (op, target) = &**assignment;
                let Expr::Variable(var, _, _) = &target.lhs else {
                    return Err(Unsupported("assignment to an element or property"));
                };
                let value = self.expr(&target.rhs)?;
                let Some(slot) = self.resolve(var.1.as_str()) else {
                    // A constant (`req`, `as_of`…) or an unknown variable: Rhai reports it.
                    return Ok(St::Expr(Ex::Bail(Reason::AssignmentToConstant)));
                };
                match op.get_op_assignment_info() {
                    None => St::Set(slot, value),
                    Some((_, _, _, _, _, syntax)) => match binary_op(syntax) {
                        Some(op) => St::Update(slot, op, value),
                        None => St::Expr(Ex::Bail(Reason::OperatorAssignment)),
                    },
                }
            }
            Stmt::If(flow, _) => {
                let condition = self.expr(&flow.expr)?;
                let then = self.block(flow.body.statements())?;
                let otherwise = self.block(flow.branch.statements())?;
                St::If(Box::new((condition, then, otherwise)))
            }
            Stmt::For(for_loop, _) => {
                let (item, counter, flow) = &**for_loop;
                let iter = self.expr(&flow.expr)?;
                let mark = self.names.len();
                let item = self.declare(&item.name);
                let index = counter.as_ref().map(|c| self.declare(&c.name));
                let body = self.block(flow.body.statements())?;
                self.names.truncate(mark);
                St::For(Box::new(ForLoop {
                    item,
                    index,
                    iter,
                    body,
                }))
            }
            Stmt::While(flow, _) => {
                let condition = match &flow.expr {
                    Expr::Unit(_) => None,
                    other => Some(self.expr(other)?),
                };
                St::While(condition, self.block(flow.body.statements())?)
            }
            Stmt::BreakLoop(None, flags, _) => {
                if flags.contains(ASTFlags::BREAK) {
                    St::Break
                } else {
                    St::Continue
                }
            }
            Stmt::Return(value, flags, _) => {
                if flags.contains(ASTFlags::BREAK) {
                    // `throw`: Rhai builds the error.
                    St::Expr(Ex::Bail(Reason::Throw))
                } else {
                    St::Return(value.as_deref().map(|e| self.expr(e)).transpose()?)
                }
            }
            _ => return Err(Unsupported("statement kind")),
        })
    }

    fn exprs<'e>(&mut self, exprs: impl IntoIterator<Item = &'e Expr>) -> Lowered<Vec<Ex>> {
        exprs.into_iter().map(|e| self.expr(e)).collect()
    }

    fn expr(&mut self, expr: &Expr) -> Lowered<Ex> {
        Ok(match expr {
            Expr::DynamicConstant(value, _) => Ex::Const(Val::from_dynamic((**value).clone())),
            Expr::BoolConstant(b, _) => Ex::Const(Val::Bool(*b)),
            Expr::IntegerConstant(i, _) => Ex::Const(Val::Int(*i)),
            Expr::FloatConstant(f, _) => Ex::Const(Val::Float(**f)),
            Expr::CharConstant(c, _) => Ex::Const(Val::from_dynamic(Dynamic::from_char(*c))),
            Expr::StringConstant(s, _) => Ex::Const(Val::Str(s.clone())),
            Expr::Unit(_) => Ex::Const(Val::Unit),
            Expr::InterpolatedString(parts, _) => Ex::Interp(self.exprs(parts.iter())?),
            Expr::Array(items, _) => Ex::Array(self.exprs(items.iter())?),
            Expr::Variable(var, _, _) => {
                let name = var.1.as_str();
                match self.resolve(name) {
                    Some(slot) => Ex::Local(slot),
                    None => match name {
                        "req" => Ex::Global(Global::Req),
                        "params" => Ex::Global(Global::Params),
                        "as_of" => Ex::Global(Global::AsOf),
                        "scenario" => Ex::Global(Global::Scenario),
                        "lifecycle" => Ex::Global(Global::Lifecycle),
                        _ => Ex::Bail(Reason::UnknownVariable),
                    },
                }
            }
            Expr::Stmt(block) => Ex::Block(self.block(block.statements())?),
            Expr::FnCall(call, _) => self.call(call)?,
            Expr::Dot(x, flags, _) => {
                let receiver = self.expr(&x.lhs)?;
                self.chain(receiver, Chain::Dot, *flags, &x.rhs)?
            }
            Expr::Index(x, flags, _) => {
                let receiver = self.expr(&x.lhs)?;
                self.chain(receiver, Chain::Index, *flags, &x.rhs)?
            }
            Expr::And(items, _) => Ex::And(self.exprs(items.iter())?),
            Expr::Or(items, _) => Ex::Or(self.exprs(items.iter())?),
            Expr::Coalesce(items, _) => Ex::Coalesce(self.exprs(items.iter())?),
            _ => return Err(Unsupported("expression kind")),
        })
    }

    /// `receiver.rest` or `receiver[rest]`. Rhai nests a chain to the right: in `a.b[0].c` the
    /// right side of `a .` is `b [0] . c`; a node flagged BREAK ends the chain (its right side
    /// is a plain index expression, as in `a[x.y]`).
    fn chain(&mut self, receiver: Ex, kind: Chain, flags: ASTFlags, rhs: &Expr) -> Lowered<Ex> {
        if flags.contains(ASTFlags::NEGATED) {
            return Err(Unsupported("`?.` or `?[`"));
        }
        if !flags.contains(ASTFlags::BREAK) {
            if let Expr::Dot(x, next_flags, _) | Expr::Index(x, next_flags, _) = rhs {
                let base = self.link(receiver, kind, &x.lhs)?;
                let next = if matches!(rhs, Expr::Dot(..)) {
                    Chain::Dot
                } else {
                    Chain::Index
                };
                return self.chain(base, next, *next_flags, &x.rhs);
            }
        }
        self.link(receiver, kind, rhs)
    }

    /// One link of a chain applied to `receiver`.
    fn link(&mut self, receiver: Ex, kind: Chain, link: &Expr) -> Lowered<Ex> {
        match (kind, link) {
            (Chain::Index, index) => Ok(Ex::Index(Box::new((receiver, self.expr(index)?)))),
            (Chain::Dot, Expr::Property(p, _)) => Ok(Ex::Prop(Box::new(receiver), p.2.clone())),
            (Chain::Dot, Expr::MethodCall(call, _)) => {
                let args = self.exprs(call.args.iter())?;
                if call.name.as_str() == "push" {
                    return Ok(match (receiver, <[Ex; 1]>::try_from(args)) {
                        (Ex::Local(slot), Ok([value])) => Ex::Push(slot, Box::new(value)),
                        _ => Ex::Bail(Reason::PushNotLocal),
                    });
                }
                if call.name.as_str() == "insert" {
                    return Ok(match (receiver, <[Ex; 2]>::try_from(args)) {
                        (Ex::Local(slot), Ok([at, value])) => {
                            Ex::Insert(slot, Box::new((at, value)))
                        }
                        _ => Ex::Bail(Reason::InsertNotLocal),
                    });
                }
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(receiver);
                all.extend(args);
                Ok(named(call.name.as_str(), all))
            }
            _ => Err(Unsupported("chain link")),
        }
    }

    fn call(&mut self, call: &FnCallExpr) -> Lowered<Ex> {
        if call.capture_parent_scope {
            return Err(Unsupported("call capturing the scope"));
        }
        let args = self.exprs(call.args.iter())?;
        if !call.is_operator_call() {
            return Ok(named(call.name.as_str(), args));
        }
        let name = call.name.as_str();
        Ok(match <[Ex; 1]>::try_from(args) {
            Ok([x]) => match name {
                "!" => Ex::Not(Box::new(x)),
                "-" => Ex::Neg(Box::new(x)),
                _ => Ex::Bail(Reason::UnaryOperator),
            },
            Err(args) => match (<[Ex; 2]>::try_from(args), binary_op(name)) {
                (Ok([a, b]), _) if name == "contains" => Ex::Contains(Box::new((a, b))),
                (Ok([a, b]), _) if name == ".." => Ex::Range(Box::new((a, b)), false),
                (Ok([a, b]), _) if name == "..=" => Ex::Range(Box::new((a, b)), true),
                (Ok([a, b]), Some(op)) => Ex::Bin(op, Box::new((a, b))),
                _ => Ex::Bail(Reason::Operator),
            },
        })
    }
}

fn binary_op(syntax: &str) -> Option<Op> {
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
        _ => return None,
    })
}

/// A call by name, in function style (`f(x, y)`) or method style (`x.f(y)`, receiver first).
fn named(name: &str, mut args: Vec<Ex>) -> Ex {
    let n = args.len();
    let path_kind = match name {
        "need" if n == 2 || n == 3 => Some(PathKind::Need),
        "field" if n == 2 || n == 3 => Some(PathKind::Field),
        "present" if n == 2 => Some(PathKind::Present),
        _ => None,
    };
    if let Some(kind) = path_kind {
        return path_call(kind, args);
    }
    let host = match (name, n) {
        ("empty", 1) => Host::Empty,
        ("days", 2) => Host::Days,
        ("working_days", 2 | 3) => Host::WorkingDays,
        ("add_days", 2) => Host::AddDays,
        ("add_months", 2) => Host::AddMonths,
        ("min_date", 2) => Host::MinDate,
        ("max_date", 2) => Host::MaxDate,
        ("is_date", 1) => Host::IsDate,
        ("is_eea", 1) => Host::IsEea,
        ("is_eu", 1) => Host::IsEu,
        ("is_adequate", 1) => Host::IsAdequate,
        ("is_da_jurisdiction", 1) => Host::IsDaJurisdiction,
        ("da_scope", 1) => Host::DaScope,
        ("join", 2) => Host::Join,
        ("extract", 3) => Host::Extract,
        ("pass", 0 | 1) => Host::Pass,
        ("fail", 1 | 2) => Host::Fail,
        ("not_applicable", 0 | 1) => Host::NotApplicable,
        ("contains", 2) => {
            let item = args.pop();
            let container = args.pop();
            return match (container, item) {
                (Some(c), Some(i)) => Ex::Contains(Box::new((c, i))),
                _ => Ex::Bail(Reason::Contains),
            };
        }
        (method, 1) => {
            let method = match method {
                "is_empty" => Method::IsEmpty,
                "len" => Method::Len,
                "to_lower" => Method::ToLower,
                "to_upper" => Method::ToUpper,
                "type_of" => Method::TypeOf,
                "floor" => Method::Floor,
                "to_int" => Method::ToInt,
                "keys" => Method::Keys,
                _ => return Ex::Bail(Reason::Function),
            };
            return match args.pop() {
                Some(x) => Ex::Method(method, Box::new(x)),
                None => Ex::Bail(Reason::Function),
            };
        }
        _ => return Ex::Bail(Reason::Function),
    };
    Ex::Host(host, args)
}

fn path_call(kind: PathKind, args: Vec<Ex>) -> Ex {
    let mut args = args.into_iter();
    let (Some(target), Some(path)) = (args.next(), args.next()) else {
        return Ex::Bail(Reason::PathCall);
    };
    let extra = args.next();
    let path = match path {
        Ex::Const(path) => {
            let Val::Str(text) = path else {
                return Ex::Bail(Reason::PathNotString);
            };
            match parse_path(text.as_str()) {
                Some(steps) => PathArg::Parsed(steps, text),
                // Rhai reports the malformed path.
                None => return Ex::Bail(Reason::MalformedPath),
            }
        }
        computed => PathArg::Computed(computed, Box::default()),
    };
    Ex::Path(Box::new(PathCall {
        kind,
        target,
        path,
        extra,
    }))
}
