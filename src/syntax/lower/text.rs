//! Lowering of texts: languages checked, `{path}` interpolations parsed.

use pest::iterators::Pair;

use super::{parse_interpolation, Lowered, Lowerer};
use crate::ast::{TextEntry, TextPart, Texts};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::grammar::Rule;
use crate::syntax::language::is_language_code;

impl Lowerer<'_> {
    pub(super) fn texts(&mut self, pair: Pair<'_, Rule>) -> Lowered<Texts> {
        let span: Span = pair.as_span().into();
        let mut entries = Vec::new();
        for entry in pair.into_inner() {
            let entry_span: Span = entry.as_span().into();
            let mut lang = "en".to_string();
            let mut text = None;
            for part in entry.into_inner() {
                match part.as_rule() {
                    Rule::lang => {
                        let code = part.as_str();
                        if !is_language_code(code) {
                            self.error(
                                Diagnostic::error(
                                    Code::UnknownLanguage,
                                    format!("unknown language code `{code}`"),
                                )
                                .label(part.as_span().into(), "not an ISO 639-1 code")
                                .help("use a two-letter ISO 639-1 code such as `en`, `fr` or `km`"),
                            );
                        }
                        lang = code.to_string();
                    }
                    Rule::string => {
                        let span: Span = part.as_span().into();
                        text = Some((self.text_parts(&part)?, span));
                    }
                    _ => {}
                }
            }
            let Some((parts, text_span)) = text else {
                self.internal(entry_span, "a text");
                return Err(());
            };
            if let Some(previous) = entries.iter().find(|e: &&TextEntry| e.lang == lang) {
                let first = previous.span;
                self.error(
                    Diagnostic::error(Code::Duplicate, format!("text given twice in `{lang}`"))
                        .label(entry_span, "second text")
                        .label(first, "first text")
                        .help("give each language once"),
                );
            }
            entries.push(TextEntry {
                lang,
                parts,
                span: text_span,
            });
        }
        Ok(Texts { entries, span })
    }

    /// Splits a quoted text into literal runs and `{path}` interpolations.
    fn text_parts(&mut self, pair: &Pair<'_, Rule>) -> Lowered<Vec<TextPart>> {
        let raw = pair.as_str();
        let base = pair.as_span().start() + 1;
        let inner = raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(raw);
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = inner;
        let mut offset = 0;
        while let Some(c) = rest.chars().next() {
            let width = c.len_utf8();
            if c == '\\' {
                let next = rest.get(width..).and_then(|r| r.chars().next());
                match next {
                    Some('n') => literal.push('\n'),
                    Some('t') => literal.push('\t'),
                    Some(other) => literal.push(other),
                    None => {}
                }
                let step = width + next.map_or(0, char::len_utf8);
                rest = rest.get(step..).unwrap_or("");
                offset += step;
                continue;
            }
            if c == '{' {
                let Some(close) = rest.find('}') else {
                    let at = base + offset;
                    self.error(
                        Diagnostic::error(Code::Syntax, "unclosed `{` in a text")
                            .label(Span::new(at, at + 1), "opened here")
                            .help("write `{path}` to show a fact, or `\\{` for a literal brace"),
                    );
                    return Err(());
                };
                let inside = rest.get(1..close).unwrap_or("");
                let at = base + offset + 1;
                match parse_interpolation(self.source, inside.trim_end(), at) {
                    Some(expr) if inside.trim() == inside => {
                        if !literal.is_empty() {
                            parts.push(TextPart::Literal(std::mem::take(&mut literal)));
                        }
                        parts.push(TextPart::Fact(expr));
                    }
                    _ => {
                        self.error(
                            Diagnostic::error(
                                Code::Syntax,
                                format!("`{{{inside}}}` is not a path to a fact"),
                            )
                            .label(Span::new(at - 1, at + inside.len() + 1), "expected a path")
                            .help(
                                "write `{path}` such as `{p.name}`, or `\\{` for a literal brace",
                            ),
                        );
                        return Err(());
                    }
                }
                rest = rest.get(close + 1..).unwrap_or("");
                offset += close + 1;
                continue;
            }
            literal.push(c);
            rest = rest.get(width..).unwrap_or("");
            offset += width;
        }
        if !literal.is_empty() || parts.is_empty() {
            parts.push(TextPart::Literal(literal));
        }
        Ok(parts)
    }
}
