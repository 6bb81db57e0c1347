//! `comply::lint::duplicate-condition`: the same condition written twice in one
//! obligation.

use crate::ast::{BinaryOp, Expr, ExprKind, Item};
use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{written, Context, LintedFile};

declare_lint! {
    /// # What
    ///
    /// Finds a condition written twice in one obligation: two `applies when`, `unless` or
    /// `require` clauses with the same condition (of the same kind or not), and the same
    /// operand twice in one chain of `and` or `or` or in one `count([...])`, in obligations
    /// and `define`s.
    /// Conditions are compared as syntax trees, so layout, comments and parentheses do not
    /// hide a repeat.
    ///
    /// # Why
    ///
    /// A repeat is almost always a copy-and-paste whose second half was not edited, so the
    /// condition that was meant is missing. Across kinds it is worse: a `require` that
    /// repeats an `applies when` always holds; an `unless` that repeats an `applies when`
    /// exempts everything the obligation applies to; a `require` that repeats an `unless`
    /// always fails where it is checked.
    ///
    /// # Example
    ///
    /// ```text
    /// obligation dp.breach.notify {
    ///   applies when organisation.breaches is present
    ///   require b.notified_authority is present else "..."
    ///   require b.notified_authority is present else "..."   # meant b.notified_subjects
    /// }
    /// ```
    ///
    /// # Fix
    ///
    /// Write the condition that was meant in place of the copy, or remove it.
    pub struct DuplicateCondition;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Clause {
    Applies,
    Unless,
    Require,
}

impl Clause {
    fn keyword(self) -> &'static str {
        match self {
            Clause::Applies => "applies when",
            Clause::Unless => "unless",
            Clause::Require => "require",
        }
    }
}

/// Warns about repeated clauses and repeated operands in the linted files.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in &cx.files {
        for item in &f.ast.items {
            match item {
                Item::Obligation(o) => {
                    let mut clauses: Vec<(Clause, &Expr)> = Vec::new();
                    clauses.extend(o.applies_when.iter().map(|e| (Clause::Applies, e)));
                    clauses.extend(o.unless.iter().map(|u| (Clause::Unless, &u.condition)));
                    clauses.extend(o.requires.iter().map(|r| (Clause::Require, &r.condition)));
                    clauses.sort_by_key(|(_, e)| e.span.start);
                    repeated_clauses(f, &o.id.name, &clauses, out);
                    for (_, e) in &clauses {
                        chains(f, e, None, out);
                    }
                }
                Item::Define(d) => chains(f, &d.body, None, out),
                _ => {}
            }
        }
    }
}

fn repeated_clauses(
    f: &LintedFile,
    id: &str,
    clauses: &[(Clause, &Expr)],
    out: &mut Vec<Diagnostic>,
) {
    for (j, (later, e)) in clauses.iter().enumerate() {
        let Some((earlier, first)) = clauses.iter().take(j).find(|(_, x)| *x == *e) else {
            continue;
        };
        let (earlier, later) = (*earlier, *later);
        let message = if earlier == later {
            format!("`{}` condition written twice in `{id}`", later.keyword())
        } else {
            format!(
                "`{}` repeats the `{}` condition of `{id}`",
                later.keyword(),
                earlier.keyword()
            )
        };
        let help = match (earlier, later) {
            (a, b) if a == b => "remove one of them; if they were meant to differ, fix the copy",
            (Clause::Applies, Clause::Require) | (Clause::Require, Clause::Applies) => {
                "where the obligation applies this requirement always holds: fix or remove it"
            }
            (Clause::Applies, Clause::Unless) | (Clause::Unless, Clause::Applies) => {
                "the exemption is taken wherever the obligation applies, so it never applies: fix one of them"
            }
            _ => "the requirement is checked only where the exemption is not taken, so it always fails there: fix one of them",
        };
        out.push(
            Diagnostic::warning(Code::LintDuplicateCondition, message)
                .in_file(&f.source)
                .label(written(&f.source, e.span), "written again here")
                .label(written(&f.source, first.span), "first written here")
                .help(help),
        );
    }
}

/// Looks for repeated operands in every `and` and `or` chain of an expression.
fn chains(f: &LintedFile, e: &Expr, parent: Option<BinaryOp>, out: &mut Vec<Diagnostic>) {
    match &e.kind {
        ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), a, b) => {
            if parent != Some(*op) {
                let mut operands = Vec::new();
                flatten(e, *op, &mut operands);
                let message = format!("the same condition appears twice in one `{}`", op.as_str());
                repeats(f, &operands, &message, out);
            }
            chains(f, a, Some(*op), out);
            chains(f, b, Some(*op), out);
        }
        ExprKind::Binary(_, a, b) => {
            chains(f, a, None, out);
            chains(f, b, None, out);
        }
        ExprKind::CountOf(x) => {
            if let ExprKind::List(items) = &x.kind {
                let operands: Vec<&Expr> = items.iter().collect();
                repeats(
                    f,
                    &operands,
                    "the same condition is counted twice in one `count`",
                    out,
                );
            }
            chains(f, x, None, out);
        }
        ExprKind::Unary(_, x) | ExprKind::Presence(x, _) => {
            chains(f, x, None, out);
        }
        ExprKind::Quantifier(_, _, list, body) => {
            chains(f, list, None, out);
            chains(f, body, None, out);
        }
        ExprKind::List(items) | ExprKind::Call(_, items) => {
            for x in items {
                chains(f, x, None, out);
            }
        }
        _ => {}
    }
}

/// Warns about each operand equal to an earlier one.
fn repeats(f: &LintedFile, operands: &[&Expr], message: &str, out: &mut Vec<Diagnostic>) {
    for (j, x) in operands.iter().enumerate() {
        if let Some(first) = operands.iter().take(j).find(|y| **y == *x) {
            out.push(
                Diagnostic::warning(Code::LintDuplicateCondition, message)
                    .in_file(&f.source)
                    .label(written(&f.source, x.span), "repeated here")
                    .label(written(&f.source, first.span), "first here")
                    .help("remove the repeat; if it was meant to test something else, fix it"),
            );
        }
    }
}

fn flatten<'e>(e: &'e Expr, op: BinaryOp, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary(o, a, b) if *o == op => {
            flatten(a, op, out);
            flatten(b, op, out);
        }
        _ => out.push(e),
    }
}
