//! What the parser drops and the formatter keeps: comments and blank lines.
//!
//! The grammar's `COMMENT` rule is silent, so the syntax tree holds no comment. The source
//! is scanned once more here, with the lexer's view of quoted texts (a `#` inside a text
//! is not a comment; `\"` does not close one), to find every comment with its byte range
//! and every blank line, both by offset so that the printer can place them among the
//! nodes of the tree, whose spans index the same text.

/// One `# ...` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Comment {
    /// Byte offset of the `#`.
    pub start: usize,
    /// Byte offset just past its last character (before the line break).
    pub end: usize,
    /// The comment as written, `#` included, without trailing white space.
    pub text: String,
    /// Code comes before it on its line: it stays at the end of a line.
    pub trailing: bool,
}

/// The comments and blank lines of a source text.
#[derive(Debug, Default)]
pub(super) struct Trivia {
    /// Every comment, in order.
    pub comments: Vec<Comment>,
    /// Start offsets of the lines holding only white space, outside texts, in order.
    blank_lines: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    Text { escaped: bool },
    Comment { start: usize },
}

impl Trivia {
    /// Scans a source text.
    pub fn scan(text: &str) -> Trivia {
        let mut trivia = Trivia::default();
        let mut state = State::Code;
        let mut line_start = 0;
        // The line so far holds only white space, and did not begin inside a text.
        let mut line_empty = true;
        for (i, c) in text.char_indices() {
            match state {
                State::Code => match c {
                    '#' => state = State::Comment { start: i },
                    '"' => {
                        line_empty = false;
                        state = State::Text { escaped: false };
                    }
                    '\n' => {
                        if line_empty {
                            trivia.blank_lines.push(line_start);
                        }
                        line_start = i + 1;
                        line_empty = true;
                    }
                    c if c.is_whitespace() => {}
                    _ => line_empty = false,
                },
                State::Text { escaped } => {
                    state = match c {
                        '\\' if !escaped => State::Text { escaped: true },
                        '"' if !escaped => State::Code,
                        _ => State::Text { escaped: false },
                    };
                    if c == '\n' {
                        line_start = i + 1;
                        line_empty = false;
                    }
                }
                State::Comment { start } => {
                    if c == '\n' {
                        trivia.push_comment(text, start, i, !line_empty);
                        state = State::Code;
                        line_start = i + 1;
                        line_empty = true;
                    }
                }
            }
        }
        if let State::Comment { start } = state {
            trivia.push_comment(text, start, text.len(), !line_empty);
        }
        trivia
    }

    fn push_comment(&mut self, text: &str, start: usize, end: usize, trailing: bool) {
        let body = text.get(start..end).unwrap_or("#").trim_end();
        self.comments.push(Comment {
            start,
            end: start + body.len(),
            text: body.to_string(),
            trailing,
        });
    }

    /// True when a blank line starts within `from..to`.
    pub fn has_blank(&self, from: usize, to: usize) -> bool {
        let first = self.blank_lines.partition_point(|&b| b < from);
        self.blank_lines.get(first).is_some_and(|&b| b < to)
    }

    /// True when a comment starts within `from..to`.
    pub fn has_comment(&self, from: usize, to: usize) -> bool {
        let first = self.comments.partition_point(|c| c.start < from);
        self.comments.get(first).is_some_and(|c| c.start < to)
    }

    /// The comment covering a byte offset, if any.
    fn comment_at(&self, offset: usize) -> Option<&Comment> {
        let after = self.comments.partition_point(|c| c.start <= offset);
        let c = self.comments.get(after.checked_sub(1)?)?;
        (offset < c.end).then_some(c)
    }

    /// The last character of code before `offset`, skipping white space and comments,
    /// with its offset.
    pub fn code_before(&self, text: &str, offset: usize) -> Option<(usize, char)> {
        let mut end = offset.min(text.len());
        loop {
            let (i, c) = text.get(..end)?.char_indices().next_back()?;
            if let Some(comment) = self.comment_at(i) {
                end = comment.start;
            } else if c.is_whitespace() {
                end = i;
            } else {
                return Some((i, c));
            }
        }
    }

    /// The first character of code at or after `offset`, skipping white space and
    /// comments, with its offset.
    pub fn code_after(&self, text: &str, offset: usize) -> Option<(usize, char)> {
        let mut at = offset;
        loop {
            let c = text.get(at..)?.chars().next()?;
            if c == '#' {
                at = self
                    .comment_at(at)
                    .map_or(text.len(), |comment| comment.end);
            } else if c.is_whitespace() {
                at += c.len_utf8();
            } else {
                return Some((at, c));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_outside_texts_only() {
        let text = "a # one\n\"x # not\\\" # still not\" # two  \n  # three";
        let t = Trivia::scan(text);
        let found: Vec<(&str, bool)> = t
            .comments
            .iter()
            .map(|c| (c.text.as_str(), c.trailing))
            .collect();
        assert_eq!(
            found,
            vec![("# one", true), ("# two", true), ("# three", false)]
        );
        for c in &t.comments {
            assert_eq!(&text[c.start..c.end], c.text);
        }
    }

    #[test]
    fn blank_lines_outside_texts() {
        let text = "a\n\n  \nb \"x\n\ny\"\n\nc";
        let t = Trivia::scan(text);
        assert_eq!(t.blank_lines, vec![2, 3, 15]);
        assert!(t.has_blank(0, 3));
        assert!(!t.has_blank(4, 15));
        assert!(t.has_blank(4, 16));
    }

    #[test]
    fn code_around_skips_comments() {
        let text = "( # c\n  a # d\n )";
        let t = Trivia::scan(text);
        let a = text.find('a').unwrap();
        assert_eq!(t.code_before(text, a), Some((0, '(')));
        assert_eq!(t.code_after(text, a + 1), Some((text.len() - 1, ')')));
        assert_eq!(t.code_after(text, text.len()), None);
        assert_eq!(t.code_before(text, 0), None);
    }
}
