//! Rhai's syntax tree → the rule language's form ([`super::Program`]). Variables are resolved
//! to slots by Rhai's lexical rules (a `let` is visible after it, to the end of its block), every
//! call to a host function, a method or a function of the rule, and anything outside the
//! language (docs/rule-language.md) is a [`LoadError`] naming the construct and its place.

use std::collections::HashMap;

use rhai::{ASTFlags, Dynamic, Expr, FnCallExpr, ImmutableString, Position, Stmt, AST};

use super::host::{self, Callee};
use super::{
    Access, Block, Call, Case, Ex, ForLoop, Function, Global, Host, Name, Op, PathArg, PathCall,
    PathKind, Pos, Program, SetIn, St, Switch, MAX_VARIABLES,
};
use crate::path::parse_path;
use crate::value::Val;

/// Why a rule does not load: `code` for programs, `message` for its author, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoadError {
    pub code: &'static str,
    pub message: String,
    pub pos: Pos,
}

impl LoadError {
    fn new(code: &'static str, message: impl Into<String>, pos: Position) -> LoadError {
        LoadError {
            code,
            message: message.into(),
            pos: Pos::of(pos),
        }
    }

    fn unsupported(construct: &str, pos: Position) -> LoadError {
        LoadError::new(
            "unsupported",
            format!("{construct} is not part of the rule language (docs/rule-language.md)"),
            pos,
        )
    }
}

type Lowered<T> = Result<T, LoadError>;

/// The constants every rule sees count against the variables in scope, as they did in Rhai.
const GLOBALS: usize = 5;

pub(crate) fn lower(ast: &AST) -> Lowered<Program> {
    let defs: Vec<_> = ast.iter_fn_def().collect();
    let mut functions = HashMap::new();
    for (i, def) in defs.iter().enumerate() {
        functions.insert((def.name.clone(), def.params.len()), i);
    }
    let bodies = function_bodies(ast, &defs);
    let mut lowered = Vec::with_capacity(defs.len());
    for (def, body) in defs.iter().zip(&bodies) {
        let mut lowerer = Lowerer::new(&functions, true);
        for param in &def.params {
            lowerer.declare(param, false, Position::NONE)?;
        }
        let body = lowerer.block(body)?;
        lowered.push(Function {
            name: def.name.clone(),
            params: def.params.len(),
            slots: lowerer.slots,
            body,
        });
    }
    let mut lowerer = Lowerer::new(&functions, false);
    let body = lowerer.block(ast.statements())?;
    Ok(Program {
        body,
        slots: lowerer.slots,
        functions: lowered,
    })
}

/// The statements of each function's body, in `defs`' order. Rhai does not export the type
/// that holds a body, but its tree walk visits the bodies' statements after the rule's own, one
/// function after another: the top-level statements of the walk are cut at the rule's count and
/// then at each body's end.
fn function_bodies(ast: &AST, defs: &[&rhai::Shared<rhai::ScriptFuncDef>]) -> Vec<Vec<Stmt>> {
    let mut top = Vec::new();
    ast.walk(&mut |path: &[rhai::ASTNode]| {
        if let [rhai::ASTNode::Stmt(stmt)] = path {
            top.push((*stmt).clone());
        }
        true
    });
    let key = |p: Position| (p.line().unwrap_or(0), p.position().unwrap_or(0));
    let mut rest = top.into_iter().skip(ast.statements().len()).peekable();
    let mut bodies = Vec::with_capacity(defs.len());
    for def in defs {
        let (start, end) = (key(def.body.start_position()), key(def.body.end_position()));
        let mut body = Vec::new();
        while let Some(stmt) = rest.next_if(|s| (start..=end).contains(&key(s.position()))) {
            body.push(stmt);
        }
        bodies.push(body);
    }
    bodies
}

struct Lowerer<'f> {
    /// Visible variables, innermost last: name, slot, constant.
    names: Vec<(ImmutableString, usize, bool)>,
    slots: usize,
    functions: &'f HashMap<(ImmutableString, usize), usize>,
    /// Lowering a function's body, which sees its parameters and nothing of the rule's scope.
    in_function: bool,
}

#[derive(Clone, Copy)]
enum Chain {
    Dot,
    Index,
}

impl<'f> Lowerer<'f> {
    fn new(functions: &'f HashMap<(ImmutableString, usize), usize>, in_function: bool) -> Self {
        Lowerer {
            names: Vec::new(),
            slots: 0,
            functions,
            in_function,
        }
    }

    fn declare(&mut self, name: &str, constant: bool, pos: Position) -> Lowered<usize> {
        if self.names.len() + GLOBALS >= MAX_VARIABLES {
            return Err(LoadError::new(
                "too_many_variables",
                format!("too many variables in scope at once ({MAX_VARIABLES} at most)"),
                pos,
            ));
        }
        let slot = self.slots;
        self.slots += 1;
        self.names.push((name.into(), slot, constant));
        Ok(slot)
    }

    fn resolve(&self, name: &str) -> Option<(usize, bool)> {
        self.names
            .iter()
            .rev()
            .find(|(n, _, _)| n.as_str() == name)
            .map(|(_, slot, constant)| (*slot, *constant))
    }

    fn block(&mut self, statements: &[Stmt]) -> Lowered<Block> {
        let mark = self.names.len();
        let mut stmts = Vec::with_capacity(statements.len());
        let mut at = Vec::with_capacity(statements.len());
        for s in statements {
            at.push(Pos::of(s.position()));
            stmts.push(self.stmt(s)?);
        }
        self.names.truncate(mark);
        Ok(Block {
            stmts: stmts.into(),
            at: at.into(),
        })
    }

    fn stmt(&mut self, stmt: &Stmt) -> Lowered<St> {
        Ok(match stmt {
            Stmt::Noop(_) => St::Expr(Ex::Const(Val::Unit)),
            Stmt::Expr(e) => St::Expr(self.expr(e)?),
            Stmt::FnCall(call, pos) => St::Expr(self.call(call, *pos)?),
            Stmt::Block(block) => St::Expr(Ex::Block(Box::new(self.block(block.statements())?))),
            Stmt::Var(var, flags, pos) => {
                // The initialiser is resolved before the name exists: `let x = x + 1` reads the
                // outer `x`, as in Rhai.
                let init = self.expr(&var.1)?;
                let slot = self.declare(&var.0.name, flags.contains(ASTFlags::CONSTANT), *pos)?;
                St::Let(slot, init)
            }
            Stmt::Assignment(assignment) => {
                let (op, target) = &**assignment;
                let op = match op.get_op_assignment_info() {
                    None => None,
                    Some((_, _, _, _, _, syntax)) => match Op::of(syntax) {
                        Some(op)
                            if !matches!(
                                op,
                                Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge
                            ) =>
                        {
                            Some(op)
                        }
                        _ => {
                            return Err(LoadError::unsupported(
                                &format!("the operator `{syntax}=`"),
                                op.position(),
                            ))
                        }
                    },
                };
                self.assignment(&target.lhs, op, &target.rhs, op_pos(stmt))?
            }
            Stmt::If(flow, _) => {
                let condition = self.expr(&flow.expr)?;
                let then = self.block(flow.body.statements())?;
                let otherwise = self.block(flow.branch.statements())?;
                St::If(Box::new((condition, then, otherwise)))
            }
            Stmt::Switch(x, pos) => St::Switch(Box::new(self.switch(&x.0, &x.1, *pos)?)),
            Stmt::For(for_loop, _) => {
                let (item, counter, flow) = &**for_loop;
                let iter = self.iterated(&flow.expr)?;
                let mark = self.names.len();
                let item = self.declare(&item.name, false, item.pos)?;
                let index = match counter {
                    Some(c) => Some(self.declare(&c.name, false, c.pos)?),
                    None => None,
                };
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
                St::While(Box::new((condition, self.block(flow.body.statements())?)))
            }
            Stmt::Do(flow, flags, _) => {
                let body = self.block(flow.body.statements())?;
                let condition = self.expr(&flow.expr)?;
                St::DoWhile(Box::new((
                    body,
                    condition,
                    flags.contains(ASTFlags::NEGATED),
                )))
            }
            Stmt::BreakLoop(None, flags, _) => {
                if flags.contains(ASTFlags::BREAK) {
                    St::Break
                } else {
                    St::Continue
                }
            }
            Stmt::BreakLoop(Some(_), _, pos) => {
                return Err(LoadError::unsupported("`break` with a value", *pos))
            }
            Stmt::Return(value, flags, _) => {
                let value = value.as_deref().map(|e| self.expr(e)).transpose()?;
                if flags.contains(ASTFlags::BREAK) {
                    St::Throw(value)
                } else {
                    St::Return(value)
                }
            }
            Stmt::TryCatch(_, pos) => return Err(LoadError::unsupported("`try`/`catch`", *pos)),
            other => return Err(LoadError::unsupported("this statement", other.position())),
        })
    }

    /// `x = e`, `x op= e`, `x[i]… = e`, `x.k… = e`.
    fn assignment(&mut self, lhs: &Expr, op: Option<Op>, rhs: &Expr, pos: Position) -> Lowered<St> {
        let value = self.expr(rhs)?;
        let (root, links) = match lhs {
            Expr::Variable(var, _, vpos) => (var.1.as_str(), (*vpos, None)),
            Expr::Index(x, flags, _) | Expr::Dot(x, flags, _) => {
                let Expr::Variable(var, _, vpos) = &x.lhs else {
                    return Err(LoadError::unsupported(
                        "an assignment to something other than a variable's element or member",
                        lhs.start_position(),
                    ));
                };
                let kind = if matches!(lhs, Expr::Index(..)) {
                    Chain::Index
                } else {
                    Chain::Dot
                };
                (var.1.as_str(), (*vpos, Some((kind, *flags, &x.rhs))))
            }
            other => {
                return Err(LoadError::unsupported(
                    "an assignment to an expression",
                    other.start_position(),
                ))
            }
        };
        let (root_pos, chain) = links;
        let slot = match self.resolve(root) {
            Some((_, true)) => {
                return Err(LoadError::new(
                    "assign_to_constant",
                    format!("`{root}` is a constant: it cannot be changed"),
                    root_pos,
                ))
            }
            Some((slot, false)) => slot,
            None if Global::of(root).is_some() => {
                return Err(LoadError::new(
                    "assign_to_constant",
                    format!("`{root}` is read-only: rules cannot change it"),
                    root_pos,
                ))
            }
            None => {
                return Err(LoadError::new(
                    "unknown_variable",
                    format!("`{root}` is not a variable here"),
                    root_pos,
                ))
            }
        };
        let Some((kind, flags, rest)) = chain else {
            return Ok(match op {
                None => St::Set(slot, value),
                Some(op) => St::Update(slot, op, value),
            });
        };
        let mut path = Vec::new();
        for (kind, link) in self.links(kind, flags, rest)? {
            path.push(match (kind, link) {
                (Chain::Index, index) => Access::Index(self.expr(index)?),
                (Chain::Dot, Expr::Property(p, _)) => Access::Member(p.2.clone()),
                (_, other) => {
                    return Err(LoadError::unsupported(
                        "an assignment to a method's result",
                        other.start_position(),
                    ))
                }
            });
        }
        Ok(St::SetIn(Box::new(SetIn {
            slot,
            path,
            op,
            value,
            pos: Pos::of(pos),
        })))
    }

    /// What a `for` loop iterates: a range (`a..b`, `a..=b`, `range(a, b[, step])`), which is
    /// nowhere else a value, or any expression.
    fn iterated(&mut self, e: &Expr) -> Lowered<Ex> {
        if let Expr::FnCall(call, _) = e {
            let name = call.name.as_str();
            let range = match (name, call.is_operator_call(), call.args.len()) {
                ("..", true, 2) => Some(false),
                ("..=", true, 2) => Some(true),
                ("range", false, 2 | 3) => Some(false),
                _ => None,
            };
            if let Some(inclusive) = range {
                let mut args = self.exprs(call.args.iter())?.into_iter();
                if let (Some(a), Some(b)) = (args.next(), args.next()) {
                    return Ok(Ex::Range(Box::new((a, b, args.next())), inclusive));
                }
            }
        }
        self.expr(e)
    }

    fn switch(
        &mut self,
        value: &Expr,
        cases: &rhai::SwitchCasesCollection,
        pos: Position,
    ) -> Lowered<Switch> {
        if !cases.ranges.is_empty() {
            return Err(LoadError::unsupported("a `switch` case on a range", pos));
        }
        let value = self.expr(value)?;
        let mut arms = Vec::new();
        // Rhai keeps the cases by hash; the arms run in the order they were written, which is
        // the order of their expressions.
        let mut order: Vec<(usize, &Dynamic)> = Vec::new();
        for case in cases.cases.values() {
            for &index in &case.blocks {
                order.push((index, &case.value));
            }
        }
        order.sort_by_key(|(index, _)| *index);
        for (index, constant) in order {
            let Some(arm) = cases.expressions.get(index) else {
                continue;
            };
            let constant = Case(constant_of(constant, pos)?);
            let condition = match &arm.lhs {
                Expr::BoolConstant(true, _) => None,
                other => Some(self.expr(other)?),
            };
            arms.push((constant, condition, self.expr(&arm.rhs)?));
        }
        let default = match cases.def_case.and_then(|i| cases.expressions.get(i)) {
            Some(arm) => Some(self.expr(&arm.rhs)?),
            None => None,
        };
        Ok(Switch {
            value,
            arms,
            default,
        })
    }

    fn exprs<'e>(&mut self, exprs: impl IntoIterator<Item = &'e Expr>) -> Lowered<Vec<Ex>> {
        exprs.into_iter().map(|e| self.expr(e)).collect()
    }

    fn expr(&mut self, expr: &Expr) -> Lowered<Ex> {
        Ok(match expr {
            Expr::DynamicConstant(value, pos) => Ex::Const(constant_of(value, *pos)?),
            Expr::BoolConstant(b, _) => Ex::Const(Val::Bool(*b)),
            Expr::IntegerConstant(i, _) => Ex::Const(Val::Int(*i)),
            Expr::FloatConstant(f, _) => Ex::Const(Val::Float(**f)),
            Expr::CharConstant(c, _) => Ex::Const(Val::Dyn(Dynamic::from_char(*c))),
            Expr::StringConstant(s, _) => Ex::Const(Val::Str(s.clone())),
            Expr::Unit(_) => Ex::Const(Val::Unit),
            Expr::InterpolatedString(parts, _) => Ex::Interp(self.exprs(parts.iter())?),
            Expr::Array(items, _) => Ex::Array(self.exprs(items.iter())?),
            Expr::Map(map, _) => Ex::Map(
                map.0
                    .iter()
                    .map(|(name, e)| Ok((Name(name.name.clone()), self.expr(e)?)))
                    .collect::<Lowered<_>>()?,
            ),
            Expr::Variable(var, _, pos) => {
                let name = var.1.as_str();
                match (self.resolve(name), Global::of(name)) {
                    (Some((slot, _)), _) => Ex::Local(slot),
                    (None, Some(global)) if !self.in_function => Ex::Global(global),
                    (None, Some(_)) => {
                        return Err(LoadError::new(
                            "unknown_variable",
                            format!(
                                "`{name}` is not visible inside a function: pass it as a parameter"
                            ),
                            *pos,
                        ))
                    }
                    (None, None) => {
                        return Err(LoadError::new(
                            "unknown_variable",
                            format!("`{name}` is not a variable here"),
                            *pos,
                        ))
                    }
                }
            }
            Expr::Stmt(block) => Ex::Block(Box::new(self.block(block.statements())?)),
            Expr::FnCall(call, pos) => self.call(call, *pos)?,
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
            Expr::ThisPtr(pos) => return Err(LoadError::unsupported("`this`", *pos)),
            other => {
                return Err(LoadError::unsupported(
                    "this expression",
                    other.start_position(),
                ))
            }
        })
    }

    /// The links of a chain, in order. Rhai nests a chain to the right: in `a.b[0].c` the right
    /// side of `a .` is `b [0] . c`; a node flagged BREAK ends the chain (its right side is a
    /// plain index expression, as in `a[x.y]`).
    fn links<'e>(
        &self,
        kind: Chain,
        flags: ASTFlags,
        rhs: &'e Expr,
    ) -> Lowered<Vec<(Chain, &'e Expr)>> {
        let mut out = Vec::new();
        let (mut kind, mut flags, mut rhs) = (kind, flags, rhs);
        loop {
            if flags.contains(ASTFlags::NEGATED) {
                return Err(LoadError::unsupported("`?.` or `?[`", rhs.start_position()));
            }
            if !flags.contains(ASTFlags::BREAK) {
                if let Expr::Dot(x, next_flags, _) | Expr::Index(x, next_flags, _) = rhs {
                    out.push((kind, &x.lhs));
                    kind = if matches!(rhs, Expr::Dot(..)) {
                        Chain::Dot
                    } else {
                        Chain::Index
                    };
                    flags = *next_flags;
                    rhs = &x.rhs;
                    continue;
                }
            }
            out.push((kind, rhs));
            return Ok(out);
        }
    }

    fn chain(&mut self, receiver: Ex, kind: Chain, flags: ASTFlags, rhs: &Expr) -> Lowered<Ex> {
        let mut value = receiver;
        for (kind, link) in self.links(kind, flags, rhs)? {
            value = self.link(value, kind, link)?;
        }
        Ok(value)
    }

    /// One link of a chain applied to `receiver`.
    fn link(&mut self, receiver: Ex, kind: Chain, link: &Expr) -> Lowered<Ex> {
        match (kind, link) {
            (Chain::Index, index) => Ok(Ex::Index(Box::new((
                receiver,
                self.expr(index)?,
                Pos::of(index.start_position()),
            )))),
            (Chain::Dot, Expr::Property(p, _)) => Ok(Ex::Prop(Box::new(receiver), p.2.clone())),
            (Chain::Dot, Expr::MethodCall(call, pos)) => {
                let mut args = Vec::with_capacity(call.args.len() + 1);
                args.push(receiver);
                args.extend(self.exprs(call.args.iter())?);
                self.named(&call.name, args, true, *pos)
            }
            (_, other) => Err(LoadError::unsupported(
                "this part of a chain",
                other.start_position(),
            )),
        }
    }

    fn call(&mut self, call: &FnCallExpr, pos: Position) -> Lowered<Ex> {
        if call.capture_parent_scope {
            return Err(LoadError::unsupported(
                "a call capturing the scope (`f!()`)",
                pos,
            ));
        }
        let args = self.exprs(call.args.iter())?;
        if !call.is_operator_call() {
            return self.named(&call.name, args, false, pos);
        }
        let name = call.name.as_str();
        let at = Pos::of(pos);
        Ok(match <[Ex; 1]>::try_from(args) {
            Ok([x]) => match name {
                "!" => Ex::Not(Box::new(x)),
                "-" => Ex::Neg(Box::new((x, at))),
                "+" => x,
                _ => {
                    return Err(LoadError::unsupported(
                        &format!("the operator `{name}`"),
                        pos,
                    ))
                }
            },
            Err(args) => match (<[Ex; 2]>::try_from(args), Op::of(name)) {
                (Ok([a, b]), _) if name == "contains" => Ex::Contains(Box::new((a, b, at))),
                (Ok(_), _) if name == ".." || name == "..=" => {
                    return Err(LoadError::new(
                        "unsupported",
                        format!("a range (`{name}`) is only what a `for` loop iterates"),
                        pos,
                    ))
                }
                (Ok([a, b]), Some(op)) => Ex::Bin(op, Box::new((a, b, at))),
                _ => {
                    return Err(LoadError::unsupported(
                        &format!("the operator `{name}`"),
                        pos,
                    ))
                }
            },
        })
    }

    /// A call by name, in function style (`f(x, y)`) or method style (`x.f(y)`, receiver
    /// first): a function of the rule, a host function or a method.
    fn named(
        &mut self,
        name: &str,
        args: Vec<Ex>,
        method_style: bool,
        pos: Position,
    ) -> Lowered<Ex> {
        let n = args.len();
        if let Some(&function) = self.functions.get(&(ImmutableString::from(name), n)) {
            if !method_style {
                return Ok(Ex::Call(Box::new(Call {
                    function,
                    args,
                    pos: Pos::of(pos),
                })));
            }
        }
        let Some(entry) = host::find(name, n) else {
            let known = host::HOST_FUNCTIONS.iter().any(|f| f.name == name)
                || self.functions.keys().any(|(f, _)| f.as_str() == name);
            let message = if known {
                format!(
                    "`{name}` does not take {n} argument{}",
                    if n == 1 { "" } else { "s" }
                )
            } else {
                format!("`{name}` is not a function of the rule language (docs/rule-language.md)")
            };
            return Err(LoadError::new("unknown_function", message, pos));
        };
        let at = Pos::of(pos);
        let mut args = args;
        Ok(match entry.callee {
            Callee::Path(kind) => path_call(kind, args, pos)?,
            Callee::Host(Host::Range) => {
                return Err(LoadError::new(
                    "unsupported",
                    "a range (`range(…)`) is only what a `for` loop iterates",
                    pos,
                ))
            }
            Callee::Host(h) => Ex::Host(h, args),
            Callee::Contains => {
                let item = args.pop();
                let container = args.pop();
                match (container, item) {
                    (Some(c), Some(i)) => Ex::Contains(Box::new((c, i, at))),
                    _ => {
                        return Err(LoadError::new(
                            "unknown_function",
                            "`contains` takes two arguments",
                            pos,
                        ))
                    }
                }
            }
            Callee::Method(m) if entry.mutates => {
                let mut rest = args.into_iter();
                match rest.next() {
                    Some(Ex::Local(slot)) => Ex::Mutate(Box::new((m, slot, rest.collect()))),
                    _ => {
                        return Err(LoadError::new(
                            "not_a_variable",
                            format!("`{name}` changes what it is called on: call it on a variable (`x.{name}(…)`)"),
                            pos,
                        ))
                    }
                }
            }
            Callee::Method(m) if n == 1 => match args.pop() {
                Some(x) => Ex::Method(m, Box::new(x)),
                None => Ex::MethodN(m, Vec::new()),
            },
            Callee::Method(m) => Ex::MethodN(m, args),
        })
    }
}

/// The position of an assignment's operator, where Rhai reports its errors.
fn op_pos(stmt: &Stmt) -> Position {
    match stmt {
        Stmt::Assignment(x) => x.0.position(),
        other => other.position(),
    }
}

fn constant_of(value: &Dynamic, pos: Position) -> Lowered<Val<'static>> {
    let plain = value.is_unit()
        || value.is_bool()
        || value.is_int()
        || value.is_float()
        || value.is_char()
        || value.is_string()
        || value.is_array()
        || value.is_map();
    if plain {
        return Ok(Val::from_dynamic(value.clone()));
    }
    Err(LoadError::unsupported(
        &format!(
            "a value of type `{}` (function pointers, closures…)",
            value.type_name()
        ),
        pos,
    ))
}

fn path_call(kind: PathKind, args: Vec<Ex>, pos: Position) -> Lowered<Ex> {
    let mut args = args.into_iter();
    let target = args.next().unwrap_or(Ex::Const(Val::Unit));
    let path = args.next().unwrap_or(Ex::Const(Val::Unit));
    let extra = args.next();
    let path = match path {
        Ex::Const(Val::Str(text)) => match parse_path(text.as_str()) {
            Some(steps) => PathArg::Parsed(steps, text),
            None => {
                return Err(LoadError::new(
                    "malformed_path",
                    format!("malformed field path `{text}`"),
                    pos,
                ))
            }
        },
        computed => PathArg::Computed(computed, Box::default()),
    };
    Ok(Ex::Path(Box::new(PathCall {
        kind,
        target,
        path,
        extra,
        pos: Pos::of(pos),
    })))
}
