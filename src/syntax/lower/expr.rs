//! Lowering of expressions: precedence with pest's Pratt parser, literals checked.

use std::sync::OnceLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::{children, Lowered, Lowerer};
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::grammar::Rule;
use crate::time::{DateTime, Duration, DurationError, DURATION_UNITS};

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
            .op(Op::infix(Rule::op_eq, Assoc::Left)
                | Op::infix(Rule::op_ne, Assoc::Left)
                | Op::infix(Rule::op_lt, Assoc::Left)
                | Op::infix(Rule::op_le, Assoc::Left)
                | Op::infix(Rule::op_gt, Assoc::Left)
                | Op::infix(Rule::op_ge, Assoc::Left)
                | Op::infix(Rule::op_in, Assoc::Left)
                | Op::infix(Rule::op_not_in, Assoc::Left)
                | Op::infix(Rule::op_within, Assoc::Left))
            .op(Op::postfix(Rule::is_present) | Op::postfix(Rule::is_missing))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::op_neg))
    })
}

impl Lowerer<'_> {
    /// Widens a span to the `(` and `)` around it, skipping white space.
    fn with_parentheses(&self, span: Span) -> Span {
        let text = self.source.text();
        let before = text.get(..span.start).unwrap_or("").trim_end();
        let after_start = text.get(span.end..).unwrap_or("");
        let after = after_start.trim_start();
        if before.ends_with('(') && after.starts_with(')') {
            let start = before.len() - 1;
            let end = span.end + (after_start.len() - after.len()) + 1;
            Span::new(start, end)
        } else {
            span
        }
    }

    pub(super) fn path(&mut self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span: Span = pair.as_span().into();
        let segments: Vec<Ident> = pair.into_inner().map(|p| self.ident(&p)).collect();
        if segments.is_empty() {
            self.internal(span, "a path");
            return Err(());
        }
        Ok(Expr {
            kind: ExprKind::Path(segments),
            span,
        })
    }

    pub(super) fn expr(&mut self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        if pair.as_rule() != Rule::expr || pair.clone().into_inner().next().is_none() {
            self.internal(pair.as_span().into(), "an expression");
            return Err(());
        }
        let result = std::cell::RefCell::new(&mut *self);
        let parsed = pratt()
            .map_primary(|p| result.borrow_mut().primary(p))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let op_span: Span = op.as_span().into();
                let kind = match op.as_rule() {
                    Rule::op_neg => UnaryOp::Neg,
                    _ => UnaryOp::Not,
                };
                Ok(Expr {
                    span: op_span.to(rhs.span),
                    kind: ExprKind::Unary(kind, Box::new(rhs)),
                })
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let op_span: Span = op.as_span().into();
                let present = op.as_rule() == Rule::is_present;
                Ok(Expr {
                    span: lhs.span.to(op_span),
                    kind: ExprKind::Presence(Box::new(lhs), present),
                })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op = match op.as_rule() {
                    Rule::op_or => BinaryOp::Or,
                    Rule::op_and => BinaryOp::And,
                    Rule::op_eq => BinaryOp::Eq,
                    Rule::op_ne => BinaryOp::Ne,
                    Rule::op_lt => BinaryOp::Lt,
                    Rule::op_le => BinaryOp::Le,
                    Rule::op_gt => BinaryOp::Gt,
                    Rule::op_ge => BinaryOp::Ge,
                    Rule::op_in => BinaryOp::In,
                    Rule::op_not_in => BinaryOp::NotIn,
                    Rule::op_within => BinaryOp::Within,
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    Rule::op_mul => BinaryOp::Mul,
                    _ => BinaryOp::Div,
                };
                Ok(Expr {
                    span: lhs.span.to(rhs.span),
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                })
            })
            .parse(pair.into_inner());
        let expr = parsed?;
        if let Err(d) = crate::syntax::limits::check_expr(self.source, &expr) {
            self.error(d);
            return Err(());
        }
        Ok(expr)
    }

    fn primary(&mut self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span: Span = pair.as_span().into();
        let kind = match pair.as_rule() {
            Rule::expr => {
                // A parenthesised expression: its span takes in the parentheses, so the
                // text shown for a condition is what the author wrote.
                let mut inner = self.expr(pair)?;
                inner.span = self.with_parentheses(inner.span);
                return Ok(inner);
            }
            Rule::path => return self.path(pair),
            Rule::k_true => ExprKind::Bool(true),
            Rule::k_false => ExprKind::Bool(false),
            Rule::k_today => ExprKind::Today,
            Rule::string => ExprKind::Text(self.string(&pair)),
            Rule::integer => match pair.as_str().parse::<i64>() {
                Ok(n) => ExprKind::Int(n),
                Err(_) => {
                    self.number_error(span, pair.as_str());
                    return Err(());
                }
            },
            Rule::decimal => match pair.as_str().parse::<f64>() {
                Ok(n) if n.is_finite() => ExprKind::Decimal(n),
                _ => {
                    self.number_error(span, pair.as_str());
                    return Err(());
                }
            },
            Rule::date => ExprKind::Date(self.date(&pair)?),
            Rule::datetime => match DateTime::parse(pair.as_str()) {
                Some(d) => ExprKind::DateTime(d),
                None => {
                    self.error(
                        Diagnostic::error(
                            Code::InvalidDate,
                            format!("invalid date and time `{}`", pair.as_str()),
                        )
                        .label(span, "no such instant")
                        .help("write an RFC 3339 instant such as `2026-03-01T10:00:00Z`"),
                    );
                    return Err(());
                }
            },
            Rule::duration => ExprKind::Duration(self.duration(&pair)?),
            Rule::list => {
                let mut items = Vec::new();
                for p in pair.into_inner() {
                    items.push(self.expr(p)?);
                }
                ExprKind::List(items)
            }
            Rule::quantifier => {
                let mut it = children(pair).into_iter();
                let kind = self.expect(&mut it, span, "a quantifier")?;
                let var = self.expect(&mut it, span, "a quantifier")?;
                let list = self.expect(&mut it, span, "a quantifier")?;
                let body = self.expect(&mut it, span, "a quantifier")?;
                let q = match kind.as_str() {
                    "any" => Quantifier::Any,
                    "all" => Quantifier::All,
                    _ => Quantifier::Count,
                };
                ExprKind::Quantifier(
                    q,
                    self.ident(&var),
                    Box::new(self.expr(list)?),
                    Box::new(self.expr(body)?),
                )
            }
            Rule::count_of => {
                let inner = self.single_child(pair, "`count(...)`")?;
                ExprKind::CountOf(Box::new(self.expr(inner)?))
            }
            Rule::obligation_ref => {
                let mut it = pair.into_inner();
                let which = self.expect(&mut it, span, "an obligation reference")?;
                let id = self.expect(&mut it, span, "an obligation reference")?;
                let q = if which.as_rule() == Rule::k_satisfied {
                    ObligationQuery::Satisfied
                } else {
                    ObligationQuery::Applies
                };
                ExprKind::ObligationRef(q, self.ident(&id))
            }
            Rule::call => {
                let mut it = pair.into_inner();
                let name = self.expect(&mut it, span, "a call")?;
                let mut args = Vec::new();
                for a in it {
                    args.push(self.expr(a)?);
                }
                ExprKind::Call(self.ident(&name), args)
            }
            _ => {
                self.internal(span, "an expression");
                return Err(());
            }
        };
        Ok(Expr { kind, span })
    }

    fn number_error(&mut self, span: Span, text: &str) {
        self.error(
            Diagnostic::error(Code::InvalidNumber, format!("number `{text}` does not fit"))
                .label(span, "too large")
                .help("whole numbers range from -9223372036854775808 to 9223372036854775807"),
        );
    }

    fn duration(&mut self, pair: &Pair<'_, Rule>) -> Lowered<Duration> {
        let text = pair.as_str();
        match Duration::parse(text) {
            Ok(d) => Ok(d),
            Err(e) => {
                let units: Vec<String> = DURATION_UNITS
                    .iter()
                    .map(|(u, meaning)| format!("`{u}` ({meaning})"))
                    .collect();
                let (message, label) = match e {
                    DurationError::Unit(u) => (
                        format!("invalid duration `{text}`"),
                        format!("unknown unit `{u}`"),
                    ),
                    DurationError::NoUnit | DurationError::Number => (
                        format!("invalid duration `{text}`"),
                        "longer than 10,000 years".to_string(),
                    ),
                };
                self.error(
                    Diagnostic::error(Code::InvalidDuration, message)
                        .label(pair.as_span().into(), label)
                        .help(format!(
                            "a duration is a whole number and a unit: {}",
                            units.join(", ")
                        )),
                );
                Err(())
            }
        }
    }
}
