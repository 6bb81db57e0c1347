//! Reads a raw YAML/JSON tree into typed declaration values, following the shape.
//!
//! Every mismatch is reported with the line and column of the offending value; a required
//! field that is left out (or written `null`) is not an error: it is a fact not yet
//! stated, and the obligations that need it come out unknown.

use std::collections::HashMap;
use std::sync::Arc;

use super::limits::Limits;
use super::node::{Key, Node, NodeKind};
use super::value::{join_path, whole_number, Record, Value};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::program::shape::{RecordId, Shape, Type, DECLARATION};
use crate::source::SourceFile;
use crate::time::{Date, DateTime, Duration};

/// At most this many problems are reported for one declaration.
const MAX_PROBLEMS: usize = 50;

struct Reader<'a> {
    shape: &'a Shape,
    file: &'a SourceFile,
    limits: &'a Limits,
    diags: Diagnostics,
}

/// Types the root node of a declaration, under the default [`Limits`].
pub fn read(shape: &Shape, file: &SourceFile, root: &Node) -> Result<Record, Diagnostics> {
    read_with(shape, file, root, &Limits::default())
}

/// Types the root node of a declaration; a list longer than the limits allow is refused.
///
/// The length of lists is checked here rather than in the parsers, so that it holds
/// alike for every format a declaration is written in.
pub fn read_with(
    shape: &Shape,
    file: &SourceFile,
    root: &Node,
    limits: &Limits,
) -> Result<Record, Diagnostics> {
    let mut r = Reader {
        shape,
        file,
        limits,
        diags: Diagnostics::new(),
    };
    let record = match &root.kind {
        NodeKind::Map(entries) => Some(r.record(DECLARATION, entries, root, String::new(), None)),
        NodeKind::Null => Some(Record {
            ty: DECLARATION,
            path: Arc::from(""),
            key: None,
            fields: vec![None; shape.root().fields.len()].into_boxed_slice(),
            span: root.span,
        }),
        _ => {
            r.problem(
                Diagnostic::error(
                    Code::DeclType,
                    format!("a declaration is a mapping, found {}", root.kind_name()),
                )
                .label(root.span, "expected a mapping of top-level fields")
                .help(top_level_help(shape)),
            );
            None
        }
    };
    match record {
        Some(rec) if !r.diags.has_errors() => Ok(rec),
        _ => Err(r.diags),
    }
}

fn top_level_help(shape: &Shape) -> String {
    let names: Vec<&str> = shape
        .root()
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    if names.is_empty() {
        "no pack declares any top-level field".to_string()
    } else {
        format!("top-level fields: {}", names.join(", "))
    }
}

impl<'a> Reader<'a> {
    fn problem(&mut self, d: Diagnostic) {
        if self.diags.len() < MAX_PROBLEMS {
            self.diags.push(d.in_file(self.file));
        }
    }

    fn record(
        &mut self,
        ty: RecordId,
        entries: &[(Key, Node)],
        node: &Node,
        path: String,
        key: Option<String>,
    ) -> Record {
        let def = self.shape.record(ty);
        let mut fields: Vec<Option<Value>> = vec![None; def.fields.len()];
        for (k, v) in entries {
            let Some(index) = def.field(&k.name) else {
                let names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
                let place = if path.is_empty() {
                    "the declaration".to_string()
                } else {
                    format!("`{path}`")
                };
                self.problem(
                    Diagnostic::error(
                        Code::DeclUnknownField,
                        format!("unknown field `{}` in {place}", k.name),
                    )
                    .label(k.span, format!("`{}` has no such field", def.name))
                    .help(did_you_mean(&k.name, names)),
                );
                continue;
            };
            let Some(field) = def.fields.get(index) else {
                continue;
            };
            if matches!(v.kind, NodeKind::Null) {
                continue;
            }
            let value = self.value(
                &field.ty,
                v,
                join_path(&path, &k.name),
                field.description.as_deref(),
            );
            if let Some(slot) = fields.get_mut(index) {
                *slot = value;
            }
        }
        Record {
            ty,
            path: Arc::from(path),
            key: key.map(Arc::from),
            fields: fields.into_boxed_slice(),
            span: node.span,
        }
    }

    fn mismatch(&mut self, node: &Node, path: &str, want: &Type, about: Option<&str>) {
        let want_name = describe(self.shape, want);
        let mut help = format!("`{path}` is {want_name}");
        if let Some(a) = about {
            help.push_str(": ");
            help.push_str(a);
        }
        self.problem(
            Diagnostic::error(
                Code::DeclType,
                format!(
                    "expected {want_name} for `{path}`, found {}",
                    node.kind_name()
                ),
            )
            .label(node.span, format!("this is {}", node.kind_name()))
            .help(help),
        );
    }

    fn value(
        &mut self,
        ty: &Type,
        node: &Node,
        path: String,
        about: Option<&str>,
    ) -> Option<Value> {
        match (ty, &node.kind) {
            (Type::Bool, NodeKind::Bool(b)) => Some(Value::Bool(*b)),
            (Type::Int, NodeKind::Int(n)) => Some(Value::Int(*n)),
            (Type::Number, NodeKind::Int(n)) => Some(Value::Number(*n as f64)),
            (Type::Number, NodeKind::Float(n)) if n.is_finite() => Some(Value::Number(*n)),
            (Type::Int, NodeKind::Float(f)) => self.not_whole(node, &path, *f),
            (Type::Number, NodeKind::Float(_)) => self.not_finite(node, &path),
            (Type::Text, NodeKind::Str(s)) => Some(Value::Text(s.as_str().into())),
            (Type::Date, NodeKind::Str(s)) => match Date::parse(s) {
                Some(d) => Some(Value::Date(d)),
                None => self.invalid(node, &path, "date", "write a date as YYYY-MM-DD, e.g. 2026-03-01"),
            },
            (Type::DateTime, NodeKind::Str(s)) => match DateTime::parse(s) {
                Some(d) => Some(Value::DateTime(d)),
                None => self.invalid(
                    node,
                    &path,
                    "date and time",
                    "write an RFC 3339 instant in years 1 to 9999 once moved to UTC, e.g. 2026-03-01T10:00:00Z or 2026-03-01T17:00:00+07:00",
                ),
            },
            (Type::Duration, NodeKind::Str(s)) => match Duration::parse(s) {
                Ok(d) => Some(Value::Duration(d)),
                Err(_) => self.invalid(node, &path, "duration", "write a whole number and a unit: 72h, 30d, 6mo, 3y, 2w, 15min"),
            },
            (Type::Enum(e), NodeKind::Str(s)) => {
                let def = self.shape.enumeration(*e);
                match def.member(s) {
                    Some(m) => Some(Value::Enum(m)),
                    None => {
                        let names: Vec<&str> = def.members.iter().map(|m| m.name.as_str()).collect();
                        self.problem(
                            Diagnostic::error(Code::DeclInvalidValue, format!("`{s}` is not a valid `{}` for `{path}`", def.name))
                                .label(node.span, format!("not a member of `{}`", def.name))
                                .help(did_you_mean(s, names)),
                        );
                        None
                    }
                }
            }
            (Type::Record(r), NodeKind::Map(entries)) => {
                Some(Value::Record(Box::new(self.record(*r, entries, node, path, None))))
            }
            (Type::List(element), NodeKind::Seq(items)) => {
                Some(Value::List(self.list(element, items, &path).into_boxed_slice()))
            }
            _ => {
                self.mismatch(node, &path, ty, about);
                None
            }
        }
    }

    /// A decimal where a whole number is wanted: its kind is right, so the message says
    /// which of its properties is not.
    fn not_whole(&mut self, node: &Node, path: &str, f: f64) -> Option<Value> {
        if !f.is_finite() {
            return self.not_finite(node, path);
        }
        let written = self.file.slice(node.span).to_string();
        let d = if let Some(n) = whole_number(f) {
            // Refused although whole, as the language reference says: a decimal point or
            // an exponent marks a measured quantity, not a count.
            Diagnostic::error(
                Code::DeclType,
                format!(
                    "expected a whole number for `{path}`, found `{written}`, written as a decimal"
                ),
            )
            .label(node.span, "a decimal point or exponent")
            .help(format!("write `{path}` as digits alone: {n}"))
        } else if f.fract() == 0.0 {
            Diagnostic::error(
                Code::DeclInvalidValue,
                format!(
                    "`{path}` is too large for a whole number (64-bit range {} to {})",
                    i64::MIN,
                    i64::MAX
                ),
            )
            .label(node.span, "outside the 64-bit range")
            .help("a whole number stays within ±9.2e18; if this is an identifier rather than a quantity, put it in quotes")
        } else {
            Diagnostic::error(
                Code::DeclType,
                format!(
                    "expected a whole number for `{path}`, found `{written}`, which has a fraction"
                ),
            )
            .label(node.span, "has a fraction")
            .help(format!("`{path}` is a whole number, such as 42 or -7"))
        };
        self.problem(d);
        None
    }

    /// YAML writes infinities and not-a-number (`.inf`, `.nan`), which no rule can
    /// compare or count with.
    fn not_finite(&mut self, node: &Node, path: &str) -> Option<Value> {
        self.problem(
            Diagnostic::error(
                Code::DeclInvalidValue,
                format!("`{path}` is not a finite number"),
            )
            .label(node.span, "infinite or not a number")
            .help("write a finite figure such as 3.25; leave the field out (or write null) when it is not known"),
        );
        None
    }

    fn invalid(&mut self, node: &Node, path: &str, what: &str, help: &str) -> Option<Value> {
        let text = match &node.kind {
            NodeKind::Str(s) => s.as_str(),
            _ => "",
        };
        self.problem(
            Diagnostic::error(
                Code::DeclInvalidValue,
                format!("invalid {what} `{text}` for `{path}`"),
            )
            .label(node.span, format!("not a valid {what}"))
            .help(help),
        );
        None
    }

    fn list(&mut self, element: &Type, items: &[Node], path: &str) -> Vec<Value> {
        let max = self.limits.max_list_items;
        if let Some(first_too_many) = items.get(max) {
            self.problem(
                Diagnostic::error(Code::Limit, format!("`{path}` has more than {max} items"))
                    .label(
                        first_too_many.span,
                        format!("item {} passes the limit", max + 1),
                    )
                    .help(format!(
                        "to read a longer list, pass a larger limit, e.g. --max-list-items {}",
                        max.saturating_mul(10)
                    )),
            );
            return Vec::new();
        }
        let keyed = match element {
            Type::Record(r) => self.shape.record(*r).key.map(|k| (*r, k)),
            _ => None,
        };
        let Some((record, key_index)) = keyed else {
            return items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| self.value(element, n, format!("{path}[{i}]"), None))
                .collect();
        };
        let def = self.shape.record(record);
        let key_name = def.fields.get(key_index).map_or("id", |f| f.name.as_str());
        let mut seen: HashMap<String, &Node> = HashMap::new();
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let NodeKind::Map(entries) = &item.kind else {
                self.mismatch(item, &format!("{path}[{i}]"), element, None);
                continue;
            };
            let key_node = entries
                .iter()
                .find(|(k, _)| k.name == key_name)
                .map(|(_, v)| v);
            let key = match key_node.map(|n| &n.kind) {
                Some(NodeKind::Str(s)) if !s.is_empty() => s.clone(),
                Some(NodeKind::Int(n)) => n.to_string(),
                _ => {
                    self.problem(
                        Diagnostic::error(Code::DeclType, format!("item {} of `{path}` has no `{key_name}`", i + 1))
                            .label(key_node.map_or(item.span, |n| n.span), format!("`{key_name}` names the item"))
                            .help(format!("give every item of `{path}` a unique `{key_name}`; results are reported by it")),
                    );
                    continue;
                }
            };
            if let Some(first) = seen.get(&key) {
                let first_span = first.span;
                self.problem(
                    Diagnostic::error(
                        Code::DeclDuplicateKey,
                        format!("two items of `{path}` have the key `{key}`"),
                    )
                    .label(key_node.map_or(item.span, |n| n.span), "second item")
                    .label(first_span, "first item")
                    .help(format!(
                        "each item's `{key_name}` must be unique within `{path}`"
                    )),
                );
                continue;
            }
            if let Some(n) = key_node {
                seen.insert(key.clone(), n);
            }
            let item_path = format!("{path}[{key}]");
            out.push(Value::Record(Box::new(self.record(
                record,
                entries,
                item,
                item_path,
                Some(key),
            ))));
        }
        out
    }
}

/// A type as a declaration author would say it.
fn describe(shape: &Shape, ty: &Type) -> String {
    match ty {
        Type::Bool => "a boolean (true or false)".into(),
        Type::Int => "a whole number".into(),
        Type::Number => "a number".into(),
        Type::Text => "a text".into(),
        Type::Date => "a date (YYYY-MM-DD)".into(),
        Type::DateTime => "a date and time (RFC 3339)".into(),
        Type::Duration => "a duration such as 72h or 3y".into(),
        Type::Enum(e) => format!("one of the `{}` values", shape.enumeration(*e).name),
        Type::Record(r) => format!("a `{}` mapping", shape.record(*r).name),
        Type::List(t) => format!("a list of {}", describe(shape, t)),
        Type::EmptyList | Type::Error => "a value".into(),
    }
}
