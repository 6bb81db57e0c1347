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

/// Scans the text for brackets, quantifiers and prefix operators nested too deeply,
/// outside quoted texts and comments.
///
/// A quantifier's body runs to the end of its expression, so `any x in l: any y in m: …`
/// nests without a bracket. The scan follows just enough of the expression grammar to see
/// where an expression ends: a word right after an operand, with no operator between, starts
/// the next clause (`require`, `else`, …), which closes every quantifier opened at that
/// bracket level; so do a comma and the closing bracket.
pub fn check_text(source: &SourceFile) -> Result<(), Diagnostic> {
    let text = source.text();
    let mut prefixes = 0usize;
    let mut in_text = false;
    let mut escaped = false;
    let mut in_comment = false;
    let mut word_start: Option<usize> = None;
    // Quantifiers open at each bracket level, the outermost first; its length is the
    // number of brackets open, plus one.
    let mut open: Vec<usize> = vec![0];
    let mut quantifiers = 0usize;
    // True right after an operand: a word there either continues the expression as an
    // infix or postfix keyword or starts the next clause.
    let mut after_operand = false;
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if in_text {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    in_text = false;
                    after_operand = true;
                }
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
            if after_operand && !continues_expression(word) {
                quantifiers -= open.last_mut().map_or(0, std::mem::take);
                after_operand = false;
            }
            let rest = text.get(i..).unwrap_or("").trim_start();
            let head = matches!(word, "any" | "all") || (word == "count" && !rest.starts_with('('));
            if head && !after_operand {
                if let Some(level) = open.last_mut() {
                    *level += 1;
                }
                quantifiers += 1;
                if quantifiers > MAX_NESTING {
                    return Err(too_deep(
                        source,
                        Span::new(start, i),
                        "quantifiers",
                        MAX_NESTING,
                    ));
                }
            } else {
                after_operand = !matches!(
                    word,
                    "and" | "or" | "in" | "not" | "within" | "is" | "any" | "all" | "count"
                );
            }
        }
        match c {
            '#' => in_comment = true,
            '"' => in_text = true,
            '(' | '[' | '{' => {
                open.push(0);
                after_operand = false;
                if open.len() > MAX_NESTING + 1 {
                    return Err(too_deep(
                        source,
                        Span::new(i, i + 1),
                        "brackets",
                        MAX_NESTING,
                    ));
                }
            }
            ')' | ']' | '}' => {
                if open.len() > 1 {
                    quantifiers -= open.pop().unwrap_or(0);
                }
                after_operand = true;
            }
            ',' => {
                if let Some(level) = open.last_mut() {
                    quantifiers -= std::mem::take(level);
                }
                after_operand = false;
            }
            '-' => {
                after_operand = false;
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
            _ => {
                prefixes = 0;
                after_operand = false;
            }
        }
    }
    Ok(())
}

/// True for the words that may follow an operand within one expression: infix operators
/// and the `is present` / `is missing` postfix.
fn continues_expression(word: &str) -> bool {
    matches!(
        word,
        "and" | "or" | "in" | "not" | "within" | "is" | "present" | "missing"
    )
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

    fn nests_too_deep(text: String) -> bool {
        check_text(&SourceFile::new("a", text)).is_err()
    }

    #[test]
    fn quantifiers_count_while_their_bodies_are_open() {
        let chain = |n: usize| format!("define x = {}true", "any y in l: ".repeat(n));
        assert!(!nests_too_deep(chain(64)));
        assert!(nests_too_deep(chain(65)));
        // A body runs on past `and`: each quantifier here is inside the one before.
        let joined = vec!["all y in l: y"; 65].join(" and ");
        assert!(nests_too_deep(format!("define x = {joined}")));
        // A name that is also a clause word does not end the expression early.
        let sneaky = vec!["any require in l: require"; 65].join(" and ");
        assert!(nests_too_deep(format!("define x = {sneaky}")));
        let counted = format!("define x = {}true", "count y in l: ".repeat(65));
        assert!(nests_too_deep(counted));
    }

    #[test]
    fn a_quantifier_closes_with_its_expression_its_bracket_or_a_comma() {
        let clauses = "define p(l: list<bool>) = any y in l: y\n".repeat(200);
        assert!(!nests_too_deep(clauses));
        let requires = format!(
            "obligation t.a {{\n{}}}",
            "  require all y in l: y else \"no\"\n".repeat(200)
        );
        assert!(!nests_too_deep(requires));
        let bracketed = vec!["(any y in l: y)"; 200].join(" and ");
        assert!(!nests_too_deep(format!("define x = {bracketed}")));
        let listed = vec!["any y in l: y"; 200].join(", ");
        assert!(!nests_too_deep(format!("define x = [{listed}]")));
        // `count(…)` and a field named `count` are not quantifiers.
        let counts = vec!["count(l) > o.count"; 200].join(" and ");
        assert!(!nests_too_deep(format!("define x = {counts}")));
    }
}
