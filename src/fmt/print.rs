//! The output being built: lines of code, comments placed among them, blank lines.
//!
//! The layout code writes text at the current position and starts new lines at chosen
//! columns. Before starting the line of a node it flushes the comments that come before
//! that node in the source: a comment that followed code on its line goes to the end of
//! the last line written, any other on a line of its own. Every comment is flushed
//! exactly once, in source order, so none is lost.

use std::cell::RefCell;
use std::collections::HashMap;

use super::comments::Trivia;

/// The widest a line of code should be; texts are never broken, so a line may be wider.
pub(super) const WIDTH: usize = 100;

/// Spaces between code and a comment at the end of its line.
const COMMENT_GAP: usize = 2;

#[derive(Debug)]
struct Line {
    /// Indentation and code, or indentation and a comment on a line of its own.
    code: String,
    /// A comment at the end of the line.
    comment: Option<String>,
    /// The line holds only a comment.
    own_comment: bool,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.code.is_empty() && self.comment.is_none()
    }

    fn indent(&self) -> usize {
        self.code.len() - self.code.trim_start_matches(' ').len()
    }
}

/// The formatted text under construction.
pub(super) struct Printer<'a> {
    /// The source text the spans index.
    pub src: &'a str,
    /// Its comments and blank lines.
    pub trivia: &'a Trivia,
    /// The next comment to flush.
    next: usize,
    lines: Vec<Line>,
    cur: String,
    /// Where the last node or comment written ends in the source.
    last_end: usize,
    /// Facts about expressions computed once, by node address (the tree outlives the
    /// printer): extents, and whether a comment forces a break.
    pub memo: Memo,
}

/// Answers about expressions, kept so that long chains are not measured again at each
/// level.
#[derive(Default)]
pub(super) struct Memo {
    pub inner: RefCell<HashMap<usize, (usize, usize)>>,
    pub forced: RefCell<HashMap<usize, bool>>,
}

impl<'a> Printer<'a> {
    pub fn new(src: &'a str, trivia: &'a Trivia) -> Self {
        Printer {
            src,
            trivia,
            next: 0,
            lines: Vec::new(),
            cur: String::new(),
            last_end: 0,
            memo: Memo::default(),
        }
    }

    /// The column the next character goes to.
    pub fn col(&self) -> usize {
        self.cur.chars().count()
    }

    /// The indentation of the current line.
    pub fn line_indent(&self) -> usize {
        self.cur.len() - self.cur.trim_start_matches(' ').len()
    }

    /// True when the text would fit on the current line.
    pub fn fits(&self, text: &str) -> bool {
        self.col() + text.chars().count() <= WIDTH
    }

    /// Writes text at the current position.
    pub fn push(&mut self, text: &str) {
        self.cur.push_str(text);
    }

    /// Ends the current line, if anything was written on it.
    fn end_line(&mut self) {
        if !self.cur.trim().is_empty() {
            let code = std::mem::take(&mut self.cur).trim_end().to_string();
            self.lines.push(Line {
                code,
                comment: None,
                own_comment: false,
            });
        }
        self.cur.clear();
    }

    /// Starts a new line at a column.
    pub fn open(&mut self, indent: usize) {
        self.end_line();
        self.cur = " ".repeat(indent);
    }

    /// A blank line, unless at the start, after another blank line or after a line that
    /// opens a block.
    pub fn blank(&mut self) {
        self.end_line();
        if let Some(last) = self.lines.last() {
            let opens = !last.own_comment && (last.code.ends_with('{') || last.code.ends_with('['));
            if !last.is_blank() && !opens {
                self.lines.push(Line {
                    code: String::new(),
                    comment: None,
                    own_comment: false,
                });
            }
        }
    }

    /// The end of a span without the white space and comments pest counts in a rule
    /// that ends with an optional or repeated part (`path`, `field`, `define`, ...).
    pub fn tight(&self, start: usize, end: usize) -> usize {
        match self.trivia.code_before(self.src, end) {
            Some((i, c)) if i >= start => i + c.len_utf8(),
            _ => end,
        }
    }

    /// Records that the source up to `end` has been written.
    pub fn mark(&mut self, end: usize) {
        self.last_end = self.last_end.max(end);
    }

    /// A blank line when the source has one between what was last written and `start`,
    /// where the next node starts.
    pub fn separate(&mut self, start: usize) {
        if self.trivia.has_blank(self.last_end, start) {
            self.blank();
        }
        self.mark(start);
    }

    /// Flushes the comments that start before `before`; those on lines of their own go at
    /// `indent`, after a blank line when the source has one (if `keep_blanks`).
    pub fn flush(&mut self, before: usize, indent: usize, keep_blanks: bool) {
        self.flush_with(before, indent, keep_blanks, false);
    }

    /// As [`Printer::flush`]; with `blank_first`, a blank line goes before the first
    /// comment on a line of its own. Returns how many such comments were written.
    pub fn flush_with(
        &mut self,
        before: usize,
        indent: usize,
        keep_blanks: bool,
        blank_first: bool,
    ) -> usize {
        let mut own = 0;
        while let Some(c) = self.trivia.comments.get(self.next) {
            if c.start >= before {
                break;
            }
            self.next += 1;
            self.end_line();
            let attached = c.trailing
                && match self.lines.last_mut() {
                    Some(last)
                        if !last.is_blank() && !last.own_comment && last.comment.is_none() =>
                    {
                        last.comment = Some(c.text.clone());
                        true
                    }
                    _ => false,
                };
            if !attached {
                if (blank_first && own == 0)
                    || (keep_blanks && self.trivia.has_blank(self.last_end, c.start))
                {
                    self.blank();
                }
                self.lines.push(Line {
                    code: format!("{}{}", " ".repeat(indent), c.text),
                    comment: None,
                    own_comment: true,
                });
                own += 1;
            }
            self.last_end = self.last_end.max(c.end);
        }
        own
    }

    /// The text: lines joined, comments at the ends of consecutive lines of one
    /// indentation aligned in one column, a final line break.
    pub fn finish(mut self) -> String {
        self.end_line();
        while self.lines.last().is_some_and(Line::is_blank) {
            self.lines.pop();
        }
        let mut out = String::new();
        let mut i = 0;
        while let Some(line) = self.lines.get(i) {
            if line.comment.is_none() {
                out.push_str(&line.code);
                out.push('\n');
                i += 1;
                continue;
            }
            // A line so long that its comment starts past the width is left out of the
            // column, and ends the run.
            let aligned = |l: &Line| l.code.chars().count() + COMMENT_GAP <= WIDTH;
            let indent = line.indent();
            let run: Vec<&Line> = if aligned(line) {
                self.lines
                    .iter()
                    .skip(i)
                    .take_while(|l| l.comment.is_some() && l.indent() == indent && aligned(l))
                    .collect()
            } else {
                vec![line]
            };
            let column = run
                .iter()
                .map(|l| l.code.chars().count())
                .max()
                .unwrap_or(0)
                + COMMENT_GAP;
            for l in &run {
                out.push_str(&l.code);
                let pad = column.saturating_sub(l.code.chars().count());
                out.push_str(&" ".repeat(pad));
                out.push_str(l.comment.as_deref().unwrap_or(""));
                out.push('\n');
            }
            i += run.len().max(1);
        }
        out
    }
}
