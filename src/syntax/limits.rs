//! Limits on how deeply a rule file may nest, checked before and after parsing.
//!
//! Rule files come from others, and parsing, checking and evaluating an expression all
//! recurse over its nesting. Past these limits the file is refused with a diagnostic
//! instead of exhausting the stack. The limits are far above what any provision needs.

use crate::ast::{Expr, ExprKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

/// Brackets (`(`, `[`, `{`) open at once, and `not`/`-` written in a row.
pub const MAX_NESTING: usize = 64;
/// Depth of an expression tree, counting every operator (`a and b and c` is 3 deep).
pub const MAX_EXPRESSION_DEPTH: usize = 400;

fn too_deep(source: &SourceFile, span: Span, what: &str, limit: usize) -> Diagnostic {
    Diagnostic::error(Code::Limit, format!("{what} nested more than {limit} deep"))
        .in_file(source)
        .label(span, "the limit is passed here")
        .help("split the condition into `define`d predicates, or into several `require` clauses")
}

/// Scans the text for brackets and prefix operators nested too deeply, outside quoted
/// texts and comments.
pub fn check_text(source: &SourceFile) -> Result<(), Diagnostic> {
    let text = source.text();
    let mut depth = 0usize;
    let mut prefixes = 0usize;
    let mut in_text = false;
    let mut escaped = false;
    let mut in_comment = false;
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if in_text {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => in_text = false,
                _ => escaped = false,
            }
            continue;
        }
        let word_char = c.is_alphanumeric() || c == '_' || c == '.';
        if word_char {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take() {
            let word = text.get(start..i).unwrap_or("");
            if word == "not" {
                prefixes += 1;
                if prefixes > MAX_NESTING {
                    return Err(too_deep(
                        source,
                        Span::new(start, i),
                        "`not` operators",
                        MAX_NESTING,
                    ));
                }
            } else {
                prefixes = 0;
            }
        }
        match c {
            '#' => in_comment = true,
            '"' => in_text = true,
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(
                        source,
                        Span::new(i, i + 1),
                        "brackets",
                        MAX_NESTING,
                    ));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '-' => {
                prefixes += 1;
                if prefixes > MAX_NESTING {
                    return Err(too_deep(
                        source,
                        Span::new(i, i + 1),
                        "`-` operators",
                        MAX_NESTING,
                    ));
                }
            }
            c if c.is_whitespace() => {}
            _ => prefixes = 0,
        }
    }
    Ok(())
}

/// The depth of an expression tree, measured without recursion.
pub fn depth(expr: &Expr) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Expr, usize)> = vec![(expr, 1)];
    while let Some((e, d)) = stack.pop() {
        deepest = deepest.max(d);
        match &e.kind {
            ExprKind::List(items) | ExprKind::Call(_, items) => {
                stack.extend(items.iter().map(|x| (x, d + 1)))
            }
            ExprKind::Unary(_, x) | ExprKind::Presence(x, _) | ExprKind::CountOf(x) => {
                stack.push((x, d + 1))
            }
            ExprKind::Binary(_, a, b) | ExprKind::Quantifier(_, _, a, b) => {
                stack.push((a, d + 1));
                stack.push((b, d + 1));
            }
            _ => {}
        }
    }
    deepest
}

/// Refuses an expression deeper than [`MAX_EXPRESSION_DEPTH`].
pub fn check_expr(source: &SourceFile, expr: &Expr) -> Result<(), Diagnostic> {
    if depth(expr) > MAX_EXPRESSION_DEPTH {
        return Err(too_deep(
            source,
            expr.span,
            "an expression",
            MAX_EXPRESSION_DEPTH,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_and_negations_past_the_limit_are_refused() {
        let deep = format!("define x = {}true{}", "(".repeat(65), ")".repeat(65));
        assert!(check_text(&SourceFile::new("a", deep)).is_err());
        let fine = format!("define x = {}true{}", "(".repeat(64), ")".repeat(64));
        assert!(check_text(&SourceFile::new("a", fine)).is_ok());
        let nots = format!("define x = {}true", "not ".repeat(65));
        assert!(check_text(&SourceFile::new("a", nots)).is_err());
        let quoted = format!("# {}\ndefine x = \"{}\"", "(".repeat(100), "(".repeat(100));
        assert!(check_text(&SourceFile::new("a", quoted)).is_ok());
    }
}
