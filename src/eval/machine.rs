//! Runs a rule's statements and expressions. Values are the evaluator's own ([`Val`]): strings
//! of the request borrowed, scalars plain, lists and objects of the request as views read in
//! place.

use std::cell::OnceCell;

use rhai::{Array, Dynamic, ImmutableString};

use super::coverage::Hits;
use super::fault::{Fault, Size};
use super::host::{
    da_scope_of, da_scope_value, message_of, paths_of, walk, working_days_in, MissingField,
    ReadOnly, RuleResult,
};
use super::ops::{
    append_display, binary, check_size, contains, fault, index, int, is_empty, method, method_name,
    mismatch, property, sized, sized_val, string, text,
};
use super::{Flow, Res};
use crate::calendar::{is_eea, is_eu, Date};
use crate::engine::Limits;
use crate::jurisdictions::Jurisdictions;
use crate::lang::{
    Access, Block, Call, Case, Ex, ForLoop, Global, Host, Method, Op, PathArg, PathCall, PathKind,
    Pos, Program, SetIn, St, Switch,
};
use crate::path::{parse_path, Step};
use crate::request::Request;
use crate::value::{Found, Lookup, Val, View};

/// `req`: the typed request, and its value built only if a rule uses `req` whole rather than
/// reading fields by path.
pub(crate) struct LazyReq<'a> {
    request: &'a Request,
    value: OnceCell<Dynamic>,
    val: OnceCell<Val<'static>>,
    /// No value in the request can be larger than the engine's size limits (the engine knows
    /// from the JSON text's length), so values read from it by path skip the size check:
    /// walking lists of objects to count them was about 5 % of a decision.
    within_limits: bool,
}

impl<'a> LazyReq<'a> {
    pub fn new(request: &'a Request, within_limits: bool) -> Self {
        LazyReq {
            request,
            value: OnceCell::new(),
            val: OnceCell::new(),
            within_limits,
        }
    }

    /// `req` as a value: the request's map behind a read-only wrapper.
    pub fn value(&self) -> &Dynamic {
        self.value
            .get_or_init(|| ReadOnly::wrap("req", super::convert::to_dynamic(self.request)))
    }

    fn val(&self) -> &Val<'static> {
        self.val.get_or_init(|| Val::Dyn(self.value().clone()))
    }
}

/// The constants a rule sees.
pub(crate) struct Globals<'r> {
    pub req: &'r LazyReq<'r>,
    /// `params`, built on first need (see [`crate::engine::Params`]).
    pub params: &'r crate::engine::Params,
    /// `params` as this decision's value, once a rule reads it whole.
    pub params_value: OnceCell<Val<'r>>,
    /// Its scalar members (strings, numbers, booleans), as [`param_scalars`] made them when
    /// the engine was built.
    pub param_scalars: &'r [(ImmutableString, Val<'static>)],
    pub as_of: Val<'r>,
    pub scenario: Val<'r>,
    /// The lifecycle map.
    pub lifecycle: Val<'r>,
    /// The pack's place parameters, for the Data Act scope, adequacy and holidays.
    pub places: &'r Jurisdictions,
    /// Explain mode: `pass(explanation)` evaluates its argument. Otherwise the argument is not
    /// evaluated at all, so that explanations cost nothing when nobody reads them.
    pub explain: bool,
}

/// The scalar members of `params` (a [`ReadOnly`] map), for `params.name`: a binary search
/// takes a few dozen instructions where reading through the map took ~370. Members that are
/// arrays or maps, and strings over the string limit, are not here and are read the general
/// way. `members` come in name order (a `BTreeMap`'s), so the table is sorted without a sort.
pub(crate) fn param_scalars<'a>(
    members: impl Iterator<Item = (&'a str, Dynamic)>,
    limits: &Limits,
) -> Vec<(ImmutableString, Val<'static>)> {
    members
        .filter_map(|(name, value)| match Val::from_dynamic(value) {
            value @ (Val::Unit | Val::Bool(_) | Val::Int(_) | Val::Float(_) | Val::Str(_)) => {
                let value = sized_val(value, limits).ok()?;
                Some((ImmutableString::from(name), value))
            }
            _ => None,
        })
        .collect()
}

/// What a rule ended with.
pub(crate) enum Run {
    /// The rule's value (normally a `RuleResult`).
    Value(Dynamic),
    /// The rule ended with `pass()`, `fail(…)` or `not_applicable(…)`, as rules do: the result
    /// as it is, never put in a `Dynamic`.
    Result(RuleResult),
    /// `need` found the field missing: the rule fails naming it.
    Missing(String),
    /// The rule stopped with an error.
    Fault(Fault, Pos),
}

/// The operations a request's rules may still perform between them, and whether that is less
/// than one rule may ([`Limits::max_operations_per_request`]).
pub(crate) struct Budget {
    pub left: u64,
}

/// Runs `program`; returns how it ended and the operations it counted (statements, loop
/// turns, calls), bounded by `limits.max_operations` and what is left of the request's budget.
///
/// `scratch` holds the variable slots; the engine passes the same vector for every rule of a
/// decision so that rules do not each allocate their own.
pub(crate) fn run<'r>(
    program: &'r Program,
    globals: &'r Globals<'r>,
    limits: &'r Limits,
    budget: &mut Budget,
    scratch: &mut Vec<Val<'r>>,
    mut cover: Option<&mut Hits>,
) -> (Run, u64) {
    let mut slots = std::mem::take(scratch);
    slots.clear();
    slots.resize_with(program.slots, || Val::Unit);
    let request_bound = budget.left < limits.max_operations;
    let mut machine = Machine {
        program,
        globals,
        limits,
        slots,
        operations: 0,
        max_operations: limits.max_operations.min(budget.left),
        request_bound,
        depth: 0,
        result: None,
        // The caller's count, moved in for the run and back after it.
        cover: cover.as_deref_mut().map(std::mem::take),
    };
    let outcome = match machine.tail(&program.body) {
        Err(Flow::Result) => match machine.result.take() {
            Some(result) => Run::Result(result),
            None => Run::Fault(Fault::NotAResult, Pos::default()),
        },
        Ok(value) => match machine.real_owned(value) {
            Ok(value) => Run::Value(value.into_dynamic()),
            Err(flow) => ended(flow),
        },
        Err(flow) => ended(flow),
    };
    if let (Some(dst), Some(hits)) = (cover, machine.cover.take()) {
        *dst = hits;
    }
    // Values a rule left in its variables are dropped now, not with the next rule.
    machine.slots.clear();
    *scratch = machine.slots;
    // The operation that went over the bound was not performed.
    let operations = machine.operations.min(machine.max_operations);
    budget.left = budget.left.saturating_sub(operations);
    (outcome, operations)
}

fn ended(flow: Flow) -> Run {
    match flow {
        Flow::Return(value) => Run::Value(*value),
        Flow::Missing(path) => Run::Missing(path.into_string()),
        Flow::Fault(f) => Run::Fault(f.0, f.1),
        // The parser refuses `break` and `continue` outside a loop.
        Flow::Break | Flow::Continue | Flow::Result => Run::Fault(
            Fault::Type("`break` or `continue` outside a loop".into()),
            Pos::default(),
        ),
    }
}

struct Machine<'r> {
    program: &'r Program,
    globals: &'r Globals<'r>,
    limits: &'r Limits,
    slots: Vec<Val<'r>>,
    operations: u64,
    max_operations: u64,
    /// `max_operations` is what is left of the request's budget, not the rule's own.
    request_bound: bool,
    /// Calls of the rule's functions in progress.
    depth: usize,
    /// The rule's result, set when it leaves with [`Flow::Result`].
    result: Option<RuleResult>,
    /// What ran, when the caller counts coverage.
    cover: Option<Hits>,
}

/// A value that can be read in place (no evaluation, no side effect).
fn is_place(e: &Ex) -> bool {
    matches!(e, Ex::Const(_) | Ex::Local(_) | Ex::Global(_))
}

impl<'r> Machine<'r> {
    fn tick(&mut self) -> Res<()> {
        self.operations += 1;
        if self.operations > self.max_operations {
            return Err(self.out_of_operations());
        }
        if self.operations & 1023 == 0 && crate::clock::past_deadline() {
            return fault(Fault::Time);
        }
        Ok(())
    }

    #[cold]
    fn out_of_operations(&self) -> Flow {
        if self.request_bound {
            Flow::fault(Fault::RequestOperations(
                self.limits.max_operations_per_request,
            ))
        } else {
            Flow::fault(Fault::Operations(self.limits.max_operations))
        }
    }

    /// Leaves the rule with the result of `h` (`pass`, `fail`, `not_applicable`).
    fn ended<T>(&mut self, h: Host, args: &[Ex]) -> Res<T> {
        self.result = Some(self.result(h, args)?);
        Err(Flow::Result)
    }

    fn global(&self, g: Global) -> &'r Val<'r> {
        let globals = self.globals;
        match g {
            Global::Req => globals.req.val(),
            Global::Params => globals
                .params_value
                .get_or_init(|| Val::Dyn(globals.params.value().clone())),
            Global::AsOf => &globals.as_of,
            Global::Scenario => &globals.scenario,
            Global::Lifecycle => &globals.lifecycle,
        }
    }

    #[inline(always)]
    fn place<'s>(&'s self, e: &'s Ex) -> Res<&'s Val<'r>> {
        match e {
            Ex::Const(v) => Ok(v),
            Ex::Local(slot) => match self.slots.get(*slot) {
                Some(v) => Ok(v),
                None => Err(internal("slot")),
            },
            Ex::Global(g) => Ok(self.global(*g)),
            _ => Err(internal("not a place")),
        }
    }

    fn set(&mut self, slot: usize, value: Val<'r>) -> Res<()> {
        match self.slots.get_mut(slot) {
            Some(s) => {
                *s = value;
                Ok(())
            }
            None => Err(internal("slot")),
        }
    }

    /// `e`'s value when it has to be computed; `None` for a variable, which is read in place
    /// ([`Self::value`]) once every operand has been evaluated.
    fn computed(&mut self, e: &Ex) -> Res<Option<Val<'r>>> {
        if is_place(e) {
            Ok(None)
        } else {
            self.expr(e).map(Some)
        }
    }

    /// `e`'s value: the one computed, or the variable read now.
    #[inline(always)]
    fn value<'s>(&'s self, computed: &'s Option<Val<'r>>, e: &'s Ex) -> Res<&'s Val<'r>> {
        match computed {
            Some(v) => Ok(v),
            None => self.place(e),
        }
    }

    /// Applies `f` to the value of `e`, reading variables in place.
    fn with1<T>(&mut self, e: &Ex, f: impl FnOnce(&Val<'r>) -> Res<T>) -> Res<T> {
        let computed = self.computed(e)?;
        let v = self.value(&computed, e)?;
        match self.converted(v)? {
            Some(v) => {
                let answer = f(&v);
                self.keep_converted(e, v);
                answer
            }
            None => f(v),
        }
    }

    /// A variable that held a view holds the value it stands for once that was needed, so that
    /// the next use (`x in list` in a loop) does not convert it again. Nothing a rule does can
    /// tell the two apart.
    fn keep_converted(&mut self, e: &Ex, value: Val<'r>) {
        if let Ex::Local(slot) = e {
            if let Some(s) = self.slots.get_mut(*slot) {
                *s = value;
            }
        }
    }

    /// The value a view stands for, converted; `None` for any other value (use it as it is).
    #[inline]
    fn converted(&self, v: &Val<'r>) -> Res<Option<Val<'r>>> {
        match v {
            Val::View(view) => self.view_converted(view).map(Some),
            _ => Ok(None),
        }
    }

    #[inline(never)]
    fn view_converted(&self, view: &View<'r>) -> Res<Val<'r>> {
        Ok(Val::from_dynamic(view.0.to_rhai()))
    }

    /// `v`, or the value it stands for if it is a view.
    fn real_owned(&self, v: Val<'r>) -> Res<Val<'r>> {
        match v {
            Val::View(view) => self.view_converted(&view),
            v => Ok(v),
        }
    }

    /// A part of the request as a rule holds it: a list or object as a view of it.
    fn read_node(node: &'r dyn Lookup) -> Val<'r> {
        match node.found_val() {
            Found::Value(v) => v,
            Found::List(_) | Found::Object => Val::View(View(node)),
        }
    }

    /// The request's value at `steps`, as a rule reads it by path: a string borrowed, another
    /// scalar copied, a list or object as a view (converted and size-checked instead when the
    /// request may hold values over the limits).
    fn read_request(&self, steps: &[Step]) -> Res<Option<Val<'r>>> {
        let req = self.globals.req;
        if !req.within_limits {
            return match req.request.lookup(steps) {
                Some(v) => sized(v, self.limits).map(|v| Some(Val::from_dynamic(v))),
                None => Ok(None),
            };
        }
        Ok(req.request.node(steps).map(Self::read_node))
    }

    /// The value at `more` inside the part of the request `view` holds.
    fn read_view(&self, view: &View<'r>, more: &[Step]) -> Option<Val<'r>> {
        view.0.node(more).map(Self::read_node)
    }

    /// The length of the list `view` is of, if it is of a list.
    fn list_len(&self, view: &View<'r>) -> Option<usize> {
        match view.0.found_val() {
            Found::List(n) => Some(n),
            Found::Value(_) | Found::Object => None,
        }
    }

    /// Applies `f` to the values of `a` and `b`, evaluated left to right.
    fn with2<T>(&mut self, a: &Ex, b: &Ex, f: impl FnOnce(&Val<'r>, &Val<'r>) -> Res<T>) -> Res<T> {
        self.with2_or(a, b, |_, _| None, f)
    }

    /// [`Self::with2`], but `first` sees the values before a view among them is converted, and
    /// its answer, if any, is the result.
    fn with2_or<T>(
        &mut self,
        a: &Ex,
        b: &Ex,
        first: impl FnOnce(&Val<'r>, &Val<'r>) -> Option<T>,
        f: impl FnOnce(&Val<'r>, &Val<'r>) -> Res<T>,
    ) -> Res<T> {
        let av = self.computed(a)?;
        let bv = self.computed(b)?;
        let ar = self.value(&av, a)?;
        let br = self.value(&bv, b)?;
        if let Some(answer) = first(ar, br) {
            return Ok(answer);
        }
        match (self.converted(ar)?, self.converted(br)?) {
            (None, None) => f(ar, br),
            (Some(av), None) => {
                let answer = f(&av, br);
                self.keep_converted(a, av);
                answer
            }
            (None, Some(bv)) => {
                let answer = f(ar, &bv);
                self.keep_converted(b, bv);
                answer
            }
            (Some(av), Some(bv)) => {
                let answer = f(&av, &bv);
                self.keep_converted(a, av);
                self.keep_converted(b, bv);
                answer
            }
        }
    }

    /// The rule's body: as `block`, but a result call (`pass()`, `fail(…)`,
    /// `not_applicable(…)`) whose value is the rule's value leaves as [`Flow::Result`].
    fn tail(&mut self, block: &Block) -> Res<Val<'r>> {
        let Some((last, init)) = block.stmts.split_last() else {
            return Ok(Val::Unit);
        };
        for (i, stmt) in init.iter().enumerate() {
            self.covered(block, i);
            self.stmt(stmt).map_err(|e| e.at(block.pos(i)))?;
        }
        let at = block.pos(init.len());
        self.covered(block, init.len());
        match last {
            St::Expr(Ex::Host(h, args)) if h.is_result() => {
                self.tick().map_err(|e| e.at(at))?;
                self.tick().map_err(|e| e.at(at))?;
                self.ended(*h, args).map_err(|e| e.at(at))
            }
            St::If(x) => {
                self.tick().map_err(|e| e.at(at))?;
                let (condition, then, otherwise) = &**x;
                let site = self.site();
                if self.boolean(condition).map_err(|e| e.at(at))? {
                    self.taken(site, 0);
                    self.tail(then)
                } else {
                    self.taken(site, 1);
                    self.tail(otherwise)
                }
            }
            other => self.stmt(other).map_err(|e| e.at(at)),
        }
    }

    /// Counts statement `i` of `block` as run, when coverage is counted.
    #[inline(always)]
    fn covered(&mut self, block: &Block, i: usize) {
        if let Some(hits) = &mut self.cover {
            hits.statement(block.pos(i));
        }
    }

    /// The branch site that starts now: the statement that runs, when coverage is counted.
    /// Read before the condition runs, which may run statements of its own.
    #[inline(always)]
    fn site(&self) -> Option<Pos> {
        self.cover.as_ref().map(|hits| hits.current)
    }

    #[inline(always)]
    fn taken(&mut self, site: Option<Pos>, arm: usize) {
        if let (Some(hits), Some(site)) = (&mut self.cover, site) {
            hits.branch(site, arm);
        }
    }

    fn block(&mut self, block: &Block) -> Res<Val<'r>> {
        let mut last = Val::Unit;
        for (i, stmt) in block.stmts.iter().enumerate() {
            self.covered(block, i);
            last = match self.stmt(stmt) {
                Ok(v) => v,
                Err(e) => return Err(e.at(block.pos(i))),
            };
        }
        Ok(last)
    }

    fn stmt(&mut self, stmt: &St) -> Res<Val<'r>> {
        self.tick()?;
        match stmt {
            St::Let(slot, e) | St::Set(slot, e) => {
                let v = self.expr(e)?;
                self.set(*slot, v)?;
                Ok(Val::Unit)
            }
            St::Update(slot, op, e) => {
                let rhs = self.expr(e)?;
                let current = match self.slots.get(*slot) {
                    Some(v) => v,
                    None => return Err(internal("slot")),
                };
                let rhs = self.real_owned(rhs)?;
                // `list += item` appends the item, as `push` would.
                if *op == Op::Add
                    && matches!(current, Val::Dyn(d) if d.is_array())
                    && !matches!(&rhs, Val::Dyn(d) if d.is_array())
                {
                    return self.mutate(Method::Push, *slot, rhs, Val::Unit);
                }
                let v = match self.converted(current)? {
                    Some(current) => binary(*op, &current, &rhs, self.limits)?,
                    None => binary(*op, current, &rhs, self.limits)?,
                };
                self.set(*slot, v)?;
                Ok(Val::Unit)
            }
            St::SetIn(x) => self.set_in(x).map(|()| Val::Unit),
            St::Expr(e) => self.expr(e),
            St::If(x) => {
                let (condition, then, otherwise) = &**x;
                let site = self.site();
                if self.boolean(condition)? {
                    self.taken(site, 0);
                    self.block(then)
                } else {
                    self.taken(site, 1);
                    self.block(otherwise)
                }
            }
            St::Switch(x) => self.switch(x),
            St::While(x) => {
                let (condition, body) = &**x;
                loop {
                    self.tick()?;
                    if let Some(condition) = condition {
                        if !self.boolean(condition)? {
                            break;
                        }
                    }
                    match self.block(body) {
                        Ok(_) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(other) => return Err(other),
                    }
                }
                Ok(Val::Unit)
            }
            St::DoWhile(x) => {
                let (body, condition, until) = &**x;
                loop {
                    self.tick()?;
                    match self.block(body) {
                        Ok(_) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(other) => return Err(other),
                    }
                    if self.boolean(condition)? == *until {
                        break;
                    }
                }
                Ok(Val::Unit)
            }
            St::For(f) => self.for_loop(f),
            St::Return(Some(Ex::Host(h, args))) if h.is_result() && self.depth == 0 => {
                self.tick()?;
                self.ended(*h, args)
            }
            St::Return(e) => {
                let v = match e {
                    Some(e) => self.expr(e)?,
                    None => Val::Unit,
                };
                Err(Flow::Return(Box::new(self.real_owned(v)?.into_dynamic())))
            }
            St::Throw(e) => {
                let v = match e {
                    Some(e) => self.expr(e)?,
                    None => Val::Unit,
                };
                let v = self.real_owned(v)?;
                let message = match &v {
                    Val::Text(_) | Val::Str(_) => string(&v)?.to_string(),
                    other => format!("{:?}", other.clone().into_dynamic()),
                };
                fault(Fault::Thrown(message))
            }
            St::Break => Err(Flow::Break),
            St::Continue => Err(Flow::Continue),
        }
    }

    fn for_loop(&mut self, f: &ForLoop) -> Res<Val<'r>> {
        if let Ex::Range(bounds, inclusive) = &f.iter {
            let (from, to) = self.with2(&bounds.0, &bounds.1, |a, b| Ok((int(a)?, int(b)?)))?;
            let step = match &bounds.2 {
                Some(step) => self.with1(step, int)?,
                None => 1,
            };
            if step <= 0 {
                return fault(Fault::Type(format!(
                    "a range's step must be positive, not {step}"
                )));
            }
            let to = if *inclusive { to.saturating_add(1) } else { to };
            // Every turn costs an operation, so a range longer than the budget would run out
            // anyway: say so before the first turn.
            let turns = u64::try_from(to.saturating_sub(from)).unwrap_or(0) / step.unsigned_abs();
            if turns > self.max_operations.saturating_sub(self.operations) {
                return Err(self.out_of_operations());
            }
            let mut n = from;
            let mut i = 0;
            while n < to {
                if self.turn(f, i, Val::Int(n))? {
                    break;
                }
                i += 1;
                n = match n.checked_add(step) {
                    Some(next) => next,
                    None => break,
                };
            }
            return Ok(Val::Unit);
        }
        let iter = self.expr(&f.iter)?;
        if let Val::View(view) = &iter {
            if let Some(count) = self.list_len(view) {
                for i in 0..count {
                    let Some(item) = self.read_view(view, &[Step::Index(i)]) else {
                        break;
                    };
                    if self.turn(f, i, item)? {
                        break;
                    }
                }
                return Ok(Val::Unit);
            }
        }
        let iter = self.real_owned(iter)?;
        match &iter {
            Val::Dyn(d) if d.is_array() => {
                let items = d.clone().into_array().unwrap_or_default();
                for (i, item) in items.into_iter().enumerate() {
                    if self.turn(f, i, Val::from_dynamic(item))? {
                        break;
                    }
                }
            }
            Val::Text(_) | Val::Str(_) => {
                let chars: Vec<char> = string(&iter)?.chars().collect();
                for (i, c) in chars.into_iter().enumerate() {
                    if self.turn(f, i, Val::Dyn(Dynamic::from_char(c)))? {
                        break;
                    }
                }
            }
            other => return mismatch("`for`", other, None),
        }
        Ok(Val::Unit)
    }

    /// One turn of a `for` loop; `true` when the body breaks out of it.
    fn turn(&mut self, f: &ForLoop, i: usize, item: Val<'r>) -> Res<bool> {
        self.tick()?;
        self.set(f.item, item)?;
        if let Some(index) = f.index {
            self.set(index, Val::Int(i64::try_from(i).unwrap_or(i64::MAX)))?;
        }
        match self.block(&f.body) {
            Ok(_) | Err(Flow::Continue) => Ok(false),
            Err(Flow::Break) => Ok(true),
            Err(other) => Err(other),
        }
    }

    fn switch(&mut self, s: &Switch) -> Res<Val<'r>> {
        let site = self.site();
        let value = self.expr(&s.value)?;
        let value = self.real_owned(value)?;
        for (i, (Case(constant), condition, arm)) in s.arms.iter().enumerate() {
            if !same_constant(&value, constant) {
                continue;
            }
            if let Some(condition) = condition {
                if !self.boolean(condition)? {
                    continue;
                }
            }
            self.taken(site, i);
            return self.expr(arm);
        }
        self.taken(site, s.arms.len());
        match &s.default {
            Some(arm) => self.expr(arm),
            None => Ok(Val::Unit),
        }
    }

    fn boolean(&mut self, e: &Ex) -> Res<bool> {
        self.with1(e, |v| match v {
            Val::Bool(b) => Ok(*b),
            other => Err(super::ops::expected("a boolean (true or false)", other)),
        })
    }

    fn expr(&mut self, e: &Ex) -> Res<Val<'r>> {
        let limits = self.limits;
        match e {
            Ex::Const(_) | Ex::Local(_) | Ex::Global(_) => self.place(e).cloned(),
            Ex::Interp(parts) => {
                let mut text = String::new();
                for part in parts {
                    self.with1(part, |v| append_display(&mut text, v))?;
                    if text.len() > limits.max_string_size {
                        return fault(Fault::TooLarge(Size::String));
                    }
                }
                Ok(Val::Str(ImmutableString::from(text)))
            }
            Ex::Array(items) => {
                let mut array = Array::with_capacity(items.len());
                for item in items {
                    let item = self.expr(item)?;
                    array.push(self.real_owned(item)?.into_dynamic());
                }
                sized(Dynamic::from_array(array), limits).map(Val::Dyn)
            }
            Ex::Map(entries) => {
                let mut map = rhai::Map::new();
                for (name, item) in entries {
                    let item = self.expr(item)?;
                    map.insert(
                        name.0.as_str().into(),
                        self.real_owned(item)?.into_dynamic(),
                    );
                }
                sized(Dynamic::from_map(map), limits).map(Val::Dyn)
            }
            Ex::And(items) => {
                for item in items {
                    if !self.boolean(item)? {
                        return Ok(Val::Bool(false));
                    }
                }
                Ok(Val::Bool(true))
            }
            Ex::Or(items) => {
                for item in items {
                    if self.boolean(item)? {
                        return Ok(Val::Bool(true));
                    }
                }
                Ok(Val::Bool(false))
            }
            Ex::Coalesce(items) => {
                let mut last = Val::Unit;
                for item in items {
                    last = self.expr(item)?;
                    if !matches!(last, Val::Unit) {
                        break;
                    }
                }
                Ok(last)
            }
            Ex::Not(x) => Ok(Val::Bool(!self.boolean(x)?)),
            Ex::Neg(x) => self
                .with1(&x.0, |v| match v {
                    Val::Int(i) => match i.checked_neg() {
                        Some(n) => Ok(Val::Int(n)),
                        None => fault(Fault::Overflow("Negation", i.to_string())),
                    },
                    Val::Float(f) => Ok(Val::Float(-f)),
                    other => mismatch("`-`", other, None),
                })
                .map_err(|e| e.at(x.1)),
            Ex::Bin(op, x) => self
                .with2_or(
                    &x.0,
                    &x.1,
                    |a, b| view_against_scalar(*op, a, b),
                    |a, b| binary(*op, a, b, limits),
                )
                .map_err(|e| e.at(x.2)),
            Ex::Contains(x) => self
                .with2(&x.0, &x.1, |c, i| contains(c, i, limits))
                .map_err(|e| e.at(x.2)),
            Ex::Path(p) => {
                self.tick()?;
                self.path(p).map_err(|e| e.at(p.pos))
            }
            Ex::Host(h, args) => {
                self.tick()?;
                self.host(*h, args)
            }
            Ex::Method(m, x) => {
                self.tick()?;
                if matches!(m, Method::Len | Method::IsEmpty) {
                    return self.size_of(*m, x);
                }
                self.with1(x, |v| method(*m, std::slice::from_ref(v), limits))
            }
            Ex::MethodN(m, args) => {
                self.tick()?;
                // The receiver and at most two arguments (`sub_string`, `extract`).
                let values: [Val<'r>; 3] = self.operands(args)?;
                let given = values.get(..args.len()).unwrap_or(&values);
                method(*m, given, limits)
            }
            Ex::Mutate(x) => {
                let (m, slot, args) = &**x;
                self.tick()?;
                // At most two arguments (`insert`, `pad`).
                let [a, b] = self.operands(args)?;
                self.mutate(*m, *slot, a, b)
            }
            Ex::Call(call) => self.call(call).map_err(|e| e.at(call.pos)),
            Ex::Prop(x, name) => {
                if let Ex::Global(Global::Params) = **x {
                    let scalars = self.globals.param_scalars;
                    let at = scalars.binary_search_by(|(n, _)| n.as_str().cmp(name.as_str()));
                    if let Some((_, v)) = at.ok().and_then(|i| scalars.get(i)) {
                        return Ok(v.clone());
                    }
                }
                // `asset.name` on an object of the request reads the one field, as a path read
                // does, instead of converting the whole object for it.
                let computed = self.computed(x)?;
                if let Val::View(view) = self.value(&computed, x)? {
                    if let Found::Object = view.0.found_val() {
                        let step = [Step::Key(name.as_str().into())];
                        return Ok(self.read_view(view, &step).unwrap_or(Val::Unit));
                    }
                }
                let v = self.value(&computed, x)?;
                match self.converted(v)? {
                    Some(v) => sized_val(property(&v, name, limits)?, limits),
                    None => sized_val(property(v, name, limits)?, limits),
                }
            }
            Ex::Index(x) => self.index(&x.0, &x.1).map_err(|e| e.at(x.2)),
            Ex::Block(block) => self.block(block),
            Ex::Range(..) => Err(internal("a range outside a `for` loop")),
        }
    }

    /// The values of `args`, left to right, held in place rather than in a vector (a method's
    /// operands, which the lowering bounds by the host table's arities); `()` past the last.
    fn operands<const N: usize>(&mut self, args: &[Ex]) -> Res<[Val<'r>; N]> {
        let mut values = std::array::from_fn(|_| Val::Unit);
        for (a, value) in args.iter().zip(values.iter_mut()) {
            let v = self.expr(a)?;
            *value = self.real_owned(v)?;
        }
        Ok(values)
    }

    /// A call of a function of the rule: its parameters are its first variables, and it sees
    /// nothing else of the rule's.
    fn call(&mut self, call: &Call) -> Res<Val<'r>> {
        self.tick()?;
        let Some(function) = self.program.functions.get(call.function) else {
            return Err(internal("function"));
        };
        if self.depth >= self.limits.max_call_levels {
            return fault(Fault::CallDepth);
        }
        let mut frame = Vec::with_capacity(function.slots.max(call.args.len()));
        for a in &call.args {
            let v = self.expr(a)?;
            frame.push(self.real_owned(v)?);
        }
        frame.resize_with(function.slots.max(frame.len()), || Val::Unit);
        let saved = std::mem::replace(&mut self.slots, frame);
        self.depth += 1;
        let outcome = self.block(&function.body);
        self.depth -= 1;
        self.slots = saved;
        match outcome {
            Ok(v) => Ok(v),
            Err(Flow::Return(v)) => Ok(Val::from_dynamic(*v)),
            Err(other) => Err(other),
        }
    }

    /// `x.len()`, `x.is_empty()`: a view's list is counted where it is.
    #[inline(never)]
    fn size_of(&mut self, m: Method, x: &Ex) -> Res<Val<'r>> {
        let computed = self.computed(x)?;
        let v = self.value(&computed, x)?;
        if let Val::View(view) = v {
            if let Some(n) = self.list_len(view) {
                return Ok(match m {
                    Method::IsEmpty => Val::Bool(n == 0),
                    _ => Val::Int(i64::try_from(n).unwrap_or(i64::MAX)),
                });
            }
        }
        match self.converted(v)? {
            Some(v) => method(m, std::slice::from_ref(&v), self.limits),
            None => method(m, std::slice::from_ref(v), self.limits),
        }
    }

    /// `base[at]`: an item of a view's list is read on in the request.
    #[inline(never)]
    fn index(&mut self, base: &Ex, at: &Ex) -> Res<Val<'r>> {
        let limits = self.limits;
        let view_in = |m: &Self| match base {
            Ex::Local(slot) => match m.slots.get(*slot) {
                Some(Val::View(view)) => Some(*view),
                _ => None,
            },
            _ => None,
        };
        if view_in(self).is_none() {
            return self.with2(base, at, |v, i| sized_val(index(v, i)?, limits));
        }
        let i = self.expr(at)?;
        if let Some(view) = view_in(self) {
            if let Val::Int(n) = i {
                if let Ok(n) = usize::try_from(n) {
                    if let Some(item) = self.read_view(&view, &[Step::Index(n)]) {
                        return Ok(item);
                    }
                }
            }
        }
        // Anything else (out of range, a key…) on the value itself.
        let i = self.real_owned(i)?;
        let b = self.place(base)?;
        match self.converted(b)? {
            Some(b) => sized_val(index(&b, &i)?, limits),
            None => sized_val(index(b, &i)?, limits),
        }
    }

    /// The local variable `slot` as a value of the rule's own, to be changed: a part of the
    /// request it held is copied first; `req` and `params` themselves cannot be.
    fn own_local(&mut self, slot: usize) -> Res<&mut Val<'r>> {
        if let Some(v) = self.slots.get(slot) {
            if let Some(v) = self.converted(v)? {
                self.set(slot, v)?;
            }
        }
        let Some(target) = self.slots.get_mut(slot) else {
            return Err(internal("slot"));
        };
        if let Val::Dyn(d) = target {
            if d.is::<ReadOnly>() || d.is_read_only() {
                return fault(Fault::ReadOnly);
            }
        }
        Ok(target)
    }

    /// A method that changes the variable it is called on.
    /// `a` and `b` are the arguments (`()` where the method takes fewer).
    fn mutate(&mut self, m: Method, slot: usize, a: Val<'r>, b: Val<'r>) -> Res<Val<'r>> {
        let limits = self.limits;
        let target = self.own_local(slot)?;
        let answer = match (m, &mut *target) {
            (Method::Trim, Val::Text(_) | Val::Str(_)) => {
                let trimmed = target
                    .as_str()
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default();
                *target = Val::Str(ImmutableString::from(trimmed));
                return Ok(Val::Unit);
            }
            (Method::Pad, Val::Text(_) | Val::Str(_)) => {
                let len = usize::try_from(int(&a)?).unwrap_or(0);
                let with = match &b {
                    Val::Dyn(d) if d.is_char() => d.as_char().map(String::from).unwrap_or_default(),
                    other => string(other)?.to_string(),
                };
                let mut s = target.as_str().unwrap_or_default().to_string();
                let have = s.chars().count();
                if len > have {
                    let per = with.chars().count().max(1);
                    let add = (len - have).div_ceil(per);
                    if s.len().saturating_add(add.saturating_mul(with.len()))
                        > limits.max_string_size
                    {
                        return fault(Fault::TooLarge(Size::String));
                    }
                    for _ in 0..add {
                        s.push_str(&with);
                    }
                    s = s.chars().take(len.max(have)).collect();
                }
                *target = Val::Str(ImmutableString::from(s));
                return Ok(Val::Unit);
            }
            (_, Val::Dyn(d)) if d.is_array() => {
                let Ok(mut array) = d.as_array_mut() else {
                    return fault(Fault::ReadOnly);
                };
                match m {
                    Method::Push => {
                        array.push(a.into_dynamic());
                        Val::Unit
                    }
                    Method::Insert => {
                        let len = i64::try_from(array.len()).unwrap_or(i64::MAX);
                        let at = int(&a)?;
                        let at = if at < 0 { (len + at).max(0) } else { at };
                        let x = b.into_dynamic();
                        match usize::try_from(at) {
                            Ok(at) if at < array.len() => array.insert(at, x),
                            _ => array.push(x),
                        }
                        Val::Unit
                    }
                    Method::Pop => array.pop().map_or(Val::Unit, Val::from_dynamic),
                    Method::Pad => {
                        let len = usize::try_from(int(&a)?).unwrap_or(0);
                        if len > limits.max_array_size {
                            return fault(Fault::TooLarge(Size::Array));
                        }
                        if len > array.len() {
                            array.resize(len, b.into_dynamic());
                        }
                        Val::Unit
                    }
                    _ => {
                        drop(array);
                        return mismatch(&format!("`{}`", method_name(m)), target, None);
                    }
                }
            }
            (_, other) => return mismatch(&format!("`{}`", method_name(m)), other, None),
        };
        if let Val::Dyn(d) = target {
            check_size(d, limits)?;
        }
        Ok(answer)
    }

    /// `x[i]… = v`, `x.k… = v`, and their `op=` forms.
    fn set_in(&mut self, s: &SetIn) -> Res<()> {
        let limits = self.limits;
        // Keys and indices first, left to right, then the value.
        let mut keys = Vec::with_capacity(s.path.len());
        for access in &s.path {
            keys.push(match access {
                Access::Member(name) => Val::Str(name.clone()),
                Access::Index(e) => {
                    let v = self.expr(e)?;
                    self.real_owned(v)?
                }
            });
        }
        let value = self.expr(&s.value)?;
        let value = self.real_owned(value)?;
        let target = self.own_local(s.slot)?;
        if let (Val::Text(_) | Val::Str(_), [Val::Int(i)], None) = (&*target, keys.as_slice(), s.op)
        {
            // `s[i] = c`: the character at `i` replaced.
            let text = target.as_str().unwrap_or_default();
            let chars: Vec<char> = text.chars().collect();
            let len = chars.len();
            let len_i = i64::try_from(len).unwrap_or(i64::MAX);
            let at = if *i < 0 { len_i + i } else { *i };
            let Some(at) = usize::try_from(at).ok().filter(|at| *at < len) else {
                return fault(Fault::OutOfBounds(*i, len)).map_err(|e| e.at(s.pos));
            };
            let Some(c) = value.as_char() else {
                return mismatch("assigning into a string", &value, None).map_err(|e| e.at(s.pos));
            };
            let replaced: String = chars
                .iter()
                .enumerate()
                .map(|(n, old)| if n == at { c } else { *old })
                .collect();
            *target = Val::Str(ImmutableString::from(replaced));
            return Ok(());
        }
        let Val::Dyn(root) = target else {
            return mismatch("assigning into", target, None).map_err(|e| e.at(s.pos));
        };
        set_path(root, &keys, s.op, value, limits).map_err(|e| e.at(s.pos))?;
        check_size(root, limits).map_err(|e| e.at(s.pos))
    }

    fn path(&mut self, p: &PathCall) -> Res<Val<'r>> {
        let limits = self.limits;
        // Every argument is evaluated before the call, left to right.
        let unkept;
        let (steps, text): (&[Step], &str) = match &p.path {
            PathArg::Parsed(steps, text) => (steps, text.as_str()),
            PathArg::Computed(e, memo) => {
                let kept = self.with1(e, |v| {
                    let text = string(v)?;
                    Ok(memo.find_or_keep(text).ok_or_else(|| text.to_string()))
                })?;
                match kept {
                    Ok((text, steps)) => (steps, text),
                    Err(text) => match parse_path(&text) {
                        Some(steps) => {
                            unkept = (steps, text);
                            (&unkept.0, &unkept.1)
                        }
                        None => return fault(Fault::MalformedPath(text)),
                    },
                }
            }
        };
        let extra = match &p.extra {
            Some(e) => Some(self.expr(e)?),
            None => None,
        };
        if p.kind == PathKind::Need {
            if let Some(prefix) = &extra {
                if prefix.as_str().is_none() {
                    return mismatch("`need`'s prefix", prefix, None);
                }
            }
        }
        // Read from the request (`req`, or a view of a part of it): already checked. Any other
        // value is walked, and what is found checked against the limits.
        let (found, checked) = if matches!(p.target, Ex::Global(Global::Req)) {
            (self.read_request(steps)?, true)
        } else {
            let computed = self.computed(&p.target)?;
            match self.value(&computed, &p.target)? {
                Val::View(view) => (self.read_view(view, steps), true),
                Val::Dyn(target) => (
                    in_place(target, |root| walk(root, steps, |v| v.cloned()))
                        .map(Val::from_dynamic),
                    false,
                ),
                Val::Unit => (None, false),
                other => (
                    walk(&other.clone().into_dynamic(), steps, |v| v.cloned())
                        .map(Val::from_dynamic),
                    false,
                ),
            }
        };
        match (p.kind, found, extra) {
            (PathKind::Present, found, _) => Ok(Val::Bool(found.is_some())),
            (PathKind::Need | PathKind::Field, Some(v), _) if checked => Ok(v),
            (PathKind::Need | PathKind::Field, Some(v), _) => sized_val(v, limits),
            (PathKind::Field, None, None) => Ok(Val::Unit),
            (PathKind::Field, None, Some(default)) => Ok(default),
            (PathKind::Need, None, None) => Err(Flow::Missing(text.into())),
            (PathKind::Need, None, Some(prefix)) => match prefix.as_str() {
                Some("") | None => Err(Flow::Missing(text.into())),
                Some(prefix) => Err(Flow::Missing(format!("{prefix}.{text}").into())),
            },
        }
    }

    /// `pass()`, `fail(message[, paths])`, `not_applicable([reason])`.
    fn result(&mut self, h: Host, args: &[Ex]) -> Res<RuleResult> {
        match (h, args) {
            (Host::Pass, []) => Ok(RuleResult::Pass(None)),
            (Host::Pass, [_]) if !self.globals.explain => Ok(RuleResult::Pass(None)),
            (Host::Pass, [a]) => self.with1(a, |a| Ok(RuleResult::Pass(Some(message(a))))),
            (Host::NotApplicable, []) => Ok(RuleResult::NotApplicable {
                reason: String::new(),
            }),
            (Host::NotApplicable, [a]) => self.with1(a, |a| {
                Ok(RuleResult::NotApplicable {
                    reason: string(a)?.to_string(),
                })
            }),
            (Host::Fail, [a]) => self.with1(a, |a| {
                Ok(RuleResult::Fail {
                    message: message(a),
                    paths: Vec::new(),
                })
            }),
            (Host::Fail, [a, b]) => self.with2(a, b, fail),
            _ => Err(internal("result arity")),
        }
    }

    fn host(&mut self, h: Host, args: &[Ex]) -> Res<Val<'r>> {
        let limits = self.limits;
        if h.is_result() {
            return self
                .result(h, args)
                .map(|result| Val::Dyn(Dynamic::from(result)));
        }
        match args {
            // `da_scope(req)` reads two fields of the typed request: no need to build `req`.
            [Ex::Global(Global::Req)] if h == Host::DaScope => {
                match da_scope_of(self.globals.req.request, self.globals.places) {
                    Ok(b) => Ok(Val::Bool(b)),
                    Err(MissingField(path)) => Err(Flow::Missing(path.into())),
                }
            }
            [a] => {
                let places = self.globals.places;
                self.with1(a, |a| host1(h, a, places))
            }
            [a, b] if h == Host::Range => fault(Fault::Type(format!(
                "`range({}, {})` is for `for` loops only",
                self.expr(a)
                    .map(|v| super::ops::display(&v))
                    .unwrap_or_default(),
                self.expr(b)
                    .map(|v| super::ops::display(&v))
                    .unwrap_or_default()
            ))),
            [a, b] => self.with2(a, b, |a, b| host2(h, a, b, limits)),
            [a, b, j] if h == Host::WorkingDays => {
                let places = self.globals.places;
                let (from, to) = self.with2(a, b, |a, b| Ok((day(a)?, day(b)?)))?;
                self.with1(j, |j| match j {
                    Val::Unit => Ok(Val::Int(from.working_days_until(to))),
                    j => Ok(Val::Int(working_days_in(from, to, places, string(j)?))),
                })
            }
            _ => Err(internal("host arity")),
        }
    }
}

/// An invariant of the lowered form broke (a slot or function out of range): never from a
/// rule's own doing, still an `error` finding rather than a panic.
#[cold]
fn internal(what: &str) -> Flow {
    Flow::fault(Fault::Type(format!(
        "internal error in the evaluator ({what})"
    )))
}

/// Whether a `switch` value matches a case's constant: the same type and the same value.
fn same_constant(v: &Val<'_>, c: &Val<'_>) -> bool {
    match (v, c) {
        (Val::Unit, Val::Unit) => true,
        (Val::Bool(a), Val::Bool(b)) => a == b,
        (Val::Int(a), Val::Int(b)) => a == b,
        (Val::Float(a), Val::Float(b)) => a.to_bits() == b.to_bits(),
        (Val::Text(_) | Val::Str(_), Val::Text(_) | Val::Str(_)) => v.as_str() == c.as_str(),
        _ => match (v.as_char(), c.as_char()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
}

/// Writes `value` (or `current op value`) at `keys` inside `root`.
fn set_path(
    root: &mut Dynamic,
    keys: &[Val<'_>],
    op: Option<Op>,
    value: Val<'_>,
    limits: &Limits,
) -> Res<()> {
    let Some((key, rest)) = keys.split_first() else {
        let new = match op {
            None => value.into_dynamic(),
            Some(op) => {
                let current = Val::of(root);
                binary(op, &current, &value, limits)?.into_dynamic()
            }
        };
        *root = new;
        return Ok(());
    };
    if root.is_read_only() || root.is::<ReadOnly>() {
        return fault(Fault::ReadOnly);
    }
    if root.is_array() {
        let Ok(mut array) = root.as_array_mut() else {
            return fault(Fault::ReadOnly);
        };
        let len = array.len();
        let i = int(key)?;
        let len_i = i64::try_from(len).unwrap_or(i64::MAX);
        let at = if i < 0 { len_i + i } else { i };
        let Some(slot) = usize::try_from(at).ok().and_then(|at| array.get_mut(at)) else {
            return fault(Fault::OutOfBounds(i, len));
        };
        return set_path(slot, rest, op, value, limits);
    }
    if root.is_map() {
        let Ok(mut map) = root.as_map_mut() else {
            return fault(Fault::ReadOnly);
        };
        let name = string(key)?;
        let slot = map.entry(name.into()).or_insert(Dynamic::UNIT);
        return set_path(slot, rest, op, value, limits);
    }
    mismatch("assigning into", &Val::of(root), Some(key))
}

/// Runs `f` on the value behind a read-only wrapper (`req`, `params`), or on `v` itself.
fn in_place<T>(v: &Dynamic, f: impl FnOnce(&Dynamic) -> T) -> T {
    match v.read_lock::<ReadOnly>() {
        Some(ro) => f(ro.inner()),
        None => f(v),
    }
}

fn day(v: &Val<'_>) -> Res<Date> {
    Date::parse(string(v)?).map_err(|e| Flow::fault(Fault::Date(e.to_string())))
}

fn host1<'r>(h: Host, a: &Val<'r>, places: &Jurisdictions) -> Res<Val<'r>> {
    Ok(match h {
        Host::Empty => Val::Bool(is_empty(a)),
        Host::IsDate if matches!(a, Val::Unit) => Val::Bool(false),
        Host::IsDate => Val::Bool(Date::parse(string(a)?).is_ok()),
        // The place predicates of a missing code are false.
        Host::IsEea | Host::IsEu | Host::IsAdequate | Host::IsDaJurisdiction
            if matches!(a, Val::Unit) =>
        {
            Val::Bool(false)
        }
        Host::IsEea => Val::Bool(is_eea(string(a)?)),
        Host::IsEu => Val::Bool(is_eu(string(a)?)),
        Host::IsAdequate => Val::Bool(places.is_adequate(string(a)?)),
        Host::IsDaJurisdiction => Val::Bool(places.is_da(string(a)?)),
        Host::DaScope => {
            let found = match a {
                Val::Dyn(d) => in_place(d, |d| da_scope_value(d, places)),
                other => da_scope_value(&other.clone().into_dynamic(), places),
            };
            match found {
                Ok(b) => Val::Bool(b),
                Err(MissingField(path)) => return Err(Flow::Missing(path.into())),
            }
        }
        _ => return Err(internal("host arity")),
    })
}

fn host2<'r>(h: Host, a: &Val<'r>, b: &Val<'r>, limits: &Limits) -> Res<Val<'r>> {
    let date_text = |d: Result<Date, crate::calendar::DateError>| match d {
        Ok(d) => text(d.to_string(), limits),
        Err(e) => fault(Fault::Date(e.to_string())),
    };
    match h {
        Host::Days => Ok(Val::Int(day(a)?.days_until(day(b)?))),
        Host::WorkingDays => Ok(Val::Int(day(a)?.working_days_until(day(b)?))),
        Host::AddDays => date_text(day(a)?.add_days(int(b)?)),
        Host::AddMonths => date_text(day(a)?.add_months(int(b)?)),
        Host::MinDate => date_text(Ok(day(a)?.min(day(b)?))),
        Host::MaxDate => date_text(Ok(day(a)?.max(day(b)?))),
        Host::Join => {
            let sep = string(b)?;
            let Val::Dyn(items) = a else {
                return mismatch("`join`", a, Some(b));
            };
            let Ok(items) = items.as_array_ref() else {
                return mismatch("`join`", a, Some(b));
            };
            let joined = items
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(sep);
            text(joined, limits)
        }
        _ => Err(internal("host arity")),
    }
}

/// A finding's message: a string, or a list of them joined.
fn message(v: &Val<'_>) -> String {
    match v {
        Val::Text(s) => (*s).to_string(),
        Val::Str(s) => s.to_string(),
        Val::Dyn(d) => message_of(d),
        other => message_of(&other.clone().into_dynamic()),
    }
}

/// `fail(message, paths)`; `paths` a list or one path.
fn fail(message_value: &Val<'_>, paths: &Val<'_>) -> Res<RuleResult> {
    let paths = match paths {
        Val::Dyn(d) => match d.as_array_ref() {
            Ok(paths) => paths_of(&paths),
            Err(_) => return mismatch("`fail`'s paths", paths, None),
        },
        Val::Text(path) => vec![(*path).to_string()],
        Val::Str(path) => vec![path.to_string()],
        _ => return mismatch("`fail`'s paths", paths, None),
    };
    Ok(RuleResult::Fail {
        message: message(message_value),
        paths,
    })
}

/// A list or object of the request compared with a scalar: `plan == ()`, the usual test for
/// an object that may be missing. Values of different types compare unequal whatever the list
/// or object holds, so the view is not converted for it.
fn view_against_scalar<'r>(op: Op, a: &Val<'_>, b: &Val<'_>) -> Option<Val<'r>> {
    if !matches!(op, Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge) {
        return None;
    }
    use crate::value::Kind;
    let is_view = |v: &Val<'_>| matches!(v, Val::View(_));
    let is_scalar = |v: &Val<'_>| {
        matches!(
            v.kind(),
            Kind::Unit | Kind::Bool | Kind::Int | Kind::Float | Kind::Str
        )
    };
    if (is_view(a) && is_scalar(b)) || (is_scalar(a) && is_view(b)) {
        Some(Val::Bool(op == Op::Ne))
    } else {
        None
    }
}
