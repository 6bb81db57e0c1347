//! Source files and byte spans.
//!
//! Every diagnostic points into the text a user wrote, so each loaded file is kept whole
//! (cheaply shared) and every syntax node remembers the byte range it came from.

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

/// A file as loaded: its display name and its full text.
#[derive(Clone)]
pub struct SourceFile {
    name: Arc<str>,
    /// An `Arc<String>` rather than an `Arc<str>`: a file read into a `String` is shared
    /// as it is, where building an `Arc<str>` would copy it, so that a declaration of
    /// 100 MB would briefly take 200.
    text: Arc<String>,
    /// Built on first use: a report locates every result, and scanning the text from the
    /// start for each one would make reports of large declarations quadratic.
    index: Arc<OnceLock<LineIndex>>,
}

/// Where lines start, and how many characters precede regular checkpoints, so that a
/// column in characters is counted from a nearby checkpoint rather than from the start of
/// a line that may be the whole file (minified JSON is one line).
struct LineIndex {
    /// Length of the text indexed, in bytes; a file whose text is shorter has released it.
    len: usize,
    /// Byte offsets where lines start.
    lines: Vec<usize>,
    /// `(byte offset, characters before it)` about every [`CHECKPOINT`] bytes.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between character-count checkpoints.
const CHECKPOINT: usize = 4096;

impl LineIndex {
    fn new(text: &str) -> Self {
        let lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut checkpoints = vec![(0, 0)];
        let mut chars = 0;
        let mut at = 0;
        while at < text.len() {
            let mut next = (at + CHECKPOINT).min(text.len());
            while !text.is_char_boundary(next) {
                next += 1;
            }
            chars += text.get(at..next).map_or(0, |s| s.chars().count());
            checkpoints.push((next, chars));
            at = next;
        }
        LineIndex {
            len: text.len(),
            lines,
            checkpoints,
        }
    }

    /// The one-based line of a byte offset: the number of line starts at or before it.
    fn line(&self, offset: usize) -> usize {
        self.lines.partition_point(|&s| s <= offset).max(1)
    }

    /// Characters before a byte offset.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(b, _)| b <= offset);
        let (byte, chars) = i
            .checked_sub(1)
            .and_then(|i| self.checkpoints.get(i))
            .copied()
            .unwrap_or((0, 0));
        chars + text.get(byte..offset).map_or(0, |s| s.chars().count())
    }
}

impl SourceFile {
    /// Wraps a file's name (as shown to the user) and its text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: Arc::from(name.into()),
            text: Arc::new(text.into()),
            index: Arc::new(OnceLock::new()),
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
        let index = self.index();
        if index.len != self.text.len() {
            // Released: the lines are known, the characters before the offset are not.
            return (index.line(offset), 1);
        }
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = index.line(offset);
        let line_start = index.lines.get(line - 1).copied().unwrap_or(0);
        let col =
            index.chars_before(&self.text, offset) - index.chars_before(&self.text, line_start) + 1;
        (line, col)
    }

    /// One-based line of a byte offset; the same as the line of [`SourceFile::line_col`],
    /// and still known once the text is released.
    pub fn line(&self, offset: usize) -> usize {
        // A line break is one byte, so the line of an offset inside a character is that of
        // the character's start, and an offset past the end is on the last line.
        self.index().line(offset)
    }

    /// Lets go of the text, keeping where its lines start.
    ///
    /// A declaration's text is needed to load it and to point at fields (line and column)
    /// but not to evaluate it: a report that gives only the line of each item can release
    /// the text of a large declaration before evaluating it. Afterwards [`SourceFile::line`]
    /// answers as before, while [`SourceFile::text`] and [`SourceFile::slice`] are empty and
    /// [`SourceFile::line_col`] knows no column (it gives 1). Other copies of the file keep
    /// the text; the memory is freed when the last one lets go.
    pub fn release_text(&mut self) {
        self.index();
        self.text = Arc::new(String::new());
    }

    /// The index of line starts, built on first use.
    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The source in the form miette renders, with the file name attached.
    pub fn named(&self) -> miette::NamedSource<Arc<String>> {
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
/// differently formatted text are equal when they mean the same thing. Stored as a pair
/// and read back through [`Span::new`], so that a stored span never ends before it starts.
#[derive(Clone, Copy, Default, Serialize, Deserialize)]
#[serde(into = "(usize, usize)", from = "(usize, usize)")]
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

impl From<Span> for (usize, usize) {
    fn from(span: Span) -> Self {
        (span.start, span.end)
    }
}

impl From<(usize, usize)> for Span {
    fn from((start, end): (usize, usize)) -> Self {
        Span::new(start, end)
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
    fn line_col_agrees_with_a_scan_across_checkpoints() {
        let line = "ab é😀 c\n".repeat(CHECKPOINT / 5);
        let text = format!("{line}{}", "x".repeat(3 * CHECKPOINT));
        let file = SourceFile::new("a", text.as_str());
        for offset in (0..text.len()).step_by(97).chain([text.len()]) {
            if !text.is_char_boundary(offset) {
                continue;
            }
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let expected = (
                before.matches('\n').count() + 1,
                before[line_start..].chars().count() + 1,
            );
            assert_eq!(file.line_col(offset), expected, "offset {offset}");
        }
    }

    #[test]
    fn a_released_text_still_gives_the_line_of_every_offset() {
        let text = format!(
            "{}\n\né😀\n{}",
            "a".repeat(2 * CHECKPOINT),
            "b\n".repeat(50)
        );
        let kept = SourceFile::new("a", text.as_str());
        let mut released = kept.clone();
        released.release_text();
        assert_eq!(released.text(), "");
        assert_eq!(released.slice(Span::new(0, 3)), "");
        assert_eq!(kept.text(), text, "other copies keep the text");
        for offset in (0..text.len() + 3).chain([usize::MAX]) {
            let (line, _) = kept.line_col(offset);
            assert_eq!(kept.line(offset), line, "offset {offset}");
            assert_eq!(released.line(offset), line, "offset {offset}");
            assert_eq!(released.line_col(offset), (line, 1), "offset {offset}");
        }
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
