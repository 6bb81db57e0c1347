//! `comply::lint::impossible-condition`: a condition that can never hold.

mod known;

use std::cmp::Ordering;

use crate::ast::{BinaryOp, Quantifier};
use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{written, Context};
use crate::program::expr::{CExpr, CKind, Literal};
use crate::program::shape::Type;
use crate::program::Program;
use crate::source::{one_line, SourceFile};
use known::{compare, equal, Domain, Known, Test};

declare_lint! {
    /// # What
    ///
    /// Finds conditions that can never hold given the declared shape and the other
    /// conditions they stand with:
    ///
    /// - a value compared with itself (`x < x`, `x != x`) or two fixed values compared
    ///   (`1 > 2`, `"a" == "b"`), and `false` itself;
    /// - membership of an empty list (`x in []`);
    /// - a value it cannot take: a whole number (`int`) equal to `2.5`, a count below zero,
    ///   `count([a, b]) >= 3`;
    /// - tests that exclude each other in one `and`, or across the `applies when` clauses
    ///   of an obligation: an enum equal to two members, `within` two branches of the
    ///   hierarchy that do not overlap, `!=` every member of its enum, bounds that leave no
    ///   value (`x > 10 and x < 5`), `is present` and `is missing`, a condition and its
    ///   `not`;
    /// - an `unless` or a `require` that contradicts the obligation's `applies when`, and
    ///   so can never hold where it is checked.
    ///
    /// The type checker already refuses a member of another enum (`sector == high_risk`
    /// where `high_risk` belongs to another enum) and a `within` of a member outside the
    /// field's enum; this lint finds what type-checks but still cannot hold.
    ///
    /// # Why
    ///
    /// A condition that never holds turns its clause into dead text: an `applies when`
    /// makes the obligation never apply, an `unless` never exempts, a `require` fails
    /// everywhere it is checked. Such conditions are typos (`and` for `or`, `<` for `>`,
    /// the wrong member) that no declaration can reveal, since every result is merely
    /// consistent with them.
    ///
    /// # Example
    ///
    /// ```text
    /// obligation nis.essential {
    ///   applies when organisation.sector == energy and organisation.sector == transport
    ///   require organisation.employees >= 50 and organisation.employees < 10
    /// }
    /// ```
    ///
    /// # Fix
    ///
    /// Write what was meant: `organisation.sector in [energy, transport]`, bounds in the
    /// right direction, the member or field intended.
    pub struct ImpossibleCondition;
}

/// Which clause a condition comes from, for the help line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Clause {
    Applies,
    Unless,
    Require,
    Define,
}

/// Warns about conditions of the linted files that can never hold.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (file, _, def) in cx.obligations() {
        let an = Analysis {
            program: cx.program,
            file: &file.source,
        };
        let applies: Vec<&CExpr> = def.applies_when.iter().map(|(c, _)| c).collect();
        let found = an.scan_all(&[], &applies);
        let context: Vec<Given<'_>> = if found.is_some() {
            Vec::new()
        } else {
            applies
                .iter()
                .flat_map(|e| conjuncts(e))
                .map(|e| Given {
                    expr: e,
                    applies: true,
                })
                .collect()
        };
        if let Some(n) = found {
            out.push(an.report(&n, Clause::Applies));
        }
        for u in &def.unless {
            if let Some(n) = an.scan(&u.condition, &context) {
                out.push(an.report(&n, Clause::Unless));
            }
        }
        for r in &def.requires {
            if let Some(n) = an.scan(&r.condition, &context) {
                out.push(an.report(&n, Clause::Require));
            }
        }
    }
    for (file, d) in cx.defines() {
        let Some(def) = cx.program.defines.iter().find(|x| x.name == d.name.name) else {
            continue;
        };
        if def.body.ty != Type::Bool {
            continue;
        }
        let an = Analysis {
            program: cx.program,
            file: &file.source,
        };
        if let Some(n) = an.scan(&def.body, &[]) {
            out.push(an.report(&n, Clause::Define));
        }
    }
}

/// A condition known to hold where another is evaluated.
#[derive(Clone, Copy)]
struct Given<'e> {
    expr: &'e CExpr,
    /// From the obligation's `applies when`, rather than a neighbour in the same `and`.
    applies: bool,
}

/// A condition that can never hold, and why.
struct Never<'e> {
    at: &'e CExpr,
    why: Why<'e>,
}

enum Why<'e> {
    False,
    Itself,
    Fixed,
    EmptyList,
    NotAlways,
    Domain(Domain),
    /// Excluded by these other conditions; `range` when they are bounds on an order.
    Conflict {
        with: Vec<Given<'e>>,
        range: bool,
    },
}

struct Analysis<'a> {
    program: &'a Program,
    file: &'a SourceFile,
}

/// The operands of a chain of `and`.
fn conjuncts(e: &CExpr) -> Vec<&CExpr> {
    let mut out = Vec::new();
    chain(e, BinaryOp::And, &mut out);
    out
}

fn chain<'e>(e: &'e CExpr, op: BinaryOp, out: &mut Vec<&'e CExpr>) {
    match &e.kind {
        CKind::Binary(o, a, b) if *o == op => {
            chain(a, op, out);
            chain(b, op, out);
        }
        _ => out.push(e),
    }
}

impl<'a> Analysis<'a> {
    fn scan<'e>(&self, e: &'e CExpr, given: &[Given<'e>]) -> Option<Never<'e>> {
        self.scan_all(given, &[e])
    }

    /// The first part of the conjunction of `roots` that can never hold where `given` do.
    fn scan_all<'e>(&self, given: &[Given<'e>], roots: &[&'e CExpr]) -> Option<Never<'e>> {
        let conj: Vec<&CExpr> = roots.iter().flat_map(|r| conjuncts(r)).collect();
        for (i, c) in conj.iter().enumerate() {
            if let Some(n) = self.local(c) {
                return Some(n);
            }
            let mut inner: Vec<Given<'e>> = given.to_vec();
            inner.extend(
                conj.iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, e)| Given {
                        expr: e,
                        applies: false,
                    }),
            );
            if let Some(n) = self.descend(c, &inner) {
                return Some(n);
            }
        }
        self.conflict(given, &conj)
    }

    /// Looks inside a condition: the branches of an `or`, the body of a quantifier, the
    /// conditions of a `count`, what a `not` negates.
    fn descend<'e>(&self, e: &'e CExpr, given: &[Given<'e>]) -> Option<Never<'e>> {
        match &e.kind {
            CKind::Binary(BinaryOp::Or, _, _) => {
                let mut branches = Vec::new();
                chain(e, BinaryOp::Or, &mut branches);
                branches.into_iter().find_map(|b| self.scan(b, given))
            }
            CKind::Binary(BinaryOp::And, _, _) => self.scan(e, given),
            CKind::Not(x) => {
                if self.always(x) {
                    return Some(Never {
                        at: e,
                        why: Why::NotAlways,
                    });
                }
                self.scan(x, &[])
            }
            CKind::Quantifier(q, _, list, body) => {
                if *q == Quantifier::Any && self.values(list).is_some_and(|v| v.is_empty()) {
                    return Some(Never {
                        at: e,
                        why: Why::EmptyList,
                    });
                }
                self.scan(body, given)
            }
            CKind::CountOf(inner) => match &inner.kind {
                CKind::List(items) => items.iter().find_map(|i| self.scan(i, given)),
                _ => None,
            },
            CKind::Binary(_, a, b) => self.descend(a, given).or_else(|| self.descend(b, given)),
            _ => None,
        }
    }

    /// A condition that can never hold by itself.
    fn local<'e>(&self, e: &'e CExpr) -> Option<Never<'e>> {
        use BinaryOp::*;
        let why = match &e.kind {
            CKind::Literal(Literal::Bool(false)) => Why::False,
            CKind::Binary(op @ (Eq | Ne | Lt | Le | Gt | Ge), a, b) => {
                if same(a, b) && matches!(op, Ne | Lt | Gt) {
                    Why::Itself
                } else if self.fixed_comparison(*op, a, b) == Some(false) {
                    Why::Fixed
                } else {
                    return None;
                }
            }
            CKind::Binary(op @ (In | Within), a, b) => match (self.value(a), self.values(b)) {
                (_, Some(list)) if list.is_empty() => Why::EmptyList,
                (Some(x), Some(list)) if !list.iter().any(|y| self.matches(*op, a, &x, y)) => {
                    Why::Fixed
                }
                _ => return None,
            },
            CKind::Binary(NotIn, a, b) => match (self.value(a), self.values(b)) {
                (Some(x), Some(list)) if list.iter().any(|y| equal(&x, y)) => Why::Fixed,
                _ => return None,
            },
            _ => return None,
        };
        Some(Never { at: e, why })
    }

    /// True when a condition holds wherever its facts are known.
    fn always(&self, e: &CExpr) -> bool {
        use BinaryOp::*;
        match &e.kind {
            CKind::Literal(Literal::Bool(true)) => true,
            CKind::Binary(op @ (Eq | Ne | Lt | Le | Gt | Ge), a, b) => {
                (same(a, b) && matches!(op, Eq | Le | Ge))
                    || self.fixed_comparison(*op, a, b) == Some(true)
            }
            CKind::Binary(NotIn, _, b) => self.values(b).is_some_and(|v| v.is_empty()),
            _ => false,
        }
    }

    /// The outcome of comparing two fixed values.
    fn fixed_comparison(&self, op: BinaryOp, a: &CExpr, b: &CExpr) -> Option<bool> {
        let (x, y) = (self.value(a)?, self.value(b)?);
        let ord = compare(&x, &y);
        Some(match op {
            BinaryOp::Eq => ord == Some(Ordering::Equal),
            BinaryOp::Ne => ord != Some(Ordering::Equal),
            BinaryOp::Lt => ord? == Ordering::Less,
            BinaryOp::Le => ord? != Ordering::Greater,
            BinaryOp::Gt => ord? == Ordering::Greater,
            BinaryOp::Ge => ord? != Ordering::Less,
            _ => return None,
        })
    }

    /// `x in [.., y, ..]` or `x within [.., y, ..]` for one fixed `y`.
    fn matches(&self, op: BinaryOp, a: &CExpr, x: &Literal, y: &Literal) -> bool {
        match (op, &a.ty, x, y) {
            (BinaryOp::Within, Type::Enum(e), Literal::Enum(_, m), Literal::Enum(_, n)) => {
                self.program.shape.enumeration(*e).within(*m, *n)
            }
            _ => equal(x, y),
        }
    }

    /// A fixed value: a literal, a negated number, or a constant `define` of one.
    fn value(&self, e: &CExpr) -> Option<Literal> {
        self.value_at(e, 0)
    }

    fn value_at(&self, e: &CExpr, depth: usize) -> Option<Literal> {
        match &e.kind {
            CKind::Literal(l) => Some(l.clone()),
            CKind::Neg(x) => match self.value_at(x, depth)? {
                Literal::Int(n) => n.checked_neg().map(Literal::Int),
                Literal::Number(n) => Some(Literal::Number(-n)),
                _ => None,
            },
            CKind::Constant(i) if depth < 8 => {
                let body = &self.program.defines.get(*i)?.body;
                self.value_at(body, depth + 1)
            }
            _ => None,
        }
    }

    /// A fixed list: a list of fixed values, or a constant `define` of one.
    fn values(&self, e: &CExpr) -> Option<Vec<Literal>> {
        self.values_at(e, 0)
    }

    fn values_at(&self, e: &CExpr, depth: usize) -> Option<Vec<Literal>> {
        match &e.kind {
            CKind::List(items) => items.iter().map(|i| self.value(i)).collect(),
            CKind::Constant(i) if depth < 8 => {
                let body = &self.program.defines.get(*i)?.body;
                self.values_at(body, depth + 1)
            }
            _ => None,
        }
    }

    /// What a condition says of a subject that is not fixed, if it says something simple.
    fn test<'e>(&self, e: &'e CExpr) -> Option<(&'e CExpr, Test)> {
        use BinaryOp::*;
        match &e.kind {
            CKind::Binary(op @ (Eq | Ne | Lt | Le | Gt | Ge), a, b) => {
                let (subject, op, v) = match (self.value(a), self.value(b)) {
                    (None, Some(v)) => (&**a, *op, v),
                    (Some(v), None) => (&**b, flip(*op), v),
                    _ => return None,
                };
                let test = match op {
                    Eq => Test::OneOf(vec![v]),
                    Ne => Test::NoneOf(vec![v]),
                    _ => Test::Bound(op, v),
                };
                Some((subject, test))
            }
            CKind::Binary(op @ (In | NotIn | Within), a, b) if self.value(a).is_none() => {
                let list = self.values(b).or_else(|| self.value(b).map(|v| vec![v]))?;
                let test = match (op, &a.ty) {
                    (In, _) => Test::OneOf(list),
                    (NotIn, _) => Test::NoneOf(list),
                    (_, Type::Enum(id)) => {
                        let def = self.program.shape.enumeration(*id);
                        let under = (0..def.members.len())
                            .filter_map(|i| u32::try_from(i).ok())
                            .filter(|m| {
                                list.iter().any(
                                    |a| matches!(a, Literal::Enum(_, anc) if def.within(*m, *anc)),
                                )
                            })
                            .map(|m| Literal::Enum(*id, m))
                            .collect();
                        Test::OneOf(under)
                    }
                    _ => return None,
                };
                Some((a, test))
            }
            CKind::Presence(x, present) => Some((x, Test::Present(*present))),
            CKind::EvidenceValid(x) => Some((x, Test::Present(true))),
            CKind::Not(x) if x.is_path() && x.ty == Type::Bool => {
                Some((x, Test::OneOf(vec![Literal::Bool(false)])))
            }
            _ if e.is_path() && e.ty == Type::Bool => {
                Some((e, Test::OneOf(vec![Literal::Bool(true)])))
            }
            _ => None,
        }
    }

    /// The first of `conj` that the conditions before it (`given` first) rule out.
    fn conflict<'e>(&self, given: &[Given<'e>], conj: &[&'e CExpr]) -> Option<Never<'e>> {
        let all: Vec<(Given<'e>, bool)> = given
            .iter()
            .map(|g| (*g, false))
            .chain(conj.iter().map(|e| {
                (
                    Given {
                        expr: e,
                        applies: false,
                    },
                    true,
                )
            }))
            .collect();
        // A condition and its negation.
        for (k, (c, own)) in all.iter().enumerate() {
            if !own {
                continue;
            }
            let negates =
                |x: &CExpr, y: &CExpr| matches!(&x.kind, CKind::Not(inner) if same(inner, y));
            if let Some((d, _)) = all
                .iter()
                .take(k)
                .find(|(d, _)| negates(c.expr, d.expr) || negates(d.expr, c.expr))
            {
                return Some(Never {
                    at: c.expr,
                    why: Why::Conflict {
                        with: vec![*d],
                        range: false,
                    },
                });
            }
        }
        // Tests of one subject that no value passes together.
        let tests: Vec<(Given<'e>, bool, &CExpr, Test)> = all
            .iter()
            .filter_map(|(g, own)| self.test(g.expr).map(|(s, t)| (*g, *own, s, t)))
            .collect();
        let mut done: Vec<&CExpr> = Vec::new();
        for (_, _, subject, _) in &tests {
            if done.iter().any(|s| same(s, subject)) {
                continue;
            }
            done.push(subject);
            let blank = match &subject.ty {
                Type::Enum(e) => Known::new(subject).with_members(&self.program.shape, *e),
                _ => Known::new(subject),
            };
            let mut known = blank.clone();
            let mut before: Vec<Given<'e>> = Vec::new();
            for (g, own, _, t) in tests.iter().filter(|(_, _, s, _)| same(s, subject)) {
                known.add(t);
                if known.feasible() {
                    before.push(*g);
                    continue;
                }
                if !own {
                    break; // the obligation's own `applies when` contradicts itself: reported there
                }
                let mut alone = blank.clone();
                alone.add(t);
                let why = match alone.domain() {
                    Some(d) => Why::Domain(d),
                    None => Why::Conflict {
                        with: before,
                        range: matches!(t, Test::Bound(..)),
                    },
                };
                return Some(Never { at: g.expr, why });
            }
        }
        None
    }

    /// The condition as written, quoted, or `fallback` when it is long.
    fn quote(&self, e: &CExpr, limit: usize, fallback: &str) -> String {
        let text = one_line(self.file.slice(e.span));
        if text.is_empty() || text.chars().count() > limit {
            fallback.to_string()
        } else {
            format!("`{text}`")
        }
    }

    fn report(&self, n: &Never<'_>, clause: Clause) -> Diagnostic {
        let what = self.quote(n.at, 48, "this condition");
        let consequence = match clause {
            Clause::Applies => "the obligation never applies",
            Clause::Unless => "the exemption is never taken",
            Clause::Require => "the requirement fails wherever it is checked",
            Clause::Define => "it is false wherever it is called",
        };
        let (message, help) = match &n.why {
            Why::False => (
                format!("{what} never holds"),
                format!("{consequence}; write the condition that was meant"),
            ),
            Why::Itself => (
                format!("{what} compares a value with itself"),
                format!("{consequence}; compare with what was meant: another fact, a literal or `today`"),
            ),
            Why::Fixed => (
                format!("{what} compares fixed values and never holds"),
                format!("{consequence}; one side should be a fact of the declaration"),
            ),
            Why::EmptyList => (
                format!("{what} looks in an empty list"),
                format!("{consequence}; list the values it may take"),
            ),
            Why::NotAlways => (
                format!("{what} negates a condition that always holds"),
                format!("{consequence}; compare with what was meant: another fact, a literal or `today`"),
            ),
            Why::Domain(d) => (
                format!(
                    "{what} never holds: {}",
                    match d {
                        Domain::WholeNumber => "the value is a whole number".to_string(),
                        Domain::NegativeCount => "a count is never negative".to_string(),
                        Domain::CountAtMost(k) => format!("it counts at most {k} conditions"),
                    }
                ),
                format!("{consequence}; compare with a value it can take"),
            ),
            Why::Conflict { with, range } => {
                let message = match with.as_slice() {
                    [one] => format!(
                        "{what} contradicts {}",
                        self.quote(one.expr, 40, "another condition")
                    ),
                    _ => format!("{what} contradicts the conditions before it"),
                };
                let help = if with.iter().any(|g| g.applies) {
                    format!("it never holds where the obligation applies, so {consequence}; check both conditions")
                } else if *range {
                    format!("no value is within both bounds, so {consequence}; check the bounds and the direction of `<` and `>`")
                } else {
                    format!("{consequence}; to accept either value, join the tests with `or` or write `in [...]`")
                };
                (message, help)
            }
        };
        let mut d = Diagnostic::warning(Code::LintImpossibleCondition, message)
            .in_file(self.file)
            .label(written(self.file, n.at.span), "never holds");
        if let Why::Conflict { with, .. } = &n.why {
            for g in with.iter().rev().take(3) {
                let text = if g.applies {
                    "where the obligation applies"
                } else {
                    "given this"
                };
                d = d.label(written(self.file, g.expr.span), text);
            }
        }
        d.help(help)
    }
}

/// The same comparison with its sides swapped: `3 < x` is `x > 3`.
fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

/// Structural equality of checked expressions, spans ignored.
fn same(a: &CExpr, b: &CExpr) -> bool {
    use CKind::*;
    let all = |xs: &[CExpr], ys: &[CExpr]| {
        xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
    };
    match (&a.kind, &b.kind) {
        (Literal(x), Literal(y)) => x == y,
        (Today, Today) => true,
        (Local(x), Local(y)) | (Root(x), Root(y)) | (Constant(x), Constant(y)) => x == y,
        (Field(x, r, i), Field(y, s, j)) => r == s && i == j && same(x, y),
        (List(xs), List(ys)) => all(xs, ys),
        (Not(x), Not(y))
        | (Neg(x), Neg(y))
        | (CountOf(x), CountOf(y))
        | (EvidenceValid(x), EvidenceValid(y)) => same(x, y),
        (Binary(o, x1, x2), Binary(p, y1, y2)) => o == p && same(x1, y1) && same(x2, y2),
        (Presence(x, p), Presence(y, q)) => p == q && same(x, y),
        (Quantifier(q, s, l, x), Quantifier(r, t, m, y)) => {
            q == r && s == t && same(l, m) && same(x, y)
        }
        (Call(f, xs), Call(g, ys)) => f == g && all(xs, ys),
        (ObligationRef(q, i), ObligationRef(r, j)) => q == r && i == j,
        _ => false,
    }
}
