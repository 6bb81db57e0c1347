//! YAML declaration files, read through `yaml-rust2`'s event parser.
//!
//! The events carry markers, from which every node and key gets the byte span the later
//! stages point their diagnostics at. The tree is built with an explicit stack, never by
//! recursion, and the parser is driven one event at a time rather than through its
//! recursive `load`, so that nesting, aliases and extra documents are refused as soon as
//! they are seen and no input can exhaust the stack.
//!
//! Plain scalars resolve by the YAML 1.2 core schema, so `no` stays a text and
//! `2026-01-01` stays a text for the declaration stage to read as a date.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

pub use super::node::MAX_DEPTH;
use super::node::{char_span, duplicate_key, shown, too_deep, Entries, Key, Node, NodeKind};

/// How many nodes one file may produce, counting every copy an alias makes.
///
/// Aliases of aliases multiply (the "billion laughs" attack): a few hundred bytes can
/// describe billions of nodes. Real declarations stay far below this.
pub const MAX_NODES: usize = 1_000_000;

/// Parses a whole YAML file, which must hold at most one document, into a tree whose
/// nodes and keys keep their spans. An empty file, or one with only comments, is `null`.
pub fn parse_yaml(file: &SourceFile) -> Result<Node, Diagnostic> {
    parse_with_budget(file, MAX_NODES)
}

fn parse_with_budget(file: &SourceFile, budget: usize) -> Result<Node, Diagnostic> {
    // A panic inside the third-party parser must not take the whole run down with a
    // backtrace aimed at nobody; the user gets a diagnostic naming the file instead.
    catch_unwind(AssertUnwindSafe(|| Builder::new(file, budget).run())).unwrap_or_else(|_| {
        Err(
            Diagnostic::error(Code::Internal, "the YAML parser failed on this file")
                .in_file(file)
                .help("this is a fault in comply; please report it together with the file"),
        )
    })
}

/// The prefix `yaml-rust2` resolves `!!` to.
const CORE_TAG: &str = "tag:yaml.org,2002:";

/// Converts markers to byte offsets.
///
/// Marker indices count characters, and `yaml-rust2` 0.10 advances them by bytes over
/// long lines of block scalars, so for non-ASCII text the line and column (which stay
/// right everywhere but on such a line) are used instead.
struct Positions<'a> {
    /// The text the parser reads: the file minus any byte order mark.
    body: &'a str,
    /// Where `body` starts in the file.
    base: usize,
    ascii: bool,
    /// Byte offset of each line's start, built on first use for non-ASCII text.
    lines: Option<Vec<usize>>,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        let (base, body) = match text.strip_prefix('\u{feff}') {
            Some(rest) => ('\u{feff}'.len_utf8(), rest),
            None => (0, text),
        };
        Positions {
            body,
            base,
            ascii: body.is_ascii(),
            lines: None,
        }
    }

    fn byte(&mut self, mark: &Marker) -> usize {
        let body = self.body;
        if self.ascii {
            return self.base + mark.index().min(body.len());
        }
        let lines = self.lines.get_or_insert_with(|| line_starts(body));
        let offset = match mark.line().checked_sub(1).and_then(|l| lines.get(l)) {
            None => body.len(),
            Some(&start) => column_offset(body, start, mark.col()),
        };
        self.base + offset
    }
}

/// Line starts as the scanner counts lines: after `\n`, after `\r\n`, after a lone `\r`.
fn line_starts(body: &str) -> Vec<usize> {
    let bytes = body.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let brk = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if brk {
            starts.push(i + 1);
        }
    }
    starts
}

/// The byte offset of character `col` of the line starting at `start`, kept on that line.
fn column_offset(body: &str, start: usize, col: usize) -> usize {
    let line = body.get(start..).unwrap_or("");
    for (n, (i, c)) in line.char_indices().enumerate() {
        if n == col || c == '\n' || c == '\r' {
            return start + i;
        }
    }
    body.len()
}

/// A node already built, with what an alias to it needs.
struct Anchored {
    node: Node,
    /// Nodes in it, for the budget.
    count: usize,
    /// Collections nested in it, for the depth limit.
    height: usize,
    /// Its text when it is a scalar, so it can serve as a key.
    key: Option<String>,
}

enum Body {
    Seq(Vec<Node>),
    Map {
        entries: Entries,
        /// The key waiting for its value.
        key: Option<Key>,
    },
}

/// A collection being built.
struct Frame {
    start: usize,
    /// Furthest end of anything inside, for collections whose end marker is not theirs.
    end: usize,
    /// Written with brackets, so its end marker sits on the closing bracket.
    flow: bool,
    anchor: usize,
    count: usize,
    height: usize,
    body: Body,
}

struct Builder<'a> {
    file: &'a SourceFile,
    text: &'a str,
    pos: Positions<'a>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    nodes: usize,
    budget: usize,
    documents: usize,
    root: Option<Node>,
}

/// What a tag asks for.
#[derive(Clone, Copy, PartialEq)]
enum Wanted {
    /// No tag: plain scalars resolve by the core schema.
    Core,
    /// The `!` tag: a plain scalar stays a text.
    NonSpecific,
    Str,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
}

impl<'a> Builder<'a> {
    fn new(file: &'a SourceFile, budget: usize) -> Self {
        Builder {
            file,
            text: file.text(),
            pos: Positions::new(file.text()),
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            budget,
            documents: 0,
            root: None,
        }
    }

    fn run(mut self) -> Result<Node, Diagnostic> {
        let mut parser = Parser::new(self.pos.body.chars());
        loop {
            let (event, mark) = match parser.next_token() {
                Ok(next) => next,
                Err(e) => return Err(self.scan_error(&e)),
            };
            match event {
                Event::StreamEnd => break,
                Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
                Event::DocumentStart => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(self.second_document(&mark));
                    }
                }
                Event::Alias(id) => self.alias(id, &mark)?,
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(value, style, anchor, tag.as_ref(), &mark)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.start(false, anchor, tag.as_ref(), &mark)?
                }
                Event::MappingStart(anchor, tag) => {
                    if self.stack.len() >= MAX_DEPTH {
                        // A block mapping's marker is its first key's `:`; point at the key,
                        // which is the next event.
                        let at = match parser.next_token() {
                            Ok((_, key)) if !self.is_flow(&mark) => key,
                            _ => mark,
                        };
                        let at = self.pos.byte(&at);
                        return Err(too_deep(self.file, char_span(self.text, at)));
                    }
                    self.start(true, anchor, tag.as_ref(), &mark)?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.end(&mark)?,
            }
        }
        let base = self.pos.base;
        Ok(self
            .root
            .unwrap_or_else(|| Node::new(NodeKind::Null, Span::new(base, base))))
    }

    /// True when the collection whose start marker this is opens with a bracket.
    fn is_flow(&mut self, mark: &Marker) -> bool {
        let at = self.pos.byte(mark);
        matches!(self.text.as_bytes().get(at), Some(b'[' | b'{'))
    }

    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map { key: None, .. },
                ..
            })
        )
    }

    fn error(&self, span: Span, message: impl Into<String>, label: &str) -> Diagnostic {
        Diagnostic::error(Code::DeclSyntax, message)
            .in_file(self.file)
            .label(span, label)
    }

    /// Counts `n` more nodes against the budget.
    fn spend(&mut self, n: usize, at: Span, by_alias: bool) -> Result<(), Diagnostic> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes <= self.budget {
            return Ok(());
        }
        let budget = self.budget;
        Err(if by_alias {
            self.error(
                at,
                format!("aliases expand this file beyond {budget} values"),
                "this alias passes the limit",
            )
            .help(
                "each alias copies the value it names, so aliases of aliases multiply; \
                 write the values out, or use fewer levels of aliases",
            )
        } else {
            self.error(
                at,
                format!("the file holds more than {budget} values"),
                "the limit is passed here",
            )
            .help("split the declaration into smaller files")
        })
    }

    /// Attaches a finished node to the collection being built, or makes it the document.
    fn add(
        &mut self,
        node: Node,
        count: usize,
        height: usize,
        key_text: Option<String>,
    ) -> Result<(), Diagnostic> {
        let file = self.file;
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.count = frame.count.saturating_add(count);
        frame.height = frame.height.max(height);
        frame.end = frame.end.max(node.span.end);
        match &mut frame.body {
            Body::Seq(items) => items.push(node),
            Body::Map { entries, key } => match key.take() {
                Some(k) => entries.push(k, node),
                None => {
                    let Some(name) = key_text else {
                        return Err(complex_key(file, node.span, node.kind_name()));
                    };
                    // A block mapping's marker is its first key's `:`; the key starts it.
                    frame.start = frame.start.min(node.span.start);
                    if let Some(first) = entries.find(&name) {
                        return Err(duplicate_key(file, &name, first.span, node.span));
                    }
                    *key = Some(Key {
                        name,
                        span: node.span,
                    });
                }
            },
        }
        Ok(())
    }

    fn scalar(
        &mut self,
        value: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mark: &Marker,
    ) -> Result<(), Diagnostic> {
        let start = self.pos.byte(mark);
        let span = match style {
            TScalarStyle::Plain if value.is_empty() => {
                // An implied empty value: its marker is on the next token, possibly lines
                // further, so point just after what precedes it (the key's `:`, the `-`).
                let before = self.text.get(..start).unwrap_or("");
                let at = before.trim_end_matches([' ', '\t', '\r', '\n']).len();
                Span::new(at, at)
            }
            TScalarStyle::Literal | TScalarStyle::Folded => {
                block_scalar_span(self.text, start, &value)
            }
            _ => Span::new(start, scalar_end(self.text, start, style, &value)),
        };
        self.spend(1, span, false)?;
        let wanted = self.wanted(tag, span)?;
        let kind = self.resolve(&value, style, wanted, tag, span)?;
        if anchor == 0 && self.expecting_key() {
            // A key keeps only its text; its tag was still checked above.
            return self.add(Node::new(NodeKind::Null, span), 1, 0, Some(value));
        }
        let key_text = (anchor > 0).then(|| value.clone());
        let node = Node::new(kind.unwrap_or(NodeKind::Str(value)), span);
        if anchor > 0 {
            let anchored = Anchored {
                node: node.clone(),
                count: 1,
                height: 0,
                key: key_text.clone(),
            };
            self.anchors.insert(anchor, anchored);
        }
        self.add(node, 1, 0, key_text)
    }

    fn alias(&mut self, id: usize, mark: &Marker) -> Result<(), Diagnostic> {
        let start = self.pos.byte(mark);
        let name = alias_name(self.text, start);
        let span = Span::new(start, start + 1 + name.len());
        let Some((count, height)) = self.anchors.get(&id).map(|a| (a.count, a.height)) else {
            // The parser knows the anchor, so it names a collection still open around
            // this alias, which has no value yet.
            return Err(self
                .error(
                    span,
                    format!(
                        "alias `*{}` refers to a value that contains it",
                        shown(name)
                    ),
                    "inside the value it names",
                )
                .help("an alias can only repeat a value that is complete before the alias"));
        };
        if self.stack.len() + height > MAX_DEPTH {
            return Err(too_deep(self.file, span));
        }
        // Spent before cloning, so a hostile file never gets to allocate its expansion.
        self.spend(count, span, true)?;
        let (mut node, key_text) = match self.anchors.get(&id) {
            Some(a) => (a.node.clone(), a.key.clone()),
            None => (Node::new(NodeKind::Null, span), None),
        };
        node.span = span;
        self.add(node, count, height, key_text)
    }

    fn start(
        &mut self,
        mapping: bool,
        anchor: usize,
        tag: Option<&Tag>,
        mark: &Marker,
    ) -> Result<(), Diagnostic> {
        let start = self.pos.byte(mark);
        let here = char_span(self.text, start);
        let kind = if mapping { "a mapping" } else { "a list" };
        if self.expecting_key() {
            return Err(complex_key(self.file, here, kind));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(self.file, here));
        }
        self.spend(1, here, false)?;
        let wanted = self.wanted(tag, here)?;
        let fits = match wanted {
            Wanted::Core | Wanted::NonSpecific => true,
            Wanted::Map => mapping,
            Wanted::Seq => !mapping,
            _ => false,
        };
        if !fits {
            let tag_text = tag.map(tag_text).unwrap_or_default();
            let span = tag_span(self.text, start, &tag_text).unwrap_or(here);
            return Err(self
                .error(
                    span,
                    format!("tag `{}` does not fit {kind}", shown(&tag_text)),
                    "this tag",
                )
                .help("remove the tag; declaration values need none"));
        }
        let flow = matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'));
        let body = if mapping {
            Body::Map {
                entries: Entries::new(),
                key: None,
            }
        } else {
            Body::Seq(Vec::new())
        };
        self.stack.push(Frame {
            start,
            end: if flow { start + 1 } else { start },
            flow,
            anchor,
            count: 1,
            height: 0,
            body,
        });
        Ok(())
    }

    fn end(&mut self, mark: &Marker) -> Result<(), Diagnostic> {
        let at = self.pos.byte(mark);
        let Some(frame) = self.stack.pop() else {
            return Err(Diagnostic::error(
                Code::Internal,
                "the YAML parser closed a collection it never opened",
            )
            .in_file(self.file)
            .label(char_span(self.text, at), "here"));
        };
        let closes = matches!(self.text.as_bytes().get(at), Some(b']' | b'}'));
        let end = if frame.flow && closes {
            at + 1
        } else {
            frame.end
        };
        let kind = match frame.body {
            Body::Seq(items) => NodeKind::Seq(items),
            Body::Map { entries, .. } => NodeKind::Map(entries.into_vec()),
        };
        let node = Node::new(kind, Span::new(frame.start, end));
        let height = frame.height + 1;
        if frame.anchor > 0 {
            let anchored = Anchored {
                node: node.clone(),
                count: frame.count,
                height,
                key: None,
            };
            self.anchors.insert(frame.anchor, anchored);
        }
        self.add(node, frame.count, height, None)
    }

    /// What a tag asks for, or the error for a tag declarations do not use.
    fn wanted(&self, tag: Option<&Tag>, node: Span) -> Result<Wanted, Diagnostic> {
        let Some(tag) = tag else {
            return Ok(Wanted::Core);
        };
        if tag.handle.is_empty() && tag.suffix == "!" {
            return Ok(Wanted::NonSpecific);
        }
        let full = format!("{}{}", tag.handle, tag.suffix);
        let core = full.strip_prefix(CORE_TAG);
        let wanted = match core {
            Some("str" | "timestamp") => Wanted::Str,
            Some("int") => Wanted::Int,
            Some("float") => Wanted::Float,
            Some("bool") => Wanted::Bool,
            Some("null") => Wanted::Null,
            Some("seq") => Wanted::Seq,
            Some("map") => Wanted::Map,
            _ => {
                let text = tag_text(tag);
                let span = tag_span(self.text, node.start, &text).unwrap_or(node);
                let diagnostic = if core.is_some() {
                    self.error(
                        span,
                        format!("unsupported tag `{}`", shown(&text)),
                        "this tag",
                    )
                    .help(
                        "declarations understand only `!!str`, `!!int`, `!!float`, \
                             `!!bool`, `!!null`, `!!seq` and `!!map`; remove the tag",
                    )
                } else {
                    self.error(span, format!("unknown tag `{}`", shown(&text)), "this tag")
                        .help("declarations hold plain values with no application tags; remove the tag")
                };
                return Err(diagnostic);
            }
        };
        Ok(wanted)
    }

    /// The value of a scalar, by the core schema or as its tag asks; `None` for a text,
    /// which the caller makes from the string it owns rather than a copy.
    fn resolve(
        &self,
        value: &str,
        style: TScalarStyle,
        wanted: Wanted,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<Option<NodeKind>, Diagnostic> {
        let kind = match wanted {
            Wanted::Core if style == TScalarStyle::Plain => {
                if is_null(value) {
                    Some(NodeKind::Null)
                } else if let Some(b) = parse_bool(value) {
                    Some(NodeKind::Bool(b))
                } else if let Some(int) = parse_int(value) {
                    Some(self.int_kind(value, int, span)?)
                } else if let Some(f) = parse_float(value) {
                    Some(self.float_kind(value, f, span)?)
                } else {
                    return Ok(None);
                }
            }
            Wanted::Core | Wanted::NonSpecific | Wanted::Str => return Ok(None),
            Wanted::Null => is_null(value).then_some(NodeKind::Null),
            Wanted::Bool => parse_bool(value).map(NodeKind::Bool),
            Wanted::Int => match parse_int(value) {
                Some(int) => Some(self.int_kind(value, int, span)?),
                None => None,
            },
            Wanted::Float => match parse_float(value).or_else(|| {
                parse_int(value).map(|int| match int {
                    Int::Fits(i) => i as f64,
                    Int::TooLarge => value.parse().unwrap_or(f64::INFINITY),
                })
            }) {
                Some(f) => Some(self.float_kind(value, f, span)?),
                None => None,
            },
            Wanted::Seq | Wanted::Map => None,
        };
        let Some(kind) = kind else {
            let text = tag.map(tag_text).unwrap_or_default();
            let example = match wanted {
                Wanted::Null => "`null`, `~` or nothing",
                Wanted::Bool => "`true` or `false`",
                Wanted::Int => "`42`, `-7`, `0x1F` or `0o17`",
                Wanted::Float => "`3.25`, `-1e3`, `.inf` or `.nan`",
                _ => "a list or mapping, not a single value",
            };
            let diagnostic = self
                .error(
                    span,
                    format!("`{}` does not fit its tag `{}`", shown(value), shown(&text)),
                    "this value",
                )
                .help(format!(
                    "a `{}` value is written like {example}; or remove the tag",
                    shown(&text)
                ));
            return Err(diagnostic);
        };
        Ok(Some(kind))
    }

    fn int_kind(&self, value: &str, int: Int, span: Span) -> Result<NodeKind, Diagnostic> {
        match int {
            Int::Fits(i) => Ok(NodeKind::Int(i)),
            // A decimal integer too large for 64 bits is still a number, as in JSON.
            Int::TooLarge
                if value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'-' || b == b'+') =>
            {
                let f = value.parse().unwrap_or(f64::INFINITY);
                self.float_kind(value, f, span)
            }
            Int::TooLarge => Err(self
                .error(
                    span,
                    format!("integer `{}` does not fit in 64 bits", shown(value)),
                    "too large",
                )
                .help("if this is an identifier rather than a quantity, put it in quotes")),
        }
    }

    fn float_kind(&self, value: &str, f: f64, span: Span) -> Result<NodeKind, Diagnostic> {
        if f.is_infinite() && !value.contains(['i', 'I']) {
            return Err(self
                .error(span, format!("number `{}` is too large", shown(value)), "too large")
                .help("numbers in a declaration must stay within ±1.7e308; write a huge figure as a text"));
        }
        Ok(NodeKind::Float(f))
    }

    fn second_document(&mut self, mark: &Marker) -> Diagnostic {
        let at = self.pos.byte(mark);
        let span = if self.text.get(at..).is_some_and(|s| s.starts_with("---")) {
            Span::new(at, at + 3)
        } else {
            char_span(self.text, at)
        };
        self.error(
            span,
            "a declaration file holds one YAML document",
            "a second document starts here",
        )
        .help("merge the documents into one, or put each in a file of its own")
    }

    fn scan_error(&mut self, e: &ScanError) -> Diagnostic {
        let at = self.pos.byte(e.marker());
        let here = char_span(self.text, at);
        let info = e.info();
        if info.contains("recursion limit exceeded") {
            return too_deep(self.file, here);
        }
        if info.contains("unknown anchor") {
            let name = alias_name(self.text, at);
            let span = Span::new(at, (at + 1 + name.len()).min(self.text.len()));
            return self
                .error(
                    span,
                    format!("unknown anchor `*{}`", shown(name)),
                    "no anchor of that name before this alias",
                )
                .help(format!(
                    "an alias `*{0}` repeats a value marked `&{0}` earlier in the file",
                    shown(name)
                ));
        }
        if info.contains("quoted scalar, found unexpected end of stream") {
            return self
                .error(
                    here,
                    "unterminated quoted text",
                    "this quote is never closed",
                )
                .help(
                    "end the text with the quote it starts with; inside double quotes a quote \
                     is written `\\\"`, inside single quotes `''`",
                );
        }
        let here = if info.contains("tab") {
            // The scanner stops after the tabs; the tabs are the problem.
            let tabs = self
                .text
                .get(..at)
                .map_or(0, |s| s.len() - s.trim_end_matches('\t').len());
            char_span(self.text, at - tabs)
        } else {
            here
        };
        self.error(here, tidy(info), "here").help(scan_help(info))
    }
}

fn complex_key(file: &SourceFile, span: Span, kind: &str) -> Diagnostic {
    Diagnostic::error(
        Code::DeclSyntax,
        format!("a mapping key must be a single value, not {kind}"),
    )
    .in_file(file)
    .label(span, "this key")
    .help("declaration keys are names such as `employees`; use a list of mappings to pair complex values")
}

/// The name after the `*` of an alias at `at`.
fn alias_name(text: &str, at: usize) -> &str {
    let rest = text.get(at + 1..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
        .unwrap_or(rest.len());
    rest.get(..end).unwrap_or("")
}

/// A tag as the user would write it.
fn tag_text(tag: &Tag) -> String {
    if let Some(suffix) = format!("{}{}", tag.handle, tag.suffix).strip_prefix(CORE_TAG) {
        return format!("!!{suffix}");
    }
    if tag.handle.is_empty() {
        return format!("!<{}>", tag.suffix);
    }
    format!("{}{}", tag.handle, tag.suffix)
}

/// Where a tag is written before the node starting at `node`: on its line or the line
/// above (a tag can sit after the key of a block collection).
fn tag_span(text: &str, node: usize, tag: &str) -> Option<Span> {
    let before = text.get(..node)?;
    let line = before.rfind('\n').unwrap_or(0);
    let from = before.get(..line)?.rfind('\n').map_or(0, |i| i + 1);
    let at = before.get(from..)?.rfind(tag)? + from;
    Some(Span::new(at, at + tag.len()))
}

/// End of the scalar that starts at `start`, whose value is `value`.
///
/// Markers give only the start. Quoted scalars end at their closing quote; plain and
/// block scalars end after the last character of their value as found in the text,
/// matching the value's characters in order and skipping the whitespace that folding
/// and indentation change.
fn scalar_end(text: &str, start: usize, style: TScalarStyle, value: &str) -> usize {
    let bytes = text.as_bytes();
    match style {
        TScalarStyle::SingleQuoted => {
            let mut i = start + 1;
            loop {
                match bytes.get(i) {
                    None => return text.len(),
                    Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') => return i + 1,
                    Some(_) => i += 1,
                }
            }
        }
        TScalarStyle::DoubleQuoted => {
            let mut i = start + 1;
            loop {
                match bytes.get(i) {
                    None => return text.len(),
                    Some(b'\\') => i += 2,
                    Some(b'"') => return (i + 1).min(text.len()),
                    Some(_) => i += 1,
                }
            }
        }
        TScalarStyle::Plain => {
            let end = content_end(text, start, value);
            if end > start {
                end
            } else {
                char_span(text, start).end
            }
        }
        TScalarStyle::Literal | TScalarStyle::Folded => block_scalar_span(text, start, value).end,
    }
}

/// The span of a block scalar, from its `|` or `>` through its last character.
///
/// The marker of a block scalar sits on its first content character or, when it has no
/// content, on its indicator or even the next token; the header is then found on the
/// nearest line before the marker that is not blank.
fn block_scalar_span(text: &str, mark: usize, value: &str) -> Span {
    let has_content = value.chars().any(|c| !is_space(c));
    let on_indicator = !has_content && matches!(text.as_bytes().get(mark), Some(b'|' | b'>'));
    let header = block_header(text, if on_indicator { mark + 1 } else { mark });
    let start = header.unwrap_or(mark);
    let end = if has_content {
        content_end(text, mark, value)
    } else {
        let indicators = text
            .get(start + 1..)
            .unwrap_or("")
            .bytes()
            .take_while(|b| matches!(b, b'+' | b'-' | b'0'..=b'9'))
            .count();
        (start + 1 + indicators).min(text.len())
    };
    Span::new(start, end.max(start))
}

/// The `|` or `>` on the last non-blank line before `before`: one that stands alone,
/// followed only by chomping and indentation indicators.
fn block_header(text: &str, before: usize) -> Option<usize> {
    let prefix = text
        .get(..before)?
        .trim_end_matches([' ', '\t', '\r', '\n']);
    let line_start = prefix.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = prefix.get(line_start..)?;
    line.char_indices().find_map(|(i, c)| {
        let head = line.get(..i)?;
        let tail = line
            .get(i + 1..)?
            .trim_start_matches(|c: char| matches!(c, '+' | '-' | '0'..='9'));
        let alone = (head.is_empty() || head.ends_with([' ', '\t']))
            && (tail.is_empty() || tail.starts_with([' ', '\t']));
        (matches!(c, '|' | '>') && alone).then_some(line_start + i)
    })
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// After the last non-space character of `value` found in order in `text` from `from`.
fn content_end(text: &str, from: usize, value: &str) -> usize {
    let mut source = text.get(from..).unwrap_or("").char_indices();
    let mut end = from;
    'value: for want in value.chars().filter(|&c| !is_space(c)) {
        for (i, c) in source.by_ref() {
            if c == want {
                end = from + i + c.len_utf8();
                continue 'value;
            }
            if !is_space(c) {
                break;
            }
        }
        break;
    }
    end
}

/// A core-schema integer.
#[derive(Clone, Copy)]
enum Int {
    Fits(i64),
    TooLarge,
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`, as the core schema defines integers.
fn parse_int(s: &str) -> Option<Int> {
    let (digits, radix) = if let Some(d) = s.strip_prefix("0x") {
        (d, 16)
    } else if let Some(d) = s.strip_prefix("0o") {
        (d, 8)
    } else {
        let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(s.parse().map_or(Int::TooLarge, Int::Fits));
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(i64::from_str_radix(digits, radix).map_or(Int::TooLarge, Int::Fits))
}

/// A core-schema float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, or an
/// infinity or NaN written the YAML way.
fn parse_float(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let whole = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        let fraction = digits(&mut i);
        if whole == 0 && fraction == 0 {
            return None;
        }
    } else if whole == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'-' | b'+') = b.get(i) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse().ok()
}

/// A scanner message as a diagnostic message: lower case, no final period, quoted
/// characters in backticks.
fn tidy(info: &str) -> String {
    let mut chars = info.trim().trim_end_matches('.').chars();
    let mut out = String::with_capacity(info.len());
    if let Some(first) = chars.next() {
        let acronym = chars.clone().next().is_some_and(char::is_uppercase);
        if acronym {
            out.push(first);
        } else {
            out.extend(first.to_lowercase());
        }
    }
    out.extend(chars);
    // 'x' → `x`
    let mut result = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find('\'') {
        let quoted = rest.get(i + 1..).and_then(|r| {
            r.char_indices()
                .nth(1)
                .filter(|&(_, c)| c == '\'')
                .map(|(j, _)| j)
        });
        let (Some(head), Some(j)) = (rest.get(..i), quoted) else {
            result.push_str(rest.get(..=i).unwrap_or(""));
            rest = rest.get(i + 1..).unwrap_or("");
            continue;
        };
        result.push_str(head);
        result.push('`');
        result.push_str(rest.get(i + 1..i + 1 + j).unwrap_or(""));
        result.push('`');
        rest = rest.get(i + 2 + j..).unwrap_or("");
    }
    result.push_str(rest);
    result
}

/// Advice for the scanner's messages, by what usually causes them in hand-written files.
fn scan_help(info: &str) -> &'static str {
    let has = |s: &str| info.contains(s);
    if has("tab") {
        "indent with spaces: YAML does not allow tabs for indentation"
    } else if has("mapping values are not allowed") {
        "a value containing `: ` must be quoted, like `title: \"Note: draft\"`; \
         otherwise check the indentation of this line"
    } else if has("unexpected end of stream") || has("unexpected eof") {
        "a quote or bracket opened here is never closed"
    } else if has("expected ',' or") {
        "separate the entries of `[ … ]` or `{ … }` with commas and close the brackets"
    } else if has("escape") {
        "inside double quotes a backslash starts an escape; write `\\\\` for a backslash, \
         or use single quotes"
    } else if has("tag") {
        "declarations need no tags; remove it"
    } else if has("anchor") || has("alias") {
        "an anchor is written `&name` before a value and repeated with `*name`"
    } else if has("document") || has("directive") {
        "a declaration file holds one document; remove the `---`, `...` or `%` lines"
    } else {
        "check the indentation and the quoting around this line: entries of one mapping or \
         list line up, and values containing `: ` or ` #` are quoted"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("decl.yaml", text)
    }

    fn parse(text: &str) -> Node {
        match parse_yaml(&file(text)) {
            Ok(node) => {
                assert_spans_fit(text, &node);
                node
            }
            Err(d) => panic!("{text:?} failed: {} at {:?}", d.message(), d.primary_span()),
        }
    }

    fn fail(text: &str) -> Diagnostic {
        match parse_yaml(&file(text)) {
            Ok(node) => panic!("{text:?} parsed as {node:?}"),
            Err(d) => {
                let span = d.primary_span().expect("a primary span");
                assert!(
                    text.get(span.start..span.end).is_some(),
                    "{text:?}: {span:?}"
                );
                d
            }
        }
    }

    fn error_at(text: &str) -> (usize, usize) {
        let d = fail(text);
        file(text).line_col(d.primary_span().unwrap().start)
    }

    /// Every span lies within the text on character boundaries, children inside parents.
    fn assert_spans_fit(text: &str, node: &Node) {
        let mut todo = vec![node];
        while let Some(n) = todo.pop() {
            assert!(
                text.get(n.span.start..n.span.end).is_some(),
                "{text:?}: {n:?}"
            );
            match &n.kind {
                NodeKind::Seq(items) => todo.extend(items),
                NodeKind::Map(entries) => {
                    for (k, v) in entries {
                        assert!(
                            text.get(k.span.start..k.span.end).is_some(),
                            "{text:?}: {k:?}"
                        );
                        todo.push(v);
                    }
                }
                _ => {}
            }
        }
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

    fn get<'n>(node: &'n Node, name: &str) -> &'n Node {
        entries(node)
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no key {name}"))
    }

    /// (key as written, value as written) for each entry.
    fn slices<'t>(text: &'t str, node: &Node) -> Vec<(&'t str, &'t str)> {
        entries(node)
            .iter()
            .map(|(k, v)| {
                (
                    &text[k.span.start..k.span.end],
                    &text[v.span.start..v.span.end],
                )
            })
            .collect()
    }

    fn str(s: &str) -> NodeKind {
        NodeKind::Str(s.to_string())
    }

    #[test]
    fn spans_of_values_and_keys_slice_the_text() {
        let text = "\
# a declaration
name: Example Ltd   # trailing comment
'quoted key': \"double \\\"q\\\" \"
plain: several words
  folded over lines
single: 'it''s'
literal: |
  line one
  line two

folded: >-
  one
  two
flow: [1, {a: b}, \"c\" ]
list:
  - x
  - y: 1
    z: 2
empty:
last: end";
        let root = parse(text);
        assert_eq!(&text[root.span.start..root.span.end], &text[16..]);
        assert_eq!(
            slices(text, &root),
            [
                ("name", "Example Ltd"),
                ("'quoted key'", "\"double \\\"q\\\" \""),
                ("plain", "several words\n  folded over lines"),
                ("single", "'it''s'"),
                ("literal", "|\n  line one\n  line two"),
                ("folded", ">-\n  one\n  two"),
                ("flow", "[1, {a: b}, \"c\" ]"),
                ("list", "- x\n  - y: 1\n    z: 2"),
                ("empty", ""),
                ("last", "end"),
            ]
        );
        assert_eq!(get(&root, "quoted key").kind, str("double \"q\" "));
        assert_eq!(
            get(&root, "plain").kind,
            str("several words folded over lines")
        );
        assert_eq!(get(&root, "single").kind, str("it's"));
        assert_eq!(get(&root, "literal").kind, str("line one\nline two\n"));
        assert_eq!(get(&root, "folded").kind, str("one two"));
        let flow = items(get(&root, "flow"));
        let flow_slices: Vec<&str> = flow
            .iter()
            .map(|n| &text[n.span.start..n.span.end])
            .collect();
        assert_eq!(flow_slices, ["1", "{a: b}", "\"c\""]);
        assert_eq!(slices(text, &flow[1]), [("a", "b")]);
        let list = items(get(&root, "list"));
        assert_eq!(
            &text[list[1].span.start..list[1].span.end],
            "y: 1\n    z: 2"
        );
        // An empty value points just after its key's colon.
        let empty = get(&root, "empty");
        assert_eq!(empty.kind, NodeKind::Null);
        assert_eq!(file(text).line_col(empty.span.start), (19, 7));
    }

    #[test]
    fn non_ascii_text_before_a_node_keeps_spans_right() {
        let text = "név: Zoë 😀\nváros: \"Zürich\"\nlong: |\n  ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé\n  ñ\nafter: [é, ü]\nn: 5\n";
        let root = parse(text);
        assert_eq!(
            slices(text, &root),
            [
                ("név", "Zoë 😀"),
                ("város", "\"Zürich\""),
                ("long", "|\n  ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé\n  ñ"),
                ("after", "[é, ü]"),
                ("n", "5"),
            ]
        );
        assert_eq!(get(&root, "n").kind, NodeKind::Int(5));
        let d = fail("név: Zoë\nváros: [a, b\n");
        assert_eq!(d.code(), Code::DeclSyntax);
        let d = fail("név: Zoë\nváros: a: b\n");
        assert_eq!(
            file("név: Zoë\nváros: a: b\n").line_col(d.primary_span().unwrap().start),
            (2, 9)
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = "\u{feff}a: 1\nb: x\n";
        let root = parse(text);
        assert_eq!(slices(text, &root), [("a", "1"), ("b", "x")]);
        let text = "\u{feff}a: é\nb: x\n";
        let root = parse(text);
        assert_eq!(slices(text, &root), [("a", "é"), ("b", "x")]);
    }

    #[test]
    fn plain_scalars_resolve_by_the_core_schema() {
        let cases: &[(&str, NodeKind)] = &[
            ("~", NodeKind::Null),
            ("null", NodeKind::Null),
            ("NULL", NodeKind::Null),
            ("true", NodeKind::Bool(true)),
            ("False", NodeKind::Bool(false)),
            ("TRUE", NodeKind::Bool(true)),
            ("yes", str("yes")),
            ("no", str("no")),
            ("on", str("on")),
            ("42", NodeKind::Int(42)),
            ("-7", NodeKind::Int(-7)),
            ("+7", NodeKind::Int(7)),
            ("012", NodeKind::Int(12)),
            ("0x1F", NodeKind::Int(31)),
            ("0o17", NodeKind::Int(15)),
            ("0b11", str("0b11")),
            ("1_000", str("1_000")),
            (
                "9223372036854775808",
                NodeKind::Float(9_223_372_036_854_775_808.0),
            ),
            ("1.5", NodeKind::Float(1.5)),
            ("-.5", NodeKind::Float(-0.5)),
            ("5.", NodeKind::Float(5.0)),
            ("1e3", NodeKind::Float(1000.0)),
            ("2.5E-1", NodeKind::Float(0.25)),
            (".inf", NodeKind::Float(f64::INFINITY)),
            ("-.Inf", NodeKind::Float(f64::NEG_INFINITY)),
            ("2026-01-01", str("2026-01-01")),
            ("12:30", str("12:30")),
            ("1.2.3", str("1.2.3")),
            ("inf", str("inf")),
            ("nan", str("nan")),
            (".", str(".")),
            ("P1Y", str("P1Y")),
        ];
        for (written, want) in cases {
            let text = format!("v: {written}\n");
            assert_eq!(&get(&parse(&text), "v").kind, want, "{written}");
        }
        match get(&parse("v: .nan"), "v").kind {
            NodeKind::Float(f) => assert!(f.is_nan()),
            ref other => panic!("{other:?}"),
        }
        assert_eq!(get(&parse("v:"), "v").kind, NodeKind::Null);
        // Quoted and block scalars are always texts.
        for text in ["v: '42'", "v: \"true\"", "v: |\n  null", "v: >\n  1.5"] {
            assert!(
                matches!(get(&parse(text), "v").kind, NodeKind::Str(_)),
                "{text}"
            );
        }
        assert_eq!(
            fail("v: 0x1FFFFFFFFFFFFFFFF").message(),
            "integer `0x1FFFFFFFFFFFFFFFF` does not fit in 64 bits"
        );
        assert_eq!(fail("v: 1e400").message(), "number `1e400` is too large");
    }

    #[test]
    fn standard_tags_are_honoured_and_others_refused() {
        let root = parse("a: !!str 12\nb: !!int \"12\"\nc: !!float 3\nd: !!bool 'true'\ne: !!null ''\nf: ! 12\ng: !!map {x: 1}\nh: !!seq [1]\ni: !!timestamp 2026-01-01\nj: !!str\n");
        let kinds: Vec<&NodeKind> = entries(&root).iter().map(|(_, v)| &v.kind).collect();
        assert_eq!(
            kinds[..6],
            [
                &str("12"),
                &NodeKind::Int(12),
                &NodeKind::Float(3.0),
                &NodeKind::Bool(true),
                &NodeKind::Null,
                &str("12")
            ]
        );
        assert_eq!(kinds[8], &str("2026-01-01"));
        assert_eq!(kinds[9], &str(""));

        let text = "a: 1\nb: !secret xyz\n";
        let d = fail(text);
        assert_eq!(d.message(), "unknown tag `!secret`");
        assert_eq!(
            &text[d.primary_span().unwrap().start..d.primary_span().unwrap().end],
            "!secret"
        );
        let text = "a: !custom\n  b: 1\n";
        let d = fail(text);
        assert_eq!(d.message(), "unknown tag `!custom`");
        assert_eq!(
            &text[d.primary_span().unwrap().start..d.primary_span().unwrap().end],
            "!custom"
        );
        assert_eq!(fail("a: !!set {x}").message(), "unsupported tag `!!set`");
        assert_eq!(
            fail("a: !!binary aGk=").message(),
            "unsupported tag `!!binary`"
        );
        assert_eq!(
            fail("a: !!int abc").message(),
            "`abc` does not fit its tag `!!int`"
        );
        assert_eq!(
            fail("a: !!bool yes").message(),
            "`yes` does not fit its tag `!!bool`"
        );
        assert_eq!(
            fail("a: !!map [1]").message(),
            "tag `!!map` does not fit a list"
        );
        assert_eq!(
            fail("a: !!str [1]").message(),
            "tag `!!str` does not fit a list"
        );
        assert_eq!(
            fail("a: !!seq x").message(),
            "`x` does not fit its tag `!!seq`"
        );
    }

    #[test]
    fn keys_are_texts_in_the_order_written() {
        let root = parse("z: 1\n1: a\ntrue: b\nnull: c\n0x10: d\n\"q\": e\n");
        let names: Vec<&str> = entries(&root)
            .iter()
            .map(|(k, _)| k.name.as_str())
            .collect();
        assert_eq!(names, ["z", "1", "true", "null", "0x10", "q"]);
        assert_eq!(
            fail("? [a, b]\n: x\n").message(),
            "a mapping key must be a single value, not a list"
        );
        assert_eq!(
            fail("{a: 1}: x\n").message(),
            "a mapping key must be a single value, not a mapping"
        );
        assert_eq!(
            fail("a: &l [1]\n*l : x\n").message(),
            "a mapping key must be a single value, not a list"
        );
    }

    #[test]
    fn duplicate_keys_point_at_both() {
        let text = "a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n";
        let d = fail(text);
        assert_eq!(d.message(), "duplicate key `c`");
        assert_eq!(file(text).line_col(d.primary_span().unwrap().start), (5, 3));
        assert!(format!("{d:?}").contains("first defined here"));
        assert_eq!(fail("{a: 1, 'a': 2}").message(), "duplicate key `a`");
        let text = "a: 0\nx: &k a\n*k : 2\n";
        let d = fail(text);
        assert_eq!(d.message(), "duplicate key `a`");
        assert_eq!(d.primary_span().map(|s| &text[s.start..s.end]), Some("*k"));
        let mut big: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        big.push_str("k99: 0\n");
        assert_eq!(fail(&big).message(), "duplicate key `k99`");
        parse("a: {a: 1}\nb: {a: 2}\n");
    }

    #[test]
    fn nesting_is_limited_to_max_depth_in_both_styles() {
        let flow = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        parse(&flow(MAX_DEPTH));
        let d = fail(&flow(MAX_DEPTH + 1));
        assert_eq!(d.message(), "nesting deeper than 128 levels");
        assert_eq!(d.primary_span().map(|s| s.start), Some(MAX_DEPTH));

        let block = |n: usize| {
            let mut s = String::new();
            for i in 0..n {
                s.push_str(&" ".repeat(i));
                s.push_str("a:\n");
            }
            s
        };
        let mut node = &parse(&block(MAX_DEPTH));
        let mut depth = 0;
        while let NodeKind::Map(entries) = &node.kind {
            node = &entries[0].1;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH);
        let text = block(MAX_DEPTH + 1);
        let d = fail(&text);
        assert_eq!(d.message(), "nesting deeper than 128 levels");
        assert_eq!(
            file(&text).line_col(d.primary_span().unwrap().start),
            (MAX_DEPTH + 1, MAX_DEPTH + 1)
        );

        // Far beyond the limit: a diagnostic, not a stack overflow.
        assert_eq!(
            fail(&"[".repeat(100_000)).message(),
            "nesting deeper than 128 levels"
        );
        assert_eq!(
            fail(&format!("{}x", "- ".repeat(100_000))).message(),
            "nesting deeper than 128 levels"
        );
    }

    #[test]
    fn aliases_expand_to_copies() {
        let text = "base: &b\n  x: 1\n  y: [a]\nother: *b\nname: &n Zoë\nsame: *n\n";
        let root = parse(text);
        let base = get(&root, "base");
        let other = get(&root, "other");
        assert_eq!(base, other);
        assert_eq!(&text[other.span.start..other.span.end], "*b");
        // Nodes inside the copy still point at the anchored definition.
        let x = get(other, "x");
        assert_eq!(file(text).line_col(x.span.start), (2, 6));
        assert_eq!(get(&root, "same").kind, str("Zoë"));
        assert_eq!(
            &text[get(&root, "same").span.start..get(&root, "same").span.end],
            "*n"
        );

        let d = fail("a: *nowhere\n");
        assert_eq!(d.message(), "unknown anchor `*nowhere`");
        assert_eq!(d.primary_span().map(|s| (s.start, s.end)), Some((3, 11)));
        assert_eq!(
            fail("a: &r [1, *r]\n").message(),
            "alias `*r` refers to a value that contains it"
        );
    }

    #[test]
    fn alias_copies_count_towards_the_depth_limit() {
        let deep = format!(
            "a: &d {}{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        parse(&deep);
        let d = fail(&format!("{deep}b: [*d]\n"));
        assert_eq!(d.message(), "nesting deeper than 128 levels");
    }

    #[test]
    fn alias_expansion_has_a_budget() {
        let laughs = "\
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
";
        let d = fail(laughs);
        assert_eq!(
            d.message(),
            "aliases expand this file beyond 1000000 values"
        );
        assert_eq!(file(laughs).line_col(d.primary_span().unwrap().start).0, 6);

        let small = "a: &a [1, 2]\nb: [*a, *a]\n";
        // 1 root + 3 for `a` + 1 list + 2 × 3 copies = 11 (keys count too: 13).
        assert!(parse_with_budget(&file(small), 13).is_ok());
        let d = parse_with_budget(&file(small), 12).unwrap_err();
        assert_eq!(d.message(), "aliases expand this file beyond 12 values");
        let d = parse_with_budget(&file("[1, 2, 3]"), 3).unwrap_err();
        assert_eq!(d.message(), "the file holds more than 3 values");
    }

    #[test]
    fn one_document_only() {
        let text = "a: 1\n---\nb: 2\n";
        let d = fail(text);
        assert_eq!(d.message(), "a declaration file holds one YAML document");
        assert_eq!(d.primary_span().map(|s| &text[s.start..s.end]), Some("---"));
        assert_eq!(
            fail("a: 1\n...\nb: 2\n").message(),
            "a declaration file holds one YAML document"
        );
        parse("---\na: 1\n...\n");
        parse("%YAML 1.2\n---\na: 1\n");
    }

    #[test]
    fn empty_documents_are_null() {
        for text in [
            "",
            "\n\n",
            "# only a comment\n",
            "---\n",
            "---\n...\n",
            "\u{feff}",
        ] {
            assert_eq!(parse(text).kind, NodeKind::Null, "{text:?}");
        }
    }

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let d = fail("a: 1\nb: c: d\n");
        assert_eq!(d.code(), Code::DeclSyntax);
        assert_eq!(
            d.message(),
            "mapping values are not allowed in this context"
        );
        assert_eq!(error_at("a: 1\nb: c: d\n"), (2, 5));
        assert_eq!(error_at("a:\n  - x\n - y\n"), (3, 2));
        assert_eq!(error_at("a: \"open\nb: 1\n"), (1, 4));
        assert_eq!(fail("a: 'open\n").message(), "unterminated quoted text");
        assert_eq!(error_at("a: [1, 2\nb: 1\n").0, 2);
        assert_eq!(error_at("a:\n\t- x\n"), (2, 1));
        for text in ["a: 1\nb: c: d\n", "a: [1, 2\nb: 1\n", "a: \"x\\q\"\n"] {
            let d = fail(text);
            let m = d.message();
            assert!(
                m.starts_with(|c: char| c.is_lowercase()) && !m.ends_with('.'),
                "{m}"
            );
            assert!(!m.contains('\''), "{m}");
            assert!(d.help_text().is_some());
        }
    }

    #[test]
    fn tidy_rewrites_scanner_messages() {
        assert_eq!(
            tidy("while parsing a flow sequence, expected ',' or ']'"),
            "while parsing a flow sequence, expected `,` or `]`"
        );
        assert_eq!(tidy("Invalid thing."), "invalid thing");
        assert_eq!(tidy("TAG directive's"), "TAG directive's");
    }

    #[test]
    fn every_prefix_of_a_document_parses_or_fails_cleanly() {
        let text = "\
# déclaration
name: \"Zoë \\u00e9\"   # note
tags: [a, 'b''c', {k: v}]
base: &b
  x: 1
  y: !!str 2
copy: *b
text: |-
  ünï
  two
list:
  - one
  - ? k
    : v
folded: >
  a
  b
end: ~
";
        parse(text);
        for (end, _) in text.char_indices() {
            let prefix = &text[..end];
            match parse_yaml(&file(prefix)) {
                Ok(node) => assert_spans_fit(prefix, &node),
                Err(d) => {
                    assert_ne!(d.code(), Code::Internal, "{prefix:?}");
                    let span = d.primary_span().expect("a primary span");
                    assert!(
                        prefix.get(span.start..span.end).is_some(),
                        "{prefix:?}: {span:?}"
                    );
                }
            }
        }
    }
}
