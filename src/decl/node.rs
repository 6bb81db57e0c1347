//! The raw tree both declaration formats parse into.
//!
//! YAML and JSON are read into the same small tree so that the later stages (shape
//! checking, conversion to typed declarations) are written once. Every node and every
//! mapping key keeps the byte span it came from, because those stages report their
//! problems against the user's file, not against the tree.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

/// How many collections may enclose one another.
///
/// Real declarations nest a handful of levels; the limit exists so that a hostile or
/// generated file is refused with a diagnostic instead of exhausting the stack of the
/// parsers or of the recursive stages after them.
pub const MAX_DEPTH: usize = 128;

/// One value of a declaration file and where it was written.
///
/// Equality ignores spans (see [`Span`]), so two parses compare by meaning.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: NodeKind,
    /// Where the value is written; for a text, including its quotes.
    pub span: Span,
}

/// The value of a [`Node`].
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// `null`, `~` or nothing at all.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number written without fraction or exponent that fits 64 bits.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A text.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in the order written, because diagnostics and reports follow the user's
    /// order. Keys are unique: both parsers refuse duplicates.
    Map(Vec<(Key, Node)>),
}

/// A mapping key: always a text, with the span of the key as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key's text.
    pub name: String,
    /// Where the key is written, including quotes.
    pub span: Span,
}

impl Node {
    /// A node of the given kind at the given span.
    pub fn new(kind: NodeKind, span: Span) -> Self {
        Node { kind, span }
    }

    /// The kind as a noun phrase, for messages such as "expected a list, found a text".
    pub fn kind_name(&self) -> &'static str {
        self.kind.kind_name()
    }
}

impl NodeKind {
    /// The kind as a noun phrase, for messages such as "expected a list, found a text".
    pub fn kind_name(&self) -> &'static str {
        match self {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) => "an integer",
            NodeKind::Float(_) => "a number",
            NodeKind::Str(_) => "a text",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// Below this many entries a linear scan finds duplicates faster than hashing would, and
/// nearly every mapping in a declaration is that small.
const LINEAR_LIMIT: usize = 12;

/// The entries of a mapping under construction, with duplicate detection that stays
/// linear in time for large mappings.
#[derive(Default)]
pub(super) struct Entries {
    entries: Vec<(Key, Node)>,
    index: Option<HashMap<String, usize>>,
}

impl Entries {
    /// No entries yet.
    pub(super) fn new() -> Self {
        Entries::default()
    }

    /// The key already present under this name, if any.
    pub(super) fn find(&self, name: &str) -> Option<&Key> {
        match &self.index {
            Some(index) => index
                .get(name)
                .and_then(|&i| self.entries.get(i))
                .map(|(k, _)| k),
            None => self.entries.iter().map(|(k, _)| k).find(|k| k.name == name),
        }
    }

    /// Appends an entry; the caller has checked with [`Entries::find`] first.
    pub(super) fn push(&mut self, key: Key, value: Node) {
        if self.index.is_none() && self.entries.len() >= LINEAR_LIMIT {
            let index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.name.clone(), i))
                .collect();
            self.index = Some(index);
        }
        if let Some(index) = &mut self.index {
            index.insert(key.name.clone(), self.entries.len());
        }
        self.entries.push((key, value));
    }

    /// The entries in the order written.
    pub(super) fn into_vec(self) -> Vec<(Key, Node)> {
        self.entries
    }
}

/// The error for a key written twice in one mapping, shared so both formats word it alike.
pub(super) fn duplicate_key(file: &SourceFile, name: &str, first: Span, again: Span) -> Diagnostic {
    Diagnostic::error(Code::DeclSyntax, format!("duplicate key `{}`", shown(name)))
        .in_file(file)
        .label(again, "defined again here")
        .label(first, "first defined here")
        .help("a key may appear only once in one mapping; remove one of the two or merge them")
}

/// The error for nesting beyond [`MAX_DEPTH`], shared so both formats word it alike.
pub(super) fn too_deep(file: &SourceFile, at: Span) -> Diagnostic {
    Diagnostic::error(
        Code::DeclSyntax,
        format!("nesting deeper than {MAX_DEPTH} levels"),
    )
    .in_file(file)
    .label(at, "this level is too deep")
    .help(
        "declarations need only a few levels of lists and mappings; \
         this file was probably generated by mistake",
    )
}

/// A user's value made safe for a one-line message: control characters escaped and
/// long values shortened, so a message never spans lines or pages.
pub(super) fn shown(text: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::with_capacity(text.len().min(MAX + 4));
    for (n, c) in text.chars().enumerate() {
        if n == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The span of the character at `at`; at the end of the text, an empty span just after
/// the last character that is not a line break.
///
/// miette draws no label at the very end of a text that ends with a line break, so an
/// error at the end of the file is shown where the content ends.
pub(super) fn char_span(text: &str, at: usize) -> Span {
    let at = at.min(text.len());
    match text.get(at..).and_then(|rest| rest.chars().next()) {
        Some(c) => Span::new(at, at + c.len_utf8()),
        None => {
            let end = text.trim_end_matches(['\n', '\r']).len();
            Span::new(end, end)
        }
    }
}

/// The character at `at` as shown in a label: `` `x` ``, or "the end of the file".
pub(super) fn found(text: &str, at: usize) -> String {
    match text.get(at..).and_then(|rest| rest.chars().next()) {
        None => "the end of the file".to_string(),
        Some(c) => format!("`{}`", shown(c.encode_utf8(&mut [0; 4]))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str, at: usize) -> Key {
        Key {
            name: name.to_string(),
            span: Span::new(at, at + name.len()),
        }
    }

    #[test]
    fn entries_find_duplicates_below_and_above_the_linear_limit() {
        let mut entries = Entries::new();
        for i in 0..50 {
            let name = format!("k{i}");
            assert!(entries.find(&name).is_none());
            entries.push(
                key(&name, i * 10),
                Node::new(NodeKind::Null, Span::default()),
            );
        }
        assert_eq!(entries.find("k3").map(|k| k.span.start), Some(30));
        assert_eq!(entries.find("k42").map(|k| k.span.start), Some(420));
        assert!(entries.find("k50").is_none());
        let names: Vec<String> = entries
            .into_vec()
            .into_iter()
            .map(|(k, _)| k.name)
            .collect();
        assert_eq!(names.first().map(String::as_str), Some("k0"));
        assert_eq!(names.last().map(String::as_str), Some("k49"));
    }

    #[test]
    fn kind_names_read_as_noun_phrases() {
        assert_eq!(NodeKind::Str(String::new()).kind_name(), "a text");
        assert_eq!(NodeKind::Map(Vec::new()).kind_name(), "a mapping");
        assert_eq!(
            Node::new(NodeKind::Int(1), Span::default()).kind_name(),
            "an integer"
        );
    }

    #[test]
    fn shown_values_stay_on_one_short_line() {
        assert_eq!(shown("a\nb"), "a\\nb");
        let long = "x".repeat(100);
        assert_eq!(shown(&long).chars().count(), 41);
    }

    #[test]
    fn char_span_covers_one_character_or_the_end() {
        let text = "aé";
        assert_eq!(char_span(text, 1).len(), 2);
        assert!(char_span(text, 3).is_empty());
        assert_eq!(char_span(text, 99).start, 3);
    }
}
