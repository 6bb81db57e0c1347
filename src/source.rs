//! Source files and byte spans.
//!
//! Every diagnostic points into the text a user wrote, so each loaded file is kept whole
//! (cheaply shared) and every syntax node remembers the byte range it came from.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// A file as loaded: its display name and its full text.
#[derive(Clone)]
pub struct SourceFile {
    name: Arc<str>,
    text: Arc<str>,
    /// Byte offsets where lines start, built on first use: a report locates every result,
    /// and scanning the text from the start for each one would make reports of large
    /// declarations quadratic.
    lines: Arc<OnceLock<Vec<usize>>>,
}

impl SourceFile {
    /// Wraps a file's name (as shown to the user) and its text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: Arc::from(name.into()),
            text: Arc::from(text.into()),
            lines: Arc::new(OnceLock::new()),
        }
    }

    /// The name shown in diagnostics, usually the path as given on the command line.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text under a span, or an empty string when the span does not fit the text.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        // The number of line starts at or before the offset is its one-based line.
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let line_start = starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, col)
    }

    /// The source in the form miette renders, with the file name attached.
    pub fn named(&self) -> miette::NamedSource<Arc<str>> {
        miette::NamedSource::new(&self.name, Arc::clone(&self.text))
    }
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceFile({})", self.name)
    }
}

/// Source text on one line: comments dropped, runs of white space folded; for showing a
/// condition as written in a message or a trace.
pub fn one_line(text: &str) -> String {
    let mut words = Vec::new();
    for line in text.lines() {
        let code = match comment_start(line) {
            Some(at) => line.get(..at).unwrap_or(line),
            None => line,
        };
        words.extend(code.split_whitespace());
    }
    words.join(" ")
}

/// Where a `#` comment starts on a line, skipping `#` inside quoted texts.
fn comment_start(line: &str) -> Option<usize> {
    let mut inside = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '#' if !inside => return Some(i),
            '\\' if inside && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => inside = !inside,
            _ => {}
        }
        escaped = false;
    }
    None
}

/// A byte range in one source file.
///
/// Spans are left out of equality so that syntax trees compare by structure: two parses of
/// differently formatted text are equal when they mean the same thing.
#[derive(Clone, Copy, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`, reordered if given backwards.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True for a zero-length span.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl Eq for Span {}

impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(span: pest::Span<'_>) -> Self {
        Span::new(span.start(), span.end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("a", "é\nab");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(4), (2, 2));
    }

    #[test]
    fn one_line_drops_comments_but_not_hashes_in_texts() {
        assert_eq!(one_line("count([a, # one\n  b])  "), "count([a, b])");
        assert_eq!(one_line("x == \"#1\" # note"), "x == \"#1\"");
    }

    #[test]
    fn spans_do_not_take_part_in_equality() {
        assert_eq!(Span::new(1, 2), Span::new(5, 9));
        assert_eq!(Span::new(1, 2).to(Span::new(5, 9)).len(), 8);
    }
}
