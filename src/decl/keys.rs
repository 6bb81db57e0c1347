//! Where each key of a declaration is written, found again in its file.
//!
//! Typed records keep no spans for their fields: a large declaration has millions of them
//! and only the reports that point at lines (SARIF, JUnit, annotations) ever ask where one
//! is. Those reports parse the file once more into the raw tree, which keeps every key's
//! span, and walk it along the shape the way the typed reader did.

use std::collections::BTreeMap;

use super::load::is_json;
use super::node::{Key, Node, NodeKind};
use super::value::join_path;
use super::{json, yaml};
use crate::program::shape::{RecordId, Shape, Type, DECLARATION};
use crate::source::{SourceFile, Span};

/// Every key written in a declaration, by declaration path
/// (`processing[hr].dpia.completed`), including keys written `null`; every item of a keyed
/// list, by its path (`processing[hr]`), at the span of the whole item.
///
/// Meant for a file that loaded: one that no longer parses gives an empty map.
pub fn written(shape: &Shape, file: &SourceFile) -> BTreeMap<String, Span> {
    let parsed = if is_json(file.name()) {
        json::parse_json(file)
    } else {
        yaml::parse_yaml(file)
    };
    let mut walk = Walk {
        shape,
        out: BTreeMap::new(),
    };
    if let Ok(Node {
        kind: NodeKind::Map(entries),
        ..
    }) = &parsed
    {
        walk.record(DECLARATION, entries, "");
    }
    walk.out
}

struct Walk<'a> {
    shape: &'a Shape,
    out: BTreeMap<String, Span>,
}

impl Walk<'_> {
    fn record(&mut self, ty: RecordId, entries: &[(Key, Node)], path: &str) {
        let def = self.shape.record(ty);
        for (key, value) in entries {
            let Some(field) = def.field(&key.name).and_then(|i| def.fields.get(i)) else {
                continue;
            };
            let field_path = join_path(path, &key.name);
            self.out.insert(field_path.clone(), key.span);
            self.value(&field.ty, value, &field_path);
        }
    }

    fn value(&mut self, ty: &Type, node: &Node, path: &str) {
        match (ty, &node.kind) {
            (Type::Record(r), NodeKind::Map(entries)) => self.record(*r, entries, path),
            (Type::List(element), NodeKind::Seq(items)) => self.list(element, items, path),
            _ => {}
        }
    }

    /// Items of a keyed list are named by their key, as the typed reader names them;
    /// other items by their position.
    fn list(&mut self, element: &Type, items: &[Node], path: &str) {
        let key_name = match element {
            Type::Record(r) => {
                let def = self.shape.record(*r);
                def.key
                    .and_then(|k| def.fields.get(k))
                    .map(|f| (*r, f.name.as_str()))
            }
            _ => None,
        };
        let Some((record, key_name)) = key_name else {
            for (i, item) in items.iter().enumerate() {
                self.value(element, item, &format!("{path}[{i}]"));
            }
            return;
        };
        for item in items {
            let NodeKind::Map(entries) = &item.kind else {
                continue;
            };
            let key = entries
                .iter()
                .find(|(k, _)| k.name == key_name)
                .and_then(|(_, v)| match &v.kind {
                    NodeKind::Str(s) if !s.is_empty() => Some(s.clone()),
                    NodeKind::Int(n) => Some(n.to_string()),
                    _ => None,
                });
            if let Some(key) = key {
                let item_path = format!("{path}[{key}]");
                self.out.insert(item_path.clone(), item.span);
                self.record(record, entries, &item_path);
            }
        }
    }
}
