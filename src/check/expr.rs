//! Type-checks expressions and resolves their names.
//!
//! A path's first segment is looked up as a local variable, then a constant, then a
//! top-level field of the declaration; where the other side of a comparison is an enum, a
//! path that names nothing else is read as a member of that enum.

use std::collections::HashMap;

use crate::ast::{BinaryOp, Expr, ExprKind, Ident, ObligationQuery, Quantifier, UnaryOp};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::program::expr::{CExpr, CKind, Literal};
use crate::program::shape::{Shape, Type, EVIDENCE};
use crate::source::{SourceFile, Span};

/// What the checker knows of a `define` when checking a use of it.
#[derive(Clone, Debug)]
pub struct DefineSig {
    /// Index in the program.
    pub index: usize,
    /// Parameter types; `None` for a constant.
    pub params: Option<Vec<Type>>,
    /// The body's type, once checked.
    pub result: Type,
}

/// Names visible to every expression.
pub struct Globals<'a> {
    pub shape: &'a Shape,
    pub defines: &'a HashMap<String, DefineSig>,
    pub obligations: &'a HashMap<String, usize>,
}

/// Checks the expressions of one declaration (an obligation or a define).
pub struct ExprChecker<'a> {
    pub globals: &'a Globals<'a>,
    pub file: &'a SourceFile,
    pub diags: &'a mut Diagnostics,
    scope: Vec<(String, Type, usize)>,
    next_slot: usize,
    /// The most slots in use at once.
    pub slots: usize,
    /// Obligations read through `applies` and `satisfied`.
    pub references: Vec<(ObligationQuery, usize)>,
}

fn err(kind: CKind, span: Span) -> CExpr {
    CExpr {
        kind,
        ty: Type::Error,
        span,
    }
}

fn literal(l: Literal, ty: Type, span: Span) -> CExpr {
    CExpr {
        kind: CKind::Literal(l),
        ty,
        span,
    }
}

impl<'a> ExprChecker<'a> {
    /// A checker with an empty scope.
    pub fn new(globals: &'a Globals<'a>, file: &'a SourceFile, diags: &'a mut Diagnostics) -> Self {
        ExprChecker {
            globals,
            file,
            diags,
            scope: Vec::new(),
            next_slot: 0,
            slots: 0,
            references: Vec::new(),
        }
    }

    /// Binds a local variable to the next slot and returns the slot.
    pub fn bind(&mut self, name: &str, ty: Type) -> usize {
        let slot = self.next_slot;
        self.scope.push((name.to_string(), ty, slot));
        self.next_slot += 1;
        self.slots = self.slots.max(self.next_slot);
        slot
    }

    fn unbind(&mut self) {
        self.scope.pop();
        self.next_slot -= 1;
    }

    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d.in_file(self.file));
    }

    fn shape(&self) -> &'a Shape {
        self.globals.shape
    }

    fn name(&self, ty: &Type) -> String {
        self.shape().type_name(ty).to_string()
    }

    /// Checks a condition: the result must be a bool, and evidence used as a condition
    /// means "valid evidence exists".
    pub fn condition(&mut self, expr: &Expr) -> CExpr {
        let c = self.check(expr, None);
        self.as_condition(c, "a condition")
    }

    fn as_condition(&mut self, c: CExpr, place: &str) -> CExpr {
        match c.ty {
            Type::Bool | Type::Error => c,
            Type::Record(EVIDENCE) => CExpr {
                span: c.span,
                ty: Type::Bool,
                kind: CKind::EvidenceValid(Box::new(c)),
            },
            _ => {
                let found = self.name(&c.ty);
                self.error(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("{place} must be a bool, found `{found}`"),
                    )
                    .label(c.span, format!("this is `{found}`"))
                    .help("compare it with something, e.g. `x > 0`, or test it with `is present`"),
                );
                err(c.kind, c.span)
            }
        }
    }

    /// Checks an expression; `hint` is the type expected, used to read bare names and texts
    /// as enum members.
    pub fn check(&mut self, expr: &Expr, hint: Option<&Type>) -> CExpr {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Bool(b) => literal(Literal::Bool(*b), Type::Bool, span),
            ExprKind::Int(n) => literal(Literal::Int(*n), Type::Int, span),
            ExprKind::Decimal(n) => literal(Literal::Number(*n), Type::Number, span),
            ExprKind::Text(t) => {
                if let Some(Type::Enum(e)) = hint {
                    return self.enum_member(*e, t, span);
                }
                literal(Literal::Text(t.clone()), Type::Text, span)
            }
            ExprKind::Date(d) => literal(Literal::Date(*d), Type::Date, span),
            ExprKind::DateTime(d) => literal(Literal::DateTime(*d), Type::DateTime, span),
            ExprKind::Duration(d) => literal(Literal::Duration(*d), Type::Duration, span),
            ExprKind::Today => CExpr {
                kind: CKind::Today,
                ty: Type::Date,
                span,
            },
            ExprKind::Path(segments) => self.path(segments, span, hint),
            ExprKind::List(items) => self.list(items, span, hint),
            ExprKind::Unary(UnaryOp::Not, inner) => {
                let c = self.condition(inner);
                CExpr {
                    ty: Type::Bool,
                    kind: CKind::Not(Box::new(c)),
                    span,
                }
            }
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                let c = self.check(inner, None);
                match c.ty {
                    Type::Int | Type::Number | Type::Duration | Type::Error => CExpr {
                        ty: c.ty.clone(),
                        kind: CKind::Neg(Box::new(c)),
                        span,
                    },
                    _ => {
                        let found = self.name(&c.ty);
                        self.error(
                            Diagnostic::error(
                                Code::TypeMismatch,
                                format!("cannot negate `{found}`"),
                            )
                            .label(c.span, format!("this is `{found}`"))
                            .help("`-` applies to numbers and durations"),
                        );
                        err(c.kind, span)
                    }
                }
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, span),
            ExprKind::Presence(inner, present) => {
                let c = self.check(inner, None);
                if !c.is_path() && c.ty != Type::Error {
                    self.error(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            "`is present` and `is missing` test a path to a fact",
                        )
                        .label(c.span, "not a path")
                        .help("write a path such as `organisation.dpo is present`"),
                    );
                }
                CExpr {
                    ty: Type::Bool,
                    kind: CKind::Presence(Box::new(c), *present),
                    span,
                }
            }
            ExprKind::Quantifier(q, var, list, body) => self.quantifier(*q, var, list, body, span),
            ExprKind::CountOf(inner) => {
                // A written list: each item is a condition of its own (evidence included).
                let c = if let ExprKind::List(items) = &inner.kind {
                    let items = items.iter().map(|i| self.condition(i)).collect();
                    CExpr {
                        kind: CKind::List(items),
                        ty: Type::List(Box::new(Type::Bool)),
                        span: inner.span,
                    }
                } else {
                    let c = self.check(inner, None);
                    let ok = matches!(&c.ty, Type::EmptyList | Type::Error)
                        || matches!(&c.ty, Type::List(t) if matches!(**t, Type::Bool | Type::Error));
                    if !ok {
                        let found = self.name(&c.ty);
                        self.error(
                            Diagnostic::error(
                                Code::TypeMismatch,
                                format!("`count(...)` counts a list of conditions, found `{found}`"),
                            )
                            .label(c.span, format!("this is `{found}`"))
                            .help("write `count([a, b, c])` with conditions, or `count x in list: condition`"),
                        );
                    }
                    c
                };
                CExpr {
                    ty: Type::Int,
                    kind: CKind::CountOf(Box::new(c)),
                    span,
                }
            }
            ExprKind::Call(name, args) => self.call(name, args, span),
            ExprKind::ObligationRef(q, id) => match self.globals.obligations.get(&id.name) {
                Some(&index) => {
                    self.references.push((*q, index));
                    CExpr {
                        ty: Type::Bool,
                        kind: CKind::ObligationRef(*q, index),
                        span,
                    }
                }
                None => {
                    let ids: Vec<&str> = self
                        .globals
                        .obligations
                        .keys()
                        .map(String::as_str)
                        .collect();
                    self.error(
                        Diagnostic::error(
                            Code::UnknownObligation,
                            format!("unknown obligation `{}`", id.name),
                        )
                        .label(id.span, "not loaded")
                        .help(did_you_mean(&id.name, ids)),
                    );
                    err(CKind::Literal(Literal::Bool(false)), span)
                }
            },
        }
    }

    fn enum_member(&mut self, e: usize, name: &str, span: Span) -> CExpr {
        let def = self.shape().enumeration(e);
        match def.member(name) {
            Some(m) => literal(Literal::Enum(e, m), Type::Enum(e), span),
            None => {
                let names: Vec<&str> = def.members.iter().map(|m| m.name.as_str()).collect();
                self.error(
                    Diagnostic::error(
                        Code::UnknownPath,
                        format!("`{name}` is not a member of `{}`", def.name),
                    )
                    .label(span, format!("not in `{}`", def.name))
                    .help(did_you_mean(name, names)),
                );
                err(CKind::Literal(Literal::Bool(false)), span)
            }
        }
    }

    fn path(&mut self, segments: &[Ident], span: Span, hint: Option<&Type>) -> CExpr {
        let Some((first, rest)) = segments.split_first() else {
            return err(CKind::Literal(Literal::Bool(false)), span);
        };
        // Where an enum is expected, a member of it wins over a top-level field or a
        // constant of the same name (but not over a variable in scope).
        let expected_enum = match hint {
            Some(Type::Enum(e)) => Some(*e),
            Some(Type::List(t)) => match **t {
                Type::Enum(e) => Some(e),
                _ => None,
            },
            _ => None,
        };
        if let Some(e) = expected_enum {
            let dotted: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
            let dotted = dotted.join(".");
            let is_local = self.scope.iter().any(|(n, _, _)| *n == first.name);
            if !is_local && self.shape().enumeration(e).member(&dotted).is_some() {
                return self.enum_member(e, &dotted, span);
            }
        }
        let mut current = if let Some((_, ty, slot)) =
            self.scope.iter().rev().find(|(n, _, _)| *n == first.name)
        {
            CExpr {
                kind: CKind::Local(*slot),
                ty: ty.clone(),
                span: first.span,
            }
        } else if let Some(sig) = self
            .globals
            .defines
            .get(&first.name)
            .filter(|s| s.params.is_none())
        {
            CExpr {
                kind: CKind::Constant(sig.index),
                ty: sig.result.clone(),
                span: first.span,
            }
        } else if let Some(index) = self.shape().root().field(&first.name) {
            let ty = self
                .shape()
                .root()
                .fields
                .get(index)
                .map_or(Type::Error, |f| f.ty.clone());
            CExpr {
                kind: CKind::Root(index),
                ty,
                span: first.span,
            }
        } else {
            let enum_hint = match hint {
                Some(Type::Enum(e)) => Some(*e),
                Some(Type::List(t)) => match **t {
                    Type::Enum(e) => Some(e),
                    _ => None,
                },
                _ => None,
            };
            let dotted: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
            let dotted = dotted.join(".");
            if let Some(e) = enum_hint {
                return self.enum_member(e, &dotted, span);
            }
            // With no type to go by, a name that is a member of exactly one enum is that member.
            let owners: Vec<usize> = (0..self.shape().enums.len())
                .filter(|e| self.shape().enumeration(*e).member(&dotted).is_some())
                .collect();
            if let [e] = owners.as_slice() {
                return self.enum_member(*e, &dotted, span);
            }
            let mut names: Vec<&str> = self.scope.iter().map(|(n, _, _)| n.as_str()).collect();
            names.extend(
                self.globals
                    .defines
                    .iter()
                    .filter(|(_, s)| s.params.is_none())
                    .map(|(n, _)| n.as_str()),
            );
            names.extend(self.shape().root().fields.iter().map(|f| f.name.as_str()));
            self.error(
                Diagnostic::error(Code::UnknownPath, format!("unknown name `{}`", first.name))
                    .label(first.span, "not a variable, constant or top-level field")
                    .help(did_you_mean(&first.name, names)),
            );
            return err(CKind::Literal(Literal::Bool(false)), span);
        };
        for seg in rest {
            let record = match &current.ty {
                Type::Record(r) => *r,
                Type::Error => return err(current.kind, span),
                Type::List(_) => {
                    let found = self.name(&current.ty);
                    self.error(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!(
                                "`{}` is a list and has no field `{}`",
                                self.file.slice(current.span),
                                seg.name
                            ),
                        )
                        .label(current.span, format!("this is `{found}`"))
                        .help(format!(
                            "use a quantifier: `any x in {}: x.{}`",
                            self.file.slice(current.span),
                            seg.name
                        )),
                    );
                    return err(current.kind, span);
                }
                other => {
                    let found = self.name(other);
                    self.error(
                        Diagnostic::error(Code::TypeMismatch, format!("`{found}` has no fields"))
                            .label(seg.span, format!("`{}` is not a field", seg.name))
                            .help(format!(
                                "`{}` is a `{found}`, not a record",
                                self.file.slice(current.span)
                            )),
                    );
                    return err(current.kind, span);
                }
            };
            let def = self.shape().record(record);
            match def.field(&seg.name) {
                Some(index) => {
                    let ty = def.fields.get(index).map_or(Type::Error, |f| f.ty.clone());
                    let end = seg.span;
                    current = CExpr {
                        span: current.span.to(end),
                        kind: CKind::Field(Box::new(current), record, index),
                        ty,
                    };
                }
                None => {
                    let names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
                    self.error(
                        Diagnostic::error(
                            Code::UnknownPath,
                            format!("`{}` has no field `{}`", def.name, seg.name),
                        )
                        .label(seg.span, format!("not a field of `{}`", def.name))
                        .help(did_you_mean(&seg.name, names)),
                    );
                    return err(current.kind, span);
                }
            }
        }
        current.span = span;
        current
    }

    fn list(&mut self, items: &[Expr], span: Span, hint: Option<&Type>) -> CExpr {
        let element_hint = match hint {
            Some(Type::Enum(e)) => Some(Type::Enum(*e)),
            _ => hint.and_then(Type::element).cloned(),
        };
        let mut checked = Vec::new();
        let mut ty: Option<Type> = element_hint.clone().filter(|t| matches!(t, Type::Enum(_)));
        for item in items {
            let c = self.check(item, ty.as_ref().or(element_hint.as_ref()));
            match &ty {
                None => ty = Some(c.ty.clone()),
                Some(t) if compatible(t, &c.ty) => {
                    if *t == Type::Int && c.ty == Type::Number {
                        ty = Some(Type::Number);
                    }
                }
                Some(t) => {
                    let (want, found) = (self.name(t), self.name(&c.ty));
                    self.error(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!("list items must share one type: `{want}` and `{found}`"),
                        )
                        .label(c.span, format!("this is `{found}`"))
                        .help(format!("every item of this list should be `{want}`")),
                    );
                }
            }
            checked.push(c);
        }
        let ty = match ty {
            Some(t) => Type::List(Box::new(t)),
            None => Type::EmptyList,
        };
        CExpr {
            kind: CKind::List(checked),
            ty,
            span,
        }
    }

    fn binary(&mut self, op: BinaryOp, l: &Expr, r: &Expr, span: Span) -> CExpr {
        use BinaryOp::*;
        match op {
            And | Or => {
                let (a, b) = (self.condition(l), self.condition(r));
                CExpr {
                    ty: Type::Bool,
                    kind: CKind::Binary(op, Box::new(a), Box::new(b)),
                    span,
                }
            }
            Eq | Ne | Lt | Le | Gt | Ge => {
                let (a, b) = self.pair(l, r, |t| Some(t.clone()));
                let ordered = matches!(op, Lt | Le | Gt | Ge);
                let ok = if ordered {
                    orderable(&a.ty, &b.ty)
                } else {
                    comparable(&a.ty, &b.ty)
                };
                if !ok {
                    let (ta, tb) = (self.name(&a.ty), self.name(&b.ty));
                    let help = if ordered {
                        "`<`, `<=`, `>` and `>=` compare numbers, dates and durations of the same kind".to_string()
                    } else {
                        "both sides of `==` and `!=` must have the same type".to_string()
                    };
                    self.error(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!("cannot compare `{ta}` with `{tb}` using `{}`", op.as_str()),
                        )
                        .label(a.span, format!("`{ta}`"))
                        .label(b.span, format!("`{tb}`"))
                        .help(help),
                    );
                    return err(CKind::Binary(op, Box::new(a), Box::new(b)), span);
                }
                CExpr {
                    ty: Type::Bool,
                    kind: CKind::Binary(op, Box::new(a), Box::new(b)),
                    span,
                }
            }
            In | NotIn | Within => {
                let (a, b) = self.pair(l, r, |t| {
                    if op == Within {
                        Some(t.clone())
                    } else {
                        Some(Type::List(Box::new(t.clone())))
                    }
                });
                let element = match &b.ty {
                    Type::List(t) => Some((**t).clone()),
                    Type::EmptyList | Type::Error => None,
                    other if op == Within => Some(other.clone()),
                    _ => {
                        let tb = self.name(&b.ty);
                        self.error(
                            Diagnostic::error(
                                Code::TypeMismatch,
                                format!(
                                    "`{}` needs a list on its right, found `{tb}`",
                                    op.as_str()
                                ),
                            )
                            .label(b.span, format!("this is `{tb}`"))
                            .help("write a list such as `[a, b]` or a path to a list"),
                        );
                        return err(CKind::Binary(op, Box::new(a), Box::new(b)), span);
                    }
                };
                if op == Within && !matches!(a.ty, Type::Enum(_) | Type::Error) {
                    let ta = self.name(&a.ty);
                    self.error(
                        Diagnostic::error(Code::TypeMismatch, format!("`within` compares enum members, found `{ta}`"))
                            .label(a.span, format!("this is `{ta}`"))
                            .help("`within` holds for a member and every member below it in a dotted enum"),
                    );
                    return err(CKind::Binary(op, Box::new(a), Box::new(b)), span);
                }
                if let Some(el) = element {
                    if !comparable(&a.ty, &el) {
                        let (ta, te) = (self.name(&a.ty), self.name(&el));
                        self.error(
                            Diagnostic::error(
                                Code::TypeMismatch,
                                format!("cannot look for `{ta}` among `{te}`"),
                            )
                            .label(a.span, format!("`{ta}`"))
                            .label(b.span, format!("items are `{te}`"))
                            .help("the value and the list items must have the same type"),
                        );
                        return err(CKind::Binary(op, Box::new(a), Box::new(b)), span);
                    }
                }
                CExpr {
                    ty: Type::Bool,
                    kind: CKind::Binary(op, Box::new(a), Box::new(b)),
                    span,
                }
            }
            Add | Sub | Mul | Div => {
                let (a, b) = (self.check(l, None), self.check(r, None));
                match arithmetic(op, &a.ty, &b.ty) {
                    Some(ty) => CExpr {
                        ty,
                        kind: CKind::Binary(op, Box::new(a), Box::new(b)),
                        span,
                    },
                    None => {
                        let (ta, tb) = (self.name(&a.ty), self.name(&b.ty));
                        self.error(
                            Diagnostic::error(Code::TypeMismatch, format!("cannot apply `{}` to `{ta}` and `{tb}`", op.as_str()))
                                .label(a.span, format!("`{ta}`"))
                                .label(b.span, format!("`{tb}`"))
                                .help("arithmetic works on numbers; dates and instants move by durations (`today - 3y`), and their difference is a duration"),
                        );
                        err(CKind::Binary(op, Box::new(a), Box::new(b)), span)
                    }
                }
            }
        }
    }

    /// Checks both sides of a comparison, letting a known enum side guide the other.
    fn pair(
        &mut self,
        l: &Expr,
        r: &Expr,
        hint_for_right: impl Fn(&Type) -> Option<Type>,
    ) -> (CExpr, CExpr) {
        if self.is_unresolved_name(l) || matches!(l.kind, ExprKind::Text(_)) {
            let b = self.check(r, None);
            let hint = match &b.ty {
                Type::List(t) => Some((**t).clone()),
                t => Some(t.clone()),
            };
            let a = self.check(l, hint.as_ref());
            return (a, b);
        }
        let a = self.check(l, None);
        let hint = hint_for_right(&a.ty);
        let b = self.check(r, hint.as_ref());
        (a, b)
    }

    /// A bare path whose first segment names nothing in scope: probably an enum member.
    fn is_unresolved_name(&self, e: &Expr) -> bool {
        let ExprKind::Path(segments) = &e.kind else {
            return false;
        };
        let Some(first) = segments.first() else {
            return false;
        };
        !self.scope.iter().any(|(n, _, _)| *n == first.name)
            && self
                .globals
                .defines
                .get(&first.name)
                .is_none_or(|s| s.params.is_some())
            && self.shape().root().field(&first.name).is_none()
    }

    fn quantifier(
        &mut self,
        q: Quantifier,
        var: &Ident,
        list: &Expr,
        body: &Expr,
        span: Span,
    ) -> CExpr {
        let l = self.check(list, None);
        let element = match &l.ty {
            Type::List(t) => (**t).clone(),
            Type::EmptyList | Type::Error => Type::Error,
            other => {
                let found = self.name(other);
                self.error(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("a quantifier ranges over a list, found `{found}`"),
                    )
                    .label(l.span, format!("this is `{found}`"))
                    .help("write `any x in LIST: condition` with a list-valued path"),
                );
                Type::Error
            }
        };
        let slot = self.bind(&var.name, element);
        let b = self.condition(body);
        self.unbind();
        let ty = if q == Quantifier::Count {
            Type::Int
        } else {
            Type::Bool
        };
        CExpr {
            ty,
            kind: CKind::Quantifier(q, slot, Box::new(l), Box::new(b)),
            span,
        }
    }

    fn call(&mut self, name: &Ident, args: &[Expr], span: Span) -> CExpr {
        let Some(sig) = self.globals.defines.get(&name.name) else {
            let names: Vec<&str> = self.globals.defines.keys().map(String::as_str).collect();
            let checked: Vec<CExpr> = args.iter().map(|a| self.check(a, None)).collect();
            drop(checked);
            self.error(
                Diagnostic::error(
                    Code::UnknownPredicate,
                    format!("unknown predicate `{}`", name.name),
                )
                .label(name.span, "not defined")
                .help(did_you_mean(&name.name, names)),
            );
            return err(CKind::Literal(Literal::Bool(false)), span);
        };
        let Some(params) = &sig.params else {
            self.error(
                Diagnostic::error(
                    Code::Arity,
                    format!("`{}` is a constant, not a predicate", name.name),
                )
                .label(span, "called here")
                .help(format!("write `{}` without parentheses", name.name)),
            );
            return err(CKind::Literal(Literal::Bool(false)), span);
        };
        if params.len() != args.len() {
            self.error(
                Diagnostic::error(
                    Code::Arity,
                    format!(
                        "`{}` takes {} argument{}, given {}",
                        name.name,
                        params.len(),
                        if params.len() == 1 { "" } else { "s" },
                        args.len()
                    ),
                )
                .label(span, "called here")
                .help("pass one argument per parameter of the `define`"),
            );
            return err(CKind::Literal(Literal::Bool(false)), span);
        }
        let mut checked = Vec::new();
        let mut failed = false;
        for (arg, want) in args.iter().zip(params) {
            let c = self.check(arg, Some(want));
            if !assignable(want, &c.ty) {
                let (w, f) = (self.name(want), self.name(&c.ty));
                self.error(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("`{}` expects `{w}`, given `{f}`", name.name),
                    )
                    .label(c.span, format!("this is `{f}`"))
                    .help(format!("pass a `{w}`")),
                );
                failed = true;
            }
            checked.push(c);
        }
        let ty = if failed {
            Type::Error
        } else {
            sig.result.clone()
        };
        CExpr {
            ty,
            kind: CKind::Call(sig.index, checked),
            span,
        }
    }
}

/// `found` may stand where `want` is expected.
pub fn assignable(want: &Type, found: &Type) -> bool {
    match (want, found) {
        (_, Type::Error) | (Type::Error, _) => true,
        (Type::Number, Type::Int) => true,
        (Type::List(_), Type::EmptyList) => true,
        (Type::List(a), Type::List(b)) => assignable(a, b),
        (a, b) => a == b,
    }
}

fn compatible(a: &Type, b: &Type) -> bool {
    assignable(a, b) || assignable(b, a)
}

fn comparable(a: &Type, b: &Type) -> bool {
    match (a, b) {
        (Type::Error, _) | (_, Type::Error) => true,
        (x, y) if x.is_numeric() && y.is_numeric() => true,
        (x, y) if x.is_temporal() && y.is_temporal() => true,
        (Type::Record(_), _) | (Type::List(_), _) | (Type::EmptyList, _) => false,
        (x, y) => x == y,
    }
}

fn orderable(a: &Type, b: &Type) -> bool {
    match (a, b) {
        (Type::Error, _) | (_, Type::Error) => true,
        (x, y) if x.is_numeric() && y.is_numeric() => true,
        (x, y) if x.is_temporal() && y.is_temporal() => true,
        (Type::Duration, Type::Duration) => true,
        _ => false,
    }
}

fn arithmetic(op: BinaryOp, a: &Type, b: &Type) -> Option<Type> {
    use BinaryOp::*;
    use Type::*;
    Some(match (op, a, b) {
        (_, Error, _) | (_, _, Error) => Error,
        (Add | Sub | Mul, Int, Int) => Int,
        (Div, Int, Int) => Number,
        (Add | Sub | Mul | Div, x, y) if x.is_numeric() && y.is_numeric() => Number,
        (Add | Sub, Date, Duration) => Date,
        (Add | Sub, DateTime, Duration) => DateTime,
        (Add, Duration, Date) => Date,
        (Add, Duration, DateTime) => DateTime,
        (Sub, x, y) if x.is_temporal() && y.is_temporal() => Duration,
        (Add | Sub, Duration, Duration) => Duration,
        (Mul, Duration, Int) | (Mul, Int, Duration) => Duration,
        _ => return None,
    })
}
