//! JSON declaration files (RFC 8259), parsed by hand.
//!
//! A general-purpose JSON library forgets where values were written, and every later
//! diagnostic about a declaration needs that place. The parser is strict: what RFC 8259
//! forbids (comments, trailing commas, `NaN`, leading zeros, raw control characters) is
//! refused with a diagnostic that says what valid JSON looks like at that spot, because a
//! declaration accepted here must mean the same to every other JSON tool.
//!
//! It works on bytes and allocates only for the values it returns, since it is expected to
//! keep up with `serde_json` on large generated declarations.

use std::borrow::Cow;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

pub use super::node::MAX_DEPTH;
use super::node::{char_span, duplicate_key, found, shown, too_deep, Entries, Key, Node, NodeKind};

/// Parses a whole JSON file into a tree whose nodes and keys keep their spans.
///
/// A leading byte order mark is skipped, as RFC 8259 allows. Exactly one value must be
/// present; anything but whitespace after it is an error.
pub fn parse_json(file: &SourceFile) -> Result<Node, Diagnostic> {
    let mut parser = Parser::new(file);
    parser.skip_ws();
    if parser.peek().is_none() {
        return Err(parser
            .error(parser.pos, "expected a JSON value, found an empty file")
            .help(
                "a declaration file holds one JSON object, like `{ \"name\": \"Example Ltd\" }`",
            ));
    }
    let node = parser.value(0)?;
    parser.skip_ws();
    if parser.pos < parser.bytes.len() {
        if let Some(comment) = parser.comment() {
            return Err(comment);
        }
        return Err(parser
            .error(parser.pos, "unexpected content after the JSON value")
            .help(
                "a JSON file holds exactly one value; remove what follows it. A declaration \
                 states one organisation: write each organisation in its own file, put the \
                 files in one folder and check the folder",
            ));
    }
    Ok(node)
}

/// The JSON reader: the tree builder here, and the typed reader of [`super::json_typed`],
/// which shares its lexing so both read texts and numbers alike.
#[derive(Clone)]
pub(super) struct Parser<'a> {
    file: &'a SourceFile,
    text: &'a str,
    bytes: &'a [u8],
    /// Always on a character boundary: the parser only steps over ASCII bytes one at a
    /// time and over whole string segments otherwise.
    pub(super) pos: usize,
}

const NUMBER_HELP: &str = "JSON numbers look like `42`, `-7`, `3.25` or `1.5e3`";

const VALUE_HELP: &str = "a JSON value is an object `{ … }`, a list `[ … ]`, a text in double \
                          quotes, a number, `true`, `false` or `null`";

impl<'a> Parser<'a> {
    /// A parser at the start of the file, past a byte order mark if there is one.
    pub(super) fn new(file: &'a SourceFile) -> Self {
        let text = file.text();
        let pos = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        Parser {
            file,
            text,
            bytes: text.as_bytes(),
            pos,
        }
    }

    /// True when every byte has been read.
    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// True when the bytes at `pos` are `word`.
    pub(super) fn looking_at(&self, word: &[u8]) -> bool {
        self.bytes.get(self.pos..self.pos + word.len()) == Some(word)
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(super) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// A syntax error pointing at the character at `at`, labelled with what was found.
    fn error(&self, at: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(Code::DeclSyntax, message)
            .in_file(self.file)
            .label(
                char_span(self.text, at),
                format!("found {}", found(self.text, at)),
            )
    }

    /// The error for a comment at `pos`, wherever it is: a habit from JavaScript and
    /// JSONC that deserves a clearer word than "expected `,`".
    fn comment(&self) -> Option<Diagnostic> {
        let next = self.bytes.get(self.pos + 1);
        (self.peek() == Some(b'/') && matches!(next, Some(b'/' | b'*'))).then(|| {
            Diagnostic::error(Code::DeclSyntax, "comments are not allowed in JSON")
                .in_file(self.file)
                .label(char_span(self.text, self.pos), "a comment starts here")
                .help(
                    "remove the comment, or write the declaration in YAML, \
                     which allows `#` comments",
                )
        })
    }

    /// Parses the value at `pos`; `depth` is the number of collections around it.
    pub(super) fn value(&mut self, depth: usize) -> Result<Node, Diagnostic> {
        match self.peek() {
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(too_deep(self.file, char_span(self.text, self.pos)));
                }
                self.object(depth + 1)
            }
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(too_deep(self.file, char_span(self.text, self.pos)));
                }
                self.array(depth + 1)
            }
            Some(b'"') => {
                let start = self.pos;
                let s = self.string()?;
                Ok(Node::new(NodeKind::Str(s), Span::new(start, self.pos)))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') if self.bytes.get(self.pos..self.pos + 4) == Some(b"true") => {
                Ok(self.literal(4, NodeKind::Bool(true)))
            }
            Some(b'f') if self.bytes.get(self.pos..self.pos + 5) == Some(b"false") => {
                Ok(self.literal(5, NodeKind::Bool(false)))
            }
            Some(b'n') if self.bytes.get(self.pos..self.pos + 4) == Some(b"null") => {
                Ok(self.literal(4, NodeKind::Null))
            }
            _ => Err(self.not_a_value()),
        }
    }

    fn literal(&mut self, len: usize, kind: NodeKind) -> Node {
        let start = self.pos;
        self.pos += len;
        Node::new(kind, Span::new(start, self.pos))
    }

    /// The error for something that cannot start a value, with help for the usual
    /// reasons: habits from JavaScript, Python or YAML.
    fn not_a_value(&self) -> Diagnostic {
        if let Some(comment) = self.comment() {
            return comment;
        }
        let at = self.pos;
        let rest = self.text.get(at..).unwrap_or("");
        let word: &str = {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            rest.get(..end).unwrap_or("")
        };
        let (message, help) = match (self.peek(), word) {
            (None, _) => (
                "expected a value, found the end of the file".to_string(),
                VALUE_HELP.to_string(),
            ),
            (_, "NaN" | "Infinity") => (
                format!("`{word}` is not a JSON number"),
                "JSON has no NaN or infinity; write the value as a text or leave the field out"
                    .to_string(),
            ),
            (_, "True" | "TRUE" | "False" | "FALSE" | "Null" | "NULL" | "None" | "nil") => (
                format!("expected a value, found `{word}`"),
                "JSON literals are written in lower case: `true`, `false` and `null`".to_string(),
            ),
            (_, "undefined") => (
                "expected a value, found `undefined`".to_string(),
                "JSON has no `undefined`; write `null` or leave the field out".to_string(),
            ),
            (Some(b'\''), _) => (
                "expected a value, found `'`".to_string(),
                "JSON texts are written in double quotes, like `\"text\"`".to_string(),
            ),
            (Some(b'+'), _) => (
                "expected a value, found `+`".to_string(),
                "JSON numbers have no plus sign; write `1`, not `+1`".to_string(),
            ),
            (Some(b'.'), _) => (
                "expected a value, found `.`".to_string(),
                "JSON numbers start with a digit; write `0.5`, not `.5`".to_string(),
            ),
            (Some(b'}' | b']' | b','), _) => (
                format!("expected a value, found {}", found(self.text, at)),
                VALUE_HELP.to_string(),
            ),
            (_, w) if !w.is_empty() => (
                format!("expected a value, found `{}`", shown(w)),
                format!(
                    "JSON texts are written in double quotes, like `\"{}\"`",
                    shown(w)
                ),
            ),
            _ => (
                format!("expected a value, found {}", found(self.text, at)),
                VALUE_HELP.to_string(),
            ),
        };
        self.error(at, message).help(help)
    }

    /// Parses an object; `depth` counts it.
    fn object(&mut self, depth: usize) -> Result<Node, Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws();
        let mut entries = Entries::new();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node::new(
                NodeKind::Map(Vec::new()),
                Span::new(start, self.pos),
            ));
        }
        loop {
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => {
                    return Err(self.trailing_comma("an object", "the last member"));
                }
                _ => {
                    if let Some(comment) = self.comment() {
                        return Err(comment);
                    }
                    return Err(self
                        .error(self.pos, "expected a member name in double quotes")
                        .help("object members are written `\"name\": value`"));
                }
            }
            let key_start = self.pos;
            let name = self.string()?;
            let key = Key {
                name,
                span: Span::new(key_start, self.pos),
            };
            if let Some(first) = entries.find(&key.name) {
                return Err(duplicate_key(self.file, &key.name, first.span, key.span));
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self
                    .error(
                        self.pos,
                        format!("expected `:` after the member name `{}`", shown(&key.name)),
                    )
                    .help("object members are written `\"name\": value`"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            entries.push(key, value);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b'}') => {
                    self.pos += 1;
                    let span = Span::new(start, self.pos);
                    return Ok(Node::new(NodeKind::Map(entries.into_vec()), span));
                }
                _ => {
                    if let Some(comment) = self.comment() {
                        return Err(comment);
                    }
                    return Err(self
                        .error(self.pos, "expected `,` or `}` after an object member")
                        .help(
                            "members are separated by commas and the object ends with `}`, \
                             like `{ \"a\": 1, \"b\": 2 }`",
                        ));
                }
            }
        }
    }

    /// Parses a list; `depth` counts it.
    fn array(&mut self, depth: usize) -> Result<Node, Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws();
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node::new(NodeKind::Seq(items), Span::new(start, self.pos)));
        }
        loop {
            if self.peek() == Some(b']') {
                return Err(self.trailing_comma("a list", "the last element"));
            }
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::new(NodeKind::Seq(items), Span::new(start, self.pos)));
                }
                _ => {
                    if let Some(comment) = self.comment() {
                        return Err(comment);
                    }
                    return Err(self
                        .error(self.pos, "expected `,` or `]` after a list element")
                        .help(
                            "elements are separated by commas and the list ends with `]`, \
                             like `[1, 2, 3]`",
                        ));
                }
            }
        }
    }

    /// The error for a `,` right before a closing bracket at `pos`, pointing at the comma.
    fn trailing_comma(&self, what: &str, last: &str) -> Diagnostic {
        let before = self.bytes.get(..self.pos).unwrap_or(&[]);
        let comma = before.iter().rposition(|&b| b == b',').unwrap_or(self.pos);
        Diagnostic::error(Code::DeclSyntax, format!("trailing comma in {what}"))
            .in_file(self.file)
            .label(char_span(self.text, comma), "remove this comma")
            .help(format!("JSON allows no comma after {last}"))
    }

    /// Parses the string starting at the `"` at `pos`, leaving `pos` after its closing quote.
    fn string(&mut self) -> Result<String, Diagnostic> {
        self.cow_string().map(Cow::into_owned)
    }

    /// [`Parser::string`], borrowed from the file when it has no escapes, as most do.
    pub(super) fn cow_string(&mut self) -> Result<Cow<'a, str>, Diagnostic> {
        let open = self.pos;
        let first = open + 1;
        let mut i = first;
        // Most texts have no escapes: find the end and copy once.
        loop {
            match self.bytes.get(i) {
                None => return Err(self.unterminated(open)),
                Some(b'"') => {
                    let s = self.segment(first, i);
                    self.pos = i + 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => return Err(self.control_char(i, b)),
                Some(_) => i += 1,
            }
        }
        let mut out = String::with_capacity(i - first + 16);
        out.push_str(self.segment(first, i));
        let mut run = i;
        loop {
            match self.bytes.get(i) {
                None => return Err(self.unterminated(open)),
                Some(b'"') => {
                    out.push_str(self.segment(run, i));
                    self.pos = i + 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') if i + 1 >= self.bytes.len() => return Err(self.unterminated(open)),
                Some(b'\\') => {
                    out.push_str(self.segment(run, i));
                    i = self.escape(i, &mut out)?;
                    run = i;
                }
                Some(&b) if b < 0x20 => return Err(self.control_char(i, b)),
                Some(_) => i += 1,
            }
        }
    }

    /// Text between two ASCII delimiters, which are always character boundaries.
    fn segment(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or("")
    }

    /// Decodes the escape whose backslash is at `at` into `out`; returns the position after it.
    fn escape(&self, at: usize, out: &mut String) -> Result<usize, Diagnostic> {
        let c = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at, out),
            None => return Err(self.unterminated_at(at + 1)),
            Some(_) => {
                let shown_escape = self.text.get(at..).and_then(|s| s.chars().nth(1));
                let message = match shown_escape {
                    Some(c) if !c.is_control() => format!("unknown escape `\\{c}` in a text"),
                    _ => "unknown escape in a text".to_string(),
                };
                return Err(Diagnostic::error(Code::DeclSyntax, message)
                    .in_file(self.file)
                    .label(Span::new(at, at + 1), "this escape")
                    .help(
                        "the escapes of JSON are `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, \
                         `\\r`, `\\t` and `\\uXXXX`; write a backslash itself as `\\\\`",
                    ));
            }
        };
        out.push(c);
        Ok(at + 2)
    }

    /// Decodes `\uXXXX`, joining a surrogate pair into one character.
    fn unicode_escape(&self, at: usize, out: &mut String) -> Result<usize, Diagnostic> {
        let high = self.hex4(at)?;
        let code = match high {
            0xD800..=0xDBFF => {
                let next = at + 6;
                let low = if self.bytes.get(next..next + 2) == Some(b"\\u") {
                    Some(self.hex4(next)?)
                } else {
                    None
                };
                match low {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                        return Ok(at + 12);
                    }
                    _ => return Err(self.lone_surrogate(at, high)),
                }
            }
            0xDC00..=0xDFFF => return Err(self.lone_surrogate(at, high)),
            code => code,
        };
        out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
        Ok(at + 6)
    }

    /// The four hex digits after the `\u` whose backslash is at `at`.
    fn hex4(&self, at: usize) -> Result<u32, Diagnostic> {
        let mut code = 0;
        for i in at + 2..at + 6 {
            let digit = self.bytes.get(i).and_then(|&b| char::from(b).to_digit(16));
            match digit {
                Some(d) => code = code * 16 + d,
                None => {
                    return Err(self.error(i, "expected four hex digits after `\\u`").help(
                        "a `\\u` escape is written with exactly four hex digits, like `\\u00e9`",
                    ));
                }
            }
        }
        Ok(code)
    }

    fn lone_surrogate(&self, at: usize, code: u32) -> Diagnostic {
        Diagnostic::error(
            Code::DeclSyntax,
            format!("unpaired surrogate `\\u{code:04X}` in a text"),
        )
        .in_file(self.file)
        .label(
            Span::new(at, (at + 6).min(self.text.len())),
            "half a character",
        )
        .help(
            "a character beyond `\\uFFFF` is written as a pair of escapes, a high one \
             `\\uD800`–`\\uDBFF` followed by a low one `\\uDC00`–`\\uDFFF`, like `\\uD83D\\uDE00`",
        )
    }

    fn unterminated(&self, open: usize) -> Diagnostic {
        self.unterminated_at(self.bytes.len())
            .label(Span::new(open, open + 1), "the text starts here")
    }

    fn unterminated_at(&self, at: usize) -> Diagnostic {
        self.error(at, "unterminated text")
            .help("a text ends with a closing `\"` on the same line")
    }

    fn control_char(&self, at: usize, b: u8) -> Diagnostic {
        let (message, help) = match b {
            b'\n' | b'\r' => (
                "line break inside a text".to_string(),
                "JSON texts stay on one line: write a line break as `\\n`, \
                 or close the text with `\"` if that was forgotten",
            ),
            b'\t' => (
                "tab inside a text".to_string(),
                "JSON texts cannot hold a raw tab: write it as `\\t`",
            ),
            _ => (
                format!("control character U+{b:04X} inside a text"),
                "JSON texts cannot hold raw control characters: write them as `\\uXXXX`",
            ),
        };
        Diagnostic::error(Code::DeclSyntax, message)
            .in_file(self.file)
            .label(char_span(self.text, at), "here")
            .help(help)
    }

    fn digits(&mut self) -> usize {
        let from = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - from
    }

    pub(super) fn number(&mut self) -> Result<Node, Diagnostic> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            if self.bytes.get(self.pos..self.pos + 8) == Some(b"Infinity") {
                return Err(self.error(start, "`-Infinity` is not a JSON number").help(
                    "JSON has no NaN or infinity; write the value as a text or leave the field out",
                ));
            }
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error(self.pos - 1, "leading zero in a number").help(
                        "JSON numbers do not start with `0` unless they are zero; \
                             write `7` for seven, or `\"007\"` for a code that keeps its zeros",
                    ));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => {
                return Err(self
                    .error(self.pos, "expected a digit after `-`")
                    .help(NUMBER_HELP));
            }
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            integral = false;
            if self.digits() == 0 {
                return Err(self
                    .error(self.pos, "expected a digit after the decimal point")
                    .help(NUMBER_HELP));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            integral = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self
                    .error(self.pos, "expected a digit in the exponent")
                    .help(NUMBER_HELP));
            }
        }
        let span = Span::new(start, self.pos);
        let literal = self.segment(start, self.pos);
        if integral {
            if let Ok(i) = literal.parse::<i64>() {
                return Ok(Node::new(NodeKind::Int(i), span));
            }
        }
        match literal.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Node::new(NodeKind::Float(f), span)),
            _ => Err(Diagnostic::error(
                Code::DeclSyntax,
                format!("number `{}` is too large", shown(literal)),
            )
            .in_file(self.file)
            .label(span, "beyond the range of a 64-bit floating-point number")
            .help(
                "numbers in a declaration must stay within ±1.7e308; write a huge figure as a text",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("decl.json", text)
    }

    fn parse(text: &str) -> Node {
        match parse_json(&file(text)) {
            Ok(node) => node,
            Err(d) => panic!("{text:?} failed: {} at {:?}", d.message(), d.primary_span()),
        }
    }

    fn fail(text: &str) -> Diagnostic {
        match parse_json(&file(text)) {
            Ok(node) => panic!("{text:?} parsed as {node:?}"),
            Err(d) => d,
        }
    }

    /// The line and column of the primary span of the error for `text`.
    fn error_at(text: &str) -> (usize, usize) {
        let d = fail(text);
        let span = d.primary_span().expect("a primary span");
        file(text).line_col(span.start)
    }

    fn entries(node: &Node) -> &[(Key, Node)] {
        match &node.kind {
            NodeKind::Map(entries) => entries,
            other => panic!("not a mapping: {other:?}"),
        }
    }

    fn items(node: &Node) -> &[Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            other => panic!("not a list: {other:?}"),
        }
    }

    #[test]
    fn values_of_every_kind() {
        let node = parse(
            r#"{"a": null, "b": true, "c": false, "d": -12, "e": 1.5, "f": "x", "g": [], "h": {}}"#,
        );
        let kinds: Vec<&NodeKind> = entries(&node).iter().map(|(_, v)| &v.kind).collect();
        assert_eq!(
            kinds,
            [
                &NodeKind::Null,
                &NodeKind::Bool(true),
                &NodeKind::Bool(false),
                &NodeKind::Int(-12),
                &NodeKind::Float(1.5),
                &NodeKind::Str("x".into()),
                &NodeKind::Seq(vec![]),
                &NodeKind::Map(vec![]),
            ]
        );
    }

    #[test]
    fn spans_of_values_and_keys_slice_the_text() {
        let text = "{\n  \"name\": \"Zoë & Co\",\n  \"size\" : 250,\n  \"sites\": [ 1.5e3 , true, null, {\"k\": \"\\u00e9\"} ]\n}\n";
        let f = file(text);
        let root = parse(text);
        assert_eq!(f.slice(root.span), text.trim_end());
        let e = entries(&root);
        let slices: Vec<(&str, &str)> = e
            .iter()
            .map(|(k, v)| (f.slice(k.span), f.slice(v.span)))
            .collect();
        assert_eq!(
            slices,
            [
                ("\"name\"", "\"Zoë & Co\""),
                ("\"size\"", "250"),
                ("\"sites\"", "[ 1.5e3 , true, null, {\"k\": \"\\u00e9\"} ]"),
            ]
        );
        let sites = items(&e[2].1);
        let slices: Vec<&str> = sites.iter().map(|n| f.slice(n.span)).collect();
        assert_eq!(slices, ["1.5e3", "true", "null", "{\"k\": \"\\u00e9\"}"]);
        let inner = entries(&sites[3]);
        assert_eq!(f.slice(inner[0].0.span), "\"k\"");
        assert_eq!(inner[0].1.kind, NodeKind::Str("é".into()));
        assert_eq!(f.slice(inner[0].1.span), "\"\\u00e9\"");
    }

    #[test]
    fn keys_keep_the_order_written() {
        let root = parse(r#"{"z": 1, "a": 2, "m": 3}"#);
        let names: Vec<&str> = entries(&root)
            .iter()
            .map(|(k, _)| k.name.as_str())
            .collect();
        assert_eq!(names, ["z", "a", "m"]);
    }

    #[test]
    fn every_escape_decodes() {
        let root = parse(r#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \uD83D\uDE00 \u0000""#);
        assert_eq!(
            root.kind,
            NodeKind::Str("\" \\ / \u{8} \u{c} \n \r \t A é € 😀 \u{0}".into())
        );
        // Escapes at the very start and end, and text around them.
        assert_eq!(parse(r#""\nab\t""#).kind, NodeKind::Str("\nab\t".into()));
        assert_eq!(parse(r#""añ\"b""#).kind, NodeKind::Str("añ\"b".into()));
    }

    #[test]
    fn bad_escapes_are_refused() {
        assert_eq!(fail(r#""\x""#).message(), "unknown escape `\\x` in a text");
        assert_eq!(
            fail(r#""\u12G4""#).message(),
            "expected four hex digits after `\\u`"
        );
        assert_eq!(
            fail(r#""\uD800""#).message(),
            "unpaired surrogate `\\uD800` in a text"
        );
        assert_eq!(
            fail(r#""\uD800\u0041""#).message(),
            "unpaired surrogate `\\uD800` in a text"
        );
        assert_eq!(
            fail(r#""\uDC00""#).message(),
            "unpaired surrogate `\\uDC00` in a text"
        );
        assert_eq!(fail("\"a\\").message(), "unterminated text");
    }

    #[test]
    fn numbers_are_int_only_when_written_as_integers_that_fit() {
        assert_eq!(parse("0").kind, NodeKind::Int(0));
        assert_eq!(parse("-0").kind, NodeKind::Int(0));
        assert_eq!(parse("9223372036854775807").kind, NodeKind::Int(i64::MAX));
        assert_eq!(parse("-9223372036854775808").kind, NodeKind::Int(i64::MIN));
        assert_eq!(
            parse("9223372036854775808").kind,
            NodeKind::Float(9_223_372_036_854_775_808.0)
        );
        assert_eq!(parse("1.0").kind, NodeKind::Float(1.0));
        assert_eq!(parse("1e2").kind, NodeKind::Float(100.0));
        assert_eq!(parse("-2.5E-1").kind, NodeKind::Float(-0.25));
        assert_eq!(parse("1E+2").kind, NodeKind::Float(100.0));
    }

    #[test]
    fn malformed_numbers_are_refused() {
        assert_eq!(fail("01").message(), "leading zero in a number");
        assert_eq!(fail("-01").message(), "leading zero in a number");
        assert_eq!(fail("-").message(), "expected a digit after `-`");
        assert_eq!(
            fail("1.").message(),
            "expected a digit after the decimal point"
        );
        assert_eq!(
            fail("1.e5").message(),
            "expected a digit after the decimal point"
        );
        assert_eq!(fail("1e").message(), "expected a digit in the exponent");
        assert_eq!(fail("1e+").message(), "expected a digit in the exponent");
        assert_eq!(fail(".5").message(), "expected a value, found `.`");
        assert_eq!(fail("+1").message(), "expected a value, found `+`");
        assert_eq!(fail("1e400").message(), "number `1e400` is too large");
        assert_eq!(fail("NaN").message(), "`NaN` is not a JSON number");
        assert_eq!(
            fail("Infinity").message(),
            "`Infinity` is not a JSON number"
        );
        assert_eq!(
            fail("-Infinity").message(),
            "`-Infinity` is not a JSON number"
        );
    }

    #[test]
    fn non_json_syntax_is_refused() {
        assert_eq!(fail("[1, 2,]").message(), "trailing comma in a list");
        assert_eq!(
            fail(r#"{"a": 1,}"#).message(),
            "trailing comma in an object"
        );
        assert_eq!(
            fail("// c\n{}").message(),
            "comments are not allowed in JSON"
        );
        assert_eq!(
            fail("{} /* c */").message(),
            "comments are not allowed in JSON"
        );
        assert_eq!(
            fail("{ // c\n}").message(),
            "comments are not allowed in JSON"
        );
        assert_eq!(
            fail("[1 // c\n]").message(),
            "comments are not allowed in JSON"
        );
        assert_eq!(
            fail("{\"a\": 1 /* c */}").message(),
            "comments are not allowed in JSON"
        );
        assert_eq!(
            fail("[1] /").message(),
            "unexpected content after the JSON value"
        );
        assert_eq!(
            fail("{}{}").message(),
            "unexpected content after the JSON value"
        );
        // A list of declarations is refused too, so the help must not suggest one.
        let refused = fail("{}{}");
        let help = refused.help_text().unwrap_or_default();
        assert!(!help.contains('['), "{help}");
        assert!(help.contains("folder"), "{help}");
        assert_eq!(fail("'a'").message(), "expected a value, found `'`");
        assert_eq!(fail("True").message(), "expected a value, found `True`");
        assert_eq!(fail("tru").message(), "expected a value, found `tru`");
        assert_eq!(
            fail("{a: 1}").message(),
            "expected a member name in double quotes"
        );
        assert_eq!(
            fail("[1 2]").message(),
            "expected `,` or `]` after a list element"
        );
        assert_eq!(
            fail(r#"{"a" 1}"#).message(),
            "expected `:` after the member name `a`"
        );
        assert_eq!(
            fail(r#"{"a": 1 "b": 2}"#).message(),
            "expected `,` or `}` after an object member"
        );
        assert_eq!(fail("\"a\nb\"").message(), "line break inside a text");
        assert_eq!(fail("\"a\tb\"").message(), "tab inside a text");
        assert_eq!(
            fail("\"a\u{1}b\"").message(),
            "control character U+0001 inside a text"
        );
        assert_eq!(
            fail("").message(),
            "expected a JSON value, found an empty file"
        );
        assert_eq!(
            fail("  \n ").message(),
            "expected a JSON value, found an empty file"
        );
        assert_eq!(
            fail("[").message(),
            "expected a value, found the end of the file"
        );
    }

    #[test]
    fn whitespace_and_a_byte_order_mark_are_allowed_around_the_value() {
        let text = "\u{feff} \t\r\n{ \"a\" :\n[ ] }\n\n";
        let root = parse(text);
        assert_eq!(file(text).slice(root.span), "{ \"a\" :\n[ ] }");
        // Non-JSON whitespace is not.
        assert!(parse_json(&file("\u{a0}1")).is_err());
        assert!(parse_json(&file("\u{c}1")).is_err());
    }

    #[test]
    fn errors_point_at_the_offending_line_and_column() {
        assert_eq!(error_at("{\n  \"a\": 1\n  \"b\": 2\n}"), (3, 3));
        assert_eq!(error_at("{\n  \"a\": [1, 2,\n  ]\n}"), (2, 13));
        assert_eq!(error_at("{\"é\": tru}"), (1, 7));
        assert_eq!(error_at("[1, 2"), (1, 6));
        // An unterminated text points at the end and, second, at its opening quote.
        let d = fail("{\"a\": \"abc");
        assert_eq!(d.primary_span().map(|s| (s.start, s.end)), Some((10, 10)));
        assert_eq!(
            d.help_text(),
            Some("a text ends with a closing `\"` on the same line")
        );
        let d = fail("[0123]");
        assert_eq!(d.primary_span().map(|s| (s.start, s.end)), Some((1, 2)));
        assert_eq!(d.code(), Code::DeclSyntax);
    }

    #[test]
    fn duplicate_keys_point_at_both() {
        let text = "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}";
        let d = fail(text);
        assert_eq!(d.message(), "duplicate key `a`");
        assert_eq!(file(text).line_col(d.primary_span().unwrap().start), (3, 2));
        let rendered = format!("{:?}", d);
        assert!(rendered.contains("first defined here"), "{rendered}");
        // The same name written with an escape is the same key.
        assert_eq!(
            fail(r#"{"a": 1, "\u0061": 2}"#).message(),
            "duplicate key `a`"
        );
        // Large objects go through the index.
        let mut big: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        big.push("\"k57\": 0".to_string());
        let text = format!("{{{}}}", big.join(","));
        assert_eq!(fail(&text).message(), "duplicate key `k57`");
        // Equal names in different objects are fine.
        parse(r#"{"a": {"a": 1}, "b": {"a": 2}}"#);
    }

    #[test]
    fn nesting_is_limited_to_max_depth() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let mut node = &parse(&ok);
        let mut depth = 1;
        while let Some(inner) = items(node).first() {
            node = inner;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH);
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let d = fail(&deep);
        assert_eq!(d.message(), "nesting deeper than 128 levels");
        assert_eq!(d.primary_span().map(|s| s.start), Some(MAX_DEPTH));
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(fail(&objects).message(), "nesting deeper than 128 levels");
        let objects = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        parse(&objects);
        // Far beyond the limit still ends in a diagnostic, not a stack overflow.
        let hostile = "[".repeat(1_000_000);
        assert_eq!(fail(&hostile).message(), "nesting deeper than 128 levels");
    }

    #[test]
    fn every_prefix_of_a_document_fails_cleanly() {
        let text = "{\"name\": \"Zoë\\n\\u00e9\\uD83D\\uDE00\", \"n\": [-1.5e-3, 0, true, false, null, {}], \"x\": {\"y\": []}}";
        parse(text);
        for (end, _) in text.char_indices() {
            let prefix = &text[..end];
            let d = fail(prefix);
            let span = d.primary_span().expect("a primary span");
            assert!(span.end <= prefix.len(), "{prefix:?}: {span:?}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_a_generated_document() {
        let mut text = String::from("[");
        for i in 0..200 {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&format!(
                "{{\"id\": {i}, \"name\": \"item \\\"{i}\\\" é\", \"ratio\": {}.25, \"on\": {}, \"tags\": [\"a\", null]}}",
                i * 3,
                i % 2 == 0
            ));
        }
        text.push(']');
        let ours = parse(&text);
        let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
        fn same(n: &Node, v: &serde_json::Value) -> bool {
            match (&n.kind, v) {
                (NodeKind::Null, serde_json::Value::Null) => true,
                (NodeKind::Bool(a), serde_json::Value::Bool(b)) => a == b,
                (NodeKind::Int(a), serde_json::Value::Number(b)) => b.as_i64() == Some(*a),
                (NodeKind::Float(a), serde_json::Value::Number(b)) => b.as_f64() == Some(*a),
                (NodeKind::Str(a), serde_json::Value::String(b)) => a == b,
                (NodeKind::Seq(a), serde_json::Value::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
                }
                (NodeKind::Map(a), serde_json::Value::Object(b)) => {
                    a.len() == b.len()
                        && a.iter()
                            .zip(b)
                            .all(|((k, x), (l, y))| &k.name == l && same(x, y))
                }
                _ => false,
            }
        }
        assert!(same(&ours, &theirs));
    }
}
