//! Runs a compiled rule. Every operation mirrors what Rhai does for the same types (the operator
//! tables of Rhai's `func/builtin.rs`, the package functions, the host functions of
//! `functions.rs`); for any other type, and for anything Rhai would report as an error, it bails
//! and the engine asks Rhai.

use std::cell::OnceCell;
use std::sync::Arc;

use rhai::{Array, Dynamic, EvalAltResult, ImmutableString};

use super::{
    Bail, Ex, ForLoop, Global, Host, Method, Op, PathArg, PathCall, PathKind, Program, St,
};
use crate::calendar::{is_eea, Date};
use crate::convert::{Found, Lookup};
use crate::engine::Limits;
use crate::functions::{
    da_scope, da_scope_of, date, is_empty_value, message_of, parse_path, paths_of, walk,
    MissingField, ReadOnly, RuleResult, Step,
};
use crate::request::Request;

/// `req`: the typed request, and its Rhai value built only if something needs it whole (a rule
/// running in Rhai, `req` passed as a value) rather than reading a field by path.
pub(crate) struct LazyReq<'a> {
    request: &'a Request,
    value: OnceCell<Dynamic>,
    /// No value in the request can be larger than the engine's size limits (the engine knows
    /// from the JSON text's length), so values read from it by path skip the size check that
    /// Rhai makes on every function's result: walking lists of objects to count them was about
    /// 5 % of a decision over generated requests (bench/NOTES.md, section 12).
    within_limits: bool,
}

impl<'a> LazyReq<'a> {
    pub fn new(request: &'a Request, within_limits: bool) -> Self {
        LazyReq {
            request,
            value: OnceCell::new(),
            within_limits,
        }
    }

    /// `req` as Rhai sees it: the request's map behind a read-only wrapper.
    pub fn value(&self) -> &Dynamic {
        self.value
            .get_or_init(|| ReadOnly::wrap("req", crate::convert::to_dynamic(self.request)))
    }
}

/// The constants a rule sees, as the engine put them in Rhai's scope.
pub(crate) struct Globals<'a> {
    pub req: &'a LazyReq<'a>,
    pub params: &'a Dynamic,
    pub as_of: &'a Dynamic,
    pub scenario: &'a Dynamic,
    pub lifecycle: &'a Dynamic,
}

/// A list or an object of the request, not converted: its path. Rules mostly walk a list of
/// objects reading a few fields of each item (`for asset in field(req, "data_assets", [])`,
/// `need(assets[i], "id")`); converting the whole list to Rhai maps for that, in every rule
/// that walks it, was most of those rules' time (bench/NOTES.md, section 12). A view lives in
/// variables and goes through `for`, `x[i]`, `len()` and path reads, which read on in the
/// typed request; every other use gets the converted value ([`Machine::converted`]), so rules see
/// exactly what Rhai gives them. Views exist only where reads need no size check
/// ([`LazyReq::within_limits`]).
#[derive(Clone)]
struct View(Arc<[Step]>);

fn view_of(v: &Dynamic) -> Option<View> {
    // `is_variant` first: a tag test, where the typed read tries every built-in type in turn.
    if !v.is_variant() {
        return None;
    }
    v.read_lock::<View>().map(|view| view.clone())
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
pub(crate) fn run(
    program: &Program,
    globals: &Globals<'_>,
    limits: &Limits,
    scratch: &mut Vec<Dynamic>,
) -> (Result<Run, Bail>, u64) {
    let mut slots = std::mem::take(scratch);
    slots.clear();
    // `resize` would call `Dynamic::clone` (its full match, not inlined) for every slot.
    slots.resize_with(program.slots, || Dynamic::UNIT);
    let mut machine = Machine {
        globals,
        limits,
        slots,
        operations: 0,
    };
    let outcome = match machine.tail(&program.body) {
        Err(Flow::Result(result)) => Ok(Run::Result(result)),
        // A view the rule ends with is converted here, so it never leaves the compiled form.
        Ok(value) | Err(Flow::Return(value)) => match machine.real_owned(value) {
            Ok(value) => Ok(Run::Value(value)),
            Err(Flow::Bail(why)) => Err(Bail(why)),
            Err(_) => Err(Bail("view")),
        },
        Err(Flow::Missing(path)) => Ok(Run::Missing(path)),
        Err(Flow::Bail(why)) => Err(Bail(why)),
        Err(Flow::Break | Flow::Continue) => Err(Bail("break outside a loop")),
    };
    // Values a rule left in its variables are dropped now, not with the next rule.
    machine.slots.drain(..).for_each(discard);
    *scratch = machine.slots;
    (outcome, machine.operations)
}

/// Drops a value a rule is done with. Many are `()` (a variable not yet set, the value of a
/// `let` or of an `if` without one), which own nothing, yet dropping a `Dynamic` calls its whole
/// drop glue, not inlined: skipping it for them was −1.6 % instructions per decision
/// (bench/NOTES.md, section 14). Anything else is dropped as usual (testing for booleans and
/// numbers too cost more than it saved: +0.6 %, section 15).
#[inline(always)]
fn discard(value: Dynamic) {
    if value.is_unit() {
        std::mem::forget(value);
    }
}

/// How evaluation leaves the normal path.
enum Flow {
    Return(Dynamic),
    /// A rule's result in tail position (`return pass();`, or the last statement): the same as
    /// `Return` of it, without the `Dynamic`.
    Result(RuleResult),
    Break,
    Continue,
    Missing(String),
    Bail(&'static str),
}

type Res<T> = Result<T, Flow>;

fn bail<T>(why: &'static str) -> Res<T> {
    Err(Flow::Bail(why))
}

struct Machine<'a> {
    globals: &'a Globals<'a>,
    limits: &'a Limits,
    slots: Vec<Dynamic>,
    operations: u64,
}

/// A value that can be read in place (no evaluation, no side effect).
fn is_place(e: &Ex) -> bool {
    matches!(e, Ex::Const(_) | Ex::Local(_) | Ex::Global(_))
}

impl<'a> Machine<'a> {
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

    fn global(&self, g: Global) -> &'a Dynamic {
        match g {
            Global::Req => self.globals.req.value(),
            Global::Params => self.globals.params,
            Global::AsOf => self.globals.as_of,
            Global::Scenario => self.globals.scenario,
            Global::Lifecycle => self.globals.lifecycle,
        }
    }

    fn place<'s>(&'s self, e: &'s Ex) -> Res<&'s Dynamic> {
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

    fn set(&mut self, slot: usize, value: Dynamic) -> Res<()> {
        match self.slots.get_mut(slot) {
            Some(s) => {
                discard(std::mem::replace(s, value));
                Ok(())
            }
            None => bail("slot"),
        }
    }

    /// `e`'s value when it has to be computed; `None` for a variable or constant, which is read
    /// in place ([`Self::value`]) once every operand has been evaluated, as Rhai reads them.
    fn computed(&mut self, e: &Ex) -> Res<Option<Dynamic>> {
        if is_place(e) {
            Ok(None)
        } else {
            self.eval(e).map(Some)
        }
    }

    /// `e`'s value: the one computed, or the variable or constant read now.
    fn value<'s>(&'s self, computed: &'s Option<Dynamic>, e: &'s Ex) -> Res<&'s Dynamic> {
        match computed {
            Some(v) => Ok(v),
            None => self.place(e),
        }
    }

    /// Applies `f` to the value of `e`, reading variables and constants in place.
    fn with1<T>(&mut self, e: &Ex, f: impl FnOnce(&Dynamic) -> Res<T>) -> Res<T> {
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
    fn keep_converted(&mut self, e: &Ex, value: Dynamic) {
        if let Ex::Local(slot) = e {
            if let Some(s) = self.slots.get_mut(*slot) {
                *s = value;
            }
        }
    }

    /// The value a view stands for, converted; `None` for any other value (use it as it is).
    #[inline]
    fn converted(&self, v: &Dynamic) -> Res<Option<Dynamic>> {
        if v.is_variant() {
            self.view_converted(v)
        } else {
            Ok(None)
        }
    }

    #[inline(never)]
    fn view_converted(&self, v: &Dynamic) -> Res<Option<Dynamic>> {
        match view_of(v) {
            Some(view) => match self.globals.req.request.lookup(&view.0) {
                Some(v) => Ok(Some(v)),
                None => bail("view"),
            },
            None => Ok(None),
        }
    }

    /// `v`, or the value it stands for if it is a view.
    fn real_owned(&self, v: Dynamic) -> Res<Dynamic> {
        Ok(self.converted(&v)?.unwrap_or(v))
    }

    /// The request's value at `steps`, as a rule reads it by path: a scalar converted, a list
    /// or object as a view (converted and size-checked instead when the request may hold
    /// values over the limits, as Rhai checks every function's result).
    fn read_request(&self, steps: &[Step]) -> Res<Option<Dynamic>> {
        let req = self.globals.req;
        if !req.within_limits {
            return match req.request.lookup(steps) {
                Some(v) => sized(v, self.limits).map(Some),
                None => Ok(None),
            };
        }
        Ok(match req.request.read(steps) {
            None => None,
            Some(Found::Value(v)) => Some(v),
            Some(Found::List(_) | Found::Object) => Some(Dynamic::from(View(steps.into()))),
        })
    }

    /// The request's value at a view's path followed by `more`.
    fn read_view(&self, view: &View, more: &[Step]) -> Res<Option<Dynamic>> {
        let mut steps = Vec::with_capacity(view.0.len() + more.len());
        steps.extend_from_slice(&view.0);
        steps.extend_from_slice(more);
        self.read_request(&steps)
    }

    /// The length of the list `view` is of, if it is of a list.
    fn list_len(&self, view: &View) -> Option<usize> {
        match self.globals.req.request.read(&view.0)? {
            Found::List(n) => Some(n),
            Found::Value(_) | Found::Object => None,
        }
    }

    /// Applies `f` to the values of `a` and `b`, evaluated left to right.
    fn with2<T>(&mut self, a: &Ex, b: &Ex, f: impl FnOnce(&Dynamic, &Dynamic) -> Res<T>) -> Res<T> {
        self.with2_or(a, b, |_, _| None, f)
    }

    /// [`Self::with2`], but `first` sees the values before a view among them is converted, and
    /// its answer, if any, is the result.
    fn with2_or<T>(
        &mut self,
        a: &Ex,
        b: &Ex,
        first: impl FnOnce(&Dynamic, &Dynamic) -> Option<T>,
        f: impl FnOnce(&Dynamic, &Dynamic) -> Res<T>,
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
    fn tail(&mut self, block: &[St]) -> Res<Dynamic> {
        let Some((last, init)) = block.split_last() else {
            return Ok(Dynamic::UNIT);
        };
        for stmt in init {
            discard(self.stmt(stmt)?);
        }
        match last {
            St::Expr(Ex::Host(h, args)) if is_result(*h) => {
                self.tick()?;
                self.tick()?;
                Err(Flow::Result(self.result(*h, args)?))
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

    fn block(&mut self, block: &[St]) -> Res<Dynamic> {
        let mut last = Dynamic::UNIT;
        for stmt in block {
            discard(std::mem::replace(&mut last, self.stmt(stmt)?));
        }
        Ok(last)
    }

    fn stmt(&mut self, stmt: &St) -> Res<Dynamic> {
        self.tick()?;
        match stmt {
            St::Let(slot, e) | St::Set(slot, e) => {
                let v = self.eval(e)?;
                self.set(*slot, v)?;
                Ok(Dynamic::UNIT)
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
                Ok(Dynamic::UNIT)
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
                Ok(Dynamic::UNIT)
            }
            St::For(f) => {
                let items: Array = match &f.iter {
                    Ex::Range(bounds, inclusive) => {
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
                        // Every turn costs an operation, so a range longer than the budget
                        // would bail anyway: do it before building the numbers.
                        let turns = u64::try_from(to.saturating_sub(from)).unwrap_or(0);
                        if turns > self.limits.max_operations {
                            return bail(Bail::OPERATIONS);
                        }
                        (from..to).map(Dynamic::from_int).collect()
                    }
                    iter => {
                        let iter = self.eval(iter)?;
                        if let Some(view) = view_of(&iter) {
                            if let Some(count) = self.list_len(&view) {
                                return self.for_view(f, &view, count);
                            }
                        }
                        let iter = self.real_owned(iter)?;
                        if !iter.is_array() {
                            return bail("for over something other than an array");
                        }
                        let Ok(items) = iter.into_array() else {
                            return bail("for over something other than an array");
                        };
                        items
                    }
                };
                for (i, item) in items.into_iter().enumerate() {
                    if self.turn(f, i, item)? {
                        break;
                    }
                }
                Ok(Dynamic::UNIT)
            }
            St::Return(Some(Ex::Host(h, args))) if is_result(*h) => {
                self.tick()?;
                Err(Flow::Result(self.result(*h, args)?))
            }
            St::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Dynamic::UNIT,
                };
                Err(Flow::Return(v))
            }
            St::Break => Err(Flow::Break),
            St::Continue => Err(Flow::Continue),
        }
    }

    /// One turn of a `for` loop; `true` when the body breaks out of it.
    fn turn(&mut self, f: &ForLoop, i: usize, item: Dynamic) -> Res<bool> {
        self.tick()?;
        self.set(f.item, item)?;
        if let Some(index) = f.index {
            let Ok(i) = i64::try_from(i) else {
                return bail("index");
            };
            self.set(index, Dynamic::from_int(i))?;
        }
        match self.block(&f.body) {
            Ok(_) | Err(Flow::Continue) => Ok(false),
            Err(Flow::Break) => Ok(true),
            Err(other) => Err(other),
        }
    }

    /// A `for` loop over a list of the request: each item read when its turn comes.
    fn for_view(&mut self, f: &ForLoop, view: &View, count: usize) -> Res<Dynamic> {
        for i in 0..count {
            let Some(item) = self.read_view(view, &[Step::Index(i)])? else {
                return bail("view item");
            };
            if self.turn(f, i, item)? {
                break;
            }
        }
        Ok(Dynamic::UNIT)
    }

    fn boolean(&mut self, e: &Ex) -> Res<bool> {
        self.with1(e, |v| match v.as_bool() {
            Ok(b) => Ok(b),
            Err(_) => bail("not a boolean"),
        })
    }

    fn eval(&mut self, e: &Ex) -> Res<Dynamic> {
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
                Ok(Dynamic::from(ImmutableString::from(text)))
            }
            Ex::Array(items) => {
                let mut array = Array::with_capacity(items.len());
                for item in items {
                    let item = self.eval(item)?;
                    array.push(self.real_owned(item)?);
                }
                sized(Dynamic::from_array(array), limits)
            }
            Ex::And(items) => {
                for item in items {
                    if !self.boolean(item)? {
                        return Ok(Dynamic::FALSE);
                    }
                }
                Ok(Dynamic::TRUE)
            }
            Ex::Or(items) => {
                for item in items {
                    if self.boolean(item)? {
                        return Ok(Dynamic::TRUE);
                    }
                }
                Ok(Dynamic::FALSE)
            }
            Ex::Coalesce(items) => {
                let mut last = Dynamic::UNIT;
                for item in items {
                    last = self.eval(item)?;
                    if !last.is_unit() {
                        break;
                    }
                }
                Ok(last)
            }
            Ex::Not(x) => Ok(Dynamic::from_bool(!self.boolean(x)?)),
            Ex::Neg(x) => self.with1(x, |v| match v.as_int() {
                Ok(i) if !v.is_float() => match i.checked_neg() {
                    Some(n) => Ok(Dynamic::from_int(n)),
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
                // `asset.name` on an object of the request reads the one field, as a path read
                // does, instead of converting the whole object for it.
                let computed = self.computed(x)?;
                if let Some(view) = view_of(self.value(&computed, x)?) {
                    if let Some(Found::Object) = self.globals.req.request.read(&view.0) {
                        let step = [Step::Key(name.as_str().into())];
                        return Ok(self.read_view(&view, &step)?.unwrap_or(Dynamic::UNIT));
                    }
                }
                let v = self.value(&computed, x)?;
                match self.converted(v)? {
                    Some(v) => sized(property(&v, name)?, limits),
                    None => sized(property(v, name)?, limits),
                }
            }
            Ex::Index(x) => self.index(&x.0, &x.1),
            Ex::Push(slot, x) => {
                self.tick()?;
                let value = self.eval(x)?;
                let value = self.real_owned(value)?;
                self.grow_local_array(*slot, |array| array.push(value))
            }
            Ex::Insert(slot, x) => {
                self.tick()?;
                let at = self.with1(&x.0, int)?;
                let value = self.eval(&x.1)?;
                let value = self.real_owned(value)?;
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
    fn size_of(&mut self, m: Method, x: &Ex) -> Res<Dynamic> {
        let computed = self.computed(x)?;
        let v = self.value(&computed, x)?;
        if let Some(n) = view_of(v).and_then(|view| self.list_len(&view)) {
            return match (m, i64::try_from(n)) {
                (Method::IsEmpty, _) => Ok(Dynamic::from_bool(n == 0)),
                (_, Ok(n)) => Ok(Dynamic::from_int(n)),
                (_, Err(_)) => bail("length"),
            };
        }
        match self.converted(v)? {
            Some(v) => method(m, &v),
            None => method(m, v),
        }
    }

    /// `base[at]`: an item of a view's list is read on in the request.
    #[inline(never)]
    fn index(&mut self, base: &Ex, at: &Ex) -> Res<Dynamic> {
        let limits = self.limits;
        let view_in = |m: &Self| match base {
            Ex::Local(slot) => m.slots.get(*slot).and_then(view_of),
            _ => None,
        };
        if view_in(self).is_none() {
            return self.with2(base, at, |v, i| sized(index(v, i)?, limits));
        }
        let i = self.eval(at)?;
        if let Some(view) = view_in(self) {
            if let (Ok(n), false) = (i.as_int(), i.is_float()) {
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
            Some(b) => sized(index(&b, &i)?, limits),
            None => sized(index(b, &i)?, limits),
        }
    }

    /// `push` and `insert` on a local array, which Rhai changes in place.
    fn grow_local_array(&mut self, slot: usize, grow: impl FnOnce(&mut Array)) -> Res<Dynamic> {
        let limits = self.limits;
        // A list read from the request is the rule's own copy once it changes.
        if let Some(v) = self.slots.get(slot) {
            if let Some(v) = self.converted(v)? {
                self.set(slot, v)?;
            }
        }
        let Some(target) = self.slots.get_mut(slot) else {
            return bail("slot");
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
        Ok(Dynamic::UNIT)
    }

    fn path(&mut self, p: &PathCall) -> Res<Dynamic> {
        let limits = self.limits;
        // Rhai evaluates every argument before the call, left to right.
        let computed = match &p.path {
            PathArg::Computed(e) => {
                let text = self.with1(e, string)?;
                match parse_path(text.as_str()) {
                    Some(steps) => Some((steps, text)),
                    None => return bail("malformed path"),
                }
            }
            PathArg::Parsed(..) => None,
        };
        let (steps, text): (&[Step], &ImmutableString) = match (&p.path, &computed) {
            (PathArg::Parsed(steps, text), _) => (steps, text),
            (PathArg::Computed(_), Some((steps, text))) => (steps, text),
            (PathArg::Computed(_), None) => return bail("path"),
        };
        let extra = match &p.extra {
            Some(e) => Some(self.eval(e)?),
            None => None,
        };
        if p.kind == PathKind::Need && extra.as_ref().is_some_and(|prefix| !prefix.is_string()) {
            return bail("need's prefix is not a string");
        }
        // Read from the request (`req`, or a view of a part of it): already checked. Any other
        // value is walked, and what is found checked against the limits as Rhai would.
        let (found, checked) = if matches!(p.target, Ex::Global(Global::Req)) {
            (self.read_request(steps)?, true)
        } else {
            let computed = self.computed(&p.target)?;
            let target = self.value(&computed, &p.target)?;
            match view_of(target) {
                Some(view) => (self.read_view(&view, steps)?, true),
                None => (
                    in_place(target, |root| walk(root, steps, |v| v.cloned())),
                    false,
                ),
            }
        };
        match (p.kind, found, extra) {
            (PathKind::Present, found, None) => Ok(Dynamic::from_bool(found.is_some())),
            (PathKind::Need | PathKind::Field, Some(v), _) if checked => Ok(v),
            (PathKind::Need | PathKind::Field, Some(v), _) => sized(v, limits),
            (PathKind::Field, None, None) => Ok(Dynamic::UNIT),
            (PathKind::Field, None, Some(default)) => Ok(default),
            (PathKind::Need, None, None) => Err(Flow::Missing(text.to_string())),
            (PathKind::Need, None, Some(prefix)) => match prefix.as_immutable_string_ref() {
                Ok(prefix) if prefix.is_empty() => Err(Flow::Missing(text.to_string())),
                Ok(prefix) => Err(Flow::Missing(format!("{}.{}", prefix.as_str(), text))),
                Err(_) => bail("need's prefix is not a string"),
            },
            _ => bail("path call"),
        }
    }

    /// `pass()`, `fail(message[, paths])`, `not_applicable([reason])`.
    fn result(&mut self, h: Host, args: &[Ex]) -> Res<RuleResult> {
        match (h, args) {
            (Host::Pass, []) => Ok(RuleResult::Pass),
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
                    message: message_of(a),
                    paths: Vec::new(),
                })
            }),
            (Host::Fail, [a, b]) => self.with2(a, b, fail),
            _ => bail("host arity"),
        }
    }

    fn host(&mut self, h: Host, args: &[Ex]) -> Res<Dynamic> {
        let limits = self.limits;
        if is_result(h) {
            return self.result(h, args).map(Dynamic::from);
        }
        match args {
            [] => bail("host arity"),
            // `da_scope(req)` reads two fields of the typed request: no need to build `req`.
            [Ex::Global(Global::Req)] if h == Host::DaScope => {
                match da_scope_of(self.globals.req.request) {
                    Ok(b) => Ok(Dynamic::from_bool(b)),
                    Err(MissingField(path)) => Err(Flow::Missing(path)),
                }
            }
            [a] => self.with1(a, |a| host1(h, a)),
            [a, b] => self.with2(a, b, |a, b| host2(h, a, b, limits)),
            [array, start, len] if h == Host::Extract => {
                // Left to right, as Rhai evaluates arguments; a variable is read in place.
                let computed = self.computed(array)?;
                let (start, len) = (self.eval(start)?, self.eval(len)?);
                let (start, len) = (int(&start)?, int(&len)?);
                let array = self.value(&computed, array)?;
                match self.converted(array)? {
                    Some(array) => sized(extract(&array, start, len)?, limits),
                    None => sized(extract(array, start, len)?, limits),
                }
            }
            _ => bail("host arity"),
        }
    }
}

/// Rhai's `array.extract(start, len)` for a start within the array or past its end.
fn extract(array: &Dynamic, start: i64, len: i64) -> Res<Dynamic> {
    let Ok(items) = array.as_array_ref() else {
        return bail("extract from something other than an array");
    };
    let Ok(start) = usize::try_from(start) else {
        return bail("negative start");
    };
    let len = usize::try_from(len).unwrap_or(0);
    let part: Array = items.iter().skip(start).take(len).cloned().collect();
    Ok(Dynamic::from_array(part))
}

/// Runs `f` on the value behind a read-only wrapper (`req`, `params`), or on `v` itself.
fn in_place<T>(v: &Dynamic, f: impl FnOnce(&Dynamic) -> T) -> T {
    match v.read_lock::<ReadOnly>() {
        Some(ro) => f(ro.inner()),
        None => f(v),
    }
}

fn string(v: &Dynamic) -> Res<ImmutableString> {
    match v.as_immutable_string_ref() {
        Ok(s) => Ok(s.clone()),
        Err(_) => bail("not a string"),
    }
}

fn int(v: &Dynamic) -> Res<i64> {
    if v.is_int() {
        if let Ok(i) = v.as_int() {
            return Ok(i);
        }
    }
    bail("not an integer")
}

fn day(v: &Dynamic) -> Res<Date> {
    date(string(v)?.as_str()).or_else(|_| bail("not a date"))
}

fn text(s: String, limits: &Limits) -> Res<Dynamic> {
    if s.len() > limits.max_string_size {
        return bail("string size");
    }
    Ok(Dynamic::from(ImmutableString::from(s)))
}

fn host1(h: Host, a: &Dynamic) -> Res<Dynamic> {
    Ok(match h {
        Host::Empty => Dynamic::from_bool(is_empty_value(a)),
        Host::IsDate if a.is_unit() => Dynamic::FALSE,
        Host::IsDate => Dynamic::from_bool(Date::parse(string(a)?.as_str()).is_ok()),
        Host::IsEea if a.is_unit() => Dynamic::FALSE,
        Host::IsEea => Dynamic::from_bool(is_eea(string(a)?.as_str())),
        Host::DaScope => match in_place(a, da_scope) {
            Ok(b) => Dynamic::from_bool(b),
            Err(err) => return Err(missing_or_bail(*err)),
        },
        _ => return bail("host arity"),
    })
}

fn host2(h: Host, a: &Dynamic, b: &Dynamic, limits: &Limits) -> Res<Dynamic> {
    let date_text = |d: Result<Date, crate::calendar::DateError>| match d {
        Ok(d) => sized(crate::convert::ToRhai::to_rhai(&d), limits),
        Err(_) => bail("date out of range"),
    };
    match h {
        Host::Days => Ok(Dynamic::from_int(day(a)?.days_until(day(b)?))),
        Host::WorkingDays => Ok(Dynamic::from_int(day(a)?.working_days_until(day(b)?))),
        Host::AddDays => date_text(day(a)?.add_days(int(b)?)),
        Host::AddMonths => date_text(day(a)?.add_months(int(b)?)),
        Host::MinDate => date_text(Ok(day(a)?.min(day(b)?))),
        Host::MaxDate => date_text(Ok(day(a)?.max(day(b)?))),
        Host::Join => {
            let sep = string(b)?;
            let Ok(items) = a.as_array_ref() else {
                return bail("join of something other than an array");
            };
            let joined = items
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(sep.as_str());
            text(joined, limits)
        }
        _ => bail("host arity"),
    }
}

fn is_result(h: Host) -> bool {
    matches!(h, Host::Pass | Host::Fail | Host::NotApplicable)
}

/// `fail(message, paths)`; `paths` a list or one path.
fn fail(message: &Dynamic, paths: &Dynamic) -> Res<RuleResult> {
    let paths = if let Ok(paths) = paths.as_array_ref() {
        paths_of(&paths)
    } else if let Ok(path) = paths.as_immutable_string_ref() {
        vec![path.to_string()]
    } else {
        return bail("fail's paths");
    };
    Ok(RuleResult::Fail {
        message: message_of(message),
        paths,
    })
}

/// A host function's error: a missing field stays a `need` failure, anything else is Rhai's to
/// report.
fn missing_or_bail(err: EvalAltResult) -> Flow {
    if let EvalAltResult::ErrorRuntime(value, _) = err {
        if let Some(MissingField(path)) = value.try_cast::<MissingField>() {
            return Flow::Missing(path);
        }
    }
    Flow::Bail("host error")
}

/// How Rhai's operators see a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unit,
    Bool,
    Int,
    Float,
    Str,
    Array,
    Map,
    /// Characters, custom types…: left to Rhai.
    Other,
}

fn kind(v: &Dynamic) -> Kind {
    if v.is_unit() {
        Kind::Unit
    } else if v.is_bool() {
        Kind::Bool
    } else if v.is_int() {
        Kind::Int
    } else if v.is_float() {
        Kind::Float
    } else if v.is_string() {
        Kind::Str
    } else if v.is_array() {
        Kind::Array
    } else if v.is_map() {
        Kind::Map
    } else {
        Kind::Other
    }
}

/// A list or object of the request compared with a scalar: `plan == ()`, the usual test for
/// an object that may be missing. Rhai's default for operands of different types decides it
/// whatever the list or object holds (as [`binary`] does for a converted one), so the view is
/// not converted for it; converting an object to a Rhai map to compare it with `()` cost more
/// than the rest of the comparison.
fn view_against_scalar(op: Op, a: &Dynamic, b: &Dynamic) -> Option<Dynamic> {
    if !matches!(op, Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge) {
        return None;
    }
    let is_view = |v: &Dynamic| v.is_variant() && v.read_lock::<View>().is_some();
    let is_scalar = |v: &Dynamic| {
        matches!(
            kind(v),
            Kind::Unit | Kind::Bool | Kind::Int | Kind::Float | Kind::Str
        )
    };
    if (is_view(a) && is_scalar(b)) || (is_scalar(a) && is_view(b)) {
        Some(Dynamic::from_bool(op == Op::Ne))
    } else {
        None
    }
}

fn compare<T: PartialOrd + ?Sized>(op: Op, a: &T, b: &T) -> Res<Dynamic> {
    Ok(Dynamic::from_bool(match op {
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
fn binary(op: Op, a: &Dynamic, b: &Dynamic, limits: &Limits) -> Res<Dynamic> {
    match (kind(a), kind(b)) {
        (Kind::Other, _) | (_, Kind::Other) => bail("operand type"),
        (Kind::Int, Kind::Int) => {
            let (x, y) = (int(a)?, int(b)?);
            let result = match op {
                Op::Add => x.checked_add(y),
                Op::Sub => x.checked_sub(y),
                Op::Mul => x.checked_mul(y),
                _ => return compare(op, &x, &y),
            };
            match result {
                Some(n) => Ok(Dynamic::from_int(n)),
                None => bail("overflow"),
            }
        }
        (Kind::Float, Kind::Float | Kind::Int) | (Kind::Int, Kind::Float) => {
            float_binary(op, number(a)?, number(b)?)
        }
        (Kind::Str, Kind::Str) => {
            let (x, y) = (string(a)?, string(b)?);
            match op {
                Op::Add => {
                    if x.len() + y.len() > limits.max_string_size {
                        return bail("string size");
                    }
                    Ok(Dynamic::from(x + y))
                }
                Op::Sub | Op::Mul => bail("string arithmetic"),
                _ => compare(op, x.as_str(), y.as_str()),
            }
        }
        (Kind::Bool, Kind::Bool) => {
            let (Ok(x), Ok(y)) = (a.as_bool(), b.as_bool()) else {
                return bail("bool");
            };
            compare(op, &x, &y)
        }
        (Kind::Unit, Kind::Unit) => match op {
            Op::Eq => Ok(Dynamic::TRUE),
            Op::Add | Op::Sub | Op::Mul => bail("unit arithmetic"),
            _ => Ok(Dynamic::FALSE),
        },
        (Kind::Array, Kind::Array) if matches!(op, Op::Eq | Op::Ne) => {
            let equal = arrays_equal(a, b, limits)?;
            Ok(Dynamic::from_bool(equal == (op == Op::Eq)))
        }
        (Kind::Array, Kind::Array) if op == Op::Add => {
            let (Ok(x), Ok(y)) = (a.as_array_ref(), b.as_array_ref()) else {
                return bail("array");
            };
            let joined: Array = x.iter().chain(y.iter()).cloned().collect();
            sized(Dynamic::from_array(joined), limits)
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
            out.push_str(string(b)?.as_str());
            text(out, limits)
        }
        // `() + "s"` and `"s" + ()` give the string.
        (Kind::Unit, Kind::Str) if op == Op::Add => Ok(b.clone()),
        (Kind::Str, Kind::Unit) if op == Op::Add => Ok(a.clone()),
        // Different, non-numeric types: only the comparisons have a default.
        _ => match op {
            Op::Ne => Ok(Dynamic::TRUE),
            Op::Eq | Op::Lt | Op::Le | Op::Gt | Op::Ge => Ok(Dynamic::FALSE),
            Op::Add | Op::Sub | Op::Mul => bail("mixed arithmetic"),
        },
    }
}

fn number(v: &Dynamic) -> Res<f64> {
    if let Ok(f) = v.as_float() {
        return Ok(f);
    }
    Ok(int(v)? as f64)
}

/// Rhai's float operators (also for a float and an integer), comparisons within a relative
/// epsilon exactly as `func/builtin.rs` computes them.
fn float_binary(op: Op, x: f64, y: f64) -> Res<Dynamic> {
    let max = if x * y == 0.0 {
        1.0
    } else {
        x.abs().max(y.abs())
    };
    let zero = max == 0.0;
    Ok(match op {
        Op::Add => Dynamic::from_float(x + y),
        Op::Sub => Dynamic::from_float(x - y),
        Op::Mul => Dynamic::from_float(x * y),
        Op::Eq => Dynamic::from_bool(zero || (x - y).abs() / max <= f64::EPSILON),
        Op::Ne => Dynamic::from_bool(!zero && (x - y).abs() / max > f64::EPSILON),
        Op::Gt => Dynamic::from_bool(!zero && (x - y) / max > f64::EPSILON),
        Op::Ge => Dynamic::from_bool(zero || (x - y) / max > -f64::EPSILON),
        Op::Lt => Dynamic::from_bool(!zero && (y - x) / max > f64::EPSILON),
        Op::Le => Dynamic::from_bool(zero || (y - x) / max > -f64::EPSILON),
    })
}

/// Rhai's array `==`: same length and every pair equal by `==`.
fn arrays_equal(a: &Dynamic, b: &Dynamic, limits: &Limits) -> Res<bool> {
    let (Ok(a), Ok(b)) = (a.as_array_ref(), b.as_array_ref()) else {
        return bail("array");
    };
    if a.len() != b.len() {
        return Ok(false);
    }
    for (x, y) in a.iter().zip(b.iter()) {
        if !binary(Op::Eq, x, y, limits)?.as_bool().unwrap_or(false) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `item in container`.
fn contains(container: &Dynamic, item: &Dynamic, limits: &Limits) -> Res<Dynamic> {
    if let Ok(array) = container.as_array_ref() {
        for element in array.iter() {
            let equal = binary(Op::Eq, element, item, limits)?;
            if equal.as_bool().unwrap_or(false) {
                return Ok(Dynamic::TRUE);
            }
        }
        return Ok(Dynamic::FALSE);
    }
    if let Ok(text) = container.as_immutable_string_ref() {
        return Ok(Dynamic::from_bool(text.contains(string(item)?.as_str())));
    }
    if let Ok(map) = container.as_map_ref() {
        return Ok(Dynamic::from_bool(map.contains_key(string(item)?.as_str())));
    }
    if let Some(ro) = container.read_lock::<ReadOnly>() {
        return Ok(Dynamic::from_bool(ro.contains(string(item)?.as_str())));
    }
    bail("contains")
}

fn method(m: Method, v: &Dynamic) -> Res<Dynamic> {
    let count = |n: usize| match i64::try_from(n) {
        Ok(n) => Ok(Dynamic::from_int(n)),
        Err(_) => bail("length"),
    };
    match (m, kind(v)) {
        (Method::IsEmpty, Kind::Str) => Ok(Dynamic::from_bool(string(v)?.is_empty())),
        (Method::Len, Kind::Str) => count(string(v)?.chars().count()),
        (Method::ToLower, Kind::Str) => {
            let s = string(v)?;
            if s.is_empty() || s.chars().all(char::is_lowercase) {
                return Ok(Dynamic::from(s));
            }
            Ok(Dynamic::from(ImmutableString::from(s.to_lowercase())))
        }
        (Method::ToUpper, Kind::Str) => {
            let s = string(v)?;
            if s.chars().all(char::is_uppercase) {
                return Ok(Dynamic::from(s));
            }
            Ok(Dynamic::from(ImmutableString::from(s.to_uppercase())))
        }
        (Method::IsEmpty | Method::Len, Kind::Array) => match v.as_array_ref() {
            Ok(a) if m == Method::IsEmpty => Ok(Dynamic::from_bool(a.is_empty())),
            Ok(a) => count(a.len()),
            Err(_) => bail("array"),
        },
        (Method::IsEmpty | Method::Len, Kind::Map) => match v.as_map_ref() {
            Ok(a) if m == Method::IsEmpty => Ok(Dynamic::from_bool(a.is_empty())),
            Ok(a) => count(a.len()),
            Err(_) => bail("map"),
        },
        (Method::Floor, Kind::Float) => Ok(Dynamic::from_float(number(v)?.floor())),
        (Method::ToInt, Kind::Int) => Ok(v.clone()),
        (Method::ToInt, Kind::Float) => {
            // Rhai's range check, as it writes it; NaN passes it, so NaN is left to Rhai.
            let x = number(v)?;
            if x.is_nan() || x > i64::MAX as f64 || x < i64::MIN as f64 {
                return bail("to_int out of range");
            }
            Ok(Dynamic::from_int(x.trunc() as i64))
        }
        (Method::Keys, Kind::Map) => match v.as_map_ref() {
            Ok(map) => Ok(Dynamic::from_array(
                map.keys()
                    .map(|k| Dynamic::from(ImmutableString::from(k.as_str())))
                    .collect(),
            )),
            Err(_) => bail("map"),
        },
        (Method::TypeOf, k) => Ok(Dynamic::from(match k {
            Kind::Unit => "()",
            Kind::Bool => "bool",
            Kind::Int => "i64",
            Kind::Float => "f64",
            Kind::Str => "string",
            Kind::Array => "array",
            Kind::Map => "map",
            Kind::Other if v.is::<ReadOnly>() => "map",
            Kind::Other => return bail("type_of"),
        })),
        _ => bail("method"),
    }
}

/// `v.name`: a map's member (`()` when absent, as the engine configures Rhai), or a read-only
/// member of `req`/`params`.
fn property(v: &Dynamic, name: &ImmutableString) -> Res<Dynamic> {
    if let Ok(map) = v.as_map_ref() {
        return Ok(map.get(name.as_str()).cloned().unwrap_or(Dynamic::UNIT));
    }
    if let Some(ro) = v.read_lock::<ReadOnly>() {
        return Ok(ro.member(name.as_str()));
    }
    bail("property")
}

/// `v[i]` for an array and an index within it, or `req["key"]`.
fn index(v: &Dynamic, i: &Dynamic) -> Res<Dynamic> {
    if let Ok(array) = v.as_array_ref() {
        let i = int(i)?;
        return match usize::try_from(i).ok().and_then(|i| array.get(i)) {
            Some(item) => Ok(item.clone()),
            None => bail("index out of bounds"),
        };
    }
    if let Ok(map) = v.as_map_ref() {
        return Ok(map
            .get(string(i)?.as_str())
            .cloned()
            .unwrap_or(Dynamic::UNIT));
    }
    if let Some(ro) = v.read_lock::<ReadOnly>() {
        return Ok(ro.member(string(i)?.as_str()));
    }
    bail("index")
}

/// What `${v}` writes: Rhai's `to_string` for strings, numbers, booleans and `()` (nothing).
fn append_display(out: &mut String, v: &Dynamic) -> Res<()> {
    match kind(v) {
        Kind::Str => out.push_str(string(v)?.as_str()),
        Kind::Int => out.push_str(&int(v)?.to_string()),
        Kind::Float => out.push_str(&rhai::FloatWrapper::new(number(v)?).to_string()),
        Kind::Bool => out.push_str(if v.as_bool().unwrap_or(false) {
            "true"
        } else {
            "false"
        }),
        Kind::Unit => {}
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
