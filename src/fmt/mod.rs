//! The canonical layout of rule files, as `comply fmt` writes it.
//!
//! A file is parsed into its [syntax tree](crate::ast) and printed again from the tree;
//! comments, which the parser drops, are found by scanning the source (see `comments`)
//! and put back among the nodes by their offsets. The result is checked before it is
//! returned: it must parse to the same tree and hold the same comments, in the same
//! order, or formatting fails with an internal error and the file is left alone.
//!
//! The layout (also in `docs/language.md`, "Formatting"):
//!
//! - two-space indentation; one clause, field, member or instrument attribute a line, in
//!   the order written; `}` on a line of its own, `{}` for an empty block;
//! - one blank line between declarations; elsewhere blank lines are kept, at most one,
//!   except right after `{` or before `}`;
//! - a text with several languages puts each on its own line, under the first; every
//!   entry names its language (`title en "..."`);
//! - `else` and `because` go on the line after their condition, one step further in;
//! - an expression stays on one line when it fits in 100 columns; otherwise an `and` or
//!   `or` chain breaks before each operator, aligned under the first operand, a list goes
//!   one item a line with a trailing comma (names and literals fill the lines), and a
//!   quantifier's body goes on the next line; a `define` body goes on the line after `=`,
//!   unless it is a list or `count([...])`, which opens on the `define` line;
//! - spaces around binary operators, `[a, b]`, `f(a, b)`, `name: type? "description"`;
//! - parentheses that precedence needs are added, those written around an operand kept;
//! - texts are written with the escapes the lexer reads (`\"`, `\\`, `\n`, `\t`, and `\{`
//!   in texts that show facts); durations and instants as written;
//! - comments stay where they were relative to the code: a comment on a line of its own
//!   before the next clause, item or operand, one that ended a line of code at the end of
//!   that line (two spaces after the code, aligned with the comments of the lines around
//!   it at the same indentation, up to column 100); a comment between list items or chain
//!   operands makes the expression break there;
//! - a byte order mark at the start is dropped: the parser reads past it, and the
//!   layout is printed from the tree;
//! - the file ends with one line break.

mod comments;
mod expr;
mod items;
mod print;

use crate::ast::{ExprKind, TextEntry, TextPart};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::syntax;

use comments::Trivia;
use print::Printer;

/// Formats one rule file. A file that does not parse gives its diagnostics.
pub fn format(source: &SourceFile) -> Result<String, Diagnostics> {
    let tree = syntax::parse(source)?;
    let trivia = Trivia::scan(source.text());
    let mut printer = Printer::new(source.text(), &trivia);
    items::file(&mut printer, &tree);
    let text = printer.finish();
    let again = SourceFile::new(source.name(), text.clone());
    let same_tree = syntax::parse(&again).is_ok_and(|t| t == tree);
    let kept: Vec<String> = Trivia::scan(&text)
        .comments
        .into_iter()
        .map(|c| c.text)
        .collect();
    let same_comments = kept.iter().eq(trivia.comments.iter().map(|c| &c.text));
    if same_tree && same_comments {
        Ok(text)
    } else {
        let what = if same_tree {
            "moved or lost a comment"
        } else {
            "changed its meaning"
        };
        Err(Diagnostics::from(
            Diagnostic::error(
                Code::Internal,
                format!("formatting this file {what}; it was left as it is"),
            )
            .in_file(source)
            .help("this is a bug in comply; please report it with this rule file"),
        ))
    }
}

/// A text as written in a rule file: quoted, with `"`, `\`, line breaks and tabs escaped.
fn quote_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        escape(c, &mut out);
    }
    out.push('"');
    out
}

/// A text that may show facts: as [`quote_plain`], with literal braces escaped and each
/// fact written back as `{path}`.
fn quote_text(entry: &TextEntry) -> String {
    let mut out = String::from('"');
    for part in &entry.parts {
        match part {
            TextPart::Literal(s) => {
                for c in s.chars() {
                    if c == '{' {
                        out.push('\\');
                    }
                    escape(c, &mut out);
                }
            }
            TextPart::Fact(fact) => {
                out.push('{');
                if let ExprKind::Path(segments) = &fact.kind {
                    let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
                    out.push_str(&names.join("."));
                }
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}

fn escape(c: char, out: &mut String) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        c => out.push(c),
    }
}
