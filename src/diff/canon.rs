//! Canonical local names, so that renaming a variable is not a change.
//!
//! A copy of an obligation or predicate is made in which every local variable (the `for`
//! variable, quantifier variables, parameters) is renamed after its depth: `$0`, `$1`, ...
//! A path's first segment is renamed only when a local of that name is in scope, which is
//! how the checker resolves names (section 8.2 of the language reference), so constants,
//! top-level fields and enum members keep their names. Spans are kept, so the copy still
//! points at the text as written.

use crate::ast::{Define, Expr, ExprKind, Obligation, TextPart, Texts};

/// Locals in scope: (name as written, canonical name), innermost last.
type Scope = Vec<(String, String)>;

fn local(depth: usize) -> String {
    format!("${depth}")
}

/// An obligation with canonical local names.
pub fn obligation(ob: &Obligation) -> Obligation {
    let mut ob = ob.clone();
    let mut scope = Scope::new();
    if let Some(f) = &mut ob.for_each {
        expr(&mut f.list, &mut scope);
        let name = local(0);
        scope.push((f.var.name.clone(), name.clone()));
        f.var.name = name;
    }
    for t in [&mut ob.title, &mut ob.remedy].into_iter().flatten() {
        texts(t, &mut scope);
    }
    for e in &mut ob.applies_when {
        expr(e, &mut scope);
    }
    for u in &mut ob.unless {
        expr(&mut u.condition, &mut scope);
        if let Some(t) = &mut u.because {
            texts(t, &mut scope);
        }
    }
    for r in &mut ob.requires {
        expr(&mut r.condition, &mut scope);
        if let Some(t) = &mut r.message {
            texts(t, &mut scope);
        }
    }
    ob
}

/// A predicate with canonical parameter names.
pub fn define(d: &Define) -> Define {
    let mut d = d.clone();
    let mut scope = Scope::new();
    if let Some(params) = &mut d.params {
        for (i, p) in params.iter_mut().enumerate() {
            let name = local(i);
            scope.push((p.name.name.clone(), name.clone()));
            p.name.name = name;
        }
    }
    expr(&mut d.body, &mut scope);
    d
}

fn texts(t: &mut Texts, scope: &mut Scope) {
    for entry in &mut t.entries {
        for part in &mut entry.parts {
            if let TextPart::Fact(e) = part {
                expr(e, scope);
            }
        }
    }
}

fn expr(e: &mut Expr, scope: &mut Scope) {
    match &mut e.kind {
        ExprKind::Path(segments) => {
            if let Some(first) = segments.first_mut() {
                if let Some((_, canonical)) = scope.iter().rev().find(|(n, _)| *n == first.name) {
                    first.name = canonical.clone();
                }
            }
        }
        ExprKind::List(items) | ExprKind::Call(_, items) => {
            for i in items {
                expr(i, scope);
            }
        }
        ExprKind::Unary(_, a) | ExprKind::Presence(a, _) | ExprKind::CountOf(a) => {
            expr(a, scope);
        }
        ExprKind::Binary(_, a, b) => {
            expr(a, scope);
            expr(b, scope);
        }
        ExprKind::Quantifier(_, var, list, body) => {
            expr(list, scope);
            let name = local(scope.len());
            scope.push((var.name.clone(), name.clone()));
            var.name = name;
            expr(body, scope);
            scope.pop();
        }
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Decimal(_)
        | ExprKind::Text(_)
        | ExprKind::Date(_)
        | ExprKind::DateTime(_)
        | ExprKind::Duration(_)
        | ExprKind::Today
        | ExprKind::ObligationRef(_, _) => {}
    }
}

/// The names an expression reads that are not locals: called predicates and the first
/// segment of paths (constants or top-level fields). Run on a canonical copy, where
/// locals start with `$`.
pub fn free_names(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Path(segments) => {
            if let Some(first) = segments.first() {
                if !first.name.starts_with('$') {
                    out.push(first.name.clone());
                }
            }
        }
        ExprKind::Call(name, args) => {
            out.push(name.name.clone());
            for a in args {
                free_names(a, out);
            }
        }
        ExprKind::List(items) => {
            for i in items {
                free_names(i, out);
            }
        }
        ExprKind::Unary(_, a) | ExprKind::Presence(a, _) | ExprKind::CountOf(a) => {
            free_names(a, out);
        }
        ExprKind::Binary(_, a, b) | ExprKind::Quantifier(_, _, a, b) => {
            free_names(a, out);
            free_names(b, out);
        }
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Decimal(_)
        | ExprKind::Text(_)
        | ExprKind::Date(_)
        | ExprKind::DateTime(_)
        | ExprKind::Duration(_)
        | ExprKind::Today
        | ExprKind::ObligationRef(_, _) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Item;
    use crate::source::SourceFile;

    fn first_obligation(text: &str) -> Obligation {
        let file = crate::syntax::parse(&SourceFile::new("t.comply", text)).unwrap();
        file.items
            .into_iter()
            .find_map(|i| match i {
                Item::Obligation(o) => Some(*o),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn renamed_variables_compare_equal() {
        let a = first_obligation(
            "obligation x.a for p in items { require any c in p.cs: c == p.k else \"{p.n}\" }",
        );
        let b = first_obligation(
            "obligation x.a for q in items { require any d in q.cs: d == q.k else \"{q.n}\" }",
        );
        assert_ne!(a, b);
        assert_eq!(obligation(&a), obligation(&b));
    }

    #[test]
    fn names_that_are_not_locals_are_kept() {
        let a = first_obligation("obligation x.a for p in items { require p.k == q }");
        let b = first_obligation("obligation x.a for p in items { require p.k == r }");
        assert_ne!(obligation(&a), obligation(&b));
    }
}
