//! Which statements and branches of a rule ran: what `cloudgate test --coverage` and the
//! workbench's shading report. Counting is off unless a caller asks for it, so a decision
//! pays one test of an empty `Option` per statement.
//!
//! Statements and branches are named by the place their statement starts at: the lowering
//! keeps a place for every statement, and two statements never start at the same place. A
//! branch site is an `if` (arms: then, else) or a `switch` (arms: each case in order, then the
//! default or nothing).

use std::collections::BTreeMap;

use crate::lang::Pos;
use crate::lang::{Block, Ex, PathArg, Program, St};

/// What one rule could run: its statements and branch sites, found by walking its lowered
/// form once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sites {
    /// Every statement's place.
    pub statements: Vec<(u32, u32)>,
    /// Every branch site's place and its number of arms.
    pub branches: Vec<((u32, u32), usize)>,
}

/// What ran, counted while a rule runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub(crate) statements: BTreeMap<(u32, u32), u64>,
    pub(crate) branches: BTreeMap<((u32, u32), usize), u64>,
    /// The place of the statement that runs now: the site a branch taken in it belongs to.
    pub(crate) current: Pos,
}

impl Hits {
    pub(crate) fn statement(&mut self, at: Pos) {
        self.current = at;
        *self.statements.entry((at.line, at.column)).or_default() += 1;
    }

    pub(crate) fn branch(&mut self, site: Pos, arm: usize) {
        *self
            .branches
            .entry(((site.line, site.column), arm))
            .or_default() += 1;
    }

    /// How often the statement at (line, column) ran.
    pub fn statement_hits(&self, at: (u32, u32)) -> u64 {
        self.statements.get(&at).copied().unwrap_or(0)
    }

    /// How often arm `arm` of the branch site at (line, column) was taken.
    pub fn branch_hits(&self, at: (u32, u32), arm: usize) -> u64 {
        self.branches.get(&(at, arm)).copied().unwrap_or(0)
    }
}

impl Sites {
    pub(crate) fn of(program: &Program) -> Sites {
        let mut sites = Sites::default();
        sites.block(&program.body);
        for f in &program.functions {
            sites.block(&f.body);
        }
        sites.statements.sort_unstable();
        sites.statements.dedup();
        sites.branches.sort_unstable();
        sites.branches.dedup();
        sites
    }

    fn block(&mut self, block: &Block) {
        for (i, st) in block.stmts.iter().enumerate() {
            let at = block.pos(i);
            if at.is_known() {
                self.statements.push((at.line, at.column));
            }
            self.stmt(st, at);
        }
    }

    fn stmt(&mut self, st: &St, at: Pos) {
        match st {
            St::Let(_, e) | St::Set(_, e) | St::Update(_, _, e) | St::Expr(e) => self.expr(e),
            St::Return(e) | St::Throw(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
            }
            St::SetIn(s) => {
                for access in &s.path {
                    if let crate::lang::Access::Index(e) = access {
                        self.expr(e);
                    }
                }
                self.expr(&s.value);
            }
            St::If(x) => {
                let (condition, then, otherwise) = &**x;
                self.site(at, 2);
                self.expr(condition);
                self.block(then);
                self.block(otherwise);
            }
            St::Switch(s) => {
                self.site(at, s.arms.len() + 1);
                self.expr(&s.value);
                for (_, condition, arm) in &s.arms {
                    if let Some(c) = condition {
                        self.expr(c);
                    }
                    self.expr(arm);
                }
                if let Some(d) = &s.default {
                    self.expr(d);
                }
            }
            St::While(x) => {
                if let Some(c) = &x.0 {
                    self.expr(c);
                }
                self.block(&x.1);
            }
            St::DoWhile(x) => {
                self.block(&x.0);
                self.expr(&x.1);
            }
            St::For(f) => {
                self.expr(&f.iter);
                self.block(&f.body);
            }
            St::Break | St::Continue => {}
        }
    }

    fn site(&mut self, at: Pos, arms: usize) {
        if at.is_known() {
            self.branches.push(((at.line, at.column), arms));
        }
    }

    /// Blocks inside expressions (`let x = if c { a } else { b };`) hold statements too.
    fn expr(&mut self, e: &Ex) {
        match e {
            Ex::Const(_) | Ex::Local(_) | Ex::Global(_) => {}
            Ex::Interp(xs)
            | Ex::Array(xs)
            | Ex::And(xs)
            | Ex::Or(xs)
            | Ex::Coalesce(xs)
            | Ex::Host(_, xs)
            | Ex::MethodN(_, xs) => xs.iter().for_each(|x| self.expr(x)),
            Ex::Map(members) => members.iter().for_each(|(_, x)| self.expr(x)),
            Ex::Not(x) | Ex::Method(_, x) | Ex::Prop(x, _) => self.expr(x),
            Ex::Neg(x) => self.expr(&x.0),
            Ex::Bin(_, x) | Ex::Contains(x) | Ex::Index(x) => {
                self.expr(&x.0);
                self.expr(&x.1);
            }
            Ex::Path(p) => {
                self.expr(&p.target);
                if let PathArg::Computed(x, _) = &p.path {
                    self.expr(x);
                }
                if let Some(x) = &p.extra {
                    self.expr(x);
                }
            }
            Ex::Mutate(x) => x.2.iter().for_each(|a| self.expr(a)),
            Ex::Call(c) => c.args.iter().for_each(|a| self.expr(a)),
            Ex::Range(x, _) => {
                self.expr(&x.0);
                self.expr(&x.1);
                if let Some(step) = &x.2 {
                    self.expr(step);
                }
            }
            Ex::Block(b) => self.block(b),
        }
    }
}

/// What ran across many decisions, one [`Hits`] per rule of the pack (by the rule's place in
/// `Engine::pack().rules`): from [`crate::Engine::coverage`], filled by
/// [`crate::Engine::evaluate_json_covered`], read by [`crate::Engine::coverage_report`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    rules: Vec<Hits>,
}

impl Coverage {
    pub(crate) fn new(rules: usize) -> Coverage {
        Coverage {
            rules: vec![Hits::default(); rules],
        }
    }

    pub(crate) fn rule_mut(&mut self, index: usize) -> Option<&mut Hits> {
        self.rules.get_mut(index)
    }

    pub(crate) fn rule(&self, index: usize) -> Option<&Hits> {
        self.rules.get(index)
    }
}

/// Covered out of total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Count {
    pub covered: usize,
    pub total: usize,
}

/// One branch site: where it starts and how often each arm was taken (an `if`: then, else; a
/// `switch`: each case, then the default).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Branch {
    pub line: u32,
    pub column: u32,
    pub taken: Vec<u64>,
}

/// One rule's coverage, as `cloudgate test --coverage` prints it and the workbench shades it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RuleCoverage {
    pub rule: String,
    /// The rule's source file, relative to the pack's root.
    pub file: String,
    /// Each line a statement starts on, with how often the most run of them ran.
    pub lines: BTreeMap<u32, u64>,
    pub statements: Count,
    /// The statements that never ran, as (line, column): a line can hold several (each `${…}`
    /// of a message is one), so `lines` alone can hide one.
    pub statements_missed: Vec<(u32, u32)>,
    /// Arms of branch sites taken at least once, of all arms.
    pub branch_arms: Count,
    pub branches: Vec<Branch>,
}

impl RuleCoverage {
    pub(crate) fn of(meta: &crate::pack::RuleMeta, sites: &Sites, hits: Option<&Hits>) -> Self {
        let none = Hits::default();
        let hits = hits.unwrap_or(&none);
        let mut lines = BTreeMap::new();
        let mut statements = Count::default();
        let mut statements_missed = Vec::new();
        for &at in &sites.statements {
            let n = hits.statement_hits(at);
            if n == 0 {
                statements_missed.push(at);
            }
            let line: &mut u64 = lines.entry(at.0).or_default();
            *line = (*line).max(n);
            statements.total += 1;
            statements.covered += usize::from(n > 0);
        }
        let mut branch_arms = Count::default();
        let branches = sites
            .branches
            .iter()
            .map(|&(at, arms)| {
                let taken: Vec<u64> = (0..arms).map(|arm| hits.branch_hits(at, arm)).collect();
                branch_arms.total += arms;
                branch_arms.covered += taken.iter().filter(|n| **n > 0).count();
                Branch {
                    line: at.0,
                    column: at.1,
                    taken,
                }
            })
            .collect();
        RuleCoverage {
            rule: meta.id.clone(),
            file: meta.file.clone(),
            lines,
            statements,
            statements_missed,
            branch_arms,
            branches,
        }
    }

    /// The uncovered places, for a report: statements that never ran (`line` when none of its
    /// line ran, else `line:column`), and branch arms never taken (`line:column#arm`).
    pub fn missed(&self) -> (Vec<String>, Vec<String>) {
        let mut statements: Vec<String> = Vec::new();
        for &(line, column) in &self.statements_missed {
            if self.lines.get(&line).is_some_and(|n| *n > 0) {
                statements.push(format!("{line}:{column}"));
            } else if statements.last() != Some(&line.to_string()) {
                statements.push(line.to_string());
            }
        }
        let arms = self
            .branches
            .iter()
            .flat_map(|b| {
                b.taken
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n == 0)
                    .map(move |(arm, _)| format!("{}:{}#{}", b.line, b.column, arm))
            })
            .collect();
        (statements, arms)
    }
}

/// The report in lcov's tracefile format (`genhtml`, editors' coverage gutters): one record a
/// rule file, `root` prefixed to each file's path.
pub fn lcov(rules: &[RuleCoverage], root: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for r in rules {
        let path = if root.is_empty() {
            r.file.clone()
        } else {
            format!("{}/{}", root.trim_end_matches('/'), r.file)
        };
        let _ = writeln!(out, "TN:\nSF:{path}");
        for (block, b) in r.branches.iter().enumerate() {
            for (arm, n) in b.taken.iter().enumerate() {
                let _ = writeln!(out, "BRDA:{},{block},{arm},{n}", b.line);
            }
        }
        let _ = writeln!(
            out,
            "BRF:{}\nBRH:{}",
            r.branch_arms.total, r.branch_arms.covered
        );
        for (line, n) in &r.lines {
            let _ = writeln!(out, "DA:{line},{n}");
        }
        let lines_hit = r.lines.values().filter(|n| **n > 0).count();
        let _ = writeln!(out, "LF:{}\nLH:{lines_hit}\nend_of_record", r.lines.len());
    }
    out
}
