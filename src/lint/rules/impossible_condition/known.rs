//! What the conditions of one conjunction say about one subject (a path, a count, ...),
//! and whether some value can still satisfy them all.

use std::cmp::Ordering;

use crate::ast::BinaryOp;
use crate::program::expr::{CExpr, CKind, Literal};
use crate::program::shape::{EnumId, Shape, Type};

/// One test of a subject against fixed values.
#[derive(Clone, Debug)]
pub enum Test {
    /// `==` a value, `in` a list, `within` a member (as the members under it).
    OneOf(Vec<Literal>),
    /// `!=` a value, `not in` a list.
    NoneOf(Vec<Literal>),
    /// `<`, `<=`, `>`, `>=` a value, with the subject on the left.
    Bound(BinaryOp, Literal),
    /// `is present` (true) or `is missing` (false); evidence used as a condition is present.
    Present(bool),
}

/// Why the values a subject can take rule a test out by themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// A whole number compared with a value that is not one.
    WholeNumber,
    /// A count compared with a negative number.
    NegativeCount,
    /// A `count([...])` of this many conditions compared with more.
    CountAtMost(usize),
}

/// What is known of one subject so far.
#[derive(Clone, Debug)]
pub struct Known {
    whole: bool,
    count: Option<Option<usize>>,
    only: Option<Vec<Literal>>,
    except: Vec<Literal>,
    lo: Option<(f64, bool)>,
    hi: Option<(f64, bool)>,
    present: Option<bool>,
    contradicted: bool,
}

impl Known {
    /// Nothing known yet but what the subject's type and form allow.
    pub fn new(subject: &CExpr) -> Known {
        let count = match &subject.kind {
            CKind::CountOf(inner) => Some(match &inner.kind {
                CKind::List(items) => Some(items.len()),
                _ => None,
            }),
            CKind::Quantifier(crate::ast::Quantifier::Count, ..) => Some(None),
            _ => None,
        };
        let only = match &subject.ty {
            Type::Bool => Some(vec![Literal::Bool(true), Literal::Bool(false)]),
            _ => None,
        };
        let mut k = Known {
            whole: subject.ty == Type::Int,
            count,
            only,
            except: Vec::new(),
            lo: None,
            hi: None,
            present: None,
            contradicted: false,
        };
        if let Some(max) = count {
            k.lo = Some((0.0, true));
            k.hi = max.map(|n| (n as f64, true));
        }
        k
    }

    /// The members of an enum, for a subject of that type.
    pub fn with_members(mut self, shape: &Shape, e: EnumId) -> Known {
        let n = shape.enumeration(e).members.len();
        let members = (0..n)
            .filter_map(|i| u32::try_from(i).ok())
            .map(|i| Literal::Enum(e, i))
            .collect();
        self.only = Some(members);
        self
    }

    /// Adds a test.
    pub fn add(&mut self, test: &Test) {
        match test {
            Test::OneOf(values) => {
                let kept: Vec<Literal> = match &self.only {
                    None => values.clone(),
                    Some(only) => only
                        .iter()
                        .filter(|v| values.iter().any(|w| equal(v, w)))
                        .cloned()
                        .collect(),
                };
                self.only = Some(kept);
            }
            Test::NoneOf(values) => self.except.extend(values.iter().cloned()),
            Test::Bound(op, v) => {
                let Some(x) = key(v) else { return };
                match op {
                    BinaryOp::Lt | BinaryOp::Le => {
                        let b = (x, *op == BinaryOp::Le);
                        if self.hi.is_none_or(|h| tighter_hi(b, h)) {
                            self.hi = Some(b);
                        }
                    }
                    BinaryOp::Gt | BinaryOp::Ge => {
                        let b = (x, *op == BinaryOp::Ge);
                        if self.lo.is_none_or(|l| tighter_lo(b, l)) {
                            self.lo = Some(b);
                        }
                    }
                    _ => {}
                }
            }
            Test::Present(p) => {
                if self.present == Some(!p) {
                    self.contradicted = true;
                }
                self.present = Some(*p);
            }
        }
    }

    /// True when some value satisfies every test added.
    pub fn feasible(&self) -> bool {
        if self.contradicted {
            return false;
        }
        let (lo, hi) = (self.lo, self.hi);
        if let (Some((l, li)), Some((h, hi_incl))) = (lo, hi) {
            if self.whole {
                let l = if li { l.ceil() } else { l.floor() + 1.0 };
                let h = if hi_incl { h.floor() } else { h.ceil() - 1.0 };
                if l > h {
                    return false;
                }
            } else if l > h || (l == h && !(li && hi_incl)) {
                return false;
            }
        }
        match &self.only {
            Some(only) => only.iter().any(|v| self.allows(v)),
            None => true,
        }
    }

    fn allows(&self, v: &Literal) -> bool {
        if self.except.iter().any(|e| equal(e, v)) {
            return false;
        }
        let Some(x) = key(v) else { return true };
        if self.whole && x.fract() != 0.0 {
            return false;
        }
        let above = self.lo.is_none_or(|(l, incl)| x > l || (incl && x == l));
        let below = self.hi.is_none_or(|(h, incl)| x < h || (incl && x == h));
        above && below
    }

    /// Why the subject's own values rule out everything, when they do.
    pub fn domain(&self) -> Option<Domain> {
        if self.feasible() {
            return None;
        }
        let fractions = self.only.as_ref().is_some_and(|o| {
            !o.is_empty() && o.iter().all(|v| key(v).is_some_and(|x| x.fract() != 0.0))
        });
        match self.count {
            Some(max) => {
                let negative = self
                    .hi
                    .is_some_and(|(h, incl)| h < 0.0 || (h == 0.0 && !incl))
                    || self.only.as_ref().is_some_and(|o| {
                        !o.is_empty() && o.iter().all(|v| key(v).is_some_and(|x| x < 0.0))
                    });
                match max {
                    _ if negative => Some(Domain::NegativeCount),
                    _ if fractions => Some(Domain::WholeNumber),
                    Some(n) => Some(Domain::CountAtMost(n)),
                    None => Some(Domain::WholeNumber),
                }
            }
            None if self.whole => Some(Domain::WholeNumber),
            None => None,
        }
    }
}

fn tighter_hi(new: (f64, bool), old: (f64, bool)) -> bool {
    new.0 < old.0 || (new.0 == old.0 && !new.1)
}

fn tighter_lo(new: (f64, bool), old: (f64, bool)) -> bool {
    new.0 > old.0 || (new.0 == old.0 && !new.1)
}

/// A number on one scale for ordered values: numbers as such, days and instants in seconds.
pub fn key(v: &Literal) -> Option<f64> {
    match v {
        Literal::Int(n) => Some(*n as f64),
        Literal::Number(n) => Some(*n),
        Literal::Date(d) => Some(d.at_midnight().seconds() as f64),
        Literal::DateTime(t) => Some(t.seconds() as f64),
        _ => None,
    }
}

/// Equality of fixed values as the evaluator sees it (`1 == 1.0`).
pub fn equal(a: &Literal, b: &Literal) -> bool {
    match (key(a), key(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// How two fixed values compare, when they are ordered.
pub fn compare(a: &Literal, b: &Literal) -> Option<Ordering> {
    match (a, b) {
        (Literal::Duration(x), Literal::Duration(y)) => Some(x.cmp(y)),
        _ => match (key(a), key(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => (a == b).then_some(Ordering::Equal),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn subject(ty: Type) -> CExpr {
        CExpr {
            kind: CKind::Root(0),
            ty,
            span: Span::default(),
        }
    }

    #[test]
    fn bounds_that_leave_no_whole_number_are_infeasible() {
        let mut k = Known::new(&subject(Type::Int));
        k.add(&Test::Bound(BinaryOp::Gt, Literal::Int(1)));
        assert!(k.feasible());
        k.add(&Test::Bound(BinaryOp::Lt, Literal::Int(2)));
        assert!(!k.feasible());
        assert_eq!(k.domain(), Some(Domain::WholeNumber));
    }

    #[test]
    fn a_decimal_between_the_bounds_is_fine_for_a_number() {
        let mut k = Known::new(&subject(Type::Number));
        k.add(&Test::Bound(BinaryOp::Gt, Literal::Int(1)));
        k.add(&Test::Bound(BinaryOp::Lt, Literal::Int(2)));
        assert!(k.feasible());
        k.add(&Test::OneOf(vec![Literal::Number(2.5)]));
        assert!(!k.feasible());
        assert_eq!(k.domain(), None);
    }

    #[test]
    fn a_whole_number_never_equals_a_fraction() {
        let mut k = Known::new(&subject(Type::Int));
        k.add(&Test::OneOf(vec![Literal::Number(2.5)]));
        assert!(!k.feasible());
    }

    #[test]
    fn one_value_cannot_be_two() {
        let mut k = Known::new(&subject(Type::Text));
        k.add(&Test::OneOf(vec![Literal::Text("a".into())]));
        assert!(k.feasible());
        k.add(&Test::OneOf(vec![Literal::Text("b".into())]));
        assert!(!k.feasible());
    }

    #[test]
    fn present_and_missing_contradict() {
        let mut k = Known::new(&subject(Type::Date));
        k.add(&Test::Present(true));
        k.add(&Test::Present(false));
        assert!(!k.feasible());
    }
}
