//! Allow comments: `# comply: allow(code, ...)` silences lints in a file or a declaration.
//!
//! A comment inside an obligation's or a `define`'s text, or in the block of comment lines
//! directly above it (no blank line between), applies to that declaration only. Anywhere
//! else it applies to the whole file. Codes are written without their `comply::lint::`
//! prefix (`missing-french`), though the full code is accepted too.

use std::collections::BTreeSet;

use super::{codes, Context, LintedFile};
use crate::ast::Item;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};

/// One `# comply: ...` comment.
#[derive(Clone, Debug)]
pub struct Directive {
    /// The whole comment, `#` included.
    pub span: Span,
    /// The names listed, each with where it is written; `None` when the comment starts with
    /// `comply:` but is not an allow list.
    pub names: Option<Vec<(String, Span)>>,
}

/// The `# comply:` comments of a file, in order.
pub fn directives(file: &SourceFile) -> Vec<Directive> {
    comments(file.text())
        .into_iter()
        .filter_map(|span| directive(file.text(), span))
        .collect()
}

/// The allow comments of every linted file, resolved to what they cover.
pub struct Allows {
    files: Vec<FileAllows>,
}

struct FileAllows {
    name: String,
    whole: BTreeSet<&'static str>,
    items: Vec<(Span, BTreeSet<&'static str>)>,
}

impl Allows {
    /// Reads the allow comments of the linted files.
    pub fn read(cx: &Context<'_>) -> Allows {
        Allows {
            files: cx.files.iter().map(file_allows).collect(),
        }
    }

    /// True when an allow comment covers the diagnostic's code at its primary span.
    pub fn silences(&self, d: &Diagnostic) -> bool {
        let Some(file) = d.file() else {
            return false;
        };
        let Some(allows) = self.files.iter().find(|f| f.name == file.name()) else {
            return false;
        };
        let name = codes::short_name(d.code());
        if allows.whole.contains(name) {
            return true;
        }
        let Some(at) = d.primary_span() else {
            return false;
        };
        allows.items.iter().any(|(span, names)| {
            span.start <= at.start && at.start < span.end && names.contains(name)
        })
    }
}

fn file_allows(f: &LintedFile) -> FileAllows {
    let text = f.source.text();
    let lines = LineIndex::new(text);
    let items: Vec<Span> = f
        .ast
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Obligation(o) => Some(o.span),
            Item::Define(d) => Some(d.span),
            _ => None,
        })
        .collect();
    let mut whole = BTreeSet::new();
    let mut scoped: Vec<(Span, BTreeSet<&'static str>)> =
        items.iter().map(|s| (*s, BTreeSet::new())).collect();
    for d in directives(&f.source) {
        let known: Vec<&'static str> = d
            .names
            .iter()
            .flatten()
            .filter_map(|(n, _)| codes::find(n).map(codes::LintRule::name))
            .collect();
        let owner = scoped.iter_mut().find(|(item, _)| {
            let inside = item.start <= d.span.start && d.span.start < item.end;
            inside || lines.directly_above(text, d.span.start, item.start)
        });
        match owner {
            Some((_, names)) => names.extend(known),
            None => whole.extend(known),
        }
    }
    FileAllows {
        name: f.source.name().to_string(),
        whole,
        items: scoped,
    }
}

/// The spans of `#` comments, skipping `#` inside quoted texts (which may span lines).
fn comments(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut in_text = false;
    let mut escaped = false;
    let mut comment: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (comment, c) {
            (Some(start), '\n') => {
                out.push(Span::new(start, i));
                comment = None;
            }
            (Some(_), _) => {}
            (None, '\\') if in_text && !escaped => {
                escaped = true;
                continue;
            }
            (None, '"') if !escaped => in_text = !in_text,
            (None, '#') if !in_text => comment = Some(i),
            _ => {}
        }
        escaped = false;
    }
    if let Some(start) = comment {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// Reads `# comply: allow(a, b)`; other comments give `None`.
fn directive(text: &str, comment: Span) -> Option<Directive> {
    let body_start = comment.start + 1;
    let body = text.get(body_start..comment.end)?;
    let rest = body.trim_start().strip_prefix("comply:")?;
    // Each step keeps a suffix of `body`, so its offset is the difference in length.
    let open = rest
        .trim_start()
        .strip_prefix("allow")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('('));
    let list = open.and_then(|r| {
        let close = r.find(')')?;
        let after = r.get(close + 1..)?;
        let inner = r.get(..close)?;
        after
            .trim()
            .is_empty()
            .then_some((body_start + body.len() - r.len(), inner))
    });
    let names = list.map(|(base, inner)| {
        let mut names = Vec::new();
        let mut offset = base;
        for part in inner.split(',') {
            let lead = part.len() - part.trim_start().len();
            let name = part.trim();
            if !name.is_empty() {
                let start = offset + lead;
                names.push((name.to_string(), Span::new(start, start + name.len())));
            }
            offset += part.len() + 1;
        }
        names
    });
    Some(Directive {
        span: comment,
        names,
    })
}

/// Line starts of a text, to tell comment-only lines and blank lines apart.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |e| e.saturating_sub(1));
        text.get(start..end).unwrap_or("")
    }

    /// True when the comment at `comment` is on a comment-only line of the unbroken block of
    /// comment lines just above the line where `item` starts.
    fn directly_above(&self, text: &str, comment: usize, item: usize) -> bool {
        let (c, i) = (self.line_of(comment), self.line_of(item));
        if c >= i {
            return false;
        }
        (c..i).all(|l| self.line(text, l).trim_start().starts_with('#'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<Option<Vec<String>>> {
        let file = SourceFile::new("t.comply", text);
        directives(&file)
            .into_iter()
            .map(|d| {
                d.names.map(|ns| {
                    ns.into_iter()
                        .map(|(n, span)| {
                            assert_eq!(file.slice(span), n);
                            n
                        })
                        .collect()
                })
            })
            .collect()
    }

    #[test]
    fn allow_lists_are_read_with_their_spans() {
        assert_eq!(
            names("# comply: allow(missing-french,  unused-define )\nx\n"),
            vec![Some(vec![
                "missing-french".to_string(),
                "unused-define".to_string()
            ])]
        );
    }

    #[test]
    fn hashes_in_texts_and_other_comments_are_not_directives() {
        assert!(names("title \"# comply: allow(x)\" # a note\n").is_empty());
        assert_eq!(names("  # comply: alow(x)\n"), vec![None]);
    }

    #[test]
    fn a_comment_block_directly_above_belongs_to_the_item() {
        let text = "# file\n\n# one\n# two\nobligation";
        let lines = LineIndex::new(text);
        let item = text.find("obligation").unwrap_or(0);
        assert!(lines.directly_above(text, text.find("# one").unwrap_or(0), item));
        assert!(!lines.directly_above(text, 0, item));
    }
}
