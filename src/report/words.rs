//! Conditions in words, for the catalogue: `p.employees >= 250` becomes
//! "`p.employees` is at least 250".

use crate::ast::{BinaryOp, ObligationQuery, Quantifier};
use crate::program::expr::{CExpr, CKind};
use crate::program::Program;
use crate::source::{one_line, SourceFile};

/// A checked expression in words; `file` is where it was written.
pub fn words(program: &Program, file: Option<&SourceFile>, e: &CExpr) -> String {
    let code = |x: &CExpr| {
        format!(
            "`{}`",
            file.map(|f| one_line(f.slice(x.span))).unwrap_or_default()
        )
    };
    let w = |x: &CExpr| words(program, file, x);
    // Operands of `and`/`or` that are themselves `or`/`and` get brackets.
    let grouped = |x: &CExpr| match &x.kind {
        CKind::Binary(BinaryOp::And | BinaryOp::Or, _, _) => format!("({})", w(x)),
        _ => w(x),
    };
    match &e.kind {
        CKind::Binary(BinaryOp::And, a, b) => format!("{} and {}", grouped(a), grouped(b)),
        CKind::Binary(BinaryOp::Or, a, b) => format!("{} or {}", grouped(a), grouped(b)),
        CKind::Not(a) => match &a.kind {
            CKind::Presence(inner, present) => {
                format!(
                    "{} is {}",
                    code(inner),
                    if *present { "not stated" } else { "stated" }
                )
            }
            CKind::ObligationRef(ObligationQuery::Applies, i) => {
                format!(
                    "`{}` does not apply",
                    program.obligations.get(*i).map_or("?", |o| o.id.as_str())
                )
            }
            CKind::ObligationRef(ObligationQuery::Satisfied, i) => {
                format!(
                    "`{}` is not satisfied",
                    program.obligations.get(*i).map_or("?", |o| o.id.as_str())
                )
            }
            _ if a.is_path() => format!("{} does not hold", code(a)),
            _ => format!("it is not the case that ({})", w(a)),
        },
        CKind::Binary(op, a, b) => {
            let verb = match op {
                BinaryOp::Eq => "is",
                BinaryOp::Ne => "is not",
                BinaryOp::Lt => "is less than",
                BinaryOp::Le => "is at most",
                BinaryOp::Gt => "is more than",
                BinaryOp::Ge => "is at least",
                BinaryOp::In => "is one of",
                BinaryOp::NotIn => "is none of",
                BinaryOp::Within => "falls under",
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => return code(e),
                BinaryOp::And | BinaryOp::Or => "",
            };
            let left = match &a.kind {
                CKind::CountOf(list) => count_words(program, file, list),
                _ => code(a),
            };
            format!("{left} {verb} {}", code(b))
        }
        CKind::Presence(inner, present) => {
            format!(
                "{} is {}",
                code(inner),
                if *present { "stated" } else { "not stated" }
            )
        }
        CKind::Quantifier(q, _, list, body) => match q {
            Quantifier::Any => format!("for some item of {}: {}", code(list), w(body)),
            Quantifier::All => format!("for every item of {}: {}", code(list), w(body)),
            Quantifier::Count => format!(
                "the number of items of {} for which {}",
                code(list),
                w(body)
            ),
        },
        CKind::CountOf(list) => count_words(program, file, list),
        CKind::ObligationRef(q, i) => {
            let id = program.obligations.get(*i).map_or("?", |o| o.id.as_str());
            match q {
                ObligationQuery::Applies => format!("`{id}` applies"),
                ObligationQuery::Satisfied => format!("`{id}` is satisfied"),
            }
        }
        CKind::EvidenceValid(inner) => format!("a valid document is given for {}", code(inner)),
        CKind::Call(..)
        | CKind::Literal(_)
        | CKind::Today
        | CKind::Local(_)
        | CKind::Root(_)
        | CKind::Field(..) => {
            if e.ty == crate::program::shape::Type::Bool && e.is_path() {
                format!("{} holds", code(e))
            } else {
                code(e)
            }
        }
        CKind::Constant(_) | CKind::List(_) | CKind::Neg(_) => code(e),
    }
}

fn count_words(program: &Program, file: Option<&SourceFile>, list: &CExpr) -> String {
    match &list.kind {
        CKind::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| words(program, file, i)).collect();
            format!("the number of these that hold [{}]", parts.join("; "))
        }
        _ => format!(
            "the number of true items of `{}`",
            file.map(|f| one_line(f.slice(list.span)))
                .unwrap_or_default()
        ),
    }
}
