//! Runs a compiled rule. Every operation mirrors what Rhai does for the same types (the operator
//! tables of Rhai's `func/builtin.rs`, the package functions, the host functions of
//! `functions.rs`); for any other type, and for anything Rhai would report as an error, it bails
//! and the engine asks Rhai. Values are the compiled form's own ([`Val`]): strings of the
//! request borrowed, scalars plain.

use std::cell::OnceCell;

use rhai::{Array, Dynamic, EvalAltResult, ImmutableString};

use super::value::{Kind, Val, View};
use super::{
    Bail, Ex, ForLoop, Global, Host, Method, Op, PathArg, PathCall, PathKind, Program, St,
};
use crate::calendar::{is_eea, is_eu, Date};
use crate::convert::{Found, Lookup};
use crate::engine::Limits;
use crate::functions::{
    da_scope, da_scope_of, date, is_empty_value, message_of, parse_path, paths_of, walk,
    working_days_in, MissingField, ReadOnly, RuleResult, Step,
};
use crate::jurisdictions::Jurisdictions;
use crate::request::Request;

/// `req`: the typed request, and its Rhai value built only if something needs it whole (a rule
/// running in Rhai, `req` passed as a value) rather than reading a field by path.
pub(crate) struct LazyReq<'a> {
    request: &'a Request,
    value: OnceCell<Dynamic>,
    val: OnceCell<Val<'static>>,
    /// No value in the request can be larger than the engine's size limits (the engine knows
    /// from the JSON text's length), so values read from it by path skip the size check that
    /// Rhai makes on every function's result: walking lists of objects to count them was about
    /// 5 % of a decision over generated requests.
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

    /// `req` as Rhai sees it: the request's map behind a read-only wrapper.
    pub fn value(&self) -> &Dynamic {
        self.value
            .get_or_init(|| ReadOnly::wrap("req", crate::convert::to_dynamic(self.request)))
    }

    fn val(&self) -> &Val<'static> {
        self.val.get_or_init(|| Val::Dyn(self.value().clone()))
    }
}

/// The constants a rule sees, as the engine put them in Rhai's scope.
pub(crate) struct Globals<'r> {
    pub req: &'r LazyReq<'r>,
    /// `params`, built on first need (see [`crate::engine::Params`]).
    pub params: &'r crate::engine::Params,
    /// `params` as this decision's value ([`Val::Dyn`]), once a rule reads it whole.
    pub params_value: std::cell::OnceCell<Val<'r>>,
    /// Its scalar members (strings, numbers, booleans), as [`param_scalars`] made them when
    /// the engine was built.
    pub param_scalars: &'r [(ImmutableString, Val<'static>)],
    pub as_of: Val<'r>,
    pub scenario: Val<'r>,
    /// The lifecycle map ([`Val::Dyn`]).
    pub lifecycle: Val<'r>,
    /// The pack's place parameters, for the Data Act scope, adequacy and holidays.
    pub places: &'r Jurisdictions,
    /// Explain mode: `pass(explanation)` evaluates its argument. Otherwise the argument is not
    /// evaluated at all, so that explanations cost nothing when nobody reads them.
    pub explain: bool,
}

/// The scalar members of `params` (a [`ReadOnly`] map) as the compiled form holds them, for
/// `params.name`: read through Rhai's map, each read cloned a `Dynamic`, made it read-only and
/// converted it, ~370 instructions where this table's search takes a few dozen (five reads per
/// termination decision). Members that are arrays or maps, and
/// strings over the string limit, are not here and are read as before. Sorted by name, for a
/// binary search (comparing with each name in turn was ~200 instructions a read).
///
/// `members` come in name order (a `BTreeMap`'s, or the precompiled file's), so the table is
/// sorted for the binary search without a sort (the standard one is ~6 KB of module); a name
/// the search missed would still be read, the general way.
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
    /// as it is, never put in a `Dynamic` (two allocations, and a type test to take it out).
    Result(RuleResult),
    /// `need` found the field missing: the rule fails naming it.
    Missing(String),
}

/// Runs `program`; returns the outcome and the operations counted (statements, loop turns and
/// calls), bounded by `limits.max_operations`.
///
/// `scratch` holds the variable slots; the engine passes the same vector for every rule of a
/// decision so that rules do not each allocate their own.
pub(crate) fn run<'r>(
    program: &'r Program,
    globals: &'r Globals<'r>,
    limits: &'r Limits,
    scratch: &mut Vec<Val<'r>>,
) -> (Result<Run, Bail>, u64) {
    let mut slots = std::mem::take(scratch);
    slots.clear();
    slots.resize_with(program.slots, || Val::Unit);
    let mut machine = Machine {
        globals,
        limits,
        slots,
        operations: 0,
        result: None,
    };
    let outcome = match machine.tail(&program.body) {
        Err(Flow::Result) => match machine.result.take() {
            Some(result) => Ok(Run::Result(result)),
            None => Err(Bail("result")),
        },
        // A view the rule ends with is converted here, so it never leaves the compiled form.
        Ok(value) => match machine.real_owned(value) {
            Ok(value) => Ok(Run::Value(value.into_dynamic())),
            Err(Flow::Bail(why)) => Err(Bail(why)),
            Err(_) => Err(Bail("view")),
        },
        Err(Flow::Return(value)) => Ok(Run::Value(*value)),
        Err(Flow::Missing(path)) => Ok(Run::Missing(path.into_string())),
        Err(Flow::Bail(why)) => Err(Bail(why)),
        Err(Flow::Break | Flow::Continue) => Err(Bail("break outside a loop")),
    };
    // Values a rule left in its variables are dropped now, not with the next rule.
    machine.slots.clear();
    *scratch = machine.slots;
    (outcome, machine.operations)
}

/// How evaluation leaves the normal path. Small (16 bytes) because every evaluation step
/// returns a `Res`: the rule's result waits in [`Machine::result`], and the rare payloads are
/// boxed. With the result inline every step moved a 56-byte `Res` around.
enum Flow {
    /// `return x;`: the value, views converted, as Rhai holds it.
    Return(Box<Dynamic>),
    /// A rule's result in tail position (`return pass();`, or the last statement), now in
    /// [`Machine::result`]: the same as `Return` of it, without the `Dynamic`.
    Result,
    Break,
    Continue,
    Missing(Box<str>),
    Bail(&'static str),
}

type Res<T> = Result<T, Flow>;

fn bail<T>(why: &'static str) -> Res<T> {
    Err(Flow::Bail(why))
}

struct Machine<'r> {
    globals: &'r Globals<'r>,
    limits: &'r Limits,
    slots: Vec<Val<'r>>,
    operations: u64,
    /// The rule's result, set when it leaves with [`Flow::Result`].
    result: Option<RuleResult>,
}

/// A value that can be read in place (no evaluation, no side effect).
fn is_place(e: &Ex) -> bool {
    matches!(e, Ex::Const(_) | Ex::Local(_) | Ex::Global(_))
}

impl<'r> Machine<'r> {
    fn tick(&mut self) -> Res<()> {
        self.operations += 1;
        if self.operations > self.limits.max_operations {
            return bail(Bail::OPERATIONS);
        }
        if self.operations & 1023 == 0 && crate::clock::past_deadline() {
            return bail(Bail::TIME);
        }
        Ok(())
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

    fn place<'s>(&'s self, e: &'s Ex) -> Res<&'s Val<'r>> {
        match e {
            Ex::Const(v) => Ok(v),
            Ex::Local(slot) => match self.slots.get(*slot) {
                Some(v) => Ok(v),
                None => bail("slot"),
            },
            Ex::Global(g) => Ok(self.global(*g)),
            _ => bail("not a place"),
        }
    }

    fn set(&mut self, slot: usize, value: Val<'r>) -> Res<()> {
        match self.slots.get_mut(slot) {
            Some(s) => {
                *s = value;
                Ok(())
            }
            None => bail("slot"),
        }
    }

    /// `e`'s value when it has to be computed; `None` for a variable or constant, which is read
    /// in place ([`Self::value`]) once every operand has been evaluated, as Rhai reads them.
    fn computed(&mut self, e: &Ex) -> Res<Option<Val<'r>>> {
        if is_place(e) {
            Ok(None)
        } else {
            self.eval(e).map(Some)
        }
    }

    /// `e`'s value: the one computed, or the variable or constant read now.
    fn value<'s>(&'s self, computed: &'s Option<Val<'r>>, e: &'s Ex) -> Res<&'s Val<'r>> {
        match computed {
            Some(v) => Ok(v),
            None => self.place(e),
        }
    }

    /// Applies `f` to the value of `e`, reading variables and constants in place.
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
    /// tell the two apart; a view stays a view until then, for the reads that need no
    /// conversion.
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
    /// request may hold values over the limits, as Rhai checks every function's result).
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
    fn read_view(&self, view: &View<'r>, more: &[Step]) -> Res<Option<Val<'r>>> {
        Ok(view.0.node(more).map(Self::read_node))
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

    /// The program's body: as `block`, but a result call (`pass()`, `fail(…)`,
    /// `not_applicable(…)`) whose value is the rule's value leaves as [`Flow::Result`]. Counts
    /// the same operations as `block` would.
    fn tail(&mut self, block: &[St]) -> Res<Val<'r>> {
        let Some((last, init)) = block.split_last() else {
            return Ok(Val::Unit);
        };
        for stmt in init {
            self.stmt(stmt)?;
        }
        match last {
            St::Expr(Ex::Host(h, args)) if is_result(*h) => {
                self.tick()?;
                self.tick()?;
                self.ended(*h, args)
            }
            St::If(x) => {
                self.tick()?;
                let (condition, then, otherwise) = &**x;
                if self.boolean(condition)? {
                    self.tail(then)
                } else {
                    self.tail(otherwise)
                }
            }
            other => self.stmt(other),
        }
    }

    fn block(&mut self, block: &[St]) -> Res<Val<'r>> {
        let mut last = Val::Unit;
        for stmt in block {
            last = self.stmt(stmt)?;
        }
        Ok(last)
    }

    fn stmt(&mut self, stmt: &St) -> Res<Val<'r>> {
        self.tick()?;
        match stmt {
            St::Let(slot, e) | St::Set(slot, e) => {
                let v = self.eval(e)?;
                self.set(*slot, v)?;
                Ok(Val::Unit)
            }
            St::Update(slot, op, e) => {
                let rhs = self.eval(e)?;
                let current = match self.slots.get(*slot) {
                    Some(v) => v,
                    None => return bail("slot"),
                };
                let rhs = self.real_owned(rhs)?;
                let v = match self.converted(current)? {
                    Some(current) => binary(*op, &current, &rhs, self.limits)?,
                    None => binary(*op, current, &rhs, self.limits)?,
                };
                self.set(*slot, v)?;
                Ok(Val::Unit)
            }
            St::Expr(e) => self.eval(e),
            St::If(x) => {
                let (condition, then, otherwise) = &**x;
                if self.boolean(condition)? {
                    self.block(then)
                } else {
                    self.block(otherwise)
                }
            }
            St::While(condition, body) => {
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
            St::For(f) => {
                if let Ex::Range(bounds, inclusive) = &f.iter {
                    let (from, to) =
                        self.with2(&bounds.0, &bounds.1, |a, b| Ok((int(a)?, int(b)?)))?;
                    let to = if *inclusive {
                        to.checked_add(1)
                    } else {
                        Some(to)
                    };
                    let Some(to) = to else {
                        return bail("range");
                    };
                    // Every turn costs an operation, so a range longer than the budget would
                    // bail anyway: do it before the first turn.
                    let turns = u64::try_from(to.saturating_sub(from)).unwrap_or(0);
                    if turns > self.limits.max_operations {
                        return bail(Bail::OPERATIONS);
                    }
                    for (i, n) in (from..to).enumerate() {
                        if self.turn(f, i, Val::Int(n))? {
                            break;
                        }
                    }
                    return Ok(Val::Unit);
                }
                let iter = self.eval(&f.iter)?;
                if let Val::View(view) = &iter {
                    if let Some(count) = self.list_len(view) {
                        return self.for_view(f, view, count);
                    }
                }
                let Val::Dyn(iter) = self.real_owned(iter)? else {
                    return bail("for over something other than an array");
                };
                if !iter.is_array() {
                    return bail("for over something other than an array");
                }
                let Ok(items) = iter.into_array() else {
                    return bail("for over something other than an array");
                };
                for (i, item) in items.into_iter().enumerate() {
                    if self.turn(f, i, Val::from_dynamic(item))? {
                        break;
                    }
                }
                Ok(Val::Unit)
            }
            St::Return(Some(Ex::Host(h, args))) if is_result(*h) => {
                self.tick()?;
                self.ended(*h, args)
            }
            St::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Val::Unit,
                };
                Err(Flow::Return(Box::new(self.real_owned(v)?.into_dynamic())))
            }
            St::Break => Err(Flow::Break),
            St::Continue => Err(Flow::Continue),
        }
    }

    /// One turn of a `for` loop; `true` when the body breaks out of it.
    fn turn(&mut self, f: &ForLoop, i: usize, item: Val<'r>) -> Res<bool> {
        self.tick()?;
        self.set(f.item, item)?;
        if let Some(index) = f.index {
            let Ok(i) = i64::try_from(i) else {
                return bail("index");
            };
            self.set(index, Val::Int(i))?;
        }
        match self.block(&f.body) {
            Ok(_) | Err(Flow::Continue) => Ok(false),
            Err(Flow::Break) => Ok(true),
            Err(other) => Err(other),
        }
    }

    /// A `for` loop over a list of the request: each item read when its turn comes.
    fn for_view(&mut self, f: &ForLoop, view: &View<'r>, count: usize) -> Res<Val<'r>> {
        for i in 0..count {
            let Some(item) = self.read_view(view, &[Step::Index(i)])? else {
                return bail("view item");
            };
            if self.turn(f, i, item)? {
                break;
            }
        }
        Ok(Val::Unit)
    }

    fn boolean(&mut self, e: &Ex) -> Res<bool> {
        self.with1(e, |v| match v {
            Val::Bool(b) => Ok(*b),
            _ => bail("not a boolean"),
        })
    }

    fn eval(&mut self, e: &Ex) -> Res<Val<'r>> {
        let limits = self.limits;
        match e {
            Ex::Const(_) | Ex::Local(_) | Ex::Global(_) => self.place(e).cloned(),
            Ex::Interp(parts) => {
                let mut text = String::new();
                for part in parts {
                    self.with1(part, |v| append_display(&mut text, v))?;
                    if text.len() > limits.max_string_size {
                        return bail("string size");
                    }
                }
                Ok(Val::Str(ImmutableString::from(text)))
            }
            Ex::Array(items) => {
                let mut array = Array::with_capacity(items.len());
                for item in items {
                    let item = self.eval(item)?;
                    array.push(self.real_owned(item)?.into_dynamic());
                }
                sized(Dynamic::from_array(array), limits).map(Val::Dyn)
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
                    last = self.eval(item)?;
                    if !matches!(last, Val::Unit) {
                        break;
                    }
                }
                Ok(last)
            }
            Ex::Not(x) => Ok(Val::Bool(!self.boolean(x)?)),
            Ex::Neg(x) => self.with1(x, |v| match v {
                Val::Int(i) => match i.checked_neg() {
                    Some(n) => Ok(Val::Int(n)),
                    None => bail("overflow"),
                },
                _ => bail("negation"),
            }),
            Ex::Bin(op, x) => self.with2_or(
                &x.0,
                &x.1,
                |a, b| view_against_scalar(*op, a, b),
                |a, b| binary(*op, a, b, limits),
            ),
            Ex::Contains(x) => self.with2(&x.0, &x.1, |c, i| contains(c, i, limits)),
            Ex::Path(p) => {
                self.tick()?;
                self.path(p)
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
                self.with1(x, |v| method(*m, v))
            }
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
                        return Ok(self.read_view(view, &step)?.unwrap_or(Val::Unit));
                    }
                }
                let v = self.value(&computed, x)?;
                match self.converted(v)? {
                    Some(v) => sized_val(property(&v, name)?, limits),
                    None => sized_val(property(v, name)?, limits),
                }
            }
            Ex::Index(x) => self.index(&x.0, &x.1),
            Ex::Push(slot, x) => {
                self.tick()?;
                let value = self.eval(x)?;
                let value = self.real_owned(value)?.into_dynamic();
                self.grow_local_array(*slot, |array| array.push(value))
            }
            Ex::Insert(slot, x) => {
                self.tick()?;
                let at = self.with1(&x.0, int)?;
                let value = self.eval(&x.1)?;
                let value = self.real_owned(value)?.into_dynamic();
                // Rhai counts a negative index from the end; no rule needs that here.
                let Ok(at) = usize::try_from(at) else {
                    return bail("negative index");
                };
                self.grow_local_array(*slot, |array| {
                    if at >= array.len() {
                        array.push(value);
                    } else {
                        array.insert(at, value);
                    }
                })
            }
            Ex::Block(block) => self.block(block),
            Ex::Range(..) => bail("range outside a for loop"),
            Ex::Bail(why) => bail(why.text()),
        }
    }

    /// `x.len()`, `x.is_empty()`: a view's list is counted where it is.
    #[inline(never)]
    fn size_of(&mut self, m: Method, x: &Ex) -> Res<Val<'r>> {
        let computed = self.computed(x)?;
        let v = self.value(&computed, x)?;
        if let Val::View(view) = v {
            if let Some(n) = self.list_len(view) {
                return match (m, i64::try_from(n)) {
                    (Method::IsEmpty, _) => Ok(Val::Bool(n == 0)),
                    (_, Ok(n)) => Ok(Val::Int(n)),
                    (_, Err(_)) => bail("length"),
                };
            }
        }
        match self.converted(v)? {
            Some(v) => method(m, &v),
            None => method(m, v),
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
        let i = self.eval(at)?;
        if let Some(view) = view_in(self) {
            if let Val::Int(n) = i {
                if let Ok(n) = usize::try_from(n) {
                    if let Some(item) = self.read_view(&view, &[Step::Index(n)])? {
                        return Ok(item);
                    }
                }
            }
        }
        // Anything else (out of range, a key…) as Rhai does it, on the value itself.
        let i = self.real_owned(i)?;
        let b = self.place(base)?;
        match self.converted(b)? {
            Some(b) => sized_val(index(&b, &i)?, limits),
            None => sized_val(index(b, &i)?, limits),
        }
    }

    /// `push` and `insert` on a local array, which Rhai changes in place.
    fn grow_local_array(&mut self, slot: usize, grow: impl FnOnce(&mut Array)) -> Res<Val<'r>> {
        let limits = self.limits;
        // A list read from the request is the rule's own copy once it changes.
        if let Some(v) = self.slots.get(slot) {
            if let Some(v) = self.converted(v)? {
                self.set(slot, v)?;
            }
        }
        let Some(Val::Dyn(target)) = self.slots.get_mut(slot) else {
            return bail("push onto something other than an array");
        };
        if target.is_read_only() || !target.is_array() {
            return bail("push onto something other than an array");
        }
        let Ok(mut array) = target.as_array_mut() else {
            return bail("push onto something other than an array");
        };
        // Rhai checks the whole array's size after a push; past a few hundred elements let
        // Rhai do it rather than re-measure on every push.
        if array.len() >= 256 {
            return bail("large array");
        }
        grow(&mut array);
        drop(array);
        check_size(target, limits)?;
        Ok(Val::Unit)
    }

    fn path(&mut self, p: &PathCall) -> Res<Val<'r>> {
        let limits = self.limits;
        // Rhai evaluates every argument before the call, left to right.
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
                        None => return bail("malformed path"),
                    },
                }
            }
        };
        let extra = match &p.extra {
            Some(e) => Some(self.eval(e)?),
            None => None,
        };
        if p.kind == PathKind::Need
            && extra
                .as_ref()
                .is_some_and(|prefix| prefix.as_str().is_none())
        {
            return bail("need's prefix is not a string");
        }
        // Read from the request (`req`, or a view of a part of it): already checked. Any other
        // value is walked, and what is found checked against the limits as Rhai would.
        let (found, checked) = if matches!(p.target, Ex::Global(Global::Req)) {
            (self.read_request(steps)?, true)
        } else {
            let computed = self.computed(&p.target)?;
            match self.value(&computed, &p.target)? {
                Val::View(view) => (self.read_view(view, steps)?, true),
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
            (PathKind::Present, found, None) => Ok(Val::Bool(found.is_some())),
            (PathKind::Need | PathKind::Field, Some(v), _) if checked => Ok(v),
            (PathKind::Need | PathKind::Field, Some(v), _) => sized_val(v, limits),
            (PathKind::Field, None, None) => Ok(Val::Unit),
            (PathKind::Field, None, Some(default)) => Ok(default),
            (PathKind::Need, None, None) => Err(Flow::Missing(text.into())),
            (PathKind::Need, None, Some(prefix)) => match prefix.as_str() {
                Some("") => Err(Flow::Missing(text.into())),
                Some(prefix) => Err(Flow::Missing(format!("{prefix}.{text}").into())),
                None => bail("need's prefix is not a string"),
            },
            _ => bail("path call"),
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
            _ => bail("host arity"),
        }
    }

    fn host(&mut self, h: Host, args: &[Ex]) -> Res<Val<'r>> {
        let limits = self.limits;
        if is_result(h) {
            return self
                .result(h, args)
                .map(|result| Val::Dyn(Dynamic::from(result)));
        }
        match args {
            [] => bail("host arity"),
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
            [a, b] => self.with2(a, b, |a, b| host2(h, a, b, limits)),
            [a, b, j] if h == Host::WorkingDays => {
                let places = self.globals.places;
                let (from, to) = self.with2(a, b, |a, b| Ok((day(a)?, day(b)?)))?;
                self.with1(j, |j| match j {
                    Val::Unit => Ok(Val::Int(from.working_days_until(to))),
                    j => Ok(Val::Int(working_days_in(from, to, places, string(j)?))),
                })
            }
            [array, start, len] if h == Host::Extract => {
                // Left to right, as Rhai evaluates arguments; a variable is read in place.
                let computed = self.computed(array)?;
                let (start, len) = (self.eval(start)?, self.eval(len)?);
                let (start, len) = (int(&start)?, int(&len)?);
                let array = self.value(&computed, array)?;
                match self.converted(array)? {
                    Some(array) => extract(&array, start, len, limits),
                    None => extract(array, start, len, limits),
                }
            }
            _ => bail("host arity"),
        }
    }
}

/// Rhai's `array.extract(start, len)` for a start within the array or past its end.
fn extract<'r>(array: &Val<'_>, start: i64, len: i64, limits: &Limits) -> Res<Val<'r>> {
    let Val::Dyn(array) = array else {
        return bail("extract from something other than an array");
    };
    let Ok(items) = array.as_array_ref() else {
        return bail("extract from something other than an array");
    };
    let Ok(start) = usize::try_from(start) else {
        return bail("negative start");
    };
    let len = usize::try_from(len).unwrap_or(0);
    let part: Array = items.iter().skip(start).take(len).cloned().collect();
    sized(Dynamic::from_array(part), limits).map(Val::Dyn)
}

/// Runs `f` on the value behind a read-only wrapper (`req`, `params`), or on `v` itself.
fn in_place<T>(v: &Dynamic, f: impl FnOnce(&Dynamic) -> T) -> T {
    match v.read_lock::<ReadOnly>() {
        Some(ro) => f(ro.inner()),
        None => f(v),
    }
}

fn string<'v>(v: &'v Val<'_>) -> Res<&'v str> {
    match v.as_str() {
        Some(s) => Ok(s),
        None => bail("not a string"),
    }
}

fn int(v: &Val<'_>) -> Res<i64> {
    match v {
        Val::Int(i) => Ok(*i),
        _ => bail("not an integer"),
    }
}

fn day(v: &Val<'_>) -> Res<Date> {
    date(string(v)?).or_else(|_| bail("not a date"))
}

fn text<'r>(s: String, limits: &Limits) -> Res<Val<'r>> {
    if s.len() > limits.max_string_size {
        return bail("string size");
    }
    Ok(Val::Str(ImmutableString::from(s)))
}

/// `empty(v)` (functions.rs, `is_empty_value`) without converting a string or scalar.
fn is_empty(v: &Val<'_>) -> bool {
    match v {
        Val::Unit => true,
        Val::Text(s) => s.trim().is_empty(),
        Val::Str(s) => s.trim().is_empty(),
        Val::Bool(_) | Val::Int(_) | Val::Float(_) => false,
        Val::View(_) => false,
        Val::Dyn(d) => is_empty_value(d),
    }
}

fn host1<'r>(h: Host, a: &Val<'r>, places: &Jurisdictions) -> Res<Val<'r>> {
    Ok(match h {
        Host::Empty => Val::Bool(is_empty(a)),
        Host::IsDate if matches!(a, Val::Unit) => Val::Bool(false),
        Host::IsDate => Val::Bool(Date::parse(string(a)?).is_ok()),
        // The place predicates of a missing code are false, as their `()` overloads in Rhai.
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
                Val::Dyn(d) => in_place(d, |d| da_scope(d, places)),
                other => da_scope(&other.clone().into_dynamic(), places),
            };
            match found {
                Ok(b) => Val::Bool(b),
                Err(err) => return Err(missing_or_bail(*err)),
            }
        }
        _ => return bail("host arity"),
    })
}

fn host2<'r>(h: Host, a: &Val<'r>, b: &Val<'r>, limits: &Limits) -> Res<Val<'r>> {
    let date_text = |d: Result<Date, crate::calendar::DateError>| match d {
        Ok(d) => sized(crate::convert::ToRhai::to_rhai(&d), limits).map(Val::from_dynamic),
        Err(_) => bail("date out of range"),
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
                return bail("join of something other than an array");
            };
            let Ok(items) = items.as_array_ref() else {
                return bail("join of something other than an array");
            };
            let joined = items
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(sep);
            text(joined, limits)
        }
        _ => bail("host arity"),
    }
}

fn is_result(h: Host) -> bool {
    matches!(h, Host::Pass | Host::Fail | Host::NotApplicable)
}

/// A finding's message: a string, or a list of them joined (functions.rs, `message_of`).
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
            Err(_) => return bail("fail's paths"),
        },
        Val::Text(path) => vec![(*path).to_string()],
        Val::Str(path) => vec![path.to_string()],
        _ => return bail("fail's paths"),
    };
    Ok(RuleResult::Fail {
        message: message(message_value),
        paths,
    })
}

/// A host function's error: a missing field stays a `need` failure, anything else is Rhai's to
/// report.
fn missing_or_bail(err: EvalAltResult) -> Flow {
    if let EvalAltResult::ErrorRuntime(value, _) = err {
        if let Some(MissingField(path)) = value.try_cast::<MissingField>() {
            return Flow::Missing(path.into());
        }
    }
    Flow::Bail("host error")
}

/// A list or object of the request compared with a scalar: `plan == ()`, the usual test for
/// an object that may be missing. Rhai's default for operands of different types decides it
/// whatever the list or object holds (as [`binary`] does for a converted one), so the view is
/// not converted for it; converting an object to a Rhai map to compare it with `()` cost more
/// than the rest of the comparison.
fn view_against_scalar<'r>(op: Op, a: &Val<'_>, b: &Val<'_>) -> Option<Val<'r>> {
    if !matches!(op, Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge) {
        return None;
    }
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

fn compare<'r, T: PartialOrd + ?Sized>(op: Op, a: &T, b: &T) -> Res<Val<'r>> {
    Ok(Val::Bool(match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Add | Op::Sub | Op::Mul => return bail("arithmetic"),
    }))
}

/// Rhai's built-in binary operators (`func/builtin.rs`) for the types above.
fn binary<'r>(op: Op, a: &Val<'r>, b: &Val<'r>, limits: &Limits) -> Res<Val<'r>> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => {
            let result = match op {
                Op::Add => x.checked_add(*y),
                Op::Sub => x.checked_sub(*y),
                Op::Mul => x.checked_mul(*y),
                _ => return compare(op, x, y),
            };
            return match result {
                Some(n) => Ok(Val::Int(n)),
                None => bail("overflow"),
            };
        }
        (Val::Text(_) | Val::Str(_), Val::Text(_) | Val::Str(_)) => {
            let (x, y) = (string(a)?, string(b)?);
            return match op {
                Op::Add => {
                    if x.len() + y.len() > limits.max_string_size {
                        return bail("string size");
                    }
                    let mut joined = String::with_capacity(x.len() + y.len());
                    joined.push_str(x);
                    joined.push_str(y);
                    Ok(Val::Str(ImmutableString::from(joined)))
                }
                Op::Sub | Op::Mul => bail("string arithmetic"),
                _ => compare(op, x, y),
            };
        }
        _ => {}
    }
    // The two commonest pairs above, matched on the values themselves: going through `kind`
    // first cost 0.6 % of a decision. Everything else by the kinds Rhai's table knows.
    match (a.kind(), b.kind()) {
        (Kind::Other, _) | (_, Kind::Other) => bail("operand type"),
        // Decided above; here only so that the table below reads whole.
        (Kind::Int, Kind::Int) | (Kind::Str, Kind::Str) => bail("operand"),
        (Kind::Float, Kind::Float | Kind::Int) | (Kind::Int, Kind::Float) => {
            float_binary(op, number(a)?, number(b)?)
        }
        (Kind::Bool, Kind::Bool) => {
            let (Val::Bool(x), Val::Bool(y)) = (a, b) else {
                return bail("bool");
            };
            compare(op, x, y)
        }
        (Kind::Unit, Kind::Unit) => match op {
            Op::Eq => Ok(Val::Bool(true)),
            Op::Add | Op::Sub | Op::Mul => bail("unit arithmetic"),
            _ => Ok(Val::Bool(false)),
        },
        (Kind::Array, Kind::Array) if matches!(op, Op::Eq | Op::Ne) => {
            let equal = arrays_equal(a, b, limits)?;
            Ok(Val::Bool(equal == (op == Op::Eq)))
        }
        (Kind::Array, Kind::Array) if op == Op::Add => {
            let (Val::Dyn(x), Val::Dyn(y)) = (a, b) else {
                return bail("array");
            };
            let (Ok(x), Ok(y)) = (x.as_array_ref(), y.as_array_ref()) else {
                return bail("array");
            };
            let joined: Array = x.iter().chain(y.iter()).cloned().collect();
            sized(Dynamic::from_array(joined), limits).map(Val::Dyn)
        }
        (Kind::Array, Kind::Array) => bail("array operator"),
        (Kind::Map, Kind::Map) => bail("map operator"),
        // A string and a number or boolean: Rhai's string package appends its `to_string`.
        (Kind::Str, Kind::Int | Kind::Float | Kind::Bool) if op == Op::Add => {
            let mut out = string(a)?.to_string();
            append_display(&mut out, b)?;
            text(out, limits)
        }
        (Kind::Int | Kind::Float | Kind::Bool, Kind::Str) if op == Op::Add => {
            let mut out = String::new();
            append_display(&mut out, a)?;
            out.push_str(string(b)?);
            text(out, limits)
        }
        // `() + "s"` and `"s" + ()` give the string.
        (Kind::Unit, Kind::Str) if op == Op::Add => Ok(b.clone()),
        (Kind::Str, Kind::Unit) if op == Op::Add => Ok(a.clone()),
        // Different, non-numeric types: only the comparisons have a default.
        _ => match op {
            Op::Ne => Ok(Val::Bool(true)),
            Op::Eq | Op::Lt | Op::Le | Op::Gt | Op::Ge => Ok(Val::Bool(false)),
            Op::Add | Op::Sub | Op::Mul => bail("mixed arithmetic"),
        },
    }
}

fn number(v: &Val<'_>) -> Res<f64> {
    match v {
        Val::Float(f) => Ok(*f),
        Val::Int(i) => Ok(*i as f64),
        _ => bail("not a number"),
    }
}

/// Rhai's float operators (also for a float and an integer), comparisons within a relative
/// epsilon exactly as `func/builtin.rs` computes them.
fn float_binary<'r>(op: Op, x: f64, y: f64) -> Res<Val<'r>> {
    let max = if x * y == 0.0 {
        1.0
    } else {
        x.abs().max(y.abs())
    };
    let zero = max == 0.0;
    Ok(match op {
        Op::Add => Val::Float(x + y),
        Op::Sub => Val::Float(x - y),
        Op::Mul => Val::Float(x * y),
        Op::Eq => Val::Bool(zero || (x - y).abs() / max <= f64::EPSILON),
        Op::Ne => Val::Bool(!zero && (x - y).abs() / max > f64::EPSILON),
        Op::Gt => Val::Bool(!zero && (x - y) / max > f64::EPSILON),
        Op::Ge => Val::Bool(zero || (x - y) / max > -f64::EPSILON),
        Op::Lt => Val::Bool(!zero && (y - x) / max > f64::EPSILON),
        Op::Le => Val::Bool(zero || (y - x) / max > -f64::EPSILON),
    })
}

/// `element == item` for an element of an array, as [`binary`] decides it.
fn element_equals(element: &Dynamic, item: &Val<'_>, limits: &Limits) -> Res<bool> {
    if let Some(item) = item.as_str() {
        if let Ok(element) = element.as_immutable_string_ref() {
            return Ok(element.as_str() == item);
        }
    }
    Ok(matches!(
        binary(Op::Eq, &Val::of(element), item, limits)?,
        Val::Bool(true)
    ))
}

/// Rhai's array `==`: same length and every pair equal by `==`.
fn arrays_equal(a: &Val<'_>, b: &Val<'_>, limits: &Limits) -> Res<bool> {
    let (Val::Dyn(a), Val::Dyn(b)) = (a, b) else {
        return bail("array");
    };
    let (Ok(a), Ok(b)) = (a.as_array_ref(), b.as_array_ref()) else {
        return bail("array");
    };
    if a.len() != b.len() {
        return Ok(false);
    }
    for (x, y) in a.iter().zip(b.iter()) {
        if !element_equals(x, &Val::of(y), limits)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `item in container`.
fn contains<'r>(container: &Val<'r>, item: &Val<'r>, limits: &Limits) -> Res<Val<'r>> {
    match container {
        Val::Text(_) | Val::Str(_) => Ok(Val::Bool(string(container)?.contains(string(item)?))),
        Val::Dyn(d) => {
            if let Ok(array) = d.as_array_ref() {
                for element in array.iter() {
                    if element_equals(element, item, limits)? {
                        return Ok(Val::Bool(true));
                    }
                }
                return Ok(Val::Bool(false));
            }
            if let Ok(map) = d.as_map_ref() {
                return Ok(Val::Bool(map.contains_key(string(item)?)));
            }
            if let Some(ro) = d.read_lock::<ReadOnly>() {
                return Ok(Val::Bool(ro.contains(string(item)?)));
            }
            bail("contains")
        }
        _ => bail("contains"),
    }
}

fn method<'r>(m: Method, v: &Val<'r>) -> Res<Val<'r>> {
    let count = |n: usize| match i64::try_from(n) {
        Ok(n) => Ok(Val::Int(n)),
        Err(_) => bail("length"),
    };
    match (m, v.kind()) {
        (Method::IsEmpty, Kind::Str) => Ok(Val::Bool(string(v)?.is_empty())),
        (Method::Len, Kind::Str) => count(string(v)?.chars().count()),
        (Method::ToLower, Kind::Str) => {
            let s = string(v)?;
            if s.is_empty() || s.chars().all(char::is_lowercase) {
                return Ok(v.clone());
            }
            Ok(Val::Str(ImmutableString::from(s.to_lowercase())))
        }
        (Method::ToUpper, Kind::Str) => {
            let s = string(v)?;
            if s.chars().all(char::is_uppercase) {
                return Ok(v.clone());
            }
            Ok(Val::Str(ImmutableString::from(s.to_uppercase())))
        }
        (Method::IsEmpty | Method::Len, kind @ (Kind::Array | Kind::Map)) => {
            let size = match (v, kind) {
                (Val::Dyn(d), Kind::Array) => d.as_array_ref().map(|a| a.len()).ok(),
                (Val::Dyn(d), _) => d.as_map_ref().map(|a| a.len()).ok(),
                _ => None,
            };
            match size {
                Some(n) if m == Method::IsEmpty => Ok(Val::Bool(n == 0)),
                Some(n) => count(n),
                None if kind == Kind::Array => bail("array"),
                None => bail("map"),
            }
        }
        (Method::Floor, Kind::Float) => Ok(Val::Float(number(v)?.floor())),
        (Method::ToInt, Kind::Int) => Ok(v.clone()),
        (Method::ToInt, Kind::Float) => {
            // Rhai's range check, as it writes it; NaN passes it, so NaN is left to Rhai.
            let x = number(v)?;
            if x.is_nan() || x > i64::MAX as f64 || x < i64::MIN as f64 {
                return bail("to_int out of range");
            }
            Ok(Val::Int(x.trunc() as i64))
        }
        (Method::Keys, Kind::Map) => match v {
            Val::Dyn(d) => match d.as_map_ref() {
                Ok(map) => Ok(Val::Dyn(Dynamic::from_array(
                    map.keys()
                        .map(|k| Dynamic::from(ImmutableString::from(k.as_str())))
                        .collect(),
                ))),
                Err(_) => bail("map"),
            },
            _ => bail("map"),
        },
        (Method::TypeOf, k) => Ok(Val::Text(match k {
            Kind::Unit => "()",
            Kind::Bool => "bool",
            Kind::Int => "i64",
            Kind::Float => "f64",
            Kind::Str => "string",
            Kind::Array => "array",
            Kind::Map => "map",
            Kind::Other if matches!(v, Val::Dyn(d) if d.is::<ReadOnly>()) => "map",
            Kind::Other => return bail("type_of"),
        })),
        _ => bail("method"),
    }
}

/// `v.name`: a map's member (`()` when absent, as the engine configures Rhai), or a read-only
/// member of `req`/`params`.
fn property<'r>(v: &Val<'r>, name: &ImmutableString) -> Res<Val<'r>> {
    let Val::Dyn(d) = v else {
        return bail("property");
    };
    if let Ok(map) = d.as_map_ref() {
        return Ok(map.get(name.as_str()).map_or(Val::Unit, Val::of));
    }
    if let Some(ro) = d.read_lock::<ReadOnly>() {
        return Ok(Val::from_dynamic(ro.member(name.as_str())));
    }
    bail("property")
}

/// `v[i]` for an array and an index within it, or `req["key"]`.
fn index<'r>(v: &Val<'r>, i: &Val<'r>) -> Res<Val<'r>> {
    let Val::Dyn(d) = v else {
        return bail("index");
    };
    if let Ok(array) = d.as_array_ref() {
        let i = int(i)?;
        return match usize::try_from(i).ok().and_then(|i| array.get(i)) {
            Some(item) => Ok(Val::of(item)),
            None => bail("index out of bounds"),
        };
    }
    if let Ok(map) = d.as_map_ref() {
        return Ok(map.get(string(i)?).map_or(Val::Unit, Val::of));
    }
    if let Some(ro) = d.read_lock::<ReadOnly>() {
        return Ok(Val::from_dynamic(ro.member(string(i)?)));
    }
    bail("index")
}

/// What `${v}` writes: Rhai's `to_string` for strings, numbers, booleans and `()` (nothing).
fn append_display(out: &mut String, v: &Val<'_>) -> Res<()> {
    match v {
        Val::Text(s) => out.push_str(s),
        Val::Str(s) => out.push_str(s.as_str()),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Float(f) => out.push_str(&rhai::FloatWrapper::new(*f).to_string()),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Unit => {}
        _ => return bail("interpolated value"),
    }
    Ok(())
}

/// Deepest nesting of arrays a compiled rule may build. Rhai copies, measures and drops nested
/// values recursively; a rule nesting deeper than any real rule does (`loop { a = [a] }`) is
/// handed to Rhai, whose stack and time guards are sized for it (see `engine::with_stack`).
const MAX_DEPTH: usize = 32;

/// Rhai's data-size accounting (arrays and maps counted through nesting, string bytes summed),
/// or `None` past [`MAX_DEPTH`].
fn sizes(v: &Dynamic, depth: usize) -> Option<(usize, usize, usize)> {
    if depth > MAX_DEPTH {
        return None;
    }
    // Strings and scalars first: arrays that rules grow are mostly lists of strings, walked
    // again after every `push`.
    if let Ok(text) = v.as_immutable_string_ref() {
        return Some((0, 0, text.len()));
    }
    if !v.is_array() && !v.is_map() {
        return Some((0, 0, 0));
    }
    if let Ok(array) = v.as_array_ref() {
        return array.iter().try_fold((0, 0, 0), |(a, m, s), item| {
            let (a2, m2, s2) = sizes(item, depth + 1)?;
            Some((a + 1 + a2, m + m2, s + s2))
        });
    }
    if let Ok(map) = v.as_map_ref() {
        return map.values().try_fold((0, 0, 0), |(a, m, s), item| {
            let (a2, m2, s2) = sizes(item, depth + 1)?;
            Some((a + a2, m + 1 + m2, s + s2))
        });
    }
    Some((0, 0, 0))
}

fn check_size(v: &Dynamic, limits: &Limits) -> Res<()> {
    let Some((a, m, s)) = sizes(v, 0) else {
        return bail("deeply nested value");
    };
    if a > limits.max_array_size || m > limits.max_map_size || s > limits.max_string_size {
        return bail("data size");
    }
    Ok(())
}

fn sized(v: Dynamic, limits: &Limits) -> Res<Dynamic> {
    check_size(&v, limits)?;
    Ok(v)
}

/// [`sized`] for the compiled form's values: a string by its length, arrays and maps as Rhai
/// measures them.
fn sized_val<'r>(v: Val<'r>, limits: &Limits) -> Res<Val<'r>> {
    match &v {
        Val::Text(_) | Val::Str(_) => {
            if string(&v)?.len() > limits.max_string_size {
                return bail("data size");
            }
        }
        Val::Dyn(d) => check_size(d, limits)?,
        Val::Unit | Val::Bool(_) | Val::Int(_) | Val::Float(_) | Val::View(_) => {}
    }
    Ok(v)
}
