//! The source text miette draws under a diagnostic.
//!
//! miette pads a label to its column with a formatting width, and Rust panics on a width
//! past 65,535. A minified JSON declaration is one long line, so a label there can start
//! hundreds of thousands of columns in. A label far into its line is therefore drawn in a
//! window of the line around it, and a stretch too wide to draw safely is refused, which
//! makes miette draw the labels apart or leave the snippet out.

use crate::source::{SourceFile, Span};

/// A label starting further than this (in bytes) into its line is drawn in a window.
const FAR: usize = 1024;
/// Bytes of the line kept before the first label, and after the last, in a window.
const KEPT: usize = 64;
/// The widest stretch of one line drawn up to a label (in bytes). miette draws a character
/// at most four columns wide (a tab), so this keeps every column below 65,535.
const MAX_DRAWN: usize = 16_000;
/// The longest label on one line (in bytes); a longer one is drawn from its start.
const MAX_LABEL: usize = 8_192;

fn is_break(c: char) -> bool {
    c == '\n' || c == '\r'
}

/// The largest character boundary at or before `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary at or after `i`.
fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Where the line holding `offset` starts, a line ending at `\n` or `\r` as miette counts.
fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind(is_break))
        .map_or(0, |i| i + 1)
}

/// Where the line holding `offset` ends.
fn line_end(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|after| after.find(is_break))
        .map_or(text.len(), |i| offset + i)
}

/// Line breaks in `text`, a `\r\n` counting once, as miette counts them.
fn line_breaks(text: &str) -> usize {
    text.match_indices(is_break)
        .filter(|&(i, m)| !(m == "\n" && i > 0 && text.get(i - 1..i) == Some("\r")))
        .count()
}

/// The characters in the first `bytes` bytes of the line starting at `line_start`.
fn char_column(text: &str, line_start: usize, bytes: usize) -> usize {
    let end = floor_boundary(text, line_start.saturating_add(bytes));
    text.get(line_start..end)
        .map_or(bytes, |before| before.chars().count())
}

/// A label's span as drawn: one on a single line is cut to [`MAX_LABEL`] bytes.
pub(super) fn drawn_label(source: &SourceFile, span: Span) -> Span {
    let text = source.text();
    if span.len() <= MAX_LABEL || source.slice(span).contains(is_break) {
        return span;
    }
    Span::new(span.start, floor_boundary(text, span.start + MAX_LABEL))
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text = self.text();
        let inner = text.read_span(span, context_lines_before, context_lines_after)?;
        let start = inner.span().offset();
        let end = start + inner.span().len();
        let first = span.offset().min(text.len());
        let last = (span.offset() + span.len()).clamp(first, text.len());

        let mut from = start;
        let first_line = line_start(text, first);
        if first - from.max(first_line) > FAR {
            from = floor_boundary(text, first - KEPT).max(first_line);
        }
        let mut to = end;
        let last_line = line_end(text, last);
        if to.min(last_line) - last > FAR {
            to = ceil_boundary(text, last + KEPT);
        }
        let drawn = text.get(from..last).unwrap_or("");
        if drawn
            .split(is_break)
            .any(|stretch| stretch.len() > MAX_DRAWN)
        {
            return Err(miette::MietteError::OutOfBounds);
        }

        // miette counts the column in bytes, and prints it in the header `file:line:col`;
        // a reader (and SARIF, and GitHub) counts characters, so it is converted here,
        // always on the line of the span's start, where miette counts it.
        let (line, byte_column) = if from == start {
            (inner.line(), inner.column())
        } else {
            let skipped = text.get(start..from).unwrap_or("");
            (inner.line() + line_breaks(skipped), from - first_line)
        };
        let column = char_column(text, first_line, byte_column);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name().to_string(),
            text.get(from..to).unwrap_or("").as_bytes(),
            (from, to - from).into(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::{SourceFile, Span};

    fn render(d: &Diagnostic) -> String {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100);
        let mut out = String::new();
        handler.render_report(&mut out, d).unwrap();
        out
    }

    /// A one-line JSON document with `"bad"` about `at` bytes in.
    fn long_line(at: usize) -> (SourceFile, Span) {
        let text = format!(
            "{{\"pad\": \"{}\", \"employees\": \"bad\"}}\n",
            "x".repeat(at)
        );
        let start = text.find("\"bad\"").unwrap();
        (
            SourceFile::new("org.json", text),
            Span::new(start, start + 5),
        )
    }

    #[test]
    fn a_label_far_into_a_long_line_is_drawn_in_a_window() {
        let (file, span) = long_line(200_000);
        let d = Diagnostic::error(Code::DeclType, "expected a number")
            .in_file(&file)
            .label(span, "a text");
        let out = render(&d);
        assert!(out.contains("[org.json:1:200026]"), "{out}");
        assert!(out.contains("\"employees\": \"bad\"}"), "{out}");
        assert!(out.contains("╰── a text"), "{out}");
        assert!(
            out.len() < 2_000,
            "the whole line was drawn: {} bytes",
            out.len()
        );
    }

    #[test]
    fn labels_far_apart_on_one_line_are_drawn_apart() {
        let (file, span) = long_line(200_000);
        let d = Diagnostic::error(Code::DeclType, "expected a number")
            .in_file(&file)
            .label(span, "here")
            .label(Span::new(2, 5), "and there");
        let out = render(&d);
        assert!(out.contains("╰── here"), "{out}");
        assert!(out.contains("╰── and there"), "{out}");
    }

    #[test]
    fn a_label_wider_than_a_screen_is_drawn_from_its_start() {
        let text = format!("key: {}\n", "k".repeat(100_000));
        let file = SourceFile::new("org.yaml", text);
        let d = Diagnostic::error(Code::DeclType, "too long")
            .in_file(&file)
            .label(Span::new(5, 100_005), "this");
        let out = render(&d);
        assert!(out.contains("[org.yaml:1:6]"), "{out}");
        assert!(out.contains("╰── this"), "{out}");
    }

    #[test]
    fn the_header_column_counts_characters_like_sarif() {
        let text = "\u{feff}{\"név\": \"é😀\", \"n\": \"bad\"}\nx\n";
        let file = SourceFile::new("t.json", text);
        let start = text.find("\"bad\"").unwrap();
        let d = Diagnostic::error(Code::DeclType, "expected a number")
            .in_file(&file)
            .label(Span::new(start, start + 5), "a text");
        let out = render(&d);
        let (line, column) = file.line_col(start);
        assert!(out.contains(&format!("[t.json:{line}:{column}]")), "{out}");
        assert!(out.contains("╰── a text"), "{out}");
    }

    #[test]
    fn a_far_label_after_wide_characters_has_its_character_column() {
        let text = format!(
            "{{\"pad\": \"{}\", \"employees\": \"bad\"}}\n",
            "é".repeat(2_000)
        );
        let start = text.find("\"bad\"").unwrap();
        let file = SourceFile::new("org.json", text.as_str());
        let d = Diagnostic::error(Code::DeclType, "expected a number")
            .in_file(&file)
            .label(Span::new(start, start + 5), "a text");
        let out = render(&d);
        let (_, column) = file.line_col(start);
        assert!(out.contains(&format!("[org.json:1:{column}]")), "{out}");
    }

    #[test]
    fn short_lines_are_drawn_whole_with_their_context() {
        let file = SourceFile::new("org.yaml", "a: 1\nb: x\nc: 3\n");
        let d = Diagnostic::error(Code::DeclType, "expected a number")
            .in_file(&file)
            .label(Span::new(8, 9), "a text");
        let out = render(&d);
        assert!(out.contains("[org.yaml:2:4]"), "{out}");
        assert!(out.contains("1 │ a: 1"), "{out}");
        assert!(out.contains("3 │ c: 3"), "{out}");
    }
}
