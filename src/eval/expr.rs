//! Evaluates checked expressions against one declaration.

use std::cell::Cell;
use std::cmp::Ordering;
use std::rc::Rc;

use super::budget::Budget;
use super::join::{self, Joins};
use super::status::{ItemResult, Status};
use super::tri::{self, Fact, Gap, Tri};
use super::value::{compare, items, Out, Val};
use crate::ast::{BinaryOp, ObligationQuery, Quantifier};
use crate::decl::value::{join_path, Declaration};
use crate::program::expr::{CExpr, CKind, Literal};
use crate::program::shape::EVIDENCE;
use crate::program::{Domain, ObligationDef, Program};
use crate::time::{Date, Duration};

/// What an expression can see besides its local variables.
pub struct Scope<'a> {
    /// The checked packs.
    pub program: &'a Program,
    /// The declaration evaluated.
    pub decl: &'a Declaration,
    /// The evaluation date.
    pub today: Date,
    /// Results of the obligations evaluated so far, by obligation index.
    pub results: &'a [Option<Vec<ItemResult>>],
    /// The domain and item position of the obligation being evaluated.
    pub current: (&'a Domain, Option<usize>),
    /// Indexes of lists by key, shared by every obligation of one declaration.
    pub joins: &'a Joins,
    /// The expressions this evaluation may still evaluate.
    pub budget: Budget,
    /// The rule file of the expressions being evaluated: the obligation's, or that of
    /// the predicate called, so that a value which cannot be computed is named by its place.
    file: Cell<usize>,
}

impl<'a> Scope<'a> {
    /// The scope of one result of `ob`: for the item at `position` of its list, or for
    /// the organisation.
    pub fn new(
        program: &'a Program,
        decl: &'a Declaration,
        today: Date,
        results: &'a [Option<Vec<ItemResult>>],
        joins: &'a Joins,
        ob: &'a ObligationDef,
        position: Option<usize>,
    ) -> Scope<'a> {
        Scope {
            program,
            decl,
            today,
            results,
            current: (&ob.domain, position),
            joins,
            budget: Budget::new(program.max_steps),
            file: Cell::new(ob.file),
        }
    }

    /// Unknown, because the rules cannot compute `e` from the declared values; named by
    /// its place in the rule file (`rules/dp/breach.comply:12:5`).
    fn invalid(&self, e: &CExpr, why: &'static str) -> Out<'static> {
        let place = match self.program.files.get(self.file.get()) {
            Some(file) => {
                let (line, column) = file.line_col(e.span.start);
                format!("{}:{line}:{column}", file.name())
            }
            None => format!("{}..{}", e.span.start, e.span.end),
        };
        Out::Unknown(vec![Fact {
            path: place,
            gap: Gap::Invalid(why),
        }])
    }

    /// Evaluates the body of a predicate or constant declared in `file`.
    fn in_file(&self, file: usize, f: impl FnOnce() -> Out<'a>) -> Out<'a> {
        let outer = self.file.replace(file);
        let out = f();
        self.file.set(outer);
        out
    }

    /// Evaluates a condition.
    pub fn truth(&self, e: &'a CExpr, frame: &mut Vec<Out<'a>>) -> Tri {
        // Once the budget is spent every expression is unknown at once, so that loops
        // over long lists finish in one pass each instead of evaluating their bodies.
        if !self.budget.step() {
            return Tri::Unknown(Vec::new());
        }
        match &e.kind {
            CKind::Binary(BinaryOp::And, a, b) => {
                let left = self.truth(a, frame);
                if left.is_false() {
                    return Tri::False;
                }
                left.and(self.truth(b, frame))
            }
            CKind::Binary(BinaryOp::Or, a, b) => {
                let left = self.truth(a, frame);
                if left.is_true() {
                    return Tri::True;
                }
                left.or(self.truth(b, frame))
            }
            CKind::Not(inner) => self.truth(inner, frame).negate(),
            _ => self.eval(e, frame).truth(),
        }
    }

    /// Evaluates an expression.
    pub fn eval(&self, e: &'a CExpr, frame: &mut Vec<Out<'a>>) -> Out<'a> {
        if !self.budget.step() {
            return Out::Unknown(Vec::new());
        }
        match &e.kind {
            CKind::Literal(l) => Out::Known(match l {
                Literal::Bool(b) => Val::Bool(*b),
                Literal::Int(n) => Val::Int(*n),
                Literal::Number(n) => Val::Number(*n),
                Literal::Text(t) => Val::Text(t),
                Literal::Date(d) => Val::Date(*d),
                Literal::DateTime(d) => Val::DateTime(*d),
                Literal::Duration(d) => Val::Duration(*d),
                Literal::Enum(_, m) => Val::Enum(*m),
            }),
            CKind::Today => Out::Known(Val::Date(self.today)),
            CKind::Local(slot) => frame
                .get(*slot)
                .cloned()
                .unwrap_or(Out::Unknown(Vec::new())),
            CKind::Root(index) => {
                self.field_of(&self.decl.root, *index, crate::program::shape::DECLARATION)
            }
            CKind::Field(base, record, index) => match self.eval(base, frame) {
                Out::Known(Val::Record(r)) => self.field_of(r, *index, *record),
                Out::Absent(path) => {
                    let name = self
                        .program
                        .shape
                        .field(*record, *index)
                        .map_or("?", |f| f.name.as_str());
                    Out::Absent(join_path(&path, name))
                }
                other => other,
            },
            CKind::Constant(index) => match self.program.defines.get(*index) {
                Some(d) => {
                    let mut inner = vec![Out::Unknown(Vec::new()); d.locals];
                    self.in_file(d.file, || self.eval(&d.body, &mut inner))
                }
                None => self.invalid(e, "unknown constant"),
            },
            CKind::List(elements) => {
                let outs: Vec<Out<'a>> = elements.iter().map(|x| self.eval(x, frame)).collect();
                Out::Known(Val::Written(Rc::new(outs)))
            }
            CKind::Not(_) | CKind::Binary(BinaryOp::And | BinaryOp::Or, _, _) => {
                Out::from_tri(self.truth(e, frame))
            }
            CKind::Neg(inner) => match self.eval(inner, frame) {
                Out::Known(Val::Int(n)) => n
                    .checked_neg()
                    .map_or_else(|| self.invalid(e, "overflow"), |v| Out::Known(Val::Int(v))),
                Out::Known(Val::Number(n)) => Out::Known(Val::Number(-n)),
                Out::Known(Val::Duration(d)) => d.negate().map_or_else(
                    || self.invalid(e, "overflow"),
                    |v| Out::Known(Val::Duration(v)),
                ),
                Out::Range(lo, hi, f) => Out::Range(-hi, -lo, f),
                other => other,
            },
            CKind::Binary(op, a, b) => self.binary(e, *op, a, b, frame),
            CKind::Presence(inner, present) => {
                // Whether a field is there cannot be told when the record holding it is
                // itself a required fact left out.
                if let CKind::Field(base, _, _) = &inner.kind {
                    if let Out::Unknown(gaps) = self.eval(base, frame) {
                        return Out::Unknown(gaps);
                    }
                }
                let there = matches!(self.eval(inner, frame), Out::Known(_) | Out::Range(..));
                Out::Known(Val::Bool(there == *present))
            }
            CKind::Quantifier(q, slot, list, body) => self.quantifier(*q, *slot, list, body, frame),
            CKind::CountOf(list) => match self.eval(list, frame) {
                Out::Known(v) => {
                    let c = tri::count(items(&v).into_iter().map(Out::truth));
                    range(c.lo, c.hi, c.gaps)
                }
                Out::Absent(_) => Out::Known(Val::Int(0)),
                other => other,
            },
            CKind::Call(index, args) => match self.program.defines.get(*index) {
                Some(d) => {
                    let mut inner: Vec<Out<'a>> =
                        args.iter().map(|a| self.eval(a, frame)).collect();
                    inner.resize(d.locals.max(args.len()), Out::Unknown(Vec::new()));
                    self.in_file(d.file, || self.eval(&d.body, &mut inner))
                }
                None => self.invalid(e, "unknown predicate"),
            },
            CKind::ObligationRef(q, index) => Out::from_tri(self.obligation_ref(*q, *index)),
            CKind::EvidenceValid(inner) => Out::from_tri(self.evidence(inner, frame)),
        }
    }

    fn field_of(&self, r: &'a crate::decl::value::Record, index: usize, record: usize) -> Out<'a> {
        match r.get(index) {
            Some(v) => Out::of(v),
            None => {
                let field = self.program.shape.field(record, index);
                let name = field.map_or("?", |f| f.name.as_str());
                if field.is_some_and(|f| f.optional) {
                    Out::Absent(r.field_path(name))
                } else {
                    Out::Unknown(vec![Fact::missing(r.field_path(name))])
                }
            }
        }
    }

    fn evidence(&self, inner: &'a CExpr, frame: &mut Vec<Out<'a>>) -> Tri {
        match self.eval(inner, frame) {
            Out::Known(Val::Record(r)) => {
                let shape = &self.program.shape;
                let def = shape.record(EVIDENCE);
                let mut gaps = Vec::new();
                for name in ["ref", "collected"] {
                    if def.field(name).and_then(|i| r.get(i)).is_none() {
                        gaps.push(Fact {
                            path: r.field_path(name),
                            gap: Gap::EvidenceNeeded,
                        });
                    }
                }
                if !gaps.is_empty() {
                    return Tri::Unknown(gaps);
                }
                let expires = def.field("expires").and_then(|i| r.get(i));
                match expires {
                    Some(crate::decl::value::Value::Date(d)) if *d <= self.today => {
                        Tri::Unknown(vec![Fact {
                            path: r.path.to_string(),
                            gap: Gap::EvidenceExpired(*d),
                        }])
                    }
                    _ => Tri::True,
                }
            }
            Out::Absent(path) => Tri::Unknown(vec![Fact {
                path,
                gap: Gap::EvidenceNeeded,
            }]),
            Out::Unknown(facts) | Out::Range(_, _, facts) => Tri::Unknown(
                facts
                    .into_iter()
                    .map(|f| match f.gap {
                        Gap::Missing => Fact {
                            gap: Gap::EvidenceNeeded,
                            ..f
                        },
                        _ => f,
                    })
                    .collect(),
            ),
            Out::Known(_) => Tri::False,
        }
    }

    fn quantifier(
        &self,
        q: Quantifier,
        slot: usize,
        list: &'a CExpr,
        body: &'a CExpr,
        frame: &mut Vec<Out<'a>>,
    ) -> Out<'a> {
        let listed = match self.eval(list, frame) {
            Out::Known(v) => v,
            Out::Absent(_) => Val::Written(Rc::new(Vec::new())),
            Out::Unknown(f) | Out::Range(_, _, f) => return Out::Unknown(f),
        };
        if frame.len() <= slot {
            frame.resize(slot + 1, Out::Unknown(Vec::new()));
        }
        if let (Val::Stated(values), Some((field, key))) = (&listed, join::pattern(slot, body)) {
            if let Out::Known(Val::Text(key)) = self.eval(key, frame) {
                let index = self.joins.index(values, field);
                let matching = index.matching(key);
                // Stated texts other than the key make the body false: they decide `all`.
                if q == Quantifier::All && matching < index.regular {
                    return Out::Known(Val::Bool(false));
                }
                let others = index.irregular.iter().filter_map(|&i| values.get(i));
                let truths = std::iter::repeat_n(Tri::True, matching).chain(others.map(|v| {
                    if let Some(s) = frame.get_mut(slot) {
                        *s = Out::of(v);
                    }
                    self.truth(body, frame)
                }));
                return conclude(q, truths);
            }
        }
        let elements: Box<dyn Iterator<Item = Out<'a>>> = match listed {
            Val::Stated(values) => Box::new(values.iter().map(Out::of)),
            Val::Written(values) => {
                Box::new((0..values.len()).filter_map(move |i| values.get(i).cloned()))
            }
            _ => Box::new(std::iter::empty()),
        };
        // Lazily, so that `any` and `all` stop at the first decisive item without having
        // copied the rest of the list.
        let truths = elements.map(|el| {
            if let Some(s) = frame.get_mut(slot) {
                *s = el;
            }
            self.truth(body, frame)
        });
        conclude(q, truths)
    }

    fn obligation_ref(&self, q: ObligationQuery, index: usize) -> Tri {
        let (Some(Some(results)), Some(target)) =
            (self.results.get(index), self.program.obligations.get(index))
        else {
            return Tri::Unknown(Vec::new());
        };
        let one = |r: &ItemResult| match q {
            ObligationQuery::Applies => r.applies(),
            ObligationQuery::Satisfied => match r.status {
                Status::Satisfied | Status::Waived => Tri::True,
                Status::Unknown => Tri::Unknown(r.gaps().to_vec()),
                Status::Violated | Status::Blocked | Status::NotApplicable => Tri::False,
            },
        };
        let (domain, item) = self.current;
        if &target.domain == domain {
            if let (Domain::Each(_), Some(i)) = (domain, item) {
                return results.get(i).map_or(Tri::False, one);
            }
        }
        match q {
            ObligationQuery::Applies => tri::any(results.iter().map(one)),
            ObligationQuery::Satisfied => {
                let applicable: Vec<&ItemResult> =
                    results.iter().filter(|r| r.may_apply()).collect();
                if applicable.is_empty() {
                    return Tri::False;
                }
                tri::all(applicable.into_iter().map(one))
            }
        }
    }

    fn binary(
        &self,
        e: &'a CExpr,
        op: BinaryOp,
        a: &'a CExpr,
        b: &'a CExpr,
        frame: &mut Vec<Out<'a>>,
    ) -> Out<'a> {
        use BinaryOp::*;
        match op {
            And | Or => Out::from_tri(self.truth(e, frame)),
            In | NotIn | Within => {
                let (x, y) = (self.eval(a, frame), self.eval(b, frame));
                let enum_id = match a.ty {
                    crate::program::shape::Type::Enum(id) => Some(id),
                    _ => None,
                };
                let absent = matches!(x, Out::Absent(_));
                let t = self.membership(op, enum_id, x, y);
                Out::from_tri(if op == NotIn && !absent {
                    t.negate()
                } else {
                    t
                })
            }
            Eq | Ne | Lt | Le | Gt | Ge => {
                let (x, y) = (self.eval(a, frame), self.eval(b, frame));
                Out::from_tri(comparison(op, x, y))
            }
            Add | Sub | Mul | Div => {
                let (x, y) = (self.eval(a, frame), self.eval(b, frame));
                match (x, y) {
                    (Out::Known(x), Out::Known(y)) => {
                        arithmetic(op, &x, &y).map_or_else(|why| self.invalid(e, why), Out::Known)
                    }
                    (x, y) => merge_gaps(x, y),
                }
            }
        }
    }

    fn membership(&self, op: BinaryOp, enum_id: Option<usize>, x: Out<'a>, y: Out<'a>) -> Tri {
        if let Out::Known(Val::Written(items)) = &y {
            if items.is_empty() {
                return Tri::False;
            }
        }
        let value = match x {
            Out::Known(v) => v,
            // Like a comparison, a test on something that does not exist is false.
            Out::Absent(_) => return Tri::False,
            Out::Unknown(f) | Out::Range(_, _, f) => {
                return match y {
                    Out::Unknown(g) | Out::Range(_, _, g) => {
                        Tri::Unknown(f.into_iter().chain(g).collect())
                    }
                    _ => Tri::Unknown(f),
                };
            }
        };
        let candidates = match y {
            Out::Known(v @ (Val::Stated(_) | Val::Written(_))) => items(&v),
            Out::Known(v) => vec![Out::Known(v)],
            Out::Absent(_) => Vec::new(),
            Out::Unknown(f) | Out::Range(_, _, f) => return Tri::Unknown(f),
        };
        tri::any(candidates.into_iter().map(|c| match c {
            Out::Known(cv) => {
                if op == BinaryOp::Within {
                    Tri::from_bool(self.within(enum_id, &value, &cv))
                } else {
                    Tri::from_bool(compare(&value, &cv) == Some(Ordering::Equal))
                }
            }
            Out::Absent(_) => Tri::False,
            Out::Unknown(f) | Out::Range(_, _, f) => Tri::Unknown(f),
        }))
    }

    fn within(&self, enum_id: Option<usize>, member: &Val<'_>, ancestor: &Val<'_>) -> bool {
        let (Val::Enum(m), Val::Enum(a)) = (member, ancestor) else {
            return false;
        };
        match enum_id {
            Some(id) => self.program.shape.enumeration(id).within(*m, *a),
            None => m == a,
        }
    }
}

/// The outcome of a quantifier over the truths of its body, item by item.
fn conclude<'a>(q: Quantifier, truths: impl Iterator<Item = Tri>) -> Out<'a> {
    match q {
        Quantifier::Any => Out::from_tri(tri::any(truths)),
        Quantifier::All => Out::from_tri(tri::all(truths)),
        Quantifier::Count => {
            let c = tri::count(truths);
            range(c.lo, c.hi, c.gaps)
        }
    }
}

fn range<'a>(lo: i64, hi: i64, gaps: Vec<Fact>) -> Out<'a> {
    if lo == hi {
        Out::Known(Val::Int(lo))
    } else {
        Out::Range(lo, hi, gaps)
    }
}

fn merge_gaps<'a>(x: Out<'a>, y: Out<'a>) -> Out<'a> {
    match (x, y) {
        (Out::Unknown(mut f) | Out::Range(_, _, mut f), Out::Unknown(g) | Out::Range(_, _, g)) => {
            f.extend(g);
            Out::Unknown(f)
        }
        (Out::Unknown(f) | Out::Range(_, _, f), _) | (_, Out::Unknown(f) | Out::Range(_, _, f)) => {
            Out::Unknown(f)
        }
        (Out::Absent(p), _) | (_, Out::Absent(p)) => Out::Absent(p),
        (Out::Known(_), Out::Known(_)) => Out::Unknown(Vec::new()),
    }
}

fn holds(op: BinaryOp, ord: Ordering) -> bool {
    match op {
        BinaryOp::Eq => ord == Ordering::Equal,
        BinaryOp::Ne => ord != Ordering::Equal,
        BinaryOp::Lt => ord == Ordering::Less,
        BinaryOp::Le => ord != Ordering::Greater,
        BinaryOp::Gt => ord == Ordering::Greater,
        BinaryOp::Ge => ord != Ordering::Less,
        _ => false,
    }
}

/// Compares two outcomes; a count known within bounds decides when every value in the
/// bounds gives the same answer.
fn comparison(op: BinaryOp, x: Out<'_>, y: Out<'_>) -> Tri {
    match (x, y) {
        (Out::Known(a), Out::Known(b)) => match compare(&a, &b) {
            Some(ord) => Tri::from_bool(holds(op, ord)),
            None => Tri::False,
        },
        (Out::Range(lo, hi, f), Out::Known(b)) => bounded(op, lo, hi, &b, f, false),
        (Out::Known(a), Out::Range(lo, hi, f)) => bounded(op, lo, hi, &a, f, true),
        (Out::Unknown(mut f) | Out::Range(_, _, mut f), Out::Unknown(g) | Out::Range(_, _, g)) => {
            f.extend(g);
            Tri::Unknown(f)
        }
        (Out::Unknown(f), _) | (_, Out::Unknown(f)) => Tri::Unknown(f),
        (Out::Absent(_), _) | (_, Out::Absent(_)) => Tri::False,
    }
}

fn bounded(
    op: BinaryOp,
    lo: i64,
    hi: i64,
    other: &Val<'_>,
    gaps: Vec<crate::eval::tri::Fact>,
    flipped: bool,
) -> Tri {
    let test = |n: i64| {
        let ord = compare(&Val::Int(n), other);
        ord.is_some_and(|o| holds(op, if flipped { o.reverse() } else { o }))
    };
    let (at_lo, at_hi) = (test(lo), test(hi));
    let inside_differs = match (op, other) {
        (BinaryOp::Eq | BinaryOp::Ne, Val::Int(n)) => *n > lo && *n < hi,
        (BinaryOp::Eq | BinaryOp::Ne, Val::Number(n)) => *n > lo as f64 && *n < hi as f64,
        _ => false,
    };
    if at_lo == at_hi && !inside_differs {
        Tri::from_bool(at_lo)
    } else {
        Tri::Unknown(gaps)
    }
}

fn arithmetic<'a>(op: BinaryOp, x: &Val<'a>, y: &Val<'a>) -> Result<Val<'a>, &'static str> {
    use BinaryOp::*;
    let overflow = "overflow";
    let number = |v: &Val<'_>| match v {
        Val::Int(n) => Some(*n as f64),
        Val::Number(n) => Some(*n),
        _ => None,
    };
    match (op, x, y) {
        (Add, Val::Int(a), Val::Int(b)) => a.checked_add(*b).map(Val::Int).ok_or(overflow),
        (Sub, Val::Int(a), Val::Int(b)) => a.checked_sub(*b).map(Val::Int).ok_or(overflow),
        (Mul, Val::Int(a), Val::Int(b)) => a.checked_mul(*b).map(Val::Int).ok_or(overflow),
        (Add | Sub | Mul | Div, a, b) if number(a).is_some() && number(b).is_some() => {
            let (a, b) = (number(a).unwrap_or(0.0), number(b).unwrap_or(0.0));
            let r = match op {
                Add => a + b,
                Sub => a - b,
                Mul => a * b,
                _ => {
                    if b == 0.0 {
                        return Err("division by zero");
                    }
                    a / b
                }
            };
            if r.is_finite() {
                Ok(Val::Number(decimal(r)))
            } else {
                Err(overflow)
            }
        }
        (Add, Val::Date(d), Val::Duration(t)) | (Add, Val::Duration(t), Val::Date(d)) => {
            d.shift(*t).map(Val::Date).ok_or(overflow)
        }
        (Sub, Val::Date(d), Val::Duration(t)) => d.shift_back(*t).map(Val::Date).ok_or(overflow),
        (Add, Val::DateTime(d), Val::Duration(t)) | (Add, Val::Duration(t), Val::DateTime(d)) => {
            d.shift(*t).map(Val::DateTime).ok_or(overflow)
        }
        (Sub, Val::DateTime(d), Val::Duration(t)) => {
            d.shift_back(*t).map(Val::DateTime).ok_or(overflow)
        }
        (Sub, a, b) if temporal(a).is_some() && temporal(b).is_some() => {
            let (a, b) = (
                temporal(a).unwrap_or_default(),
                temporal(b).unwrap_or_default(),
            );
            a.checked_sub(b)
                .map(|s| Val::Duration(Duration::seconds(s)))
                .ok_or(overflow)
        }
        (Add, Val::Duration(a), Val::Duration(b)) => a.plus(*b).map(Val::Duration).ok_or(overflow),
        (Sub, Val::Duration(a), Val::Duration(b)) => b
            .negate()
            .and_then(|nb| a.plus(nb))
            .map(Val::Duration)
            .ok_or(overflow),
        (Mul, Val::Duration(d), Val::Int(n)) | (Mul, Val::Int(n), Val::Duration(d)) => {
            d.times(*n).map(Val::Duration).ok_or(overflow)
        }
        _ => Err("operands of the wrong kind"),
    }
}

/// A computed number rounded to 15 significant digits, as spreadsheets keep them.
///
/// Numbers are stored in binary, where 0.1 and 0.2 have no exact form: their sum comes
/// out as 0.30000000000000004, and `share_a + share_b <= 0.3` would be false for shares
/// of 0.1 and 0.2. Fifteen digits are all that a binary number always holds exactly, so
/// rounding to them gives the number that the decimal figures mean, the same one as the
/// literal `0.3`, and loses nothing the inputs carried.
fn decimal(n: f64) -> f64 {
    if n == 0.0 || !n.is_finite() {
        return n;
    }
    format!("{n:.14e}").parse().unwrap_or(n)
}

fn temporal(v: &Val<'_>) -> Option<i64> {
    match v {
        Val::Date(d) => Some(d.at_midnight().seconds()),
        Val::DateTime(d) => Some(d.seconds()),
        _ => None,
    }
}
